package flows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// A driver talks to a Runtime the way the engine does: one Turn per
// message on a session it keeps.
type driver struct {
	tb   testing.TB
	r    *Runtime
	s    *bot.Session
	now  time.Time
	hint string
	n    int
	last *bot.Turn
}

func newDriver(tb testing.TB, b *Bot, now time.Time) *driver {
	addr := bot.Address{Channel: "test", ChatID: "1"}
	return &driver{tb: tb, r: NewRuntime(b), s: bot.NewSession(addr, now), now: now}
}

func (d *driver) send(m bot.Message) *bot.Turn {
	d.tb.Helper()
	d.n++
	m.ID = "m" + string(rune('0'+d.n))
	m.Address = d.s.Address
	m.Time = d.now
	m.Sender.Language = d.hint
	t := &bot.Turn{Session: d.s, Message: m}
	if err := d.r.Respond(context.Background(), t); err != nil {
		d.tb.Fatalf("respond to %q: %v", m.Text+m.Payload, err)
	}
	if t.Handoff != nil {
		d.s.Mode = bot.ModeQueued
	}
	d.last = t
	return t
}

// say sends text and returns the bot's replies, joined by newlines.
func (d *driver) say(text string) string {
	d.tb.Helper()
	return replies(d.send(bot.Message{Text: text}))
}

// press presses the button of the last reply whose title or payload is
// button; it fails the test when there is none.
func (d *driver) press(button string) string {
	d.tb.Helper()
	if d.last != nil {
		for _, r := range d.last.Replies {
			for _, b := range r.Buttons {
				if b.Title == button || b.Payload == button {
					return replies(d.send(bot.Message{Text: b.Title, Payload: b.Payload}))
				}
			}
		}
	}
	d.tb.Fatalf("no button %q in the last replies %q", button, replies(d.last))
	return ""
}

// buttons returns the titles of the last reply's buttons.
func (d *driver) buttons() []string {
	var out []string
	if d.last == nil || len(d.last.Replies) == 0 {
		return nil
	}
	for _, b := range d.last.Replies[len(d.last.Replies)-1].Buttons {
		out = append(out, b.Title)
	}
	return out
}

func replies(t *bot.Turn) string {
	if t == nil {
		return ""
	}
	var lines []string
	for _, r := range t.Replies {
		lines = append(lines, r.Text)
	}
	return strings.Join(lines, "\n")
}

// hasEvent reports whether the last turn recorded an event of type typ
// with the given value (flow, slot=value, action=outcome), or any value
// when value is empty.
func (d *driver) hasEvent(typ bot.EventType, value string) bool {
	for _, e := range d.last.Events {
		if e.Type != typ {
			continue
		}
		switch value {
		case "", e.Flow, e.Intent, e.Slot + "=" + e.Value, e.Action + "=" + e.Value:
			return true
		}
	}
	return false
}

func contains(tb testing.TB, got string, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(strings.ToLower(got), strings.ToLower(w)) {
			tb.Errorf("reply %q does not contain %q", got, w)
		}
	}
}

var june2025 = time.Date(2025, 6, 10, 10, 0, 0, 0, time.UTC)

func TestMiniWarrantyCovered(t *testing.T) {
	b := mustLoad(t, "testdata/mini.yaml")
	d := newDriver(t, b, june2025)
	contains(t, d.say("il mio telefono è rotto, è in garanzia?"), "quale prodotto")
	if !d.hasEvent(bot.EventFlowStarted, "warranty") {
		t.Fatalf("no flow started: %+v", d.last.Events)
	}
	contains(t, d.say("Nova X"), "quando")
	contains(t, d.say("15/03/2024"), "privato o azienda")
	contains(t, d.press("Privato"), "coperto fino al 15/03/2026")
	if d.s.Flow != "" {
		t.Errorf("flow %q still active", d.s.Flow)
	}
}

// TestAgendaGoesOnWithoutAnythingElse: when the order's status is told
// and the claim queued in the same message starts, the bot does not ask
// "anything else?" first: it knows there is something else.
func TestAgendaGoesOnWithoutAnythingElse(t *testing.T) {
	for _, tc := range []struct{ lang, first, proof, next, closing string }{
		{"en", "has order SP-123456 shipped yet, and my pixel 8 randomly reboots", "20121", "Now, your other request", "anything else"},
		{"it", "l'ordine SP-123456 è partito? e poi il mio pixel 8 si riavvia da solo", "20121", "Ora passiamo all'altra richiesta", "in altro"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			d.say(tc.first)
			if d.s.Vars[varAgenda] == "" {
				t.Fatalf("nothing on the agenda after %q", tc.first)
			}
			out := d.say(tc.proof)
			contains(t, out, "tracking.example.com/brt/SP-123456", tc.next)
			if strings.Contains(strings.ToLower(out), tc.closing) {
				t.Errorf("the bot asks %q before the other request: %q", tc.closing, out)
			}
		})
	}
}

