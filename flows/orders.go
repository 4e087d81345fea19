package flows

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/extract"
)

// The outcomes of order_lookup, in its output slot order. The customer is
// never told whether a number that did not match is no order or someone
// else's: both are OrderMismatch, so order numbers cannot be tried one
// after the other to learn which exist. The transcript tells the agents
// which it was (the Lookup values).
const (
	OrderFound       = "found"       // the customer proved the order theirs: its details are in the output slots
	OrderNeedsProof  = "needs_proof" // a number, no proof yet: ask for the e-mail or postcode, then look up again
	OrderMismatch    = "mismatch"    // no order with that number and that proof: the number and the proof are emptied
	OrderLocked      = "locked"      // too many failed proofs, or lookups, in this conversation: offer a person
	OrderUnavailable = "unavailable" // the shop's system is down, too slow, busy, or answered nonsense
	OrderOff         = "off"         // no shop system is connected
	OrderNone        = "none"        // no order number
)

var orderOutcomes = []string{OrderFound, OrderNeedsProof, OrderMismatch, OrderLocked, OrderUnavailable, OrderOff, OrderNone}

// The values of a bot.EventLookup of an order (Action "order", Text the
// number): what the agents and the managers read of each lookup.
const (
	LookupFound       = "found"       // found, and the proof matched
	LookupNotFound    = "not_found"   // the system has no such order
	LookupNotOwner    = "not_owner"   // the order exists, the proof did not match it
	LookupLocked      = "locked"      // not looked up: too many failed proofs in the conversation
	LookupLimited     = "limited"     // not looked up: the conversation's lookups are over their rate
	LookupBusy        = "busy"        // not looked up: the shop's lookups are over their rate
	LookupTimeout     = "timeout"     // the system did not answer within the deadline
	LookupUnavailable = "unavailable" // the system said it is down, or answered what is no answer
	LookupError       = "error"       // the lookup failed otherwise
)

// EventLookupOrder is the Action of the lookup events of orders.
const EventLookupOrder = "order"

// Defaults of OrderOptions.
const (
	DefaultLookupTimeout    = 3 * time.Second
	DefaultMaxProofFailures = 3
)

// OrderOptions configure order_lookup. The zero value takes the defaults
// and admits every lookup.
type OrderOptions struct {
	// Timeout is the deadline of one lookup (DefaultLookupTimeout when
	// zero): past it the customer is told the system does not answer
	// and the case goes to a person.
	Timeout time.Duration
	// MaxFailures is how many failed proofs a conversation may make
	// (DefaultMaxProofFailures when zero); then it looks up no more
	// orders and offers a person.
	MaxFailures int
	// Conversation admits a lookup of the conversation whose address is
	// addr, nil admitting all; Shop admits a lookup of the shop's, across
	// conversations. cmd/sportello wires them to the store's counters
	// (bot.Counters), shared by the replicas, so that neither one
	// conversation nor many together can try order numbers in bulk, nor
	// flood the shop's system.
	Conversation func(ctx context.Context, addr string) (bool, error)
	Shop         func(ctx context.Context) (bool, error)
	// Order reports whether the order number may still be proved, and
	// Failed records a failed proof of it, across conversations and
	// replicas: a number tried with postcode after postcode from many
	// conversations (each within its own MaxFailures) is locked for a
	// while. Nil admits every order.
	//
	// Each of the four answers within Timeout; one that fails (the store
	// is down) refuses the lookup, which goes to a person as when the
	// shop's system is down: no lookup goes ahead unbounded.
	Order  func(ctx context.Context, number string) (bool, error)
	Failed func(ctx context.Context, number string) error
	// Logger gets a line for every lookup that fails or is refused
	// (slog.Default when nil). It never gets the customer's proof.
	Logger *slog.Logger
}

// orderSystem is the shop's order system as the runtime uses it.
type orderSystem struct {
	orders bot.Orders
	opt    OrderOptions
	log    *slog.Logger
}

