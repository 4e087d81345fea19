package shopify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

// The queries of a lookup. Names and fields are the Admin API's
// (docs: objects Order, LineItem, Fulfillment, FulfillmentTrackingInfo).
// The customer's name comes from the addresses, so that read_orders is
// enough: Order.customer needs read_customers as well.
const (
	orderFields = `id
      name
      createdAt
      processedAt
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      returnStatus
      email
      phone
      shippingAddress { name zip phone }
      billingAddress { name zip }
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 50) { pageInfo { hasNextPage endCursor } nodes { name sku quantity } }
      fulfillments(first: 10) {
        status
        displayStatus
        createdAt
        inTransitAt
        deliveredAt
        estimatedDeliveryAt
        trackingInfo(first: 3) { company number url }
      }`
	// ordersQuery finds an order by its name. Shopify's search matches
	// words and their beginnings ("SP-12345" finds #SP-123456 as well,
	// "1001" #10011), so a search may find several: the first whole,
	// which is the one asked for most of the time, and the names of the
	// first 25, among which the asked one is looked for (orderQuery)
	// when the first is another; past them, namesQuery reads the next
	// names, a page a request, at most MaxNamePages in all.
	ordersQuery = `query OrderByName($query: String!) {
  orders(first: 1, query: $query) {
    nodes {
      ` + orderFields + `
    }
  }
  names: orders(first: 25, query: $query) { pageInfo { hasNextPage endCursor } nodes { id name } }
}`
	namesQuery = `query OrderNames($query: String!, $after: String!) {
  orders(first: 100, after: $after, query: $query) { pageInfo { hasNextPage endCursor } nodes { id name } }
}`
	// orderQuery reads one order by its ID.
	orderQuery = `query OrderByID($id: ID!) {
  order(id: $id) {
      ` + orderFields + `
  }
}`
	lineItemsQuery = `query OrderLineItems($id: ID!, $after: String!) {
  order(id: $id) {
    lineItems(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { name sku quantity } }
  }
}`
)

// answer is a GraphQL answer: data, errors, and the cost.
type answer struct {
	Data       json.RawMessage `json:"data"`
	Errors     gqlErrors       `json:"errors"`
	Extensions struct {
		Cost *cost `json:"cost"`
	} `json:"extensions"`
}

// gqlErrors are an answer's errors: a list of GraphQL errors, or, from
// the layers in front of GraphQL, a text ("[API] Invalid API key or
// access token") or an object.
type gqlErrors []gqlError

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

func (l *gqlErrors) UnmarshalJSON(b []byte) error {
	switch t := bytes.TrimSpace(b); {
	case len(t) == 0 || string(t) == "null":
		*l = nil
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return err
		}
		*l = gqlErrors{{Message: s}}
	case t[0] == '{':
		*l = gqlErrors{{Message: string(t)}}
	default:
		var list []gqlError
		if err := json.Unmarshal(t, &list); err != nil {
			return err
		}
		*l = list
	}
	return nil
}

func (l gqlErrors) String() string {
	var msgs []string
	for i, e := range l {
		if i == 3 {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(l)-i))
			break
		}
		m := bot.CleanLine(e.Message, 200)
		if e.Extensions.Code != "" {
			m = e.Extensions.Code + ": " + m
		}
		msgs = append(msgs, m)
	}
	return strings.Join(msgs, "; ")
}

// decodeAnswer reads an answer's JSON; what is not the API's JSON is the
// system failing.
func decodeAnswer(data []byte) (*answer, error) {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: an answer that is no JSON object", bot.ErrShopUnavailable)
	}
	var ans answer
	if err := json.Unmarshal(data, &ans); err != nil {
		return nil, fmt.Errorf("%w: an answer that is not the API's JSON: %v", bot.ErrShopUnavailable, err)
	}
	return &ans, nil
}

// decodeData reads an answer's data into v.
func decodeData(ans *answer, v any) error {
	if t := bytes.TrimSpace(ans.Data); len(t) == 0 || string(t) == "null" {
		return fmt.Errorf("%w: an answer with no data", bot.ErrShopUnavailable)
	}
	if err := json.Unmarshal(ans.Data, v); err != nil {
		return fmt.Errorf("%w: an answer whose data is not the API's: %v", bot.ErrShopUnavailable, err)
	}
	return nil
}

type ordersAnswer struct {
	Orders *struct {
		Nodes []orderNode `json:"nodes"`
	} `json:"orders"`
	Names *namesPage `json:"names"`
}

type namesAnswer struct {
	Names *namesPage `json:"orders"`
}

