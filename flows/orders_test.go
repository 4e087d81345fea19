package flows

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// fakeOrders is a shop system for the tests: orders by number, an error
// or a delay per number, and a count of the lookups.
type fakeOrders struct {
	mu     sync.Mutex
	orders map[string]*bot.Order
	errs   map[string]error
	// slow numbers answer after their delay, honouring ctx unless deaf.
	slow  map[string]time.Duration
	deaf  bool
	panic string // a number whose lookup panics
	calls []string
}

var _ bot.Orders = (*fakeOrders)(nil)

func (f *fakeOrders) Order(ctx context.Context, number string) (*bot.Order, error) {
	f.mu.Lock()
	f.calls = append(f.calls, number)
	o, err, d := f.orders[number], f.errs[number], f.slow[number]
	f.mu.Unlock()
	if number == f.panic {
		panic("the connector broke")
	}
	if d > 0 {
		if f.deaf {
			time.Sleep(d)
		} else {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return nil, fmt.Errorf("fake: %w", ctx.Err())
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, fmt.Errorf("fake: %s: %w", number, bot.ErrOrderNotFound)
	}
	c := *o
	return &c, nil
}

func (f *fakeOrders) lookups() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

var rome = func() *time.Location {
	l, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.FixedZone("CEST", 2*3600)
	}
	return l
}()

// june3 is the tests' today: a Tuesday morning in Rome.
var june3 = time.Date(2025, 6, 3, 10, 0, 0, 0, rome)

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t.Add(12 * time.Hour)
}

func sampleOrders() map[string]*bot.Order {
	giulia := bot.OrderCustomer{Name: "Giulia Bianchi", Email: "giulia.bianchi@example.it", Postcode: "20121"}
	marco := bot.OrderCustomer{Name: "Marco Rossi", Email: "marco.rossi@example.com", Postcode: "00184"}
	return map[string]*bot.Order{
		"SP-123456": {Number: "SP-123456", Status: bot.OrderShipped, Placed: day("2025-05-30"), Shipped: day("2025-06-02"),
			Expected: day("2025-06-05"), Carrier: "BRT", TrackingURL: "https://tracking.example.com/brt/SP-123456", Customer: giulia,
			Items: []bot.OrderItem{{Name: "Samsung Galaxy A55 5G 128GB", Quantity: 1, Product: "galaxy-a55"}}},
		"SP-200101": {Number: "SP-200101", Status: bot.OrderDelivered, Placed: day("2025-05-26"), Shipped: day("2025-05-27"),
			Delivered: day("2025-05-30"), Carrier: "GLS", Customer: marco,
			Items: []bot.OrderItem{{Name: "Dyson V8 Absolute", Quantity: 1}}},
		"SP-200102": {Number: "SP-200102", Status: bot.OrderDelivered, Placed: day("2025-03-10"), Delivered: day("2025-03-13"),
			Customer: marco, Items: []bot.OrderItem{{Name: "Apple MacBook Air 13\" M3", Quantity: 1}, {Name: "Custodia in neoprene", Quantity: 1}}},
		"SP-200103": {Number: "SP-200103", Status: bot.OrderShipped, Placed: day("2025-05-22"), Shipped: day("2025-05-23"),
			Expected: day("2025-05-28"), Carrier: "SDA", Customer: giulia, Items: []bot.OrderItem{{Name: "LG OLED 55\" C3", Quantity: 1}}},
		"SP-200104": {Number: "SP-200104", Status: bot.OrderLost, Placed: day("2025-05-19"), Shipped: day("2025-05-20"),
			Carrier: "Poste Italiane", Customer: giulia, Items: []bot.OrderItem{{Name: "Google Pixel 8", Quantity: 1}}},
		"SP-200105": {Number: "SP-200105", Status: bot.OrderDamaged, Placed: day("2025-05-27"), Shipped: day("2025-05-28"),
			Carrier: "BRT", Customer: giulia, Items: []bot.OrderItem{{Name: "Sony Bravia 43\" X75", Quantity: 1}}},
		"SP-200108": {Number: "SP-200108", Status: bot.OrderDelivered, Placed: day("2025-01-15"), Delivered: day("2025-01-17"),
			Customer: giulia, Items: []bot.OrderItem{{Name: "Apple iPhone 15 128GB", Quantity: 1}}},
	}
}

// orderDriver is a conversation with the demo shop connected to fake.
func orderDriver(t *testing.T, fake *fakeOrders, opt OrderOptions) (*driver, *bytes.Buffer) {
	t.Helper()
	if fake.orders == nil {
		fake.orders = sampleOrders()
	}
	var logs bytes.Buffer
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	}
	d := newDriver(t, mustShop(t), june3)
	d.r.SetOrders(fake, opt)
	return d, &logs
}

// lookupEvents returns the values of the turn's order lookups.
func (d *driver) lookupEvents() []string {
	var out []string
	for _, e := range d.last.Events {
		if e.Type == bot.EventLookup && e.Action == EventLookupOrder {
			out = append(out, e.Value+" "+e.Text)
		}
	}
	return out
}

func TestOrderStatusIsAnsweredByTheBotWithDatesAndTracking(t *testing.T) {
	fake := &fakeOrders{}
	d, _ := orderDriver(t, fake, OrderOptions{})
	out := d.say("dov'è il mio ordine SP-123456?")
	contains(t, out, "email", "CAP")
	for _, secret := range []string{"BRT", "02/06/2025", "tracking.example.com", "Galaxy"} {
		if strings.Contains(out, secret) {
			t.Errorf("before the proof the bot said %q: %q", secret, out)
		}
	}
	if n := len(fake.lookups()); n != 0 {
		t.Errorf("%d lookups before the proof, want none", n)
	}
	out = d.say("giulia.bianchi@example.it")
	contains(t, out, "SP-123456", "partito il 02/06/2025", "prevista per il 05/06/2025", "BRT",
		"https://tracking.example.com/brt/SP-123456", "Samsung Galaxy A55")
	if d.last.Handoff != nil || d.s.Flow != "" {
		t.Errorf("handoff %+v, flow %q: the bot should have answered by itself and ended the flow", d.last.Handoff, d.s.Flow)
	}
	if got := d.lookupEvents(); len(got) != 1 || got[0] != "found SP-123456" {
		t.Errorf("lookup events %v, want one found", got)
	}
	if !d.hasEvent(bot.EventAction, "order_lookup=found") {
		t.Error("no order_lookup=found action event")
	}
	if got := fake.lookups(); len(got) != 1 || got[0] != "SP-123456" {
		t.Errorf("lookups %v, want SP-123456 once", got)
	}
}

