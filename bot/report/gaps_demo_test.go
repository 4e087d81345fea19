package report_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// TestGapsOfTheDemoHoldFAQAnswersAndDigressions plays the demo shop and
// reads its transcripts as the managers' gaps page does: the PayPal
// question answered by the FAQ entry with the payments page as its
// source, and asked again in the middle of a warranty claim, is a gap
// when the customer says it did not help or asks for a person.
func TestGapsOfTheDemoHoldFAQAnswersAndDigressions(t *testing.T) {
	transcripts := demoTranscripts(t, [][]string{
		{"posso pagare con PayPal?", "no"}, // the FAQ entry and its page: did not help
		{"il mio telefono non si accende, è in garanzia?", "pixel 8", "posso pagare con paypal?", "parla con una persona"},
		{"come si resetta la tv lg oled alle impostazioni di fabbrica?", "sì"},                    // helped
		{"il mio telefono non si accende, è in garanzia?", "posso pagare con paypal?", "pixel 8"}, // no feedback: the claim's answer
	})
	var evs []report.DocumentEvent
	for i, tr := range transcripts {
		for _, e := range tr {
			if report.IsDocumentEvent(e) {
				evs = append(evs, report.DocumentEvent{Conversation: fmt.Sprint(i), Event: e})
			}
		}
	}
	day := time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)
	g := report.ComputeGaps(evs, report.Period{From: day, To: day.AddDate(0, 0, 1)}, report.GapOptions{})
	if g.Searches != 4 || g.Answered != 4 || g.Helped != 1 || g.Questions != 2 {
		t.Fatalf("searches %d answered %d helped %d gaps %d, want 4 4 1 2\n%+v", g.Searches, g.Answered, g.Helped, g.Questions, evs)
	}
	if len(g.Groups) != 1 {
		t.Fatalf("groups %+v", g.Groups)
	}
	p := g.Groups[0]
	if p.Asked != 2 || p.NotHelped != 1 || p.Person != 1 || p.Customers != 2 || len(p.Passage) < 12 || p.Passage[:12] != "it/pagamenti" {
		t.Errorf("the PayPal gap %+v", p)
	}
	// The searches the FAQ entry answered say so.
	for _, e := range evs {
		if e.Type == bot.EventLookup && e.Text != "come si resetta la tv lg oled alle impostazioni di fabbrica?" && e.Intent != "faq:payments" {
			t.Errorf("an FAQ answer's search without its entry: %+v", e.Event)
		}
	}
}
