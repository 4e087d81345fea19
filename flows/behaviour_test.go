package flows

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/nlu"
)

// fakeClassifier answers from a table of texts; any other text scores
// nothing.
type fakeClassifier map[string][]nlu.Scored

func (f fakeClassifier) Classify(text string) []nlu.Scored { return f[text] }

func miniWith(t *testing.T, c fakeClassifier) *driver {
	t.Helper()
	b := mustLoad(t, "testdata/mini.yaml")
	b.SetClassifier(c, 0.5)
	d := newDriver(t, b, june2025)
	d.hint = "en"
	return d
}

var fake = fakeClassifier{
	"warranty please":     {{Intent: "warranty", Confidence: 0.9}},
	"hello":               {{Intent: "greeting", Confidence: 0.95}},
	"human please":        {{Intent: "human", Confidence: 0.9}},
	"warranty or hello":   {{Intent: "warranty", Confidence: 0.55}, {Intent: "greeting", Confidence: 0.5}},
	"warranty or person":  {{Intent: "warranty", Confidence: 0.55}, {Intent: "human", Confidence: 0.5}},
	"something vague":     {{Intent: "warranty", Confidence: 0.3}},
	"hello in the middle": {{Intent: "greeting", Confidence: 0.9}},
}

func TestRephraseThenOfferPerson(t *testing.T) {
	d := miniWith(t, fake)
	contains(t, d.say("something vague"), "other words")
	if !d.hasEvent(bot.EventFallback, "") {
		t.Errorf("no fallback event")
	}
	contains(t, d.say("gibberish"), "talk to a person")
	if got := d.buttons(); len(got) != 2 || got[0] != "Talk to a person" {
		t.Fatalf("buttons %q", got)
	}
	d.press(PayloadHuman)
	if h := d.last.Handoff; h == nil || h.Team != "support" {
		t.Fatalf("handoff %+v", h)
	}
}

func TestMissesResetWhenUnderstood(t *testing.T) {
	d := miniWith(t, fake)
	d.say("something vague")
	d.say("hello")
	contains(t, d.say("something vague"), "other words")
}

func TestClarifyCloseIntents(t *testing.T) {
	d := miniWith(t, fake)
	// Small talk is never one of the two: "hello" just says hello.
	out := d.say("warranty or hello")
	if strings.Contains(strings.ToLower(out), "greeting") || strings.Contains(strings.ToLower(out), "do you mean") {
		t.Errorf("clarified with small talk: %q", out)
	}
	d = miniWith(t, fake)
	// The two are named by their labels, never by raw intent names.
	contains(t, d.say("warranty or person"), "do you mean warranty or talking to a person")
	if got := d.buttons(); len(got) != 2 || got[0] != "Warranty" {
		t.Fatalf("buttons %q", got)
	}
	contains(t, d.press("i:warranty"), "which product")
	if d.s.Flow != "warranty" {
		t.Errorf("flow %q", d.s.Flow)
	}
}

func TestUnknownButton(t *testing.T) {
	d := miniWith(t, fake)
	d.say("warranty please")
	for _, p := range []string{"s:buyer:consumer", "s:product:nope", "bogus", "i:nope", "r:y"} {
		d.send(bot.Message{Text: "?", Payload: p})
		contains(t, replies(d.last), "didn't understand that choice", "which product")
		if d.s.Flow != "warranty" || d.s.Step != "#1" {
			t.Errorf("after %q: flow %q step %q", p, d.s.Flow, d.s.Step)
		}
	}
	d.say("nothing")
	d.send(bot.Message{Text: "?", Payload: "s:product:nova"})
	contains(t, replies(d.last), "when did you buy")
}

func TestRetryThenOfferPerson(t *testing.T) {
	d := miniWith(t, fake)
	d.say("warranty please")
	d.say("Nova X")
	// Never a third time in a row: asked, asked again, then a person.
	contains(t, d.say("boh"), "didn't understand that answer", "when did you buy")
	contains(t, d.say("no idea"), "talk to a person")
	contains(t, d.press(PayloadNoHuman), "try again", "when did you buy")
	contains(t, d.say("last week"), "consumer or business")
}

func TestDigressionReplyKeepsQuestion(t *testing.T) {
	d := miniWith(t, fake)
	d.say("warranty please")
	out := d.say("hello in the middle")
	contains(t, out, "hello from mini shop", "which product")
	if d.s.Flow != "warranty" || len(d.s.Stack) != 0 {
		t.Errorf("flow %q stack %v", d.s.Flow, d.s.Stack)
	}
}

func TestHumanIntentInFlow(t *testing.T) {
	d := miniWith(t, fake)
	d.say("warranty please")
	d.say("Nova X")
	contains(t, d.say("human please"), "support")
	h := d.last.Handoff
	if h == nil || h.Team != "support" || h.Intent != "warranty" || h.Slots["product"] != "Nova X" {
		t.Fatalf("handoff %+v", h)
	}
	if !d.hasEvent(bot.EventFlowEnded, "warranty") {
		t.Errorf("no flow_ended event")
	}
}