// SetOrders connects the shop's order system for the action order_lookup.
// Call it before the runtime answers its first message; without it,
// order_lookup's outcome is OrderOff.
func (r *Runtime) SetOrders(o bot.Orders, opt OrderOptions) {
	if o == nil {
		r.orders = nil
		return
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultLookupTimeout
	}
	if opt.MaxFailures <= 0 {
		opt.MaxFailures = DefaultMaxProofFailures
	}
	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	r.orders = &orderSystem{orders: o, opt: opt, log: log.With("component", "orders")}
}

// Session bookkeeping of order_lookup, kept in Session.Vars.
const (
	varOrderFailures = "order_failures"   // failed proofs of the conversation
	varOrderProven   = "order_proven"     // numbers proven in this conversation, space-separated
	varProofProved   = "order_proof_hash" // a hash of the proof that last proved an order (no secret: the slot keeps the proof)
	// varOrderTried is the number of the last lookup no order matched,
	// for the proof the customer may correct ("sorry, the postcode is
	// 20131"): the flow went on without the order.
	varOrderTried = "order_tried"
	// varProofTried is the proof of that lookup, for the number the
	// customer may correct instead ("sorry, typo, it's SP-200101"): the
	// proof they gave is tried with it, as one more try.
	varProofTried = "order_proof_tried"
	maxProven     = 5
)

// proofHash is what the session keeps of a proof that proved an order, to
// know it again: not the e-mail or postcode itself.
func proofHash(proof string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(proof))))
	return strconv.FormatUint(h.Sum64(), 36)
}

// lookup asks the system for number with the deadline of the options.
// The system runs in a goroutine of its own, so that one that ignores its
// context, or panics, delays no conversation past the deadline and
// stops no process.
func (s *orderSystem) lookup(ctx context.Context, number string) (*bot.Order, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	type result struct {
		o   *bot.Order
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("the order system panicked: %v", p)}
			}
		}()
		o, err := s.orders.Order(ctx, number)
		ch <- result{o, err}
	}()
	select {
	case r := <-ch:
		if r.err == nil && r.o == nil {
			r.err = errors.New("the order system returned no order and no error")
		}
		return r.o, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// admit asks the options' limits whether the conversation addr may look
// number up now: "" when it may, else the lookup value of the refusal
// (LookupLimited, LookupLocked, LookupBusy), or LookupError with the error
// when a limit could not be read. Every limit answers within the
// options' Timeout.
func (s *orderSystem) admit(ctx context.Context, addr, number string, proven bool) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	refusal := func(value string, err error) (string, error) {
		if err != nil {
			return LookupError, err
		}
		return value, nil
	}
	if f := s.opt.Conversation; f != nil {
		if ok, err := f(ctx, addr); err != nil || !ok {
			return refusal(LookupLimited, err)
		}
	}
	if f := s.opt.Order; f != nil && !proven {
		if ok, err := f(ctx, number); err != nil || !ok {
			return refusal(LookupLocked, err)
		}
	}
	if f := s.opt.Shop; f != nil {
		if ok, err := f(ctx); err != nil || !ok {
			return refusal(LookupBusy, err)
		}
	}
	return "", nil
}

// failed counts a failed proof of number for the order, within the
// options' Timeout.
func (s *orderSystem) failed(ctx context.Context, number string) error {
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	return s.opt.Failed(ctx, number)
}

// lookupValue classifies a failed lookup for the transcript.
func lookupValue(err error) string {
	switch {
	case errors.Is(err, bot.ErrOrderNotFound):
		return LookupNotFound
	case errors.Is(err, context.DeadlineExceeded):
		return LookupTimeout
	case errors.Is(err, bot.ErrShopUnavailable):
		return LookupUnavailable
	}
	return LookupError
}