// namesPage is a page of the names a search found.
type namesPage struct {
	PageInfo pageInfo `json:"pageInfo"`
	Nodes    []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"nodes"`
}

// pageInfo is a connection's: whether a page follows, and from where.
type pageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

type orderAnswer struct {
	Order *orderNode `json:"order"`
}

type lineItemsAnswer struct {
	Order *struct {
		LineItems lineItems `json:"lineItems"`
	} `json:"order"`
}

type orderNode struct {
	ID                       string    `json:"id"`
	Name                     string    `json:"name"`
	CreatedAt                *dateTime `json:"createdAt"`
	ProcessedAt              *dateTime `json:"processedAt"`
	CancelledAt              *dateTime `json:"cancelledAt"`
	DisplayFinancialStatus   string    `json:"displayFinancialStatus"`
	DisplayFulfillmentStatus string    `json:"displayFulfillmentStatus"`
	ReturnStatus             string    `json:"returnStatus"`
	Email                    string    `json:"email"`
	Phone                    string    `json:"phone"`
	ShippingAddress          *address  `json:"shippingAddress"`
	BillingAddress           *address  `json:"billingAddress"`
	TotalPriceSet            *struct {
		ShopMoney struct {
			Amount       string `json:"amount"`
			CurrencyCode string `json:"currencyCode"`
		} `json:"shopMoney"`
	} `json:"totalPriceSet"`
	LineItems    lineItems     `json:"lineItems"`
	Fulfillments []fulfillment `json:"fulfillments"`

	items   []lineItem // every page's
	dropped string     // a tracking link order() dropped
}

type address struct {
	Name  string `json:"name"`
	Zip   string `json:"zip"`
	Phone string `json:"phone"`
}

type lineItems struct {
	PageInfo pageInfo   `json:"pageInfo"`
	Nodes    []lineItem `json:"nodes"`
}

type lineItem struct {
	Name     string `json:"name"`
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

type fulfillment struct {
	Status              string    `json:"status"`
	DisplayStatus       string    `json:"displayStatus"`
	CreatedAt           *dateTime `json:"createdAt"`
	InTransitAt         *dateTime `json:"inTransitAt"`
	DeliveredAt         *dateTime `json:"deliveredAt"`
	EstimatedDeliveryAt *dateTime `json:"estimatedDeliveryAt"`
	TrackingInfo        []struct {
		Company string `json:"company"`
		Number  string `json:"number"`
		URL     string `json:"url"`
	} `json:"trackingInfo"`
}

// dateTime is the API's DateTime, ISO 8601 ("2025-06-02T09:14:00Z"); an
// answer with another form is not the API's.
type dateTime struct{ time.Time }

func (d *dateTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a DateTime that is no string: %s", bot.CleanLine(string(b), 40))
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return fmt.Errorf("a DateTime that is not ISO 8601: %q", bot.CleanLine(s, 40))
	}
	d.Time = t
	return nil
}

// at returns the time of d, zero for none.
func (d *dateTime) at() time.Time {
	if d == nil {
		return time.Time{}
	}
	return d.Time
}

// Bounds of the texts an order holds; the flows bound what they show
// again.
const maxText = 200

// order maps the node to a bot.Order (package doc: the statuses).
func (o *orderNode) order() *bot.Order {
	out := &bot.Order{
		Number: bot.CleanLine(o.Name, 64),
		Placed: o.ProcessedAt.at(),
		Customer: bot.OrderCustomer{
			Email: bot.CleanLine(o.Email, maxText),
			Phone: bot.CleanLine(o.Phone, 40),
		},
	}
	if out.Placed.IsZero() {
		out.Placed = o.CreatedAt.at()
	}
	for _, a := range []*address{o.ShippingAddress, o.BillingAddress} {
		if a == nil {
			continue
		}
		if out.Customer.Name == "" {
			out.Customer.Name = bot.CleanLine(a.Name, maxText)
		}
		if out.Customer.Postcode == "" {
			out.Customer.Postcode = bot.CleanLine(a.Zip, 20)
		}
		if out.Customer.Phone == "" {
			out.Customer.Phone = bot.CleanLine(a.Phone, 40)
		}
	}
	if p := o.TotalPriceSet; p != nil && p.ShopMoney.Amount != "" {
		out.Total = bot.CleanLine(money(p.ShopMoney.Amount)+" "+p.ShopMoney.CurrencyCode, 40)
	}
	for _, it := range o.items {
		if len(out.Items) == MaxItems {
			break
		}
		out.Items = append(out.Items, bot.OrderItem{Name: bot.CleanLine(it.Name, maxText), SKU: bot.CleanLine(it.SKU, 64), Quantity: max(it.Quantity, 1)})
	}

	// The shipments that count, oldest first.
	var active, failed []fulfillment
	for _, f := range o.Fulfillments {
		switch {
		case f.Status == "CANCELLED" || f.DisplayStatus == "CANCELED" || f.DisplayStatus == "LABEL_VOIDED":
		case f.Status == "ERROR" || f.Status == "FAILURE" || f.DisplayStatus == "FAILURE" || f.DisplayStatus == "NOT_DELIVERED":
			failed = append(failed, f)
		default:
			active = append(active, f)
		}
	}
	byCreated := func(a, b fulfillment) int { return a.CreatedAt.at().Compare(b.CreatedAt.at()) }
	slices.SortStableFunc(active, byCreated)
	slices.SortStableFunc(failed, byCreated)
	moving, delivered := 0, 0 // of active: handed to the carrier, and arrived
	for _, f := range active {
		switch {
		case f.DisplayStatus == "DELIVERED" || f.DisplayStatus == "PICKED_UP" || f.DeliveredAt != nil && f.DisplayStatus == "":
			delivered++
			moving++
		case f.DisplayStatus == "LABEL_PRINTED" || f.DisplayStatus == "LABEL_PURCHASED" || f.DisplayStatus == "SUBMITTED":
		default:
			moving++
		}
	}
	out.Status = o.status(len(failed) > 0, moving, delivered, len(active))

	// Dates and tracking: of the shipments, when the order is on its way
	// or has arrived.
	shipments := active
	if out.Status == bot.OrderLost {
		shipments = append(slices.Clone(active), failed...)
	}
	for _, f := range shipments {
		left := f.InTransitAt.at()
		if left.IsZero() {
			left = f.CreatedAt.at()
		}
		if !left.IsZero() && (out.Shipped.IsZero() || left.Before(out.Shipped)) && out.Status != bot.OrderProcessing && out.Status != bot.OrderPending {
			out.Shipped = left
		}
		if d := f.DeliveredAt.at(); !d.IsZero() && out.Status == bot.OrderDelivered && d.After(out.Delivered) {
			out.Delivered = d
		}
		if e := f.EstimatedDeliveryAt.at(); !e.IsZero() && f.DeliveredAt == nil && out.Status == bot.OrderShipped && e.After(out.Expected) {
			out.Expected = e
		}
		// The latest shipment's tracking is the one to follow.
		for _, t := range f.TrackingInfo {
			if t.Company == "" && t.URL == "" {
				continue
			}
			out.Carrier, out.TrackingURL, o.dropped = bot.CleanLine(t.Company, maxText), "", ""
			switch {
			case bot.IsTrackingURL(t.URL) && len(t.URL) <= 2000:
				out.TrackingURL = t.URL
			case t.URL != "":
				o.dropped = t.URL
			}
			break
		}
	}
	if out.Status == bot.OrderDelivered && out.Delivered.IsZero() {
		// Delivered with no day said: the returns count from the day it
		// left, the earliest it can have arrived.
		out.Delivered = out.Shipped
	}
	return out
}

// status maps the order's statuses and its shipments' to bot's.
func (o *orderNode) status(failed bool, moving, delivered, active int) bot.OrderStatus {
	switch {
	case o.CancelledAt != nil:
		return bot.OrderCancelled
	case o.DisplayFinancialStatus == "REFUNDED":
		return bot.OrderRefunded
	case o.ReturnStatus == "RETURNED" || o.ReturnStatus == "INSPECTION_COMPLETE":
		return bot.OrderReturned
	case failed:
		return bot.OrderLost
	case active > 0 && delivered == active && o.DisplayFulfillmentStatus == "FULFILLED":
		return bot.OrderDelivered
	case moving > 0:
		return bot.OrderShipped
	case active > 0:
		return bot.OrderProcessing // a label, not yet with the carrier
	}
	switch o.DisplayFulfillmentStatus {
	case "ON_HOLD", "SCHEDULED", "IN_PROGRESS", "PENDING_FULFILLMENT":
		return bot.OrderProcessing
	}
	switch o.DisplayFinancialStatus {
	case "VOIDED":
		return bot.OrderCancelled
	case "PENDING", "EXPIRED", "":
		return bot.OrderPending
	}
	return bot.OrderProcessing // paid or authorised, not shipped yet
}

// money writes a Decimal amount with two decimals at least: "379.0" is
// "379.00".
func money(amount string) string {
	amount = strings.TrimSpace(amount)
	whole, frac, _ := strings.Cut(amount, ".")
	if whole == "" {
		whole = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	return whole + "." + frac
}