func TestLanguageSwitch(t *testing.T) {
	d := miniWith(t, fake)
	d.say("hello")
	if d.s.Language != "en" {
		t.Fatalf("language %q", d.s.Language)
	}
	d.say("scusate ma non capisco proprio niente di quello che dite")
	if d.s.Language != "it" {
		t.Errorf("language %q after a clearly Italian message", d.s.Language)
	}
}

func TestWarrantyDecisions(t *testing.T) {
	p := &Product{Name: "Nova X", Warranty: Warranty{Consumer: 24, Business: 12}}
	ext := &Product{Name: "Nova Pro", Warranty: Warranty{Consumer: 24, Business: 12, Extended: 12}}
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Add(15 * time.Hour)
	}
	tests := []struct {
		name     string
		p        *Product
		date     string
		business bool
		now      string
		want     string
		until    string
	}{
		{"consumer last day", p, "2024-03-15", false, "2026-03-15", WarrantyCovered, "2026-03-15"},
		{"consumer day after", p, "2024-03-15", false, "2026-03-16", WarrantyExpired, "2026-03-15"},
		{"business last day", p, "2024-03-15", true, "2025-03-15", WarrantyCovered, "2025-03-15"},
		{"business day after", p, "2024-03-15", true, "2025-03-16", WarrantyExpired, "2025-03-15"},
		{"business extended", ext, "2024-03-15", true, "2026-03-01", WarrantyCovered, "2026-03-15"},
		{"consumer extended", ext, "2023-03-15", false, "2026-03-16", WarrantyExpired, "2026-03-15"},
		{"end of month", p, "2024-01-31", true, "2025-01-31", WarrantyCovered, "2025-01-31"},
		{"leap day", p, "2024-02-29", true, "2025-02-28", WarrantyCovered, "2025-02-28"},
		{"leap day after", p, "2024-02-29", true, "2025-03-01", WarrantyExpired, "2025-02-28"},
		{"month well inside", p, "2024-03", false, "2025-06-10", WarrantyCovered, "2026-03-01"},
		{"month at the boundary", p, "2023-06", false, "2025-06-10", WarrantyUnknown, "2025-06-01"},
		{"month well past", p, "2023-01", false, "2025-06-10", WarrantyExpired, "2025-01-31"},
		{"year past", p, "2020", false, "2025-06-10", WarrantyExpired, "2022-12-31"},
		{"bought today", p, "2025-06-10", false, "2025-06-10", WarrantyCovered, "2027-06-10"},
		{"future date", p, "2025-07-01", false, "2025-06-10", WarrantyUnknown, ""},
		{"no date", p, "", false, "2025-06-10", WarrantyUnknown, ""},
		{"no product", nil, "2025-01-01", false, "2025-06-10", WarrantyUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := CheckWarranty(tt.p, tt.date, tt.business, at(tt.now))
			until := ""
			if !d.Until.IsZero() {
				until = d.Until.Format("2006-01-02")
			}
			if d.Outcome != tt.want || until != tt.until {
				t.Errorf("got %s until %q (%s), want %s until %q", d.Outcome, until, d.Reason, tt.want, tt.until)
			}
		})
	}
}

func TestWarrantyFlowOutcomes(t *testing.T) {
	tests := []struct {
		date, buyer, want string
	}{
		{"15/03/2024", "Consumer", "covered until 15 March 2026"},
		{"15/03/2024", "Business", "expired on 15 March 2025"},
		// Past a consumer's term too: expired for any buyer, who is not
		// asked.
		{"15/03/2023", "", "expired on 15 March 2025"},
		{"15/03/2025", "Business", "covered until 15 March 2026"},
		{"June 2023", "Consumer", "I can't tell"},
	}
	for _, tt := range tests {
		t.Run(tt.date+" "+tt.buyer, func(t *testing.T) {
			d := miniWith(t, fake)
			d.say("warranty please")
			d.say("nova x")
			if tt.buyer == "" {
				contains(t, d.say(tt.date), tt.want)
			} else {
				d.say(tt.date)
				contains(t, d.press(tt.buyer), tt.want)
			}
			if d.s.Flow != "" {
				t.Errorf("flow %q still open", d.s.Flow)
			}
		})
	}
}

// Without the model, "expired" is said only when no product of the
// category would still be covered: a company's laptop bought in
// September 2023 may be the ThinkPad, whose business term is 24 months.
func TestWarrantyWithoutModelWaitsForTheLongestTerm(t *testing.T) {
	b := mustShop(t)
	for _, c := range []struct {
		category, date string
		business, want bool
	}{
		{"laptop", "2023-09", true, true},   // the ThinkPad's 24 months for companies
		{"laptop", "2023-03", false, false}, // a consumer's 24 months, the same for every laptop
		{"phone", "2023-09", true, false},   // 12 months for companies, every phone
		{"tv", "2023-03", false, true},      // the LG's 12 more months
	} {
		if got := b.extensionCovers(c.category, c.date, c.business, june2025); got != c.want {
			t.Errorf("%s bought %s (business %v): the model decides %v, want %v", c.category, c.date, c.business, got, c.want)
		}
	}
}