// actionNeeds are the arguments an action cannot run without, and
// actionFills those it fills from what it finds: an order tells the
// product and its dates.
var (
	actionNeeds = map[string][]string{"order_lookup": {"number"}}
	actionFills = map[string][]string{"order_lookup": {"product", "purchase_date", "delivery_date"}}
)

// orderArg returns the slot the step's argument name reads or fills.
func orderArg(st *Step, name string) string {
	if s, ok := st.With[name]; ok {
		return s
	}
	return actionArgs["order_lookup"][name]
}

// orderLookup runs the built-in action order_lookup: it finds the order
// whose number the number slot holds, shows it only when the proof slot
// (an e-mail or a postcode) proves it the customer's, and fills the
// flow's product and date slots from it. It returns the outcome and the
// output slots to set.
func (c *conv) orderLookup(st *Step) (string, map[string]string) {
	out := map[string]string{}
	for _, name := range actionOutputs["order_lookup"] {
		out[name] = ""
	}
	set := func(outcome string) (string, map[string]string) {
		out["order"] = outcome
		return outcome, out
	}
	numberSlot, proofSlot := orderArg(st, "number"), orderArg(st, "proof")
	number := c.b.canonicalOrder(numberSlot, c.s.Slots[numberSlot])
	if number == "" {
		return set(OrderNone)
	}
	sys := c.orders
	if sys == nil {
		return set(OrderOff)
	}
	proven := slices.Contains(strings.Fields(c.s.Vars[varOrderProven]), number)
	proof := c.s.Slots[proofSlot]
	if !proven && proof == "" {
		return set(OrderNeedsProof)
	}
	addr := c.s.Address.String()
	record := func(value string) {
		c.t.Record(bot.Event{Type: bot.EventLookup, Action: EventLookupOrder, Value: value, Text: number})
	}
	failures, _ := strconv.Atoi(c.s.Vars[varOrderFailures])
	if failures >= sys.opt.MaxFailures {
		record(LookupLocked)
		return set(OrderLocked)
	}
	switch refused, err := sys.admit(c.ctx, addr, number, proven); refused {
	case "":
	case LookupLimited:
		record(refused)
		sys.log.Warn("order lookup refused: the conversation's rate", "conversation", c.s.Address, "order", bot.OrderRef(number))
		return set(OrderLocked)
	case LookupLocked:
		// Too many wrong proofs of this order lately, from any
		// conversation: the owner gets a person, a guesser nothing.
		record(refused)
		sys.log.Warn("order lookup refused: too many failed proofs of the order", "conversation", c.s.Address, "order", bot.OrderRef(number))
		return set(OrderLocked)
	case LookupBusy:
		record(refused)
		sys.log.Warn("order lookup refused: the shop's rate", "conversation", c.s.Address, "order", bot.OrderRef(number))
		return set(OrderUnavailable)
	default:
		// The limits could not be read: the lookup is refused, and the
		// customer told that orders cannot be looked up now.
		record(LookupError)
		sys.log.Error("order lookup refused: its limits could not be read", "conversation", c.s.Address, "order", bot.OrderRef(number),
			"err", bot.RedactOrder(err.Error(), number))
		return set(OrderUnavailable)
	}
	start := time.Now()
	o, err := sys.lookup(c.ctx, number)
	value := LookupFound
	switch {
	case err != nil:
		value = lookupValue(err)
	case !proven && !o.Proves(proofOf(proof)):
		value = LookupNotOwner
	}
	record(value)
	if carried := !proven && c.s.Vars[varProofProved] == proofHash(proof); carried &&
		(value == LookupNotFound || value == LookupNotOwner) {
		// The proof that proved the customer's first order (a slot the
		// conversation remembers) does not prove this one: another
		// e-mail, another address. It is no failed proof of theirs:
		// this order's proof is asked for, once; a wrong one then fails
		// as usual.
		delete(c.s.Slots, proofSlot)
		c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: proofSlot, Value: ""})
		c.s.SetVar(varProofProved, "")
		return set(OrderNeedsProof)
	}
	switch value {
	case LookupFound:
	case LookupNotFound, LookupNotOwner:
		// Not found and not theirs look the same to the customer; the
		// number and the proof go, so that the flow can ask them again.
		failures++
		c.s.SetVar(varOrderFailures, strconv.Itoa(failures))
		if value == LookupNotOwner && sys.opt.Failed != nil {
			if err := sys.failed(c.ctx, number); err != nil {
				// The proof failed all the same; only the order's
				// count across conversations misses one.
				sys.log.Error("order proof failed: could not count it for the order", "conversation", c.s.Address,
					"order", bot.OrderRef(number), "err", bot.RedactOrder(err.Error(), number))
			}
		}
		c.s.SetVar(varOrderTried, number)
		c.s.SetVar(varProofTried, proof)
		for _, slot := range []string{numberSlot, proofSlot} {
			if _, ok := c.s.Slots[slot]; ok {
				delete(c.s.Slots, slot)
				c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: slot, Value: ""})
			}
		}
		sys.log.Info("order proof failed", "conversation", c.s.Address, "order", bot.OrderRef(number), "lookup", value, "failures", failures)
		if failures >= sys.opt.MaxFailures {
			// No lookup will try the proof again: the session keeps
			// none of it.
			c.s.SetVar(varProofTried, "")
			sys.log.Warn("order lookups locked: too many failed proofs", "conversation", c.s.Address, "failures", failures)
			return set(OrderLocked)
		}
		return set(OrderMismatch)
	default:
		// The shop system's error names the order: its text is logged
		// with the number replaced by its reference.
		sys.log.Warn("order lookup failed", "conversation", c.s.Address, "order", bot.OrderRef(number), "lookup", value,
			"took", time.Since(start).Round(time.Millisecond), "err", bot.RedactOrder(err.Error(), number))
		return set(OrderUnavailable)
	}
	c.s.SetVar(varOrderTried, "")
	c.s.SetVar(varProofTried, "")
	if !proven {
		ps := append(strings.Fields(c.s.Vars[varOrderProven]), number)
		c.s.SetVar(varOrderProven, strings.Join(ps[max(0, len(ps)-maxProven):], " "))
		c.s.SetVar(varProofProved, proofHash(proof))
	}
	c.orderOutputs(o, number, out)
	c.orderFills(st, o, out)
	return set(OrderFound)
}

