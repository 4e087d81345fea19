package webchat

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/adapters/chromium"
	"github.com/sportello/sportello/bot"
)

// mustTexts returns the text of the elements matching sel, in order.
func mustTexts(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.textContent)`, sel)))
	if err != nil {
		t.Fatalf("texts of %s: %v", sel, err)
	}
	return out
}

func TestBrowserConversation(t *testing.T) {
	f := newFixture(t, Config{Title: "Elettronica Rossi"})
	ctx := chromium.New(t, 1000, 760)

	var alerted atomic.Bool
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			alerted.Store(true)
		case *runtime.EventExceptionThrown:
			t.Errorf("page script error: %+v", ev.ExceptionDetails)
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	const script = `<script>alert(1)</script>`
	lastBot := `(() => { const b = document.querySelectorAll('.line.bot:not(.typing) .bubble'); return b.length ? b[b.length-1].textContent : '' })()`
	err = chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/"),
		chromedp.WaitEnabled(chromedp.ID("input")),
		chromium.WaitJS(`document.querySelector('#status').dataset.state === 'online'`),
		// The send button is disabled while there is nothing to send.
		chromium.WaitJS(`document.querySelector('#send').disabled`),
		chromedp.SendKeys(chromedp.ID("input"), "hello"),
		chromium.WaitJS(`!document.querySelector('#send').disabled`),
		chromium.PressEnter(),
		chromium.WaitJS(lastBot+` === 'echo: hello'`),
		chromium.WaitJS(`document.querySelectorAll('.choices .choice').length === 2`),
		chromium.WaitJS(`document.querySelector('#input').value === '' && document.querySelector('#send').disabled`),
		chromedp.Click(chromedp.CSS(`.choices .choice`)), // "Yes"
		chromium.WaitJS(lastBot+` === 'echo: Yes'`),
	)
	if err != nil {
		t.Logf("page: %q", mustTexts(t, ctx, "body"))
		chromium.Screenshot(t, ctx, "/tmp/webchat-failed.png", false)
		t.Fatalf("conversation: %v", err)
	}
	calls := f.engine.calls()
	if len(calls) != 2 || calls[1].Text != "Yes" || calls[1].Payload != "yes" {
		t.Fatalf("engine got %+v, want hello then the button Yes/yes", calls)
	}
	if calls[0].Sender.Language == "" {
		t.Error("the browser's language did not reach the engine")
	}

	// An agent joins, as the desk would make it happen.
	addr := calls[0].Address
	for _, r := range []bot.Reply{
		{Address: addr, Text: "Anna joined the conversation", System: true},
		{Address: addr, Text: "Hi, I'm Anna from the shop. The return form is at https://example.com/returns.", From: "Anna"},
	} {
		typ := bot.EventSystem
		if !r.System {
			typ = bot.EventAgent
		}
		f.history.add(bot.Event{Address: addr, Type: typ, Text: r.Text, Agent: r.From, Time: time.Now()})
		f.chat.Send(ctx, r)
	}

	err = chromedp.Do(ctx,
		chromium.WaitJS(`document.querySelector('.line.agent .from')?.textContent === 'Anna'`),
		chromium.WaitJS(`document.querySelector('.line.system')?.textContent === 'Anna joined the conversation'`),
		chromium.WaitJS(`document.querySelector('.line.agent a')?.href === 'https://example.com/returns'`),
		chromedp.SendKeys(chromedp.ID("input"), script),
		chromium.PressEnter(),
		chromium.WaitJS(lastBot+` === 'echo: `+script+`'`),
	)
	if err != nil {
		t.Fatalf("agent and script: %v", err)
	}
	if got, want := mustTexts(t, ctx, ".line.customer .bubble"), []string{"hello", "Yes", script}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("customer lines %q, want %q", got, want)
	}
	if n := len(mustTexts(t, ctx, "#log script")); n != 0 || alerted.Load() {
		t.Errorf("the customer's <script> was taken as markup (%d script elements, alert %v)", n, alerted.Load())
	}

	// After a reload the conversation is all there, from the history.
	lines := mustTexts(t, ctx, ".line:not(.typing)")
	err = chromedp.Do(ctx,
		chromedp.Reload(),
		chromedp.WaitEnabled(chromedp.ID("input")),
		chromium.WaitJS(fmt.Sprintf(`document.querySelectorAll('.line:not(.typing)').length === %d`, len(lines))),
	)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	if got := mustTexts(t, ctx, ".line:not(.typing)"); fmt.Sprint(got) != fmt.Sprint(lines) {
		t.Errorf("after reload:\n%q\nwant what was shown before:\n%q", got, lines)
	}
	if got := mustTexts(t, ctx, ".choices .choice"); fmt.Sprint(got) != "[Yes No]" {
		t.Errorf("after reload the quick replies are %q, want those of the last bot message only", got)
	}
	if n := len(mustTexts(t, ctx, "#log script")); n != 0 || alerted.Load() {
		t.Error("the history ran the customer's <script>")
	}
	chromium.Screenshot(t, ctx, "/tmp/webchat.png", false)
}

func TestBrowserWidgetOnAnotherSite(t *testing.T) {
	f := newFixture(t, Config{Title: "Elettronica Rossi"})
	// Count what the page in the iframe asks for: that proves it was
	// allowed in a frame of another origin and its script ran.
	var mu sync.Mutex
	asked := map[string]int{}
	chat := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
		f.chat.ServeHTTP(w, r)
	}))
	// Close the event streams first: Close waits for open requests.
	t.Cleanup(func() { f.chat.Close(); chat.Close() })
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Shop</title>
<style>body{font-family:Georgia,serif;margin:40px;background:#faf7f2} button{background:red!important}</style></head>
<body><h1>Rossi Electronics</h1><p>Phones, laptops, TVs.</p>
<script src="%s/widget.js" async data-color="#c2410c" data-label="Chat with us"></script>
</body></html>`, chat.URL)
	}))
	t.Cleanup(shop.Close)

	ctx := chromium.New(t, 1000, 760)
	host := `document.querySelector('[data-sportello]')`
	err := chromedp.Do(ctx,
		chromedp.Navigate(shop.URL+"/"),
		chromium.WaitJS(host+` !== null`),
		chromium.WaitJS(host+`.shadowRoot.querySelector('.btn').getAttribute('aria-label') === 'Chat with us'`),
		chromium.RunJS(host+`.shadowRoot.querySelector('.btn').click()`),
		chromium.WaitJS(host+`.shadowRoot.querySelector('iframe').src.includes('embed=1')`),
	)
	if err != nil {
		t.Fatalf("widget: %v", err)
	}
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return asked["/chat/events"] > 0
	})

	// The visitor chats in the panel: the page in the iframe calls the
	// chat's API from the chat's own origin, which the Origin check lets
	// through, whatever the shop's site is.
	frames, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.JSPath(host+`.shadowRoot.querySelector('iframe')`)))
	if err != nil || len(frames) != 1 {
		t.Fatalf("the panel's frame: %v", err)
	}
	in := chromedp.FromNode(frames[0])
	err = chromedp.Do(ctx,
		chromedp.WaitEnabled(chromedp.CSS("#input"), in),
		chromedp.SendKeys(chromedp.CSS("#input"), "hello from the shop", in),
		chromedp.Click(chromedp.CSS("#send"), in),
		chromedp.WaitVisible(chromedp.CSS(".line.bot:not(.typing) .bubble"), in),
	)
	if err != nil {
		t.Fatalf("chatting in the panel: %v", err)
	}
	reply, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".line.bot:not(.typing) .bubble"), in))
	if err != nil || reply != "echo: hello from the shop" {
		t.Fatalf("the panel shows %q (%v), want the reply", reply, err)
	}
	if calls := f.engine.calls(); len(calls) != 1 || calls[0].Text != "hello from the shop" {
		t.Fatalf("the engine got %+v", calls)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	chromium.Screenshot(t, ctx, "/tmp/webchat-widget.png", false)
}

