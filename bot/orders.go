package bot

import (
	"context"
	"errors"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Errors of an Orders system. Implementations wrap them; callers use
// errors.Is. A deadline that passes is context.DeadlineExceeded.
var (
	// ErrOrderNotFound: the shop has no order with that number.
	ErrOrderNotFound = errors.New("bot: no such order")
	// ErrShopUnavailable: the shop's system is down or answered with
	// something that is not an answer (a 5xx, HTML instead of JSON, a
	// body too big). Retrying later may work.
	ErrShopUnavailable = errors.New("bot: the shop's system is unavailable")
)

// Orders is the shop's order system (Shopify, WooCommerce, the shop's own
// backend through the documented HTTP contract, the demo's sample file),
// read-only. The dialogue checks the customer's proof of ownership
// (Order.Proves) before it shows anything of an order, so an
// implementation returns the order to whoever asks: it never decides who
// may see it.
//
// Implementations are safe for concurrent use, change nothing in the
// shop's system (the flow engine may look an order up again when it
// answers a message twice), and return as soon as ctx is done: the
// caller gives every lookup a deadline (3 s by default) and a lookup that
// outlives it is abandoned.
type Orders interface {
	// Order returns the order whose number is number, in the shop's
	// canonical form ("SP-482001"). It returns an error wrapping
	// ErrOrderNotFound when there is none, ErrShopUnavailable when the
	// system cannot answer, or the context's error when it is too slow.
	// The order returned belongs to the caller.
	Order(ctx context.Context, number string) (*Order, error)
}

// OrderStatus says where an order is.
type OrderStatus string

// The statuses every system's own are mapped to.
const (
	OrderPending    OrderStatus = "pending"    // placed, not paid or not confirmed yet
	OrderProcessing OrderStatus = "processing" // paid, being prepared
	OrderShipped    OrderStatus = "shipped"    // handed to the carrier
	OrderDelivered  OrderStatus = "delivered"
	OrderCancelled  OrderStatus = "cancelled"
	OrderRefunded   OrderStatus = "refunded"
	OrderReturned   OrderStatus = "returned"
	OrderLost       OrderStatus = "lost"    // the carrier lost it
	OrderDamaged    OrderStatus = "damaged" // the carrier reported it damaged
)

// OrderStatuses are every status of the bot, in the order of an order's
// life. A connector maps its system's statuses onto these; a file or a
// contract that names another is refused.
var OrderStatuses = []OrderStatus{OrderPending, OrderProcessing, OrderShipped, OrderDelivered,
	OrderCancelled, OrderRefunded, OrderReturned, OrderLost, OrderDamaged}

// Known reports whether s is one of OrderStatuses.
func (s OrderStatus) Known() bool { return slices.Contains(OrderStatuses, s) }

// OrderStatusNames lists OrderStatuses for an error message: "pending,
// processing, ...".
func OrderStatusNames() string {
	names := make([]string, len(OrderStatuses))
	for i, s := range OrderStatuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// An Order is what the shop's system knows of one order.
type Order struct {
	Number string
	Status OrderStatus
	Items  []OrderItem
	// Placed, Shipped and Delivered are zero when not (yet) known. The
	// flow engine reads their calendar day in its own time zone.
	Placed, Shipped, Delivered time.Time
	// Expected is the delivery the carrier expects, when known.
	Expected time.Time
	Carrier  string
	// TrackingURL is an http(s) link to follow the parcel, or "".
	TrackingURL string
	// Total is the amount paid, as "129.90 EUR".
	Total    string
	Customer OrderCustomer
}

// An OrderItem is one line of an order.
type OrderItem struct {
	Name     string
	SKU      string
	Quantity int
	// Product is the catalogue's product ID when the item matches one.
	// A system that does not know the catalogue leaves it empty: the flow
	// engine then matches Name against the catalogue itself.
	Product string
}

// OrderCustomer is who placed an order, for the proof of ownership.
type OrderCustomer struct {
	Name     string
	Email    string
	Postcode string
	Phone    string
}

// A Proof is what the customer gives to show an order is theirs.
type Proof struct {
	Email    string
	Postcode string
}

// Proves reports whether proof shows that the customer owns the order:
// the order's e-mail (compared without case and spaces) or its postcode
// (without case, spaces and hyphens: "1000-001" is "1000 001"). An empty
// proof proves nothing.
func (o *Order) Proves(p Proof) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	if e := norm(p.Email); e != "" && e == norm(o.Customer.Email) {
		return true
	}
	postcode := func(s string) string { return strings.ReplaceAll(norm(s), "-", "") }
	if c := postcode(p.Postcode); c != "" && c == postcode(o.Customer.Postcode) {
		return true
	}
	return false
}

// IsTrackingURL reports whether s is a link a customer may be given to
// follow a parcel: http or https, with a host, no credentials, nothing
// unprintable. A system's answer is data from outside: a javascript: or
// data: link in TrackingURL is never shown.
func IsTrackingURL(s string) bool {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// OrderKey is the form order numbers are compared in: letters
// upper-cased, digits, nothing else ("#sp 482001" is "SP482001"). Every
// order system compares the number asked with its own by it.
func OrderKey(number string) string {
	var b strings.Builder
	for _, r := range number {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}

// LoopbackHost reports whether host, the host of a shop system's URL, is
// this machine: localhost or a loopback address (not a name that starts
// with "127.", which anyone may register). The orders and the customers'
// details travel over plain http only to it (a test, a proxy beside the
// bot); anywhere else they need https.
func LoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