// proofOf reads the customer's proof: an e-mail address when the text
// holds one, else the text as a postcode.
func proofOf(text string) bot.Proof {
	if strings.Contains(text, "@") {
		if e, ok := extract.Email(text); ok {
			return bot.Proof{Email: e}
		}
		return bot.Proof{Email: text}
	}
	return bot.Proof{Postcode: text}
}

// canonicalOrder writes an order number as the shop's order format has it
// ("SP-482001"), reading it loosely ("sp482001"); a number the format
// does not describe is only trimmed and upper-cased.
func (b *Bot) canonicalOrder(slot, v string) string {
	v = strings.ToUpper(strings.TrimSpace(v))
	s := b.Slots[slot]
	if v == "" || s == nil || s.Pattern == nil {
		return v
	}
	f, ok := extract.OrderFormatOf(s.Pattern.String())
	if !ok {
		return v
	}
	var letters, digits strings.Builder
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z' && digits.Len() == 0:
			letters.WriteRune(r)
		}
	}
	if letters.String() != f.Prefix || digits.Len() != f.Digits {
		return v
	}
	return f.Prefix + f.Sep + digits.String()
}

// Bounds of what an order shows, whatever the system answered.
const (
	maxOrderText  = 120
	maxOrderItems = 10
)

// orderOutputs writes what the order says into the output slots: the
// dates as stored dates of the conversation's time zone, the texts
// cleaned and bounded, the tracking link only when it is http(s).
func (c *conv) orderOutputs(o *bot.Order, number string, out map[string]string) {
	loc := c.now.Location()
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02")
	}
	today := time.Date(c.now.Year(), c.now.Month(), c.now.Day(), 0, 0, 0, 0, loc)
	if o.Status.Known() {
		out["order_status"] = string(o.Status)
	} else {
		c.orders.log.Warn("order lookup: a status the flows do not know", "order", bot.OrderRef(number), "status", bot.CleanLine(string(o.Status), 40))
	}
	out["order_placed"], out["order_shipped"] = day(o.Placed), day(o.Shipped)
	out["order_delivered"], out["order_expected"] = day(o.Delivered), day(o.Expected)
	if !o.Delivered.IsZero() {
		d := o.Delivered.In(loc)
		out["order_delivered_days"] = strconv.Itoa(max(0, int(today.Sub(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)).Hours()/24)))
	}
	out["order_late"] = "no"
	switch o.Status {
	case bot.OrderPending, bot.OrderProcessing, bot.OrderShipped:
		if !o.Expected.IsZero() && o.Expected.In(loc).Before(today) {
			out["order_late"] = "yes"
		}
	}
	out["order_carrier"] = bot.CleanLine(o.Carrier, maxOrderText)
	out["order_total"] = bot.CleanLine(o.Total, 40)
	if bot.IsTrackingURL(o.TrackingURL) && len(o.TrackingURL) <= 2000 {
		out["order_tracking"] = o.TrackingURL
	} else if o.TrackingURL != "" {
		c.orders.log.Warn("order lookup: a tracking link that is not http(s) was dropped", "order", bot.OrderRef(number), "link", bot.LinkKind(o.TrackingURL))
	}
	var items []string
	for i, it := range o.Items {
		if i == maxOrderItems {
			items = append(items, "…")
			break
		}
		name := bot.CleanLine(it.Name, maxOrderText)
		if it.Quantity > 1 {
			name = strconv.Itoa(it.Quantity) + " × " + name
		}
		items = append(items, name)
		if out["order_product"] == "" {
			out["order_product"] = c.b.itemProduct(it)
		}
	}
	out["order_items"] = strings.Join(items, ", ")
	out["order_note"] = c.b.orderNote(number, out, c.lang)
}