func TestOrderStatusInEnglishWithThePostcodeInTheFirstMessage(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	out := d.say("where is my order SP-123456? my postcode is 20121")
	contains(t, out, "left our warehouse on 2 June 2025", "expected on 5 June 2025", "https://tracking.example.com/brt/SP-123456")
	if d.last.Handoff != nil {
		t.Errorf("handed off: %+v", d.last.Handoff)
	}
}

func TestOrderNumbersInLooseFormsAreLookedUpInTheShopsForm(t *testing.T) {
	for _, written := range []string{"SP-123456", "sp 123456", "#SP-123456", "sp123456", "123456"} {
		t.Run(written, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			contains(t, d.say("dov'è il mio ordine?"), "numero d'ordine")
			d.say(written)
			contains(t, d.say("20121"), "partito il 02/06/2025")
			if got := fake.lookups(); len(got) != 1 || got[0] != "SP-123456" {
				t.Errorf("lookups %v, want SP-123456", got)
			}
		})
	}
}

func TestNotFoundAndNotTheirsReadTheSameToTheCustomer(t *testing.T) {
	say := func(number, proof string) (string, []string) {
		d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.say("dov'è il mio ordine " + number + "?")
		return d.say(proof), d.lookupEvents()
	}
	unknown, ev1 := say("SP-999000", "giulia.bianchi@example.it")
	notTheirs, ev2 := say("SP-200101", "giulia.bianchi@example.it")
	if unknown != notTheirs {
		t.Errorf("the customer can tell them apart:\n no such order: %q\n not theirs:    %q", unknown, notTheirs)
	}
	contains(t, notTheirs, "non trovo un ordine con questo numero e questi dati", "numero d'ordine")
	if strings.Contains(notTheirs, "GLS") || strings.Contains(notTheirs, "Dyson") || strings.Contains(notTheirs, "30/05") {
		t.Errorf("a detail of someone else's order was shown: %q", notTheirs)
	}
	if len(ev1) != 1 || ev1[0] != "not_found SP-999000" || len(ev2) != 1 || ev2[0] != "not_owner SP-200101" {
		t.Errorf("the transcript should tell the agents: %v, %v", ev1, ev2)
	}
}

func TestFailedProofsLockTheConversationAndOfferAPerson(t *testing.T) {
	fake := &fakeOrders{}
	d, logs := orderDriver(t, fake, OrderOptions{})
	d.say("dov'è il mio ordine?")
	for i, guess := range []string{"20122", "20123"} {
		d.say("SP-123456")
		out := d.say(guess)
		contains(t, out, "non trovo un ordine")
		if d.s.Vars[varOrderFailures] != fmt.Sprint(i+1) {
			t.Errorf("failures %q after %d wrong proofs", d.s.Vars[varOrderFailures], i+1)
		}
	}
	d.say("SP-123456")
	out := d.say("20124")
	contains(t, out, "non posso fare altre verifiche")
	if p := d.s.Vars[varProofTried]; p != "" {
		t.Errorf("the session keeps the last wrong proof %q of a locked conversation, which no lookup will try", p)
	}
	if bs := d.buttons(); len(bs) != 1 || bs[0] != "Parla con una persona" {
		t.Errorf("buttons %v, want a person offered", bs)
	}
	if d.last.Handoff != nil {
		t.Error("handed off without the customer asking")
	}
	// The right proof now is not even tried: the conversation is locked.
	before := len(fake.lookups())
	d.say("dov'è il mio ordine SP-123456?")
	d.say("20121")
	if len(fake.lookups()) != before {
		t.Errorf("a locked conversation still looked up orders: %v", fake.lookups())
	}
	if got := d.lookupEvents(); len(got) != 1 || got[0] != "locked SP-123456" {
		t.Errorf("lookup events %v, want locked", got)
	}
	contains(t, logs.String(), "order proof failed", "failures=3", "order lookups locked")
	if strings.Contains(logs.String(), "20124") {
		t.Error("the log holds the customer's proof")
	}
	out = d.press("Parla con una persona")
	if d.last.Handoff == nil || d.last.Handoff.Team != "support" {
		t.Errorf("the person offered did not come: %q %+v", out, d.last.Handoff)
	}
}

func TestLateLostAndDamagedOrdersGoToAPersonWithTheOrder(t *testing.T) {
	for _, tc := range []struct{ number, says, summary string }{
		{"SP-200103", "è in ritardo", "Ordine: SP-200103 (spedito)"},
		{"SP-200104", "è andato perso", "Ordine: SP-200104 (perso dal corriere)"},
		{"SP-200105", "è stato danneggiato", "Ordine: SP-200105 (danneggiato dal corriere)"},
	} {
		t.Run(tc.number, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.say("il mio pacco " + tc.number + " non è arrivato")
			out := d.say("giulia.bianchi@example.it")
			contains(t, out, tc.says, "Assistenza")
			h := d.last.Handoff
			if h == nil || h.Team != "support" {
				t.Fatalf("handoff %+v, want support", h)
			}
			if !containsLine(h.Summary, tc.summary) {
				t.Errorf("summary %q lacks %q", h.Summary, tc.summary)
			}
		})
	}
}

