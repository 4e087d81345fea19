package telegram

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// shopResponder is the demo shop's flow runtime.
func shopResponder(tb testing.TB) bot.Responder {
	tb.Helper()
	b, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		tb.Fatalf("load the demo shop: %v", err)
	}
	return flows.NewRuntime(b)
}

// TestConversation: a warranty claim in Italian with buttons and a
// purchase in English ending in a handoff, with the demo shop's flows, in
// each mode, from the fake Telegram's updates to its sendMessage calls.
func TestConversation(t *testing.T) {
	for _, mode := range []string{ModePolling, ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			rg := newRig(t, nil, nil, mode, shopResponder(t))
			f := rg.fake
			const it, en = 101, 102

			// Warranty, in Italian, by language_code and by the words.
			got := f.Say(t, it, "it", "Ciao, il mio telefono non si accende più, è in garanzia?")
			mustHaveButtons(t, got, "Samsung Galaxy A55")
			f.Tap(t, it, "it", "Samsung Galaxy A55")
			mustHaveButtons(t, f.Say(t, it, "it", "due mesi fa"), "Privato")
			// "non si accende più" was the defect: the verdict comes with the
			// buyer, no question about the problem.
			got = f.Tap(t, it, "it", "Privato")
			mustContain(t, got, "in garanzia", "coda")

			// A purchase, in English, ending with the sales team.
			mustHaveButtons(t, f.Say(t, en, "en", "Hi, I'd like to buy a new laptop"), "Lenovo ThinkPad E14")
			f.Tap(t, en, "en", "Lenovo ThinkPad E14")
			f.Say(t, en, "en", "3")
			f.Say(t, en, "en", "900 euros each")
			f.Tap(t, en, "en", "Business")
			mustContain(t, f.Say(t, en, "en", "anna@example.com"), "Sales team", "queue")

			// The desk is told in the background.
			flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := rg.engine.Flush(flush); err != nil {
				t.Fatal(err)
			}
			var opened []bot.Case
			for _, n := range rg.desk.Notes() {
				if n.Kind == bot.DeskOpened {
					opened = append(opened, n.Case)
				}
			}
			if len(opened) != 2 {
				t.Fatalf("desk got %d cases, want 2: %+v", len(opened), opened)
			}
			support, sales := opened[0], opened[1]
			if support.Team != "support" || support.Language != "it" || support.Address != (bot.Address{Channel: Name, ChatID: "101"}) ||
				!slices.ContainsFunc(support.Summary, func(s string) bool { return strings.Contains(s, "Galaxy A55") }) {
				t.Errorf("warranty case = %+v", support)
			}
			if sales.Team != "sales" || sales.Language != "en" || sales.Customer.Name != "Mario Rossi" || sales.Customer.Username != "mrossi102" ||
				!slices.ContainsFunc(sales.Summary, func(s string) bool { return strings.Contains(s, "anna@example.com") }) {
				t.Errorf("sales case = %+v", sales)
			}
			if n := len(f.Calls("answerCallbackQuery")); n != 4 {
				t.Errorf("answerCallbackQuery called %d times, want 4 (one per button)", n)
			}
			if mode == ModeWebhook {
				calls := f.Calls("setWebhook")
				if len(calls) != 1 || calls[0].Params.Get("secret_token") != "s3cret_webhook-token" ||
					calls[0].Params.Get("url") != rg.hook.URL+WebhookPath || calls[0].Params.Get("allowed_updates") != `["message","callback_query"]` {
					t.Errorf("setWebhook calls = %+v", calls)
				}
			} else if n := len(f.Calls("setWebhook")); n != 0 {
				t.Errorf("setWebhook called %d times in polling mode", n)
			}
		})
	}
}

func mustHaveButtons(tb testing.TB, got []telegramfake.Sent, title string) {
	tb.Helper()
	for _, s := range got {
		if slices.Contains(s.Titles(), title) {
			return
		}
	}
	tb.Fatalf("no button %q in the answer %+v", title, texts(got))
}

func mustContain(tb testing.TB, got []telegramfake.Sent, words ...string) {
	tb.Helper()
	all := strings.Join(texts(got), "\n")
	for _, w := range words {
		if !strings.Contains(all, w) {
			tb.Errorf("answer %q does not contain %q", all, w)
		}
	}
}

func texts(ss []telegramfake.Sent) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Text)
	}
	return out
}