// itemProduct is the catalogue's product of an order's item: the one the
// system names, else the one its name matches, else "".
func (b *Bot) itemProduct(it bot.OrderItem) string {
	if b.products[it.Product] != nil {
		return it.Product
	}
	if b.productCat == nil {
		return ""
	}
	if m, ok := b.productCat.Choice(bot.CleanLine(it.Name, maxOrderText)); ok && b.products[m.Value] != nil {
		return m.Value
	}
	return ""
}

// orderFills fills the flow's product and date slots from the order: the
// product when the order holds exactly one of the catalogue (of the
// customer's category, when they named one), and the purchase and
// delivery dates, unless the customer named a product the order does not
// hold: then the order is about something else, and nothing is filled.
func (c *conv) orderFills(st *Step, o *bot.Order, out map[string]string) {
	f := c.b.Flows[c.s.Flow]
	fill := func(arg, value string) {
		slot := orderArg(st, arg)
		if value == "" || c.b.Slots[slot] == nil || c.s.Slots[slot] == value {
			return
		}
		if s := c.b.Slots[slot]; s.Type == SlotDate || s.Type == SlotProduct {
			c.fill(f, slot, value, false)
		}
	}
	productSlot, categorySlot := orderArg(st, "product"), orderArg(st, "category")
	var products []string
	for _, it := range o.Items {
		if p := c.b.itemProduct(it); p != "" && !slices.Contains(products, p) {
			products = append(products, p)
		}
	}
	named := c.s.Slots[productSlot]
	if named != "" && c.b.Slots[productSlot] != nil {
		if !slices.Contains(products, named) {
			return
		}
	} else {
		if cat := c.s.Slots[categorySlot]; cat != "" && c.b.Slots[categorySlot] != nil {
			products = slices.DeleteFunc(products, func(p string) bool { return c.b.products[p].Category != cat })
			if len(products) == 0 {
				return
			}
		}
		if len(products) == 1 {
			fill("product", products[0])
		}
	}
	fill("purchase_date", out["order_placed"])
	fill("delivery_date", out["order_delivered"])
}

