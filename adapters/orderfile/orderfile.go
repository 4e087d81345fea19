// Package orderfile serves a shop's orders from a file: the demo's sample
// orders (examples/shop/orders.json), a shop's own export, or a test's
// fixture. The file is JSON (or YAML, which reads the same), validated as
// a whole when it is loaded: every mistake is reported as
// file:line:column, and a file with mistakes serves nothing.
//
//	{
//	  "today": "2025-06-03",
//	  "orders": [
//	    {"number": "SP-123456", "status": "shipped",
//	     "placed": "2025-05-30", "shipped": "2025-06-02", "expected": "2025-06-05",
//	     "carrier": "BRT", "tracking_url": "https://tracking.example.com/SP-123456",
//	     "total": "379.00 EUR",
//	     "customer": {"name": "Giulia Bianchi", "email": "giulia.bianchi@example.it", "postcode": "20121"},
//	     "items": [{"name": "Samsung Galaxy A55", "sku": "SM-A556B", "quantity": 1, "product": "galaxy-a55"}]}
//	  ],
//	  "faults": {"SP-999999": "unavailable"}
//	}
//
// docs/shop.md describes every field. The file is read once; the orders
// are kept in memory and each lookup returns a copy.
package orderfile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/bot"
)

// MaxFileSize bounds the file: decoding holds about sixteen times its
// size in memory. 8 MiB is some twenty thousand orders.
const MaxFileSize = 8 << 20

// Faults a file may set for an order number, so that a demo or a test
// sees what customers get when the shop's system fails.
const (
	FaultUnavailable = "unavailable" // the system is down: ErrShopUnavailable
	FaultTimeout     = "timeout"     // the system does not answer: the lookup waits for its deadline
	FaultError       = "error"       // the system answers with nonsense: an error that is neither
)

var faults = []string{FaultUnavailable, FaultTimeout, FaultError}

// Options configure a File.
type Options struct {
	// Now, when set and the file names its "today", moves every date of
	// the file by the days between that day and Now's, so the sample
	// orders stay as recent as they were written: the demo's parcel left
	// yesterday whenever the demo runs. Nil serves the dates as written,
	// as the demo's stories (whose clock is the file's today) want.
	Now func() time.Time
	// Zone is the shop's time zone, whose day a date without a time
	// ("2025-06-02") is; nil is UTC.
	Zone *time.Location
}

// A File is the orders of one file. It is safe for concurrent use.
type File struct {
	name   string
	orders map[string]*bot.Order // by bot.OrderKey(number)
	faults map[string]string     // by bot.OrderKey(number)
	today  time.Time             // the file's today, zero when it names none
	now    func() time.Time
}

var _ bot.Orders = (*File)(nil)

// Open reads the orders file at path.
func Open(path string, opts Options) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("orderfile: %w", err)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("orderfile: %s holds %d bytes; an orders file may hold at most %d (orderfile.MaxFileSize)", path, st.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("orderfile: %w", err)
	}
	return Parse(path, data, opts)
}

// Load reads the orders file name of fsys (the demo's embedded file).
func Load(fsys fs.FS, name string, opts Options) (*File, error) {
	if st, err := fs.Stat(fsys, name); err == nil && st.Size() > MaxFileSize {
		return nil, fmt.Errorf("orderfile: %s holds %d bytes; an orders file may hold at most %d (orderfile.MaxFileSize)", name, st.Size(), MaxFileSize)
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("orderfile: %w", err)
	}
	return Parse(name, data, opts)
}

// Parse reads the orders of data, named name in its errors. The error
// is an ErrorList with every mistake, sorted by line.
func Parse(name string, data []byte, opts Options) (*File, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("orderfile: %s holds %d bytes; an orders file may hold at most %d (orderfile.MaxFileSize)", name, len(data), MaxFileSize)
	}
	p := &parser{file: name, f: &File{name: name, orders: map[string]*bot.Order{}, faults: map[string]string{}, now: opts.Now}, zone: opts.Zone}
	if p.zone == nil {
		p.zone = time.UTC
	}
	// A JSON file's syntax errors are placed by the JSON reader, which
	// says where; the YAML reader (which reads JSON too) then gives every
	// value its line.
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, ErrorList{jsonError(name, data, err)}
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, ErrorList{syntaxError(name, err)}
	}
	if len(doc.Content) == 0 {
		p.errorf(&yaml.Node{Line: 1, Column: 1}, "the file is empty: want an object with \"orders\"")
	} else {
		p.document(doc.Content[0])
	}
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *Error) int { return a.Line*10000 + a.Col - b.Line*10000 - b.Col })
		return nil, p.errs
	}
	return p.f, nil
}