// A claim whose order the system reads as lost or broken by the carrier
// is the carrier's: the bot asks nothing of the warranty and hands the
// order to a person, whatever the customer took it for (the card in the
// language of the team).
func TestAClaimOfAnOrderTheCarrierBrokeIsTheCarriers(t *testing.T) {
	for _, tc := range []struct{ name, hint, text, proof, says, summary string }{
		{name: "damaged, it", hint: "it", text: "la tv ha lo schermo crepato, il numero d'ordine è SP-200105",
			proof: "giulia.bianchi@example.it", says: "danneggiato", summary: "Ordine: SP-200105 (danneggiato dal corriere)"},
		{name: "lost, en", hint: "en", text: "my pixel is broken and won't power on, order SP-200104",
			proof: "20121", says: "carrier", summary: "Ordine: SP-200104 (perso dal corriere)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.text)
			if d.s.Flow != "warranty" {
				t.Fatalf("flow %q: want the claim to look the order up", d.s.Flow)
			}
			contains(t, d.say(tc.proof), tc.says)
			h := d.last.Handoff
			if h == nil || h.Team != "support" || !containsLine(h.Summary, tc.summary) {
				t.Fatalf("handoff %+v, want support with %q", h, tc.summary)
			}
			if _, asked := d.s.Slots["buyer"]; asked || d.s.Slots["warranty"] != "" {
				t.Errorf("slots %v: want no question or verdict of the warranty", d.s.Slots)
			}
		})
	}
}

func TestSystemFailuresTellTheCustomerAndGoToAPerson(t *testing.T) {
	const n = "SP-123456"
	for _, tc := range []struct {
		name   string
		fake   *fakeOrders
		lookup string
	}{
		{"too slow", &fakeOrders{slow: map[string]time.Duration{n: time.Minute}}, LookupTimeout},
		{"deaf to its deadline", &fakeOrders{slow: map[string]time.Duration{n: 2 * time.Second}, deaf: true}, LookupTimeout},
		{"down (a 500)", &fakeOrders{errs: map[string]error{n: fmt.Errorf("http: 500 Internal Server Error: %w", bot.ErrShopUnavailable)}}, LookupUnavailable},
		{"HTML instead of JSON", &fakeOrders{errs: map[string]error{n: fmt.Errorf("answered text/html, not JSON: %w", bot.ErrShopUnavailable)}}, LookupUnavailable},
		{"an answer too big", &fakeOrders{errs: map[string]error{n: fmt.Errorf("answer over 1 MiB: %w", bot.ErrShopUnavailable)}}, LookupUnavailable},
		{"an unexpected error", &fakeOrders{errs: map[string]error{n: errors.New("decode: unexpected end of JSON input")}}, LookupError},
		{"a panic", &fakeOrders{panic: n}, LookupError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, logs := orderDriver(t, tc.fake, OrderOptions{Timeout: 100 * time.Millisecond})
			d.say("dov'è il mio ordine SP-123456?")
			start := time.Now()
			out := d.say("giulia.bianchi@example.it")
			if took := time.Since(start); took > time.Second {
				t.Errorf("the reply took %v, past the lookup's deadline", took)
			}
			contains(t, out, "non riesco a consultare gli ordini", "SP-123456")
			h := d.last.Handoff
			if h == nil || h.Team != "support" || !containsLine(h.Summary, "Ordine: SP-123456") {
				t.Fatalf("handoff %+v, want support with the order", h)
			}
			if !containsLine(h.Summary, "Verifica data dal cliente: GIULIA.BIANCHI@EXAMPLE.IT") {
				t.Errorf("the case lacks the proof the customer gave: %q", h.Summary)
			}
			if got := d.lookupEvents(); len(got) != 1 || got[0] != tc.lookup+" "+n {
				t.Errorf("lookup events %v, want %s", got, tc.lookup)
			}
			contains(t, logs.String(), "order lookup failed", "lookup="+tc.lookup)
		})
	}
}

func TestATrackingLinkThatIsNotHTTPIsNeverShown(t *testing.T) {
	for _, link := range []string{"javascript:alert(document.cookie)", "data:text/html,<script>x</script>", "ftp://example.com/x", "https://", "https://a b.example"} {
		t.Run(link, func(t *testing.T) {
			fake := &fakeOrders{orders: sampleOrders()}
			fake.orders["SP-123456"].TrackingURL = link
			d, logs := orderDriver(t, fake, OrderOptions{})
			d.say("dov'è il mio ordine SP-123456?")
			out := d.say("20121")
			contains(t, out, "partito il 02/06/2025")
			if strings.Contains(out, link) || strings.Contains(out, "seguire il pacco") {
				t.Errorf("the link was shown: %q", out)
			}
			contains(t, logs.String(), "tracking link that is not http(s) was dropped")
		})
	}
}

func TestLookupsOverTheirRateAreRefused(t *testing.T) {
	refuse := func(context.Context, string) (bool, error) { return false, nil }
	fake := &fakeOrders{}
	d, _ := orderDriver(t, fake, OrderOptions{Conversation: refuse})
	d.say("dov'è il mio ordine SP-123456?")
	contains(t, d.say("20121"), "non posso fare altre verifiche")
	if d.lookupEvents()[0] != "limited SP-123456" {
		t.Errorf("events %v", d.lookupEvents())
	}
	busy := &fakeOrders{}
	d, _ = orderDriver(t, busy, OrderOptions{Shop: func(context.Context) (bool, error) { return false, nil }})
	d.say("dov'è il mio ordine SP-123456?")
	contains(t, d.say("20121"), "non riesco a consultare")
	if d.lookupEvents()[0] != "busy SP-123456" {
		t.Errorf("events %v", d.lookupEvents())
	}
	if len(fake.lookups())+len(busy.lookups()) != 0 {
		t.Errorf("refused lookups reached the system: %v %v", fake.lookups(), busy.lookups())
	}
}