// TestThanksAtResumeAsksAgain: "ok thanks" at "shall we pick up where
// we left off?" thanks for the order's status and says neither yes nor
// no: the bot asks once more, and a yes then goes back to the claim; a
// second thanks lets the offer go.
func TestThanksAtResumeAsksAgain(t *testing.T) {
	for _, tc := range []struct{ lang, claim, order, thanks, again, yes, asked string }{
		{"en", "my pixel 8 keeps rebooting", "where is my order SP-123456?", "ok thanks", "Shall we go back to where we left off (warranty)?", "yes", "When did you buy it?"},
		{"it", "il mio pixel 8 si riavvia da solo", "dov'è il mio ordine SP-123456?", "ok grazie", "Vuoi riprendere da dove eravamo (garanzia)?", "sì", "Quando l'hai acquistato?"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			d.say(tc.claim)
			d.say(tc.order)
			if out := d.say("20121"); strings.Contains(out, "anything else") || strings.Contains(out, "in altro") {
				t.Errorf("\"anything else?\" comes before the offer to go back: %q", out)
			}
			out := d.say(tc.thanks)
			contains(t, out, tc.again)
			contains(t, d.say(tc.yes), tc.asked)
			if d.s.Flow != "warranty" {
				t.Errorf("flow %q after yes, want the claim again", d.s.Flow)
			}

			d, _ = orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			d.say(tc.claim)
			d.say(tc.order)
			d.say("20121")
			d.say(tc.thanks)
			if out := d.say(tc.thanks); strings.Contains(out, tc.again) || d.s.Vars[varResume] != "" {
				t.Errorf("a second thanks asked again: %q (resume %q)", out, d.s.Vars[varResume])
			}
		})
	}
}

// TestLateDeliveryInAClaimIsNoPurchaseDate: in the middle of a claim,
// "my oled should have arrived last wednesday" dates a delivery, not the
// purchase the claim asks for: the order's status is looked up, a
// digression, and the claim does not take the date.
func TestLateDeliveryInAClaimIsNoPurchaseDate(t *testing.T) {
	for _, tc := range []struct{ lang, claim, late string }{
		{"it", "la mia tv ha una riga di pixel morti", "ciao il mio oled doveva arrivare mercoledi scorso e ancora niente, ordine SP-200103"},
		{"en", "my tv has a dead pixel line", "my oled should have arrived last wednesday and still nothing, order SP-200103"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			d.say(tc.claim)
			d.say(tc.late)
			if d.s.Flow != "order_status" {
				t.Errorf("flow %q, want the order's status", d.s.Flow)
			}
			if v := d.s.Slots["purchase_date"]; v != "" {
				t.Errorf("the late delivery's date became the purchase date %q", v)
			}
			for _, fr := range d.s.Stack {
				if v := fr.Slots["purchase_date"]; v != "" {
					t.Errorf("the interrupted claim took the late delivery's date as its purchase date %q", v)
				}
			}
		})
	}
}

// TestStemAloneAnswersNoFAQ: "openings" shares its stem with the hours'
// "opening", and a job seeker's "any openings?" asks for no opening
// hours: a word of an FAQ's own must be written as its examples write
// it, or the reading be clear, for a part of the message to answer it.
func TestStemAloneAnswersNoFAQ(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		faq        string // the FAQ answered, or ""
	}{
		{"en", "I'm a student looking for summer work. any openings?", ""},
		{"it", "vorrei 2 macbook air per lo studio. e accettate satispay?", "payments"}, // as written
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
		if err != nil {
			t.Fatal(err)
		}
		faq := ""
		for _, c := range cmds {
			if c.Kind == CmdFAQ {
				faq = c.FAQ
			}
		}
		if faq != tc.faq {
			t.Errorf("%q: FAQ %q answered, want %q (commands %v)", tc.text, faq, tc.faq, cmds)
		}
	}
}