// Len returns the number of orders of the file.
func (f *File) Len() int { return len(f.orders) }

// Order returns a copy of the order numbered number. The number is read
// loosely (case, spaces and punctuation do not count: "sp 123456" finds
// SP-123456). A fault the file sets for the number is played instead.
func (f *File) Order(ctx context.Context, number string) (*bot.Order, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := bot.OrderKey(number)
	switch f.faults[k] {
	case FaultUnavailable:
		return nil, fmt.Errorf("orderfile: order %s: %w (a fault of %s)", number, bot.ErrShopUnavailable, f.name)
	case FaultTimeout:
		<-ctx.Done()
		return nil, fmt.Errorf("orderfile: order %s: %w", number, ctx.Err())
	case FaultError:
		return nil, fmt.Errorf("orderfile: order %s: the system answered what is no order (a fault of %s)", number, f.name)
	}
	o, ok := f.orders[k]
	if !ok {
		return nil, fmt.Errorf("orderfile: order %s: %w", number, bot.ErrOrderNotFound)
	}
	c := *o
	c.Items = slices.Clone(o.Items)
	if f.now != nil && !f.today.IsZero() {
		shift := days(f.today, f.now().In(f.today.Location())) // the shop's today, not the machine's
		for _, t := range []*time.Time{&c.Placed, &c.Shipped, &c.Delivered, &c.Expected} {
			if !t.IsZero() {
				*t = t.AddDate(0, 0, shift)
			}
		}
	}
	return &c, nil
}

// days returns the whole days from the calendar day of a to that of b,
// each read in its own time zone.
func days(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// An Error is one mistake of an orders file, at its line and column.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// An ErrorList is every mistake of an orders file, one a line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// jsonError places a JSON syntax error at its line and column.
func jsonError(file string, data []byte, err error) *Error {
	var se *json.SyntaxError
	off := int64(len(data))
	if errors.As(err, &se) {
		off = se.Offset
	}
	off = min(max(off, 1), int64(len(data)))
	line := 1 + bytes.Count(data[:off-1], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off-1], '\n') - 1
	return &Error{File: file, Line: line, Col: col, Msg: "not JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

// syntaxError places the decoder's error: "yaml: line 3: ..." (the JSON
// reader says the same of a JSON file).
func syntaxError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, what, ok := strings.Cut(rest, ": "); ok {
			if v, err := strconv.Atoi(n); err == nil {
				line, msg = v, what
			}
		}
	}
	return &Error{File: file, Line: line, Col: 1, Msg: "not JSON (nor YAML): " + msg}
}

// Bounds of what one order may hold; longer values are mistakes.
const (
	maxText  = 200 // a name, a carrier, a total, an e-mail
	maxURL   = 2000
	maxItems = 100
)

type parser struct {
	file string
	f    *File
	errs ErrorList
	zone *time.Location // the days of the dates without a time
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// fields reads a mapping node: each known key's value, in order, and a
// mistake for each unknown or repeated one.
func (p *parser) fields(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: want an object, not %s", what, kindOf(n))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(known, k.Value):
			p.errorf(k, "%s: unknown field %q (the fields are %s)", what, k.Value, strings.Join(known, ", "))
		case out[k.Value] != nil:
			p.errorf(k, "%s: %q given twice", what, k.Value)
		default:
			out[k.Value] = v
		}
	}
	return out
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return fmt.Sprintf("%q", cut(n.Value, 40))
	}
	return "an alias"
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// str reads a scalar of at most max characters, cleaned of control
// characters; "" for a missing field.
func (p *parser) str(n *yaml.Node, what string, max int) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "%s: want a string, not %s", what, kindOf(n))
		return ""
	}
	s := strings.TrimSpace(bot.CleanLine(n.Value, 0))
	if len([]rune(s)) > max {
		p.errorf(n, "%s: %d characters; at most %d", what, len([]rune(s)), max)
		return ""
	}
	return s
}

