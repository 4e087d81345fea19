package main

import (
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// TestGapTermsGroupOneQuestionInOtherWords: with the classifier's stems,
// the gaps of the help centre put "pagare" and "pagamento" together, as
// the review pages get them, and keep an unrelated question apart.
func TestGapTermsGroupOneQuestionInOtherWords(t *testing.T) {
	day := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	var evs []report.DocumentEvent
	for i, q := range []string{"Posso pagare con PayPal?", "Pagamento con PayPal possibile?", "Come resetto la TV?"} {
		addr := bot.Address{Channel: "web", ChatID: string(rune('a' + i))}
		evs = append(evs, report.DocumentEvent{Conversation: report.ConversationID(addr, day), Event: bot.Event{
			ID: addr.String() + "|m0|0", Address: addr, Type: bot.EventLookup, Time: day.Add(time.Duration(i) * time.Minute),
			Action: bot.LookupDocuments, Value: bot.DocumentsAbstained, Text: q, Language: "it"}})
	}
	p := report.Period{From: report.DayOf(day, nil), To: report.NextDay(day, nil)}
	g := report.ComputeGaps(evs, p, report.GapOptions{Terms: gapTerms})
	if len(g.Groups) != 2 || g.Groups[0].Customers != 2 || g.Groups[1].Question != "Come resetto la TV?" {
		t.Errorf("groups %+v, want PayPal for 2 customers, then the TV", g.Groups)
	}
}