// TestModelOfTheLineNotSold: after "we don't sell the iPhone 16", "the
// 15 then" names the iPhone 15, and the sale starts with it.
func TestModelOfTheLineNotSold(t *testing.T) {
	for _, tc := range []struct{ lang, ask, then string }{
		{"en", "do you sell the iphone 16?", "fine, I'll take the 15 then, two please"},
		{"it", "ce l'avete l'iphone 16 plus?", "ok allora va bene il 15"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			contains(t, d.say(tc.ask), "iphone 16")
			d.say(tc.then)
			if d.s.Flow != "sales" || d.s.Slots["product"] != "iphone-15" {
				t.Errorf("flow %q, slots %v: want the sale of the iPhone 15", d.s.Flow, d.s.Slots)
			}
		})
	}
}

// A message that asks for another language before it answers ("sorry,
// English please. Yes, ...") answers the pending yes-or-no question in
// the language it asks for; the flow goes on.
func TestLanguageAskedThenTheAnswer(t *testing.T) {
	for _, tc := range []struct{ name, hint, opening, answer, want string }{
		{name: "to english", hint: "it", opening: "vorrei restituire le cuffie", want: "order number",
			answer: "could you write in English please? Yes, they came on Sunday"},
		{name: "to italian", hint: "en", opening: "I'd like to return the headphones", want: "numero d'ordine",
			answer: "scusa, in italiano per favore. Sì, mi sono arrivate domenica"},
		{name: "asked as a question", hint: "en", opening: "I'd like to return the headphones", want: "numero d'ordine",
			answer: "scusate, possiamo scrivere in italiano? sì, le ho ricevute domenica"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.opening)
			contains(t, d.say(tc.answer), tc.want)
			if d.hasEvent(bot.EventLookup, bot.LookupDocuments+"="+bot.DocumentsAnswered) {
				t.Errorf("the documents answered a request for a language")
			}
			if d.s.Slots["start_return"] != "yes" || d.s.Slots["return"] != "open" {
				t.Errorf("start_return %q, return %q: want the yes taken and the return open", d.s.Slots["start_return"], d.s.Slots["return"])
			}
		})
	}
	// A request for a language with nothing after it answers nothing.
	for _, text := range []string{"English please!", "possiamo scrivere in italiano?"} {
		if rest, ok := afterLanguageAsk(text); !ok || rest != "" {
			t.Errorf("afterLanguageAsk(%q) = %q, %v, want a language asked and nothing after", text, rest, ok)
		}
	}
	if _, ok := afterLanguageAsk("sorry, the tv is broken"); ok {
		t.Errorf("a message that asks for no language read as one")
	}
}

// An answer that gives what a later question asks and not what the
// pending one asks (an e-mail, a phone at "privato o azienda?") fills the
// later question, and the bot says it noted it before asking again; the
// later question is not put.
func TestOtherAnswerIsNoted(t *testing.T) {
	for _, tc := range []struct{ lang, buy, skip, other, noted, buyer string }{
		{"it", "vorrei prendere 3 pixel 8", "non saprei", "la mia mail e anna.verdi@tiscali.it", "anna.verdi@tiscali.it", "per lo studio"},
		{"it", "mi servono due thinkpad", "nessun budget", "chiamatemi al 348 765 4321", "348", "privato"},
		{"en", "id like 2 iphone 15 pls", "no idea", "my email is sam.lee@mail.com", "sam.lee@mail.com", "for my family"},
	} {
		t.Run(tc.other, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(tc.buy)
			d.say(tc.skip)
			got := d.say(tc.other)
			contains(t, got, tc.noted)
			if d.s.Slots["contact"] == "" {
				t.Errorf("contact not filled by %q", tc.other)
			}
			if d.s.Slots["buyer"] != "" {
				t.Errorf("buyer %q filled by %q", d.s.Slots["buyer"], tc.other)
			}
			d.say(tc.buyer)
			if d.last.Handoff == nil {
				t.Errorf("no handoff after the buyer: %s", replies(d.last))
			}
		})
	}
}

// After an answer of the warranty's terms outside any flow, a bare name
// (a brand, a kind, a product) asks the same of it: the terms again, no
// sale. A message that buys still starts the sale.
func TestBareNameAfterTermsAsksTheSame(t *testing.T) {
	for _, tc := range []struct{ lang, question, name, want string }{
		{"it", "che garanzia date su una lavastoviglie miele?", "samsung", "Per Samsung"},
		{"it", "la garanzia quanto dura per un tostapane?", "e i portatili", "Per Portatil"},
		{"en", "hows the warranty on a huawei tablet", "apple", "For Apple"},
		{"en", "how long is the guarantee on a blender", "and tvs", "For TV"},
	} {
		t.Run(tc.question, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(tc.question)
			got := d.say(tc.name)
			contains(t, got, tc.want)
			if d.s.Flow != "" {
				t.Errorf("flow %q started by %q", d.s.Flow, tc.name)
			}
		})
	}
	d := newDriver(t, mustShop(t), june3)
	d.hint = "en"
	d.say("how long is the guarantee on a blender")
	d.say("ok then i want to buy a pixel 8")
	if d.s.Flow != "sales" {
		t.Errorf("flow %q after a purchase, want sales", d.s.Flow)
	}
}

