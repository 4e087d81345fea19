package telegram

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
)

// echo answers "echo: TEXT" and counts how often it saw each message.
type echo struct {
	mu   sync.Mutex
	seen map[string]int
	// delay, when set, is how long each answer takes.
	delay time.Duration
}

func newEcho() *echo { return &echo{seen: make(map[string]int)} }

func (e *echo) Respond(ctx context.Context, t *bot.Turn) error {
	e.mu.Lock()
	e.seen[t.Message.ID]++
	e.mu.Unlock()
	if e.delay > 0 {
		time.Sleep(e.delay)
	}
	t.Say("echo: " + t.Message.Text)
	return nil
}

func (e *echo) count(id string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seen[id]
}

func countText(ss []telegramfake.Sent, text string) int {
	n := 0
	for _, s := range ss {
		if s.Text == text {
			n++
		}
	}
	return n
}

// TestCrashAfterCommit: the poller's process dies after the engine
// committed an update and before getUpdates confirmed it. On restart the
// update comes again, the engine recognises it, and the reply, lost in the
// crash or already sent, reaches the customer once.
func TestCrashAfterCommit(t *testing.T) {
	t.Run("while delivering the reply", func(t *testing.T) {
		fake, store, e := telegramfake.New(t), memory.NewStore(), newEcho()
		// A short outbox lease, for the restarted engine to deliver soon.
		short := func(s *rigSetup) { s.ecfg.Lease = 300 * time.Millisecond }
		rg1 := newRig(t, fake, store, ModePolling, e, short)
		crash := rg1.cancel
		var crashed atomic.Bool
		fake.SetHook(func(ctx context.Context, method string, v url.Values) (int, string, bool) {
			if method == "sendMessage" && v.Get("text") == "echo: before the crash" && crashed.CompareAndSwap(false, true) {
				crash() // the commit is done; the reply and the offset are not
				return http.StatusBadGateway, "<html>502 Bad Gateway</html>", true
			}
			return 0, "", false
		})
		id := fake.Text(7, "en", "before the crash")
		fake.WaitFor(t, "the crash", 5*time.Second, crashed.Load)
		rg1.stop()
		if fake.Pending() != 1 || e.count(msgID(id)) != 1 || len(fake.Sent(7)) != 0 {
			t.Fatalf("after the crash: pending %d, handled %d times, sent %q", fake.Pending(), e.count(msgID(id)), fake.Texts(7))
		}

		newRig(t, fake, store, ModePolling, e, short) // the process restarts
		fake.WaitSent(t, 7, 1)
		fake.Say(t, 7, "en", "after the restart")
		if got, want := fake.Texts(7), []string{"echo: before the crash", "echo: after the restart"}; !slices.Equal(got, want) {
			t.Errorf("customer read %q, want %q", got, want)
		}
		if n := e.count(msgID(id)); n != 1 {
			t.Errorf("the update was handled %d times, want 1", n)
		}
		if n := polledTimes(fake, id); n < 2 {
			t.Errorf("the update was polled %d times, want it again after the crash", n)
		}
	})

	t.Run("after the reply", func(t *testing.T) {
		fake, store, e := telegramfake.New(t), memory.NewStore(), newEcho()
		var crash context.CancelFunc
		var crashed atomic.Bool
		dieAfterHandle := func(next bot.Handler) bot.Handler {
			return bot.HandlerFunc(func(ctx context.Context, m bot.Message) error {
				err := next.Handle(ctx, m)
				if err == nil && crashed.CompareAndSwap(false, true) {
					crash() // Handle returned nil; getUpdates never hears of it
				}
				return err
			})
		}
		rg1 := newRig(t, fake, store, ModePolling, e, func(s *rigSetup) { s.mw = dieAfterHandle })
		crash = rg1.cancel
		id := fake.Text(8, "it", "ciao")
		fake.WaitFor(t, "the crash", 5*time.Second, crashed.Load)
		rg1.stop()
		if fake.Pending() != 1 {
			t.Fatalf("the update was confirmed before the crash")
		}

		newRig(t, fake, store, ModePolling, e)
		fake.WaitFor(t, "the update to be confirmed", 5*time.Second, func() bool { return fake.Pending() == 0 })
		if n := e.count(msgID(id)); n != 1 {
			t.Errorf("the update was handled %d times, want 1", n)
		}
		if got := fake.Texts(8); !slices.Equal(got, []string{"echo: ciao"}) {
			t.Errorf("customer read %q, want the reply once", got)
		}
	})
}

func msgID(update int64) string { return "tg:" + strconv.FormatInt(update, 10) }

// polledTimes counts the getUpdates calls whose answer could hold update:
// those with an offset at or before it, made after it was queued.
func polledTimes(f *telegramfake.Server, update int64) int {
	n := 0
	for _, c := range f.Calls("getUpdates") {
		off, _ := strconv.ParseInt(c.Params.Get("offset"), 10, 64)
		if off <= update {
			n++
		}
	}
	return n
}