// A limit that cannot be read (the store that counts them is down, or too
// slow) refuses the lookup: the customer is told that orders cannot be
// looked up now and goes to a person, the system is not asked, and the
// log has the error but neither the proof nor the conversation's words.
func TestLookupsWhoseLimitsFailAreRefused(t *testing.T) {
	down := errors.New("redis: count orders:proof:x: connection refused")
	slow := func(ctx context.Context) (bool, error) { <-ctx.Done(); return false, ctx.Err() }
	for _, tc := range []struct {
		name string
		opt  OrderOptions
	}{
		{"conversation", OrderOptions{Conversation: func(context.Context, string) (bool, error) { return false, down }}},
		{"order", OrderOptions{Order: func(context.Context, string) (bool, error) { return true, down }}},
		{"shop", OrderOptions{Shop: func(context.Context) (bool, error) { return true, down }}},
		{"shop too slow", OrderOptions{Timeout: 100 * time.Millisecond, Shop: slow}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeOrders{}
			d, logs := orderDriver(t, fake, tc.opt)
			d.say("dov'è il mio ordine SP-123456?")
			out := d.say("20121")
			contains(t, out, "non riesco a consultare")
			if strings.Contains(out, "BRT") {
				t.Errorf("the order was shown: %q", out)
			}
			if len(fake.lookups()) != 0 {
				t.Errorf("the system was asked: %v", fake.lookups())
			}
			if got := d.lookupEvents(); len(got) != 1 || got[0] != "error SP-123456" {
				t.Errorf("lookup events %v, want error", got)
			}
			contains(t, logs.String(), "its limits could not be read")
			if strings.Contains(logs.String(), "20121") {
				t.Error("the log holds the customer's proof")
			}
		})
	}
	// A failed proof that cannot be counted for the order is still a
	// failed proof of the conversation: the customer is asked again.
	d, logs := orderDriver(t, &fakeOrders{}, OrderOptions{
		Order:  func(context.Context, string) (bool, error) { return true, nil },
		Failed: func(context.Context, string) error { return down },
	})
	d.say("dov'è il mio ordine SP-123456?")
	contains(t, d.say("20199"), "non trovo un ordine")
	contains(t, logs.String(), "could not count it for the order")
}

func TestWithoutASystemTheOrderGoesToAPersonAsBefore(t *testing.T) {
	d := newDriver(t, mustShop(t), june3)
	d.say("dov'è il mio ordine?")
	out := d.say("SP-123456")
	contains(t, out, "Ti passo al team Assistenza con l'ordine SP-123456")
	if d.last.Handoff == nil {
		t.Fatal("no handoff")
	}
	if !d.hasEvent(bot.EventAction, "order_lookup=off") {
		t.Error("no order_lookup=off event")
	}
}

func TestAReturnTakesTheDeliveryDateFromTheOrder(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	contains(t, d.say("voglio fare un reso, ordine SP-200101"), "email", "CAP")
	out := d.say("marco.rossi@example.com")
	contains(t, out, "ancora nei 14 giorni", "13/06/2025")
	if d.s.Slots["delivery_date"] != "2025-05-30" || d.s.Slots["return"] != ReturnOpen {
		t.Errorf("slots %v: want the delivery date of the order and the return open", d.s.Slots)
	}
	d.say("sì")
	out = d.say("non mi piace il colore")
	if d.last.Handoff == nil || !containsLine(d.last.Handoff.Summary, "Consegnato: 30/05/2025") || !containsLine(d.last.Handoff.Summary, "Contenuto: Dyson V8 Absolute") {
		t.Errorf("handoff %+v after %q", d.last.Handoff, out)
	}
}

func TestAReturnPastTheWithdrawalPeriodIsClosedFromTheOrder(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	d.say("I'd like to return order SP-200102")
	out := d.say("00184")
	contains(t, out, "ended on 27 March 2025", "can no longer open a return")
	if d.last.Handoff != nil || d.s.Slots["return"] != ReturnClosed {
		t.Errorf("handoff %+v, return %q: want closed, no case", d.last.Handoff, d.s.Slots["return"])
	}
}

func TestAWarrantyClaimTakesTheProductAndTheDateFromTheOrder(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	out := d.say("il mio telefono non si accende più, l'ordine era SP-200108")
	contains(t, out, "email", "CAP")
	out = d.say("20121")
	if d.s.Slots["product"] != "iphone-15" || d.s.Slots["purchase_date"] != "2025-01-15" {
		t.Fatalf("slots %v: want the product and the purchase date of the order", d.s.Slots)
	}
	contains(t, out, "privato o come azienda")
	out = d.press("Privato")
	contains(t, out, "in garanzia", "15/01/2027")
	if d.last.Handoff == nil || !containsLine(d.last.Handoff.Summary, "Prodotto: Apple iPhone 15") {
		t.Errorf("handoff %+v", d.last.Handoff)
	}
}

func TestAWarrantyClaimForAProductTheOrderDoesNotHoldAsksTheDate(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.say("il mio pixel 8 non si accende, ordine SP-200108")
	out := d.say("20121")
	if d.s.Slots["product"] != "pixel-8" || d.s.Slots["purchase_date"] != "" {
		t.Errorf("slots %v: the order holds an iPhone, not the Pixel: nothing of it may fill the claim", d.s.Slots)
	}
	contains(t, out, "quando l'hai acquistato")
}

func TestAnOrderProvenOnceIsNotAskedAgainInTheConversation(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.say("dov'è il mio ordine SP-200101?")
	contains(t, d.say("00184"), "consegnato il 30/05/2025")
	out := d.say("voglio fare un reso, ordine SP-200101")
	contains(t, out, "ancora nei 14 giorni")
	if strings.Contains(out, "CAP") {
		t.Errorf("the proof was asked again: %q", out)
	}
}

// The demo remembers the proof for the conversation: a second order of
// the same customer is checked with it; another customer's order (a
// partner's, bought with another e-mail) gets its own proof asked for,
// not "no order with these details", and counts no failed proof.
func TestASecondOrderWithAnotherProofAsksForIt(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.say("dov'è il mio ordine SP-123456?")
	contains(t, d.say("giulia.bianchi@example.it"), "partito il 02/06/2025")
	contains(t, d.say("e l'ordine SP-200103?"), "SDA") // Giulia's too: no proof asked
	out := d.say("e l'ordine SP-200101?")              // Marco's
	contains(t, out, "CAP")
	if strings.Contains(out, "Non trovo") {
		t.Errorf("another customer's order was refused before its proof was asked: %q", out)
	}
	contains(t, d.say("00184"), "consegnato il 30/05/2025")
	if got := d.s.Vars[varOrderFailures]; got != "" {
		t.Errorf("failed proofs = %q, want none", got)
	}
}