// The conversation's language follows the customer: a language they
// announce ("ok scrivo in italiano, ..."), or two messages in a row
// written clearly in the other language, even short ones. One short
// message in the other language, a language denied ("non parlo
// inglese") or a word of it in passing changes nothing.
func TestLanguageFollowsTheCustomer(t *testing.T) {
	for _, tc := range []struct {
		name, hint string
		says       []string
		want       string
	}{
		{name: "announced it", hint: "en", says: []string{"I'd like to return the headphones", "ok scrivo in italiano, ordine 12345 ok"}, want: "it"},
		{name: "announced en", hint: "it", says: []string{"vorrei restituire le cuffie", "ok english, ordine 12345"}, want: "en"},
		{name: "announced without accents", hint: "en", says: []string{"hello", "meglio in italiano: ok ok"}, want: "it"},
		{name: "asked after the answer it", hint: "en", says: []string{"where is SP-123456", "20121, and could you reply in italian please"}, want: "it"},
		{name: "asked after the answer it, a clause of its own", hint: "en", says: []string{"my order SP-123456 is late", "giulia.bianchi@example.it. my mum reads this. rispondetemi in italiano per favore"}, want: "it"},
		{name: "asked after the answer en", hint: "it", says: []string{"il mio ordine SP-123456?", "20121. ah, please write in english"}, want: "en"},
		{name: "two in a row it", hint: "en", says: []string{"hello", "perfetto grazie", "va bene"}, want: "it"},
		{name: "two in a row en", hint: "it", says: []string{"ciao", "thank you", "sounds good"}, want: "en"},
		// Near misses.
		{name: "one short other", hint: "en", says: []string{"hello", "grazie mille", "the headphones are broken"}, want: "en"},
		{name: "other then back", hint: "it", says: []string{"ciao", "thanks a lot", "le cuffie non vanno"}, want: "it"},
		{name: "denied", hint: "it", says: []string{"ciao", "non parlo inglese"}, want: "it"},
		{name: "a word in passing", hint: "en", says: []string{"hello", "ok"}, want: "en"},
		{name: "named in a question", hint: "en", says: []string{"hello", "is the manual in italian too?"}, want: "en"},
		{name: "a later clause about a manual", hint: "en", says: []string{"where is SP-123456", "20121. the manual in the box, in italian only?"}, want: "en"},
		{name: "a later clause denied", hint: "it", says: []string{"dov'è SP-123456", "20121, scusate, non parlo inglese"}, want: "it"},
		{name: "a later clause of someone else's language", hint: "en", says: []string{"where is SP-123456", "20121. my husband speaks italian, I write english"}, want: "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			for _, s := range tc.says {
				d.say(s)
			}
			if d.s.Language != tc.want {
				t.Errorf("language %q after %q, want %q", d.s.Language, tc.says, tc.want)
			}
		})
	}
}

// A yes and a thanks at "private or business?" tell no buyer: the
// question is put again ("si grazie" is no "privato").
func TestYesThanksAtTheBuyerQuestionIsNoBuyer(t *testing.T) {
	for _, tc := range []struct{ lang, opening, answer string }{
		{"it", "il mio pixel 8 non si accende, preso a marzo", "si grazie"},
		{"it", "il mio pixel 8 non si accende, preso a marzo", "sì, grazie!"},
		{"it", "vorrei comprare un pixel 8, uno, budget 800", "si grazie mille"},
		{"en", "my pixel 8 won't turn on, bought in march", "yes thanks"},
		{"en", "my pixel 8 won't turn on, bought in march", "yeah thank you"},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(tc.opening)
			if !strings.HasPrefix(d.s.Vars[varAsked], "buyer") {
				t.Fatalf("the bot asks %q, not the buyer", d.s.Vars[varAsked])
			}
			d.say(tc.answer)
			if d.s.Slots["buyer"] != "" {
				t.Errorf("%q at the buyer question set buyer=%s", tc.answer, d.s.Slots["buyer"])
			}
		})
	}
}