// TestTwoPollers: replicas share the store as Leaser; one polls, and when
// it dies (without releasing the lease) the other takes over within the
// lease's TTL.
func TestTwoPollers(t *testing.T) {
	fake, store, e := telegramfake.New(t), memory.NewStore(), newEcho()
	var dead atomic.Bool
	replica := func(name string) rigOption {
		return func(s *rigSetup) {
			s.cfg.HolderID = name
			s.cfg.Leaser = dyingLeaser{store, &dead, name == "A"}
			s.cfg.HTTPClient = &http.Client{Transport: tagged{name}}
		}
	}
	a := newRig(t, fake, store, ModePolling, e, replica("A"))
	// A takes the lease first: wait until it polls, however busy the
	// machine (a fixed sleep lost that race under load).
	fake.WaitFor(t, "A to poll", 10*time.Second, func() bool { return slices.Contains(pollers(fake), "A") })
	newRig(t, fake, store, ModePolling, e, replica("B"))

	for i := range 5 {
		fake.Say(t, 9, "en", fmt.Sprint("one ", i))
		time.Sleep(100 * time.Millisecond)
	}
	if got := pollers(fake); !slices.Equal(got, []string{"A"}) {
		t.Fatalf("replicas that polled: %q, want A alone", got)
	}

	// A dies: its lease is not released, B waits for it to expire.
	dead.Store(true)
	died := time.Now()
	a.stop()
	fake.Say(t, 9, "en", "still there?")
	if took := time.Since(died); took > 3*time.Second {
		t.Errorf("B answered %v after A died, want within a few seconds", took)
	}
	if got := pollers(fake); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("replicas that polled: %q, want A then B", got)
	}
	if fake.Conflicts() != 0 {
		t.Errorf("%d getUpdates requests overlapped (409 Conflict)", fake.Conflicts())
	}
	want := []string{"echo: one 0", "echo: one 1", "echo: one 2", "echo: one 3", "echo: one 4", "echo: still there?"}
	if got := fake.Texts(9); !slices.Equal(got, want) {
		t.Errorf("customer read %q, want %q", got, want)
	}
}

// pollers returns the replicas that called getUpdates, in order of their
// first call.
func pollers(f *telegramfake.Server) []string {
	var out []string
	for _, c := range f.Calls("getUpdates") {
		if !slices.Contains(out, c.Replica) {
			out = append(out, c.Replica)
		}
	}
	return out
}

// dyingLeaser is the store's Leaser, except that a dead replica's Release
// does nothing, as when its process is killed.
type dyingLeaser struct {
	*memory.Store
	dead   *atomic.Bool
	mortal bool
}

func (l dyingLeaser) Release(ctx context.Context, name, holder string) error {
	if l.mortal && l.dead.Load() {
		return nil
	}
	return l.Store.Release(ctx, name, holder)
}

// tagged marks a replica's requests with X-Replica.
type tagged struct{ name string }

func (t tagged) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Replica", t.name)
	return http.DefaultTransport.RoundTrip(r)
}

// TestRetryAfter: a 429 waits the retry_after Telegram asks for, then
// the reply goes out.
func TestRetryAfter(t *testing.T) {
	fake := telegramfake.New(t)
	var limited atomic.Bool
	fake.SetHook(func(ctx context.Context, method string, v url.Values) (int, string, bool) {
		if method == "sendMessage" && limited.CompareAndSwap(false, true) {
			return 429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`, true
		}
		return 0, "", false
	})
	newRig(t, fake, nil, ModePolling, newEcho())
	fake.Say(t, 10, "en", "hello")
	calls := fake.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("sendMessage called %d times, want 2", len(calls))
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < 950*time.Millisecond {
		t.Errorf("retried after %v, want retry_after (1 s)", gap)
	}
	if got := fake.Texts(10); !slices.Equal(got, []string{"echo: hello"}) {
		t.Errorf("customer read %q", got)
	}
}

// TestLongReply: a reply over 4,096 characters arrives in several
// messages cut at paragraph ends, the buttons under the last.
func TestLongReply(t *testing.T) {
	var paras []string
	for i := range 12 {
		paras = append(paras, strings.Repeat(fmt.Sprintf("Paragraph %d has sentences 😀 about warranty. ", i), 20))
	}
	long := strings.Join(paras, "\n\n")
	r := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.Say(long, bot.Button{Title: "OK", Payload: "ok"})
		return nil
	})
	rg := newRig(t, nil, nil, ModePolling, r)
	got := rg.fake.Say(t, 11, "en", "tell me everything")
	if len(got) < 3 {
		t.Fatalf("got %d messages, want the reply split in 3 or more", len(got))
	}
	var joined []string
	for i, s := range got {
		if n := utf16Len(s.Text); n > 4096 {
			t.Errorf("message %d has %d characters", i, n)
		}
		if !strings.HasSuffix(s.Text, "warranty.") {
			t.Errorf("message %d is not cut at a paragraph end: ...%q", i, s.Text[len(s.Text)-20:])
		}
		if hasKB := len(s.Titles()) > 0; hasKB != (i == len(got)-1) {
			t.Errorf("message %d keyboard: %v", i, s.Titles())
		}
		joined = append(joined, s.Text)
	}
	if strings.Join(strings.Fields(strings.Join(joined, " ")), " ") != strings.Join(strings.Fields(long), " ") {
		t.Errorf("the pieces do not add up to the reply")
	}
}

// TestTyping: while the engine works the customer sees "typing…", and it
// stops once the reply is out.
func TestTyping(t *testing.T) {
	e := newEcho()
	e.delay = 300 * time.Millisecond
	rg := newRig(t, nil, nil, ModePolling, e)
	rg.fake.Say(t, 12, "en", "slow question")
	typing := rg.fake.Calls("sendChatAction")
	sent := rg.fake.Calls("sendMessage")
	if len(typing) == 0 || typing[0].Params.Get("action") != "typing" || typing[0].Params.Get("chat_id") != "12" {
		t.Fatalf("sendChatAction calls = %+v", typing)
	}
	time.Sleep(100 * time.Millisecond)
	if last := rg.fake.Calls("sendChatAction"); last[len(last)-1].At.After(sent[0].At) {
		t.Errorf("typing sent after the reply")
	}
}