func TestBrowserFloodAndEngineFailure(t *testing.T) {
	f := newFixture(t, Config{FloodLimit: 1, FloodWindow: time.Second})
	ctx := chromium.New(t, 1000, 760)
	lastBot := `(() => { const b = document.querySelectorAll('.line.bot:not(.typing) .bubble'); return b.length ? b[b.length-1].textContent : '' })()`
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/"),
		chromedp.WaitEnabled(chromedp.ID("input")),
		chromium.WaitJS(`document.querySelector('#status').dataset.state === 'online'`),
		chromedp.SendKeys(chromedp.ID("input"), "one"),
		chromium.PressEnter(),
		chromedp.SendKeys(chromedp.ID("input"), "two"),
		chromium.PressEnter(),
		// The second is over the limit: the page says so politely, waits
		// and sends it.
		chromium.WaitJS(`!document.querySelector('#notice').hidden && document.querySelector('#notice').textContent.includes('too fast')`),
		chromium.WaitJS(lastBot+` === 'echo: two'`),
	)
	if err != nil {
		t.Fatalf("flood: %v", err)
	}

	// The engine fails once: the page sends the message again, same ID.
	f.engine.failN.Store(1)
	err = chromedp.Do(ctx,
		chromedp.Sleep(time.Second), // out of the flood window
		chromedp.SendKeys(chromedp.ID("input"), "three"),
		chromium.PressEnter(),
		chromium.WaitJS(lastBot+` === 'echo: three'`),
	)
	if err != nil {
		t.Fatalf("engine failure: %v", err)
	}
	var ids []string
	for _, m := range f.engine.calls() {
		if m.Text == "three" {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) != 2 || ids[0] != ids[1] {
		t.Errorf("message IDs of the attempts: %q, want two equal", ids)
	}
	if got := mustTexts(t, ctx, ".line.customer .bubble"); fmt.Sprint(got) != "[one two three]" {
		t.Errorf("customer lines %q", got)
	}
	if n := len(mustTexts(t, ctx, ".line.customer.waiting, .line.customer.failed")); n != 0 {
		t.Errorf("%d messages still shown as unsent", n)
	}
}

