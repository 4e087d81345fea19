package main

// The demo in a browser: the web chat page of the whole server, with the
// demo shop and its in-process desk, in headless Chromium.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/adapters/chromium"
	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// pageLast is a JavaScript expression: true when the latest line of the
// page has class cls and contains text, and it and the quick reply titled
// button (when not empty) are wholly in view.
func pageLast(cls, text, button string) string {
	return fmt.Sprintf(`(() => {
  const log = document.querySelector('#log').getBoundingClientRect();
  const lines = document.querySelectorAll('#log .line:not(.typing)');
  const last = lines[lines.length - 1];
  const b = Array.from(document.querySelectorAll('#log .choices .choice')).find(e => e.textContent === %[3]q);
  const inside = (e) => { const r = e.getBoundingClientRect();
    return r.top >= log.top - 1 && r.bottom <= log.bottom + 1 && r.bottom <= innerHeight + 1; };
  return !!last && last.classList.contains(%[1]q) && last.textContent.includes(%[2]q) && inside(last) &&
    (%[3]q === '' || (!!b && inside(b)));
})()`, cls, text, button)
}

// pressChoice clicks the quick reply titled title.
func pressChoice(title string) chromedp.Action[chromedp.Void] {
	return chromium.RunJS(fmt.Sprintf(
		`Array.from(document.querySelectorAll('.choices .choice')).find(b => b.textContent === %q).click()`, title))
}

func say(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		return chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("input"), text), chromium.PressEnter())
	})
}

