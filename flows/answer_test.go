package flows

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sportello/sportello/bot"
)

// helpPages are the small help centre of the answering tests.
var helpPages = fstest.MapFS{
	"help/en/payments.md": {Data: []byte("---\ntitle: Payments\nlang: en\nurl: https://mini.example/help/payments\n---\n" +
		"PayPal payments are accepted, and cards. {product} is no placeholder here.\n")},
	"help/en/warranty.md": {Data: []byte("---\ntitle: Warranty\nlang: en\n---\n" +
		"For a warranty claim please write to us: warranty please.\n")},
}

// helpDriver runs the mini shop with a knowledge: folder of two pages.
func helpDriver(t *testing.T) *driver {
	t.Helper()
	mini, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"flows.yaml": {Data: append(mini, "\nknowledge: {dir: help, synonyms: [[pay, paying]]}\n"...)}}
	for name, f := range helpPages {
		fsys[name] = f
	}
	b, err := Load(fsys, "flows.yaml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if b.KnowledgeProblems != nil {
		t.Fatalf("problems: %v", b.KnowledgeProblems)
	}
	b.SetClassifier(fake, 0.5)
	d := newDriver(t, b, june2025)
	d.hint = "en"
	return d
}

// lookup returns the last turn's search of the documents.
func (d *driver) lookup() (bot.Event, bool) {
	for _, e := range d.last.Events {
		if e.Type == bot.EventLookup && e.Action == bot.LookupDocuments {
			return e, true
		}
	}
	return bot.Event{}, false
}

func TestAnswerFromDocumentsCitesThePage(t *testing.T) {
	d := helpDriver(t)
	got := d.say("Are PayPal payments accepted")
	contains(t, got, "PayPal payments are accepted", "Source: https://mini.example/help/payments", "Did this help?")
	// The shop's text is shown as written, never filled as a template.
	contains(t, got, "{product} is no placeholder")
	if b := d.buttons(); !slices.Equal(b, []string{"Yes", "No", "Talk to a person"}) {
		t.Errorf("buttons %q", b)
	}
	e, ok := d.lookup()
	if !ok || e.Value != bot.DocumentsAnswered || e.Text != "Are PayPal payments accepted" || e.Confidence <= 0 ||
		len(e.Passages) == 0 || !strings.HasPrefix(e.Passages[0], "en/payments#") {
		t.Errorf("lookup %+v", e)
	}
}

func TestAnswerAbstainsAndRephrasesThenOffersAPerson(t *testing.T) {
	d := helpDriver(t)
	contains(t, d.say("who won the football match yesterday"), "other words")
	if e, ok := d.lookup(); !ok || e.Value != bot.DocumentsAbstained {
		t.Errorf("lookup %+v", e)
	}
	if !d.hasEvent(bot.EventFallback, "") {
		t.Error("no fallback event")
	}
	contains(t, d.say("and the weather tomorrow"), "talk to a person")
	d.press(PayloadHuman)
	if d.last.Handoff == nil {
		t.Error("no handoff")
	}
}

// feedback returns the last turn's feedback event.
func (d *driver) feedback() string {
	for _, e := range d.last.Events {
		if e.Type == bot.EventAction && e.Action == bot.DocumentsFeedback {
			return e.Value + " " + e.Text
		}
	}
	return ""
}

func TestAnswerFeedback(t *testing.T) {
	const q = "Are PayPal payments accepted"
	t.Run("yes", func(t *testing.T) {
		d := helpDriver(t)
		d.say(q)
		contains(t, d.press("Yes"), "Glad it helped")
		if got := d.feedback(); got != bot.FeedbackHelped+" "+q {
			t.Errorf("feedback %q", got)
		}
	})
	t.Run("typed yes", func(t *testing.T) {
		d := helpDriver(t)
		d.say(q)
		contains(t, d.say("yes thanks"), "Glad it helped")
		if got := d.feedback(); got != bot.FeedbackHelped+" "+q {
			t.Errorf("feedback %q", got)
		}
	})
	t.Run("no", func(t *testing.T) {
		d := helpDriver(t)
		d.say(q)
		contains(t, d.press("No"), "I'm sorry", "other words", "a person")
		if got := d.feedback(); got != bot.FeedbackNotHelped+" "+q {
			t.Errorf("feedback %q", got)
		}
		if b := d.buttons(); len(b) != 2 || b[0] != "Talk to a person" {
			t.Fatalf("buttons %q", b)
		}
		// Taking the offer hands over with the question, written for the
		// agents in the shop's language.
		d.press("Talk to a person")
		h := d.last.Handoff
		if h == nil || !slices.Contains(h.Summary, "Domanda del cliente: «"+q+"»") {
			t.Errorf("handoff %+v", h)
		}
	})
	t.Run("person", func(t *testing.T) {
		d := helpDriver(t)
		d.say(q)
		contains(t, d.press("Talk to a person"), "support")
		if got := d.feedback(); got != bot.FeedbackPerson+" "+q {
			t.Errorf("feedback %q", got)
		}
		h := d.last.Handoff
		if h == nil || h.Team != "support" || !slices.Contains(h.Summary, "Domanda del cliente: «"+q+"»") ||
			!strings.Contains(h.Reason, "pagine di aiuto") {
			t.Errorf("handoff %+v", h)
		}
	})
	t.Run("a stale button", func(t *testing.T) {
		d := helpDriver(t)
		d.say(q)
		d.say("hello")
		d.send(bot.Message{Text: "Yes", Payload: PayloadHelped})
		if d.feedback() != "" {
			t.Errorf("feedback recorded for a lapsed question: %q", d.feedback())
		}
	})
}

func TestAnswerDigressionInsideAFlow(t *testing.T) {
	d := helpDriver(t)
	contains(t, d.say("warranty please"), "Which product?")
	got := d.say("Are PayPal payments accepted")
	contains(t, got, "PayPal payments are accepted", "Source: https://mini.example/help/payments", "Which product?")
	if strings.Contains(got, "Did this help?") {
		t.Errorf("a feedback question in the middle of a flow: %q", got)
	}
	if d.s.Flow != "warranty" {
		t.Errorf("flow %q", d.s.Flow)
	}
	contains(t, d.say("nova x"), "When did you buy it?")
}

func TestAnswerFlowIntentWinsOverDocuments(t *testing.T) {
	d := helpDriver(t)
	// The warranty page holds every word, but the customer asks for an action.
	contains(t, d.say("warranty please"), "Which product?")
	if _, ok := d.lookup(); ok {
		t.Error("the documents were searched for a flow's request")
	}
}

func TestAnswerWithoutKnowledgeIsTheUsualFallback(t *testing.T) {
	d := miniWith(t, fake)
	contains(t, d.say("Are PayPal payments accepted"), "other words")
	if _, ok := d.lookup(); ok {
		t.Error("a lookup without documents")
	}
}

func TestAnswerFAQCitesItsPageWhenAskedAlone(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("posso pagare con PayPal?"), "PayPal", "Fonte: https://shop.example/help/it/pagamenti")
	if !d.hasEvent(bot.EventAction, "faq=payments") {
		t.Error("the FAQ entry did not answer")
	}
	// Two answers in one message: a page found for the whole could be
	// the other answer's, so neither cites one.
	d = newDriver(t, mustShop(t), june2025)
	got := d.say("spedizione e reso")
	contains(t, got, "corriere espresso", "14 giorni")
	if strings.Contains(got, "Fonte:") {
		t.Errorf("a source under one of two answers: %q", got)
	}
}