// TestBrowserCrossOriginAPIOnlyForAllowedShops: a listed shop's own page
// may call the API from its origin (CORS); another site's page cannot,
// so it cannot use its visitors' browsers to flood the chat.
func TestBrowserCrossOriginAPIOnlyForAllowedShops(t *testing.T) {
	blank := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>site</title><p>site</p>`)
	})
	shop, evil := httptest.NewServer(blank), httptest.NewServer(blank)
	t.Cleanup(shop.Close)
	t.Cleanup(evil.Close)
	f := newFixture(t, Config{AllowedOrigins: []string{shop.URL}})
	ctx := chromium.New(t, 800, 600)

	// talk asks for a visitor and posts a message from the page, and
	// tells how it went: the message's status, or "blocked".
	talk := fmt.Sprintf(`window.result = undefined, (async () => {
  try {
    const json = {'Content-Type': 'application/json'};
    const r = await fetch(%q + '/chat/visitors', {method: 'POST', headers: json, body: '{}'});
    const {visitor} = await r.json();
    const m = await fetch(%q + '/chat/messages', {method: 'POST', headers: json,
      body: JSON.stringify({visitor, id: 'x1', text: 'from ' + location.origin})});
    window.result = String(m.status);
  } catch (e) { window.result = 'blocked'; }
})()`, f.srv.URL, f.srv.URL)
	for _, tc := range []struct {
		name, site, want string
	}{
		{"a listed shop", shop.URL, "200"},
		{"another site", evil.URL, "blocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := chromedp.Do(ctx, chromedp.Navigate(tc.site+"/"), chromium.RunJS(talk),
				chromium.WaitJS(`window.result !== undefined`))
			if err != nil {
				t.Fatal(err)
			}
			result, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.result`))
			if err != nil {
				t.Fatal(err)
			}
			if result != tc.want {
				t.Errorf("the page's call: %s, want %s", result, tc.want)
			}
		})
	}
	calls := f.engine.calls()
	if len(calls) != 1 || calls[0].Text != "from "+shop.URL {
		t.Errorf("the engine got %+v, want the listed shop's message only", calls)
	}
}