// orderNote writes order_note: what the order's status means, its
// contents, the carrier, when it arrives or was due, and the tracking
// link, each sentence only when the order says it.
func (b *Bot) orderNote(number string, out map[string]string, lang string) string {
	vars := map[string]string{"order_number": number}
	for k, v := range out {
		vars[k] = b.orderDisplay(k, v, lang)
	}
	status := out["order_status"]
	if status == "" {
		return ""
	}
	parts := []string{b.Text("order_note_"+status, lang, vars)}
	if out["order_items"] != "" {
		parts = append(parts, b.Text(TextOrderItems, lang, vars))
	}
	moving := status == string(bot.OrderShipped) || status == string(bot.OrderProcessing) || status == string(bot.OrderPending)
	if out["order_carrier"] != "" && (moving || status == string(bot.OrderDelivered)) {
		parts = append(parts, b.Text(TextOrderCarrier, lang, vars))
	}
	switch {
	case moving && out["order_late"] == "yes":
		parts = append(parts, b.Text(TextOrderLate, lang, vars))
	case moving && out["order_expected"] != "":
		parts = append(parts, b.Text(TextOrderExpected, lang, vars))
	}
	if out["order_tracking"] != "" && status != string(bot.OrderDelivered) && status != string(bot.OrderCancelled) &&
		status != string(bot.OrderRefunded) && status != string(bot.OrderReturned) {
		parts = append(parts, b.Text(TextOrderTracking, lang, vars))
	}
	return strings.Join(parts, " ")
}

// orderDisplay writes an output of order_lookup for a customer of lang
// (or the agents): dates as dates, the product by its name, the outcome
// and the status in words. ok is false for a slot that is none of them.
func (b *Bot) orderDisplay(name, value, lang string) string {
	if value == "" {
		return ""
	}
	switch name {
	case "order_placed", "order_shipped", "order_delivered", "order_expected":
		return formatDate(value, lang)
	case "order_product":
		if p := b.products[value]; p != nil {
			return p.Name
		}
	case "order_late":
		if value == "yes" {
			return b.text(TextButtonYes, lang)
		}
		return b.text(TextButtonNo, lang)
	case "order":
		return b.text("outcome_order_"+value, lang)
	case "order_status":
		return b.text("order_status_"+value, lang)
	}
	return value
}

// isOrderOutput reports whether name is an output slot of order_lookup.
func isOrderOutput(name string) bool {
	return slices.Contains(actionOutputs["order_lookup"], name)
}

// UsesAction reports whether a flow of b runs the built-in action name.
func (b *Bot) UsesAction(name string) bool {
	for _, f := range b.Flows {
		for _, st := range f.Steps {
			if st.Kind == StepAction && st.Action == name {
				return true
			}
		}
	}
	return false
}

// orderGuess starts the flow of the classifier's best guess, however
// weak, when the message names an order by its number and no defect or
// damage, and that flow asks for the order and decides no warranty:
// "the blender of SP-123456 was due on friday" is about that order, not
// a problem told of the product it names, nor a claim its date fits.
func (u *understanding) orderGuess() *Command {
	if u.b.orderSlot == "" || len(u.scores) == 0 || u.scores[0].Confidence < u.b.Threshold*0.6 ||
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder }) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	in := u.b.intents[u.scores[0].Intent]
	if in == nil || in.Flow == "" {
		return nil
	}
	if f := u.b.Flows[in.Flow]; f == nil || !f.asks(u.b.orderSlot) || f.checksWarranty() {
		return nil
	}
	return u.b.intentCommand(in, u.scores[0].Confidence)
}