func TestOrderLookupValidation(t *testing.T) {
	base := `name: S
languages: [en]
intents:
  o: {flow: o, examples: {en: [where is my order]}}
teams: {support: {name: Support}}
slots:
  order_number: {type: pattern, pattern: '(?i)\bsp-?\d{6}\b'}
`
	for _, tc := range []struct{ name, src, want string }{
		{"no proof slot", base + `flows:
  o:
    steps:
      - ask: order_number
        prompt: {en: "Number?"}
      - action: order_lookup
`, `action order_lookup reads slot "order_proof" for its proof`},
		{"a status it cannot have", base + `  order_proof: {type: email}
flows:
  o:
    steps:
      - ask: order_number
        prompt: {en: "Number?"}
      - action: order_lookup
      - branch:
          - if: order_status == shiped
            goto: x
      - id: x
        say: {en: ok}
`, `"shiped" is not a value of slot order_status`},
		{"an outcome it cannot have", base + `  order_proof: {type: email}
flows:
  o:
    steps:
      - ask: order_number
        prompt: {en: "Number?"}
      - action: order_lookup
      - branch:
          - if: order == fund
            goto: x
      - id: x
        say: {en: ok}
`, `"fund" is not a value of slot order (found, needs_proof`},
		{"a slot named as an output", base + `  order_proof: {type: email}
  order_note: {type: text}
flows:
  o:
    steps:
      - ask: order_number
        prompt: {en: "Number?"}
      - action: order_lookup
`, `slot "order_note" is set by action order_lookup`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("errors:\n%v\nwant one with %q", err, tc.want)
			}
		})
	}
}

func TestTheOrderOutputsAreWrittenForTheCustomer(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.say("dov'è il mio ordine SP-200103?")
	d.say("20121")
	want := map[string]string{
		"order": "found", "order_status": "shipped", "order_shipped": "2025-05-23", "order_expected": "2025-05-28",
		"order_late": "yes", "order_carrier": "SDA", "order_product": "lg-oled-55", "order_items": "LG OLED 55\" C3",
	}
	for k, v := range want {
		if d.s.Slots[k] != v {
			t.Errorf("%s = %q, want %q", k, d.s.Slots[k], v)
		}
	}
	b := d.r.Bot()
	for _, tc := range []struct{ slot, value, lang, want string }{
		{"order_expected", "2025-05-28", "it", "28/05/2025"},
		{"order_expected", "2025-05-28", "en", "28 May 2025"},
		{"order_product", "lg-oled-55", "it", `LG OLED 55" C3`},
		{"order", "mismatch", "it", "numero o verifica non corrispondenti"},
		{"order_status", "lost", "en", "lost by the carrier"},
		{"order_late", "yes", "it", "Sì"},
	} {
		if got := b.display(tc.slot, tc.value, tc.lang); got != tc.want {
			t.Errorf("display(%s=%s, %s) = %q, want %q", tc.slot, tc.value, tc.lang, got, tc.want)
		}
	}
}

// TestANumberCorrectedWhileTheProofIsAsked: asked for the proof of an
// order, the customer who corrects its number gets the order they meant
// looked up, not the one they mistyped.
func TestANumberCorrectedWhileTheProofIsAsked(t *testing.T) {
	for _, tc := range []struct{ name, first, correction, number, proof, reply string }{
		{"it", "dov'è il mio ordine SP-123456?", "scusa ho sbagliato, il numero giusto è SP-200101", "SP-200101", "00184", "consegnato"},
		{"en", "where is my order SP-123465?", "oops, typo, it's SP-123456", "SP-123456", "20121", "left our warehouse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.say(tc.first)
			contains(t, d.say(tc.correction), tc.number)
			contains(t, d.say(tc.proof), tc.number, tc.reply)
			if got := fake.lookups(); len(got) != 1 || got[0] != tc.number {
				t.Errorf("lookups %v, want one of %s, the number the customer corrected", got, tc.number)
			}
		})
	}
}

func TestAMistypedOrderNumberIsNoPostcode(t *testing.T) {
	fake := &fakeOrders{}
	d, _ := orderDriver(t, fake, OrderOptions{})
	d.say("dov'è il mio ordine?")
	out := d.say("è 98765")
	contains(t, out, "SP e sei cifre")
	if v, ok := d.s.Slots["order_proof"]; ok {
		t.Errorf("the mistyped order number became the proof %q", v)
	}
	contains(t, d.say("SP-123456"), "l'email usata per l'ordine")
	if len(fake.lookups()) != 0 || d.s.Vars[varOrderFailures] != "" {
		t.Errorf("lookups %v, failures %q: want none before the customer gave a proof", fake.lookups(), d.s.Vars[varOrderFailures])
	}
}

// An order number told out of turn, while the claim asks the purchase
// date, is looked up: the order tells the date, which is not asked
// again, and the claim goes on from there.
func TestOrderToldForThePurchaseDate(t *testing.T) {
	for _, tc := range []struct {
		name, hint, opening, order, want string
	}{
		{name: "italian", hint: "it", opening: "il mio iphone 15 non si carica più",
			order: "c'è l'ordine SP-200108 col cap 20121", want: "privato o come azienda"},
		{name: "english", hint: "en", opening: "my iphone 15 keeps rebooting",
			order: "order SP-200108, email giulia.bianchi@example.it", want: "private customer or as a business"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.opening)
			if d.s.Step == "" || d.s.Flow != "warranty" {
				t.Fatalf("flow %q step %q after the opening", d.s.Flow, d.s.Step)
			}
			contains(t, d.say(tc.order), "SP-200108", tc.want)
			if d.s.Flow != "warranty" || d.s.Slots["purchase_date"] != "2025-01-15" {
				t.Fatalf("flow %q, purchase date %q: want the claim, the date of the order", d.s.Flow, d.s.Slots["purchase_date"])
			}
		})
	}
}