// date reads 2006-01-02 (the day, read at noon in the shop's zone, so
// that it is that day wherever the flows read it in that zone) or an
// RFC 3339 time.
func (p *parser) date(n *yaml.Node, what string) time.Time {
	s := p.str(n, what, 40)
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02", s, p.zone)
	if err == nil {
		t = t.Add(12 * time.Hour)
	} else if t, err = time.Parse(time.RFC3339, s); err != nil {
		p.errorf(n, "%s: %q is no date: write 2025-06-03 or 2025-06-03T14:05:00+02:00", what, s)
		return time.Time{}
	}
	if t.Year() < 1900 || t.Year() > 2100 {
		p.errorf(n, "%s: %q: the year is outside 1900-2100", what, s)
		return time.Time{}
	}
	return t
}

func (p *parser) document(root *yaml.Node) {
	fs := p.fields(root, "the file", "today", "orders", "faults")
	if fs == nil {
		return
	}
	p.f.today = p.date(fs["today"], "today")
	list := fs["orders"]
	switch {
	case list == nil:
		p.errorf(root, "the file has no \"orders\"")
	case list.Kind != yaml.SequenceNode:
		p.errorf(list, "orders: want a list, not %s", kindOf(list))
	default:
		seen := map[string]*yaml.Node{}
		for i, n := range list.Content {
			p.order(n, i+1, seen)
		}
	}
	if fl := fs["faults"]; fl != nil {
		if fl.Kind != yaml.MappingNode {
			p.errorf(fl, "faults: want an object of order numbers, not %s", kindOf(fl))
			return
		}
		for i := 0; i+1 < len(fl.Content); i += 2 {
			k, v := fl.Content[i], fl.Content[i+1]
			fault := p.str(v, "the fault of "+k.Value, 20)
			switch {
			case bot.OrderKey(k.Value) == "":
				p.errorf(k, "faults: %q is no order number", k.Value)
			case !slices.Contains(faults, fault):
				p.errorf(v, "the fault of %s: %q: want one of %s", k.Value, fault, strings.Join(faults, ", "))
			case p.f.orders[bot.OrderKey(k.Value)] != nil:
				p.errorf(k, "faults: %s is an order of the file: give the fault another number", k.Value)
			default:
				p.f.faults[bot.OrderKey(k.Value)] = fault
			}
		}
	}
}

func (p *parser) order(n *yaml.Node, i int, seen map[string]*yaml.Node) {
	what := fmt.Sprintf("order %d", i)
	if n.Kind == yaml.MappingNode {
		for j := 0; j+1 < len(n.Content); j += 2 {
			if v := n.Content[j+1]; n.Content[j].Value == "number" && v.Kind == yaml.ScalarNode && bot.OrderKey(v.Value) != "" && len(v.Value) <= 40 {
				what = "order " + strings.TrimSpace(bot.CleanLine(v.Value, 0))
				break
			}
		}
	}
	fs := p.fields(n, what, "number", "status", "placed", "shipped", "delivered", "expected",
		"carrier", "tracking_url", "total", "customer", "items")
	if fs == nil {
		return
	}
	o := &bot.Order{Number: p.str(fs["number"], what+": number", 40)}
	switch k := bot.OrderKey(o.Number); {
	case fs["number"] == nil:
		p.errorf(n, "%s has no number", what)
	case k == "":
		p.errorf(fs["number"], "%s: %q is no order number", what, o.Number)
	case seen[k] != nil:
		p.errorf(fs["number"], "order %d: number %s is also the number of the order at line %d", i, o.Number, seen[k].Line)
	default:
		seen[k] = fs["number"]
	}
	status := p.str(fs["status"], what+": status", 20)
	o.Status = bot.OrderStatus(status)
	switch {
	case fs["status"] == nil:
		p.errorf(n, "%s has no status (one of %s)", what, bot.OrderStatusNames())
	case !o.Status.Known():
		p.errorf(fs["status"], "%s: status %q: want one of %s", what, status, bot.OrderStatusNames())
	}
	o.Placed = p.date(fs["placed"], what+": placed")
	o.Shipped = p.date(fs["shipped"], what+": shipped")
	o.Delivered = p.date(fs["delivered"], what+": delivered")
	o.Expected = p.date(fs["expected"], what+": expected")
	p.dates(o, fs, what)
	o.Carrier = p.str(fs["carrier"], what+": carrier", maxText)
	o.Total = p.str(fs["total"], what+": total", maxText)
	if u := fs["tracking_url"]; u != nil {
		o.TrackingURL = p.str(u, what+": tracking_url", maxURL)
		if o.TrackingURL != "" && !bot.IsTrackingURL(o.TrackingURL) {
			p.errorf(u, "%s: tracking_url %q: want an http or https link to the carrier's page", what, cut(o.TrackingURL, 60))
		}
	}
	p.customer(o, fs["customer"], n, what)
	p.items(o, fs["items"], n, what)
	if len(p.errs) == 0 {
		p.f.orders[bot.OrderKey(o.Number)] = o
	}
}