// orderAsked starts the flow of the order a question names by its
// number, when it asks whether the order left or came, or where it is
// ("has SP-123456 shipped? I'm moving on friday", "è già partito
// SP-123456?", "SP-123456 dove si trova?") and tells
// no defect or damage: of the flows that ask for the order and decide
// no warranty, the one the classifier scores best, however weakly.
func (u *understanding) orderAsked() *Command {
	if !u.question || u.b.orderSlot == "" || !u.said.has(leftOrCamePhrases) ||
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder }) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	c, _ := u.scoredFlow(func(f *Flow) bool { return f.asks(u.b.orderSlot) && !f.checksWarranty() }, 0)
	return c
}

// orderClause starts the flow of an order's status for a clause of a
// longer message that names the order by its number and asks where it is
// or whether it left or came, read as its own ("hi, need to know where
// SP-123456 is, my email, and how long is the tv's warranty?"), when
// the first flow the classifier scores for that clause is one, however
// weakly: the values and the greeting beside it leave the classifier
// unsure ("ciao" reads as a greeting first), the number and the "where"
// are what tells, and the FAQ of the other clause must not take its
// place. A
// message that tells a defect or a damage, or asks to change or cancel,
// is left to the rules that read those.
func (u *understanding) orderClause() *Command {
	if u.b.orderSlot == "" || u.flow != nil || isCancelIn(u.said) || u.said.has(changePhrases) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	for _, ps := range u.splitSentences(clauseJoins) {
		for _, p := range ps {
			said := saying(p)
			if len(said.words) == len(u.words) || !said.has(leftOrCamePhrases) ||
				!slices.ContainsFunc(u.facts, func(f fact) bool {
					return f.kind == factOrder && f.slot == u.b.orderSlot && f.span != "" && strings.Contains(p, f.span)
				}) {
				continue
			}
			for _, sc := range u.classify(p) {
				in := u.b.intents[sc.Intent]
				if in == nil || in.Flow == "" {
					continue
				}
				if u.b.Flows[in.Flow].looksUpOrderOnly(u.b.orderSlot) {
					return u.b.intentCommand(in, sc.Confidence)
				}
				break
			}
		}
	}
	return nil
}

// scoredFlow returns the start of the flow that fits among those of the
// intents the classifier scores, the best scored first, at the threshold
// at least. It returns nil when none fits, and guessed when an intent of
// a flow that does not fit comes first with a score of stop or more
// (stop 0: it never does).
func (u *understanding) scoredFlow(fits func(*Flow) bool, stop float64) (c *Command, guessed bool) {
	for _, sc := range u.scores {
		in := u.b.intents[sc.Intent]
		if in == nil || in.Flow == "" {
			continue
		}
		if f := u.b.Flows[in.Flow]; f != nil && fits(f) {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: max(sc.Confidence, u.b.Threshold)}, false
		}
		if stop > 0 && sc.Confidence >= stop {
			return nil, true
		}
	}
	return nil, false
}

// leftOrCamePhrases ask whether an order left or came, or where it is
// ("sp482001 dove si trova?").
var leftOrCamePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" delivered ", " shipped ", " dispatched ", " arrived ", " arrive ", " left the warehouse ",
		" consegnato ", " consegnata ", " consegnati ", " spedito ", " spedita ", " spediti ", " arrivato ", " arrivata ",
		" arrivati ", " partito ", " partita ", " partiti ", " arriva ", " arrivera ",
		" where ", " wheres ", " whereabouts ", " dove ", " dov "} {
		add(p)
	}
})

