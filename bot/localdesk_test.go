package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// TestDemoDeskLinesWereMissingFromTheTranscript: the in-process desk of
// the demo sent its lines straight to the channel, after the replies and
// outside the transcript, so a web page that loaded the conversation again
// (a reload, a reconnection) lost them. They are system lines of the
// conversation now, in order after the reply that made them.
func TestDemoDeskLinesWereMissingFromTheTranscript(t *testing.T) {
	r := newRig(t, handoffIn("it"), withTeams)
	r.engine.SetDesk(bot.NewLocalDesk(r.engine))
	r.clock.Advance(48 * time.Hour) // Monday 10:00, open
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.mustHandle(t, botfake.Message(alice, "m2", "ci siete?"))

	var got []string
	for _, e := range r.transcript(t, alice) {
		if e.Type == bot.EventBot || e.Type == bot.EventSystem {
			got = append(got, string(e.Type)+": "+e.Text)
		}
	}
	want := []string{
		"bot: Ti ho messo in coda per il team Vendite: sei il numero 1.",
		"system: " + bot.DeskLinePrefix + "Caso C-",
		"system: " + bot.DeskLinePrefix + "Messaggio inoltrato al team Vendite",
	}
	if len(got) != len(want) {
		t.Fatalf("the transcript's lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("line %d: %q, want it to start %q", i, got[i], want[i])
		}
	}
	if !strings.Contains(got[1], "aperto per il team Vendite: Product: laptop") {
		t.Errorf("the case's line %q lacks its team and summary", got[1])
	}
	// The customer got the same lines, in the same order.
	var sent []string
	for _, rp := range r.ch.Replies() {
		kind := "bot"
		if rp.System {
			kind = "system"
		}
		sent = append(sent, kind+": "+rp.Text)
	}
	if strings.Join(sent, "\n") != strings.Join(got, "\n") {
		t.Errorf("the customer got:\n%s\nthe transcript says:\n%s", strings.Join(sent, "\n"), strings.Join(got, "\n"))
	}
}