// TestBrowserOldVisitorIDIsReplaced: a page that kept an ID the server
// does not accept (the old 32-hex form, or a token signed with a key the
// server no longer has) asks for a new visitor and goes on; the message
// waiting in its outbox is delivered with the new one.
func TestBrowserOldVisitorIDIsReplaced(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := chromium.New(t, 800, 600)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitEnabled(chromedp.ID("input"))); err != nil {
		t.Fatal(err)
	}
	otherKey, _ := newSigner(nil).issue()
	for _, tc := range []struct{ name, old string }{
		{"old form", "0123456789abcdef0123456789abcdef"},
		{"signed with another key", otherKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := "still there? " + tc.name
			keep := fmt.Sprintf(`localStorage.setItem('sportello.visitor', JSON.stringify(%q)),
localStorage.setItem('sportello.outbox', JSON.stringify([{id: 'w1', text: %q, payload: '', lang: 'en'}]))`, tc.old, text)
			lastBot := `(() => { const b = document.querySelectorAll('.line.bot:not(.typing) .bubble'); return b.length ? b[b.length-1].textContent : '' })()`
			// Stop the page's own script first: it would save its outbox.
			err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(f.srv.URL+"/chat/assets/chat.css"),
				chromium.RunJS(keep), chromedp.Navigate(f.srv.URL+"/"),
				chromedp.WaitEnabled(chromedp.ID("input")),
				chromium.WaitJS(lastBot+` === 'echo: `+text+`'`),
				chromium.WaitJS(`document.querySelector('#status').dataset.state === 'online'`),
			)
			if err != nil {
				t.Logf("page: %q", mustTexts(t, ctx, "body"))
				t.Fatalf("the page did not go on with a new visitor: %v", err)
			}
			stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.parse(localStorage.getItem('sportello.visitor'))`))
			if err != nil {
				t.Fatal(err)
			}
			if stored == tc.old {
				t.Fatal("the page kept the refused ID")
			}
			if _, ok := f.chat.tokens.verify(stored); !ok {
				t.Fatalf("the page holds %q, not a visitor the server issued", stored)
			}
			var delivered []bot.Message
			for _, m := range f.engine.calls() {
				if m.Text == text {
					delivered = append(delivered, m)
				}
			}
			if len(delivered) != 1 || delivered[0].Address.ChatID != f.chatID(t, stored) {
				t.Errorf("the waiting message reached the engine as %+v, want once in the new visitor's conversation", delivered)
			}
		})
	}
}

// inView is a JavaScript expression: true when the latest line of the
// conversation has the text want and it, and the first quick reply, are
// wholly within the conversation's visible part and the window.
func inView(want string) string {
	return fmt.Sprintf(`(() => {
  const log = document.querySelector('#log').getBoundingClientRect();
  const lines = document.querySelectorAll('#log .line:not(.typing)');
  const last = lines[lines.length - 1], button = document.querySelector('#log .choices .choice');
  const inside = (e) => { const r = e.getBoundingClientRect();
    return r.top >= log.top - 1 && r.bottom <= log.bottom + 1 && r.bottom <= innerHeight + 1; };
  return !!last && last.textContent === %q && !!button && inside(last) && inside(button);
})()`, want)
}

// TestBrowserLastLinesOfAReplyStayedBelowTheFold: the lines of a reply
// arrive together (here three bubbles, the handoff message with its
// button, and a system notice); each asked whether the log was near its
// bottom while the smooth scroll of the one before was still on its way,
// found it was not, and stopped following, so the last lines and the
// button stayed about 200 px below the fold. After each reply the last
// line and the button are in view, on a phone and on a desktop; a reader
// who scrolled up is left where they are.
func TestBrowserLastLinesOfAReplyStayedBelowTheFold(t *testing.T) {
	browser := chromium.New(t, 1280, 800)
	for _, size := range []struct{ w, h int64 }{{390, 760}, {1280, 800}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			f := newFixture(t, Config{Title: "Elettronica Rossi"})
			f.engine.mu.Lock()
			f.engine.replies = func(m bot.Message) []bot.Reply {
				return []bot.Reply{
					{Text: "Good news: the product is under warranty. The Apple iPhone 15, bought in March 2025 by a private customer, has 24 months of legal guarantee and is covered until 01/03/2027."},
					{Text: "I'm opening a warranty repair case and passing you to our Support team, who will tell you how to send it to us or bring it to the shop."},
					{Text: "Our Support team is closed now and opens tomorrow at 09:00. Leave me a phone number or an e-mail and we'll get back to you; your request is already on file.",
						Buttons: []bot.Button{{Title: "Back to the bot", Payload: "sportello:leave:ask"}}},
					{Text: "[desk] Case C-1 opened for the Support team: " + m.Text, System: true},
				}
			}
			f.engine.mu.Unlock()
			ctx := browser
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(size.w, size.h),
				chromedp.Navigate(f.srv.URL+"/"),
				chromedp.WaitEnabled(chromedp.ID("input")),
				chromium.WaitJS(`document.querySelector('#status').dataset.state === 'online'`),
			)
			if err != nil {
				t.Fatal(err)
			}
			if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int64](`innerWidth`)); w != size.w {
				t.Fatalf("the window is %d px wide, want %d", w, size.w)
			}
			for i := range 4 {
				t0 := time.Now()
				text := fmt.Sprintf("my phone does not turn on (%d)", i+1)
				err := chromedp.Do(ctx,
					chromedp.SendKeys(chromedp.ID("input"), text),
					chromium.PressEnter(),
					chromium.WaitJS(inView("[desk] Case C-1 opened for the Support team: "+text)),
				)
				if err != nil {
					chromium.Screenshot(t, ctx, fmt.Sprintf("/tmp/webchat-scroll-%d.png", size.w), false)
					below, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](
						`(() => { const l = document.querySelector('#log'); return l.scrollHeight - l.scrollTop - l.clientHeight })()`))
					t.Fatalf("reply %d: the last line and the button are not in view (%.0f px of the log below the fold): %v", i+1, below, err)
				}
				t.Logf("reply %d in view after %v", i+1, time.Since(t0))
			}

			// A reader who scrolled up to read is not pulled down (once
			// the last smooth scroll is over: a wheel would stop it).
			err = chromedp.Do(ctx, chromedp.Sleep(time.Second),
				chromium.RunJS(`document.querySelector('#log').scrollTop = 0`), chromedp.Sleep(100*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			addr := f.engine.calls()[0].Address
			f.chat.Send(ctx, bot.Reply{Address: addr, Text: "Anna joined the conversation", System: true})
			err = chromedp.Do(ctx,
				chromium.WaitJS(`document.querySelector('#log .line:last-child')?.textContent === 'Anna joined the conversation'`),
				chromedp.Sleep(600*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			if top, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('#log').scrollTop`)); top != 0 {
				t.Errorf("a reader at the top was scrolled to %.0f px by a new line", top)
			}
		})
	}
}