// TestDemoWebChatLostTheDeskLinesAndTheCase plays the demo's warranty case
// on a Sunday evening, with the support team closed, on a phone and on a
// desktop, and checks three things that went wrong:
//   - the in-process desk's lines were sent to the page outside the
//     transcript: a reload lost them. They are desk lines, shown apart
//     (not bot bubbles), and still there after a reload;
//   - after the reply of three bubbles, the team-closed notice, the desk
//     line and the Torna al bot button stayed below the fold;
//   - Torna al bot closed the case without a word. It asks first; "no"
//     keeps the case, "yes" closes it and says so.
func TestDemoWebChatLostTheDeskLinesAndTheCase(t *testing.T) {
	loc := rome(t)
	browser := chromium.New(t, 1280, 800)
	for _, size := range []struct{ w, h int64 }{{390, 760}, {1280, 800}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			clock := botfake.NewClock(time.Date(2025, 6, 8, 21, 0, 0, 0, loc)) // a Sunday evening
			st := memory.NewStoreWith(memory.Options{Now: clock.Now})
			base := start(t, newTestServer(t, shopBot(t, false), func(string) string { return "" }, st, clock))
			ctx := browser
			step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(ctx, actions...); err != nil {
					chromium.Screenshot(t, ctx, fmt.Sprintf("/tmp/demo-webchat-%d.png", size.w), false)
					t.Logf("page: %q", pageLines(t, ctx))
					t.Fatalf("%s: %v", what, err)
				}
			}
			step("open the page",
				chromedp.EmulateViewport(size.w, size.h),
				chromedp.Navigate(base+"/"),
				chromedp.WaitEnabled(chromedp.ID("input")),
				chromium.WaitJS(`document.querySelector('#status').dataset.state === 'online'`))
			step("the warranty flow",
				say("il mio telefono non si accende, è ancora in garanzia?"),
				chromium.WaitJS(pageLast("bot", "Qual è il modello esatto?", "Apple iPhone 15")),
				say("iphone 15"),
				chromium.WaitJS(pageLast("bot", "Quando l'hai acquistato?", "")),
				say("marzo 2025"),
				chromium.WaitJS(pageLast("bot", "privato o come azienda", "Privato")),
				pressChoice("Privato"))
			step("the last lines of the handoff in view",
				chromium.WaitJS(pageLast("desk", "[desk] Caso C-", "Torna al bot")))
			lines := pageLines(t, ctx)
			want := []string{"bot: Buone notizie: il prodotto è in garanzia.", "bot: Apro una pratica di riparazione",
				"bot: Il team Assistenza ora è chiuso: riapre domani alle 09:00.", "desk: [desk] Caso C-"}
			if got := lines[len(lines)-len(want):]; !prefixes(got, want) {
				t.Fatalf("the handoff's lines:\n%s\nwant them to start:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// A desk line is set apart: no bubble, the desk's own type.
			look, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const d = document.querySelector('.line.desk'), b = document.querySelector('.line.bot .bubble');
  return [d.querySelector('.bubble') === null, getComputedStyle(d.firstChild).fontFamily.includes('monospace'),
    getComputedStyle(d.firstChild).backgroundColor !== getComputedStyle(b).backgroundColor].join(' ');
})()`))
			if err != nil || look != "true true true" {
				t.Errorf("the desk line does not look apart from the bot's bubbles (no bubble, monospace, own background): %q %v", look, err)
			}
			step("reload",
				chromedp.Reload(),
				chromedp.WaitEnabled(chromedp.ID("input")),
				chromium.WaitJS(pageLast("desk", "[desk] Caso C-", "Torna al bot")))
			if got := pageLines(t, ctx); strings.Join(got, "\n") != strings.Join(lines, "\n") {
				t.Fatalf("after a reload the page shows:\n%s\nwant what it showed before:\n%s", strings.Join(got, "\n"), strings.Join(lines, "\n"))
			}

			chromium.Screenshot(t, ctx, fmt.Sprintf("/tmp/demo-webchat-handoff-%d.png", size.w), false)
			step("Torna al bot asks first",
				pressChoice("Torna al bot"),
				chromium.WaitJS(pageLast("bot", "la tua richiesta al team Assistenza viene chiusa", "No, resto in attesa")),
				chromium.WaitJS(pageLast("bot", "Vuoi chiuderla e tornare al bot?", "Sì, chiudi la richiesta")))
			mode := func() bot.Mode {
				t.Helper()
				s, err := st.Load(context.Background(), bot.Address{Channel: "web", ChatID: chatIDOfPage(t, ctx)}, "")
				if err != nil || s == nil {
					t.Fatalf("the page's session: %v %v", s, err)
				}
				return s.EffectiveMode()
			}
			if m := mode(); m != bot.ModeQueued {
				t.Fatalf("the question alone left the case: mode %s", m)
			}
			step("no keeps the case",
				pressChoice("No, resto in attesa"),
				chromium.WaitJS(pageLast("bot", "la tua richiesta resta aperta", "Torna al bot")))
			if m := mode(); m != bot.ModeQueued {
				t.Fatalf("no left the case: mode %s", m)
			}
			step("yes closes it",
				pressChoice("Torna al bot"),
				chromium.WaitJS(pageLast("bot", "Vuoi chiuderla", "Sì, chiudi la richiesta")),
				pressChoice("Sì, chiudi la richiesta"),
				chromium.WaitJS(pageLast("bot", "Ho chiuso la tua richiesta al team Assistenza: sei di nuovo con il bot.", "")))
			if m := mode(); m != bot.ModeBot {
				t.Fatalf("yes did not close the case: mode %s", m)
			}
			chromium.Screenshot(t, ctx, fmt.Sprintf("/tmp/demo-webchat-%d.png", size.w), false)
		})
	}
}

// pageLines returns the page's lines as "type: text".
func pageLines(t *testing.T, ctx context.Context) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#log .line:not(.typing)'), e =>
  Array.from(e.classList).filter(c => c !== 'line' && c !== 'new').join(' ') + ': ' +
  (e.querySelector('.bubble, span') || e).textContent)`))
	if err != nil {
		t.Fatalf("the page's lines: %v", err)
	}
	return out
}

// chatIDOfPage returns the chat ID of the visitor the page holds.
func chatIDOfPage(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.parse(localStorage.getItem('sportello.visitor'))`))
	if err != nil {
		t.Fatal(err)
	}
	id, ok := webchat.ChatID(v)
	if !ok {
		t.Fatalf("the page holds %q, not a visitor token", v)
	}
	return id
}

// prefixes reports whether each of got starts with the want of its place.
func prefixes(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			return false
		}
	}
	return true
}