// lookupAgain makes ready the lookup again when cmd gives a proof or an
// order number anew in a flow that went on without the order it did not
// match ("I can't find that order, let's go on", then "sorry, the
// postcode is 20131", or "sorry, wrong order, it's SP-200101"): with a
// new proof the number of that lookup comes back, and the flow goes back
// to the lookup, which counts as one more try; with a new number the
// proof of that lookup comes back (the customer gave it for the order
// they meant), unless the message gives another.
func (c *conv) lookupAgain(cmd Command) {
	f := c.b.Flows[c.s.Flow]
	tried := c.s.Vars[varOrderTried]
	if f == nil || tried == "" || cmd.Value == "" || c.s.Slots[actionOutputs["order_lookup"][0]] != OrderMismatch {
		return
	}
	for i, st := range f.Steps {
		if st.Kind != StepAction || st.Action != "order_lookup" {
			continue
		}
		switch number, proof := orderArg(st, "number"), orderArg(st, "proof"); {
		case cmd.Slot == number:
			if p := c.s.Vars[varProofTried]; p != "" && c.s.Slots[proof] == "" && cmd.Value != tried {
				c.s.SetSlot(proof, p)
				c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: proof, Value: p})
			}
			if c.s.Slots[proof] == "" && c.asksNext(number, proof) {
				// The same number again, where the flow asks the proof
				// next ("E l'email o il CAP usati per quell'ordine?"):
				// its own question, not the lookup's first one again.
				return
			}
		case cmd.Slot == proof && c.s.Slots[number] == "":
			c.s.SetSlot(number, tried)
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: number, Value: tried})
		default:
			continue
		}
		if c.redo < 0 || i < c.redo {
			c.redo = i
		}
		return
	}
}

// asksNext reports whether the step pending asks slot and the step after
// it asks next.
func (c *conv) asksNext(slot, next string) bool {
	f, st := c.current()
	if st == nil || st.Kind != StepAsk || st.Slot != slot {
		return false
	}
	i := f.index[c.s.Step]
	return i+1 < len(f.Steps) && f.Steps[i+1].Kind == StepAsk && f.Steps[i+1].Slot == next
}

// orderNamed starts the flow that looks an order up and decides nothing
// else (no warranty, no return) when the message names an order by its
// number, tells no defect or damage, asks to cancel or change nothing
// (a person's job, which no status answers), and the classifier, unsure of any intent, guesses no other flow: "status of
// SP-123456 please, postcode 20121", "where's SP-123456? it was due on
// friday". A number with nothing the classifier can tell is the
// order's; a fault, a cancellation, or a flow the classifier does guess
// at (as orderGuess reads a guess) says otherwise. Flows scored below a
// guess are noise: the number itself moves them.
func (u *understanding) orderNamed() *Command {
	if u.b.orderSlot == "" || u.flow != nil || isCancelIn(u.said) || u.said.has(changePhrases) ||
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder && f.slot == u.b.orderSlot }) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	// A guess at a flow that decides something else ends the search.
	if c, guessed := u.scoredFlow(func(f *Flow) bool { return f.looksUpOrderOnly(u.b.orderSlot) }, u.b.Threshold*0.6); c != nil || guessed {
		return c
	}
	// No flow of the order's status among the scores: the first.
	for _, in := range u.b.Intents {
		if f := u.b.Flows[in.Flow]; f != nil && f.looksUpOrderOnly(u.b.orderSlot) {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: u.b.Threshold}
		}
	}
	return nil
}

// looksUpOrderOnly reports whether f asks for the order (the slot
// orderSlot), looks it up, and decides neither a warranty nor a return:
// the flow of an order's status.
func (f *Flow) looksUpOrderOnly(orderSlot string) bool {
	return f.asks(orderSlot) && f.runs("order_lookup") && !f.runs("warranty_check") && !f.runs("return_check")
}

// changePhrases ask to change something of an order.
var changePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" change ", " modify ", " amend ", " edit ", " update the ", " update my ",
		" cambiare ", " cambiate ", " cambiarmi ", " modificare ", " modificate ", " modifica ", " correggere "} {
		add(p)
	}
})