// The delivery date not known, the order number instead: the order is
// looked up, and its delivery decides the return.
func TestOrderToldForTheDeliveryDate(t *testing.T) {
	for _, tc := range []struct {
		name, hint, start, yes, order, proof, want string
	}{
		{name: "italian", hint: "it", start: "devo fare un reso", yes: "sì",
			order: "non ricordo il giorno, però l'ordine è SP-200101", proof: "00184", want: "entro il 13/06/2025"},
		{name: "english", hint: "en", start: "how do I send something back?", yes: "yes",
			order: "not sure when, the order number is SP-200101", proof: "marco.rossi@example.com", want: "until 13 June 2025"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.start)
			d.say(tc.yes)
			if d.s.Flow != "returns" || d.s.Step == "" {
				t.Fatalf("flow %q step %q: want the return asking", d.s.Flow, d.s.Step)
			}
			d.say(tc.order)
			contains(t, d.say(tc.proof), tc.want)
			if d.s.Slots["return"] != "open" || d.s.Slots["delivery_date"] != "2025-05-30" {
				t.Errorf("return %q, delivery %q: want open from the order's delivery", d.s.Slots["return"], d.s.Slots["delivery_date"])
			}
		})
	}
}

// The order given at "start a return?" says yes to it, and the order is
// looked up: its delivery decides the return, and the bot does not ask
// when it came. A bare yes at the reason's question tells no reason.
func TestOrderGivenAtStartReturn(t *testing.T) {
	for _, tc := range []struct {
		name, hint, start, order, want, why, yes string
	}{
		{name: "italian", hint: "it", start: "vorrei restituire una cosa",
			order: "ecco l'ordine SP-200101, marco.rossi@example.com", want: "entro il 13/06/2025", why: "Perché", yes: "si"},
		{name: "english", hint: "en", start: "i'd like to send something back",
			order: "order number SP-200101, postcode 00184", want: "until 13 June 2025", why: "Why", yes: "yes"},
		{name: "no accents", hint: "it", start: "voglio rendere un prodotto",
			order: "ordine sp200101 cap 00184", want: "entro il 13/06/2025", why: "Perché", yes: "ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.start)
			if d.s.Flow != "returns" || d.s.Slots["start_return"] != "" {
				t.Fatalf("flow %q, start %q: want the return asking whether to start it", d.s.Flow, d.s.Slots["start_return"])
			}
			contains(t, d.say(tc.order), tc.want, tc.why)
			if d.s.Slots["return"] != "open" || d.s.Slots["delivery_date"] != "2025-05-30" {
				t.Fatalf("return %q, delivery %q: want open from the order's delivery", d.s.Slots["return"], d.s.Slots["delivery_date"])
			}
			d.say(tc.yes)
			if d.last.Handoff != nil || d.s.Slots["return_reason"] != "" {
				t.Errorf("reason %q, handoff %v: a bare %q tells no reason", d.s.Slots["return_reason"], d.last.Handoff != nil, tc.yes)
			}
		})
	}
}

// A message that names an order by its number and a product, with no
// defect, is about that order when the classifier's guess, however
// weak, is: not a problem told of the product, nor a claim its date
// fits; nor is a question whether it left or came, or where it is,
// whatever else the message tells. A defect beside the number still opens a claim.
func TestOrderNamedGoesToItsFlow(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ name, lang, text, want string }{
		{name: "late, it", lang: "it", text: "mi dovevate consegnare la tv ieri, ordine SP-778899", want: "start_flow(order_status"},
		{name: "a defect, it", lang: "it", text: "ordine SP-778899, la tv non si accende più", want: "start_flow(warranty"},
		{name: "a defect, en", lang: "en", text: "order SP-778899: the blender stopped working yesterday", want: "start_flow(warranty"},
		{name: "left yet, en", lang: "en", text: "did SP-778899 get shipped? no rush, thanks", want: "start_flow(order_status"},
		{name: "came, it", lang: "it", text: "è arrivato SP-778899? sono in ferie fino a lunedì", want: "start_flow(order_status"},
		{name: "where, it", lang: "it", text: "sp778899 dove si trova? la mia mail è luca.bianchi@example.it", want: "start_flow(order_status"},
		{name: "where with the postcode, it", lang: "it", text: "sp300300 dove si trova? il cap è 20121", want: "start_flow(order_status"},
		{name: "where, en", lang: "en", text: "sp300300 where is it? the email is jo.smith@example.com", want: "start_flow(order_status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s first", got, tc.want)
			}
		})
	}
}

// TestCameBrokenIsTheParcels: a product broken on the way, told with the
// order's number (the parcel came dented and what is inside it cracked,
// or it arrived with a cracked screen), is the order's matter: its status
// says what the carrier reported, and no claim is started or queued.
func TestCameBrokenIsTheParcels(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"it", "il pacco SP-200103 è arrivato tutto schiacciato e il telefono dentro ha il vetro crepato"},
		{"it", "il pacco SP-200103 è arrivato tutto rovinato e il frullatore dentro è crepato"},
		{"en", "the parcel SP-200103 arrived all dented and the blender inside is cracked"},
		{"en", "order SP-200103 got here today and the tv arrived with a cracked screen"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		got := commandsText(cmds)
		if !strings.HasPrefix(got, "start_flow(order_status") || strings.Contains(got, "warranty") {
			t.Errorf("%q: %s, want the order's status alone", tc.text, got)
		}
	}
}

// A proof wrong once and told again after the flow went on without the
// order ("I can't find that order, let's go on", then "sorry, the
// postcode is ..."): the order of the failed lookup is looked up again
// with the new proof, which counts as one more try. A number told anew
// asks for its proof, then looks it up.
func TestProofToldAgainAfterAMismatch(t *testing.T) {
	for _, tc := range []struct{ name, hint, opening, wrong, right, want string }{
		{name: "claim, it", hint: "it", opening: "l'aspirapolvere dell'ordine SP-200101 non aspira più", wrong: "00185",
			right: "pardon, ho sbagliato il cap: 00184", want: "Ho trovato l'ordine SP-200101"},
		{name: "return, en", hint: "en", opening: "can I return the vacuum of order SP-200101?", wrong: "marco.rossi@example.org",
			right: "oops, my email is marco.rossi@example.com", want: "until 13 June 2025"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.opening)
			d.say(tc.wrong)
			if d.s.Slots["order"] != OrderMismatch {
				t.Fatalf("order %q after the wrong proof, want %s", d.s.Slots["order"], OrderMismatch)
			}
			contains(t, d.say(tc.right), tc.want)
			if d.s.Slots["order"] != OrderFound || len(fake.calls) != 2 {
				t.Errorf("order %q after %d lookups, want found at the second", d.s.Slots["order"], len(fake.calls))
			}
		})
	}
}

