package review

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// TestDeadLettersAreShownToManagers: the dashboard counts the events the
// archive set aside and links to their list, which shows each one short
// and escaped, however poisonous.
func TestDeadLettersAreShownToManagers(t *testing.T) {
	srv, a := newServer(t)
	c := mustSignIn(t, srv)
	if _, body := c.get("/review/dashboard"); !strings.Contains(body, `id="t-dead-letters">0<`) {
		t.Error("the dashboard does not say that nothing is set aside")
	}
	addr := bot.Address{Channel: "web", ChatID: "v<b>1"}
	poison := bot.Event{ID: "web:v<b>1|m\x001|0", Address: addr, Type: bot.EventCustomer, Time: now,
		Text: "<script>alert(1)</script>\x00" + strings.Repeat("long ", 100)}
	var letters []report.DeadLetter
	letters = append(letters, report.DeadLetter{Event: poison, Err: `ERROR: invalid byte sequence for encoding "UTF8": 0x00 (SQLSTATE 22021)`, At: now})
	for i := range deadLetterPage {
		e := bot.Event{ID: fmt.Sprintf("web:v2|m%d|0", i), Address: bot.Address{Channel: "web", ChatID: "v2"}, Type: bot.EventIntent,
			Intent: "button:x", Time: now}
		letters = append(letters, report.DeadLetter{Event: e, Err: "refused", At: now.Add(1)})
	}
	if err := a.SetAside(context.Background(), letters...); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/review/dashboard")
	if !strings.Contains(body, fmt.Sprintf(`id="t-dead-letters">%d<`, deadLetterPage+1)) || !strings.Contains(body, `href="/review/dead-letters"`) {
		t.Errorf("the dashboard does not count and link the dead letters:\n%s", body)
	}
	resp, body := c.get("/review/dead-letters")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s", resp.Status)
	}
	for _, bad := range []string{"<script>alert", "v<b>1", "\x00"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;long", "SQLSTATE 22021", "web:v&lt;b&gt;1|m1|0",
		`href="/review/?address=web%3Av%3Cb%3E1"`, fmt.Sprintf("1–%d of %d set aside", deadLetterPage, deadLetterPage+1),
		"sportello archive retry", `href="/review/dead-letters?page=2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, strings.Repeat("long ", 20)) {
		t.Error("the excerpt is not short")
	}
	if _, body := c.get("/review/dead-letters?page=2"); !strings.Contains(body, fmt.Sprintf("%d–%d of %d", deadLetterPage+1, deadLetterPage+1, deadLetterPage+1)) {
		t.Errorf("page 2:\n%s", body)
	}
	if resp, _ := newClient(t, srv).get("/review/dead-letters"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("without signing in: %s", resp.Status)
	}
}
