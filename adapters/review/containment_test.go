package review

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

func TestTheDashboardShowsContainmentByIntent(t *testing.T) {
	srv, a := newServer(t)
	// An intent name is outside text in the archive: it is escaped.
	addr := bot.Address{Channel: "web", ChatID: "evil"}
	at := now.Add(-time.Hour)
	if err := a.Append(context.Background(),
		bot.Event{ID: "web:evil|m|0", Address: addr, Time: at, Type: bot.EventCustomer, Text: "hi"},
		bot.Event{ID: "web:evil|m|1", Address: addr, Time: at, Type: bot.EventIntent, Intent: "<b>x</b>"},
		bot.Event{ID: "web:evil|m|2", Address: addr, Time: at, Type: bot.EventBot, Text: "hello"},
	); err != nil {
		t.Fatal(err)
	}
	c := mustSignIn(t, srv)
	resp, body := c.get("/review/dashboard?days=7")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s", resp.Status)
	}
	_, table, ok := strings.Cut(body, `id="by-intent"`)
	if !ok {
		t.Fatal("the dashboard has no containment by intent")
	}
	table, _, _ = strings.Cut(table, "</section>")
	// seed: warranty is every fifth of 40 conversations, each fourth of
	// which the bot solved, hands off or loses by turn: 8 conversations,
	// i = 0, 5, 10, ..., 35; i%4 = 0, 1, 2, 3, 0, 1, 2, 3.
	for _, want := range []string{"Resolved by the bot", "<td>warranty</td><td>8</td><td>2</td><td>4</td><td>2</td><td>25.0%</td>",
		"<td>&lt;b&gt;x&lt;/b&gt;</td><td>1</td><td>1</td><td>0</td><td>0</td><td>100.0%</td>"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(body, "<b>x</b>") {
		t.Error("an intent's name reached the page unescaped")
	}
}