// An order named by its number, with words the classifier can tell
// nothing of, is the order's status; a fault, or a request to cancel or
// change it, is not.
func TestOrderNumberTheClassifierCannotTellIsTheOrders(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ name, lang, text, want string }{
		{name: "status word, en", lang: "en", text: "SP-778899 status pls, zip 20121", want: "start_flow(order_status"},
		{name: "overdue, en", lang: "en", text: "what is happening with SP-778899, it was due friday", want: "start_flow(order_status"},
		{name: "news, it", lang: "it", text: "novità su SP-778899? cap 20121", want: "start_flow(order_status"},
		{name: "a fault, en", lang: "en", text: "SP-778899: the kettle leaks everywhere", want: "start_flow(warranty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s first", got, tc.want)
			}
		})
	}
	for _, text := range []string{"I want to cancel SP-778899", "can you change the address on SP-778899 to via roma 5"} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: text, Lang: "en", Now: june3})
		if got := commandsText(cmds); strings.Contains(got, "start_flow(order_status") {
			t.Errorf("commands %s for %q, want no order status", got, text)
		}
	}
}

// A number told anew after a mismatch is looked up with the proof the
// customer gave for it, one more try: both wrong, the flow goes on
// without it again, and the right proof then finds it.
func TestNumberToldAgainAfterAMismatch(t *testing.T) {
	fake := &fakeOrders{}
	d, _ := orderDriver(t, fake, OrderOptions{})
	d.hint = "en"
	d.say("I'd like to give back the vacuum from order SP-200102")
	d.say("marco.rossi@example.org")
	if d.s.Slots["order"] != OrderMismatch {
		t.Fatalf("order %q after the wrong proof, want %s", d.s.Slots["order"], OrderMismatch)
	}
	contains(t, d.say("sorry, I mixed up the orders: SP-200101"), "can't find")
	if len(fake.calls) != 2 {
		t.Errorf("%d lookups, want the new number tried with the proof given", len(fake.calls))
	}
	contains(t, d.say("marco.rossi@example.com"), "until 13 June 2025")
	if d.s.Slots["order"] != OrderFound || d.s.Slots["delivery_date"] != "2025-05-30" {
		t.Errorf("order %q, delivery %q: want SP-200101 found and its delivery", d.s.Slots["order"], d.s.Slots["delivery_date"])
	}
}

// The order number told at the message after a return was refused from
// the date the customer remembered ("arrivata a marzo"): the return opens
// again, the order is looked up, and its delivery decides.
func TestOrderToldAfterTheReturnClosed(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "it"
	contains(t, d.say("vorrei restituire l'aspirapolvere, mi è arrivato a febbraio"), "scaduto")
	if d.s.Flow != "" {
		t.Fatalf("flow %q after the refusal, want it ended", d.s.Flow)
	}
	contains(t, d.say("un attimo, ecco il numero d'ordine: SP-200101"), "email")
	contains(t, d.say("00184"), "entro il 13/06/2025")
	if d.s.Slots["return"] != "open" || d.s.Slots["delivery_date"] != "2025-05-30" {
		t.Errorf("return %q, delivery %q: want open from the order's delivery", d.s.Slots["return"], d.s.Slots["delivery_date"])
	}
}

// Asked for the order number again after a proof that did not match, an
// e-mail is the proof anew (no code mistyped): the order of the failed
// lookup is looked up with it. Five digits there are still the number
// mistyped, not a postcode.
func TestEmailToldForTheNumberAgain(t *testing.T) {
	for _, tc := range []struct{ hint, opening, right, want string }{
		{"en", "hey wheres SP-200101??", "my bad, try marco.rossi@example.com", "delivered on 30 May 2025"},
		{"en", "status of order SP-200101 pls", "oh thats an old address. marco.rossi@example.com", "delivered on 30 May 2025"},
		{"it", "dov e il mio ordine SP-200101", "scusa ho sbagliato mail, e marco.rossi@example.com", "consegnato il 30/05/2025"},
	} {
		t.Run(tc.right, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.opening)
			d.say("marco.rossi@example.org")
			if d.s.Slots["order"] != OrderMismatch {
				t.Fatalf("order %q after the wrong proof, want %s", d.s.Slots["order"], OrderMismatch)
			}
			contains(t, d.say(tc.right), tc.want)
			if d.s.Slots["order"] != OrderFound || len(fake.calls) != 2 {
				t.Errorf("order %q after %d lookups, want found at the second", d.s.Slots["order"], len(fake.calls))
			}
		})
	}
	fake := &fakeOrders{}
	d, _ := orderDriver(t, fake, OrderOptions{})
	d.hint = "it"
	d.say("dov e il mio ordine SP-200101")
	d.say("marco.rossi@example.org")
	d.say("20121")
	if d.s.Slots["order_proof"] != "" || len(fake.calls) != 1 {
		t.Errorf("five digits for the number: proof %q after %d lookups, want no proof and one lookup", d.s.Slots["order_proof"], len(fake.calls))
	}
}