// dates checks that the dates follow each other and that the status has
// the dates it needs.
func (p *parser) dates(o *bot.Order, fs map[string]*yaml.Node, what string) {
	after := func(later, earlier time.Time, ln, en string) {
		if !later.IsZero() && !earlier.IsZero() && later.Before(earlier.Truncate(24*time.Hour)) {
			p.errorf(fs[ln], "%s: %s comes before %s", what, ln, en)
		}
	}
	after(o.Shipped, o.Placed, "shipped", "placed")
	after(o.Delivered, o.Shipped, "delivered", "shipped")
	after(o.Delivered, o.Placed, "delivered", "placed")
	if o.Status == bot.OrderDelivered && o.Delivered.IsZero() && fs["status"] != nil {
		p.errorf(fs["status"], "%s: delivered, but no delivered date (returns are counted from it)", what)
	}
	if fs["placed"] == nil && fs["status"] != nil {
		p.errorf(fs["status"], "%s has no placed date (warranties are counted from it)", what)
	}
}

func (p *parser) customer(o *bot.Order, n, parent *yaml.Node, what string) {
	if n == nil {
		p.errorf(parent, "%s has no customer: the customer proves the order theirs with its e-mail or postcode", what)
		return
	}
	fs := p.fields(n, what+": customer", "name", "email", "postcode", "phone")
	if fs == nil {
		return
	}
	o.Customer = bot.OrderCustomer{
		Name:     p.str(fs["name"], what+": customer name", maxText),
		Email:    p.str(fs["email"], what+": customer email", maxText),
		Postcode: p.str(fs["postcode"], what+": customer postcode", 20),
		Phone:    p.str(fs["phone"], what+": customer phone", 40),
	}
	if e := o.Customer.Email; e != "" && (strings.Count(e, "@") != 1 || strings.HasPrefix(e, "@") || !strings.Contains(e[strings.IndexByte(e, '@'):], ".")) {
		p.errorf(fs["email"], "%s: %q is no e-mail address", what, e)
	}
	if o.Customer.Email == "" && o.Customer.Postcode == "" {
		p.errorf(n, "%s: the customer has neither email nor postcode, so nobody can prove the order theirs", what)
	}
}

func (p *parser) items(o *bot.Order, n, parent *yaml.Node, what string) {
	switch {
	case n == nil:
		p.errorf(parent, "%s has no items", what)
		return
	case n.Kind != yaml.SequenceNode:
		p.errorf(n, "%s: items: want a list, not %s", what, kindOf(n))
		return
	case len(n.Content) == 0:
		p.errorf(n, "%s has no items", what)
		return
	case len(n.Content) > maxItems:
		p.errorf(n, "%s has %d items; at most %d", what, len(n.Content), maxItems)
		return
	}
	for i, in := range n.Content {
		iw := fmt.Sprintf("%s: item %d", what, i+1)
		fs := p.fields(in, iw, "name", "sku", "quantity", "product")
		if fs == nil {
			continue
		}
		it := bot.OrderItem{
			Name:     p.str(fs["name"], iw+": name", maxText),
			SKU:      p.str(fs["sku"], iw+": sku", 60),
			Product:  p.str(fs["product"], iw+": product", 40),
			Quantity: 1,
		}
		if fs["name"] == nil || it.Name == "" && strings.TrimSpace(fs["name"].Value) == "" {
			p.errorf(in, "%s has no name", iw)
		}
		if q := fs["quantity"]; q != nil {
			v, err := strconv.Atoi(p.str(q, iw+": quantity", 6))
			if err != nil || v < 1 {
				p.errorf(q, "%s: quantity %q: want a whole number from 1", iw, q.Value)
			}
			it.Quantity = v
		}
		o.Items = append(o.Items, it)
	}
}