// Wrong proofs of one order from conversation after conversation, each
// within its own budget, lock that order: the next conversation asking
// for it, with the right postcode too, gets a person, and the system is
// not asked. Other orders are looked up as usual.
func TestFailedProofsOfAnOrderAcrossConversationsLockIt(t *testing.T) {
	failed := map[string]int{}
	opt := OrderOptions{
		Order:  func(_ context.Context, number string) (bool, error) { return failed[number] < 2, nil },
		Failed: func(_ context.Context, number string) error { failed[number]++; return nil },
	}
	for _, guess := range []string{"20122", "20123"} {
		d, _ := orderDriver(t, &fakeOrders{}, opt)
		d.say("dov'è il mio ordine SP-123456?")
		contains(t, d.say(guess), "non trovo un ordine")
	}
	if failed["SP-123456"] != 2 {
		t.Fatalf("failed proofs counted %v, want 2 of SP-123456", failed)
	}
	fake := &fakeOrders{}
	d, logs := orderDriver(t, fake, opt)
	d.say("where is my order SP-123456?")
	contains(t, d.say("20121"), "can't check")
	if len(fake.lookups()) != 0 {
		t.Errorf("a locked order was looked up: %v", fake.lookups())
	}
	if got := d.lookupEvents(); len(got) != 1 || got[0] != "locked SP-123456" {
		t.Errorf("lookup events %v, want locked", got)
	}
	contains(t, logs.String(), "too many failed proofs of the order")
	if strings.Contains(logs.String(), "20121") {
		t.Error("the log holds the customer's proof")
	}
	// A number that does not exist has no owner to protect: it is no
	// failure of an order.
	d, _ = orderDriver(t, &fakeOrders{}, opt)
	d.say("dov'è il mio ordine SP-999000?")
	d.say("20121")
	if failed["SP-999000"] != 0 {
		t.Errorf("a not-found number counted against an order: %v", failed)
	}
}

// The number corrected after a mismatch, the proof right: the order is
// looked up with the proof given, and found, without asking it again.
func TestNumberCorrectedKeepsTheProof(t *testing.T) {
	for _, tc := range []struct{ hint, opening, proof, right, want string }{
		{"en", "i want to return the vacuum, order SP-200110", "00184", "oops, typo, its SP-200101", "until 13 June 2025"},
		{"it", "vorrei fare il reso dell aspirapolvere, ordine SP-201001", "marco.rossi@example.com", "ho sbagliato il numero, e SP-200101", "entro il 13/06/2025"},
		{"en", "where is my order SP-200011", "00184", "sorry wrong number, SP-200101", "delivered on 30 May 2025"},
	} {
		t.Run(tc.right, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.opening)
			d.say(tc.proof)
			if d.s.Slots["order"] != OrderMismatch {
				t.Fatalf("order %q after the wrong number, want %s", d.s.Slots["order"], OrderMismatch)
			}
			contains(t, d.say(tc.right), tc.want)
			if d.s.Slots["order"] != OrderFound || len(fake.calls) != 2 {
				t.Errorf("order %q after %d lookups, want found at the second", d.s.Slots["order"], len(fake.calls))
			}
		})
	}
}

// Asked for the order number again after a proof that did not match, a
// code named by the proof's label ("the postcode is ...", "il cap è
// ...") is the proof anew, looked up with the failed lookup's number;
// one named otherwise, or bare, is still the number mistyped.
func TestLabelledPostcodeForTheNumberAgain(t *testing.T) {
	for _, tc := range []struct {
		hint, right string
		found       bool
	}{
		{"en", "the postcode is 00184 sorry, same order", true},
		{"it", "scusa il cap e 00184", true},
		{"en", "oh my bad, postcode 00184", true},
		{"it", "il numero e 00184", false},
		{"en", "00184", false},
	} {
		t.Run(tc.right, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.hint = tc.hint
			d.say("where is my order SP-200101")
			d.say("00185")
			if d.s.Slots["order"] != OrderMismatch {
				t.Fatalf("order %q after the wrong proof, want %s", d.s.Slots["order"], OrderMismatch)
			}
			d.say(tc.right)
			if found := d.s.Slots["order"] == OrderFound; found != tc.found || found && len(fake.calls) != 2 {
				t.Errorf("%q: order %q after %d lookups, want found %v", tc.right, d.s.Slots["order"], len(fake.calls), tc.found)
			}
		})
	}
}

// The same number told again after a mismatch, written another way
// ("sp200101" for SP-200101), is no new number: the proof that failed
// with it is not tried again, a wasted try of the customer's.
func TestSameNumberToldAgainDoesNotRetryTheProof(t *testing.T) {
	fake := &fakeOrders{}
	d, _ := orderDriver(t, fake, OrderOptions{})
	d.hint = "en"
	d.say("where is my order SP-200101")
	d.say("00185")
	if d.s.Slots["order"] != OrderMismatch {
		t.Fatalf("order %q after the wrong proof, want %s", d.s.Slots["order"], OrderMismatch)
	}
	d.say("the number is sp200101")
	if len(fake.calls) != 1 || d.s.Vars[varOrderFailures] != "1" {
		t.Errorf("%d lookups, %s failures: the failed proof was tried again with the same order", len(fake.calls), d.s.Vars[varOrderFailures])
	}
}

// A proof corrected at the question of the number asked again after a
// mismatch ("correggo: 20121") is the proof anew: a code the number
// cannot be, in a message that says it corrects, looks the order up
// again with the number tried. A bare code there is still the number
// mistyped, and a number in the shop's form corrects the number.
func TestProofCorrectedAtTheNumberAgain(t *testing.T) {
	for _, tc := range []struct {
		hint, right string
		found       bool
	}{
		{"it", "correggo: 20121", true},
		{"en", "sorry I got it wrong, 20121", true},
		{"it", "ho sbagliato a scrivere, è 20121", true},
		{"en", "my mistake, 20121", true},
		// Near misses: no correction, or not a code the proof takes.
		{"it", "20121", false},
		{"en", "is it 20121?", false},
		{"it", "scusa, non lo so", false},
	} {
		t.Run(tc.right, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.hint = tc.hint
			d.say("where is my order SP-123456")
			d.say("20112")
			if d.s.Slots["order"] != OrderMismatch {
				t.Fatalf("order %q after the wrong proof, want %s", d.s.Slots["order"], OrderMismatch)
			}
			out := d.say(tc.right)
			if found := d.s.Slots["order"] == OrderFound; found != tc.found || found && len(fake.calls) != 2 {
				t.Errorf("%q: order %q after %d lookups (%q), want found %v", tc.right, d.s.Slots["order"], len(fake.calls), out, tc.found)
			}
		})
	}
}
