package webchat

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/bot"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium for the test. Without Chromium
// the test is skipped on a developer's machine, and fails in CI, which
// installs it.
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no %s (apt-get install chromium); set CI to make this a failure", chromiumPath)
		}
		t.Fatalf("CI: %s is missing: %v", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelCtx := chromedp.NewContext(actx)
	// The browser lives as long as the context of its first Run: start it
	// without the timeout, which then bounds the test's steps.
	if err := chromedp.Do(bctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(bctx, 45*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// waitJS waits until the JavaScript expression is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))
}

// runJS runs a JavaScript statement.
func runJS(stmt string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool]("("+stmt+", true)")(ctx, t)
		return err
	})
}

// pressEnter presses Enter in the focused element as a keyboard does:
// one keyDown that carries the text. (kb.Enter sends the text in a separate
// char event, which a page cannot cancel, unlike a real key press.)
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		key := input.DispatchKeyEventParams{Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
		down, up := key, key
		down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, "\r", "\r"
		up.Type = input.DispatchKeyEventTypeKeyUp
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	})
}

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

// mustScreenshot saves a screenshot of the page.
func mustScreenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Log(err)
	}
}

func TestBrowserConversation(t *testing.T) {
	f := newFixture(t, Config{Title: "Elettronica Rossi"})
	ctx := newBrowser(t, 1000, 760)

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
		waitJS(`document.querySelector('#status').dataset.state === 'online'`),
		// The send button is disabled while there is nothing to send.
		waitJS(`document.querySelector('#send').disabled`),
		chromedp.SendKeys(chromedp.ID("input"), "hello"),
		waitJS(`!document.querySelector('#send').disabled`),
		pressEnter(),
		waitJS(lastBot+` === 'echo: hello'`),
		waitJS(`document.querySelectorAll('.choices .choice').length === 2`),
		waitJS(`document.querySelector('#input').value === '' && document.querySelector('#send').disabled`),
		chromedp.Click(chromedp.CSS(`.choices .choice`)), // "Yes"
		waitJS(lastBot+` === 'echo: Yes'`),
	)
	if err != nil {
		t.Logf("page: %q", mustTexts(t, ctx, "body"))
		mustScreenshot(t, ctx, "/tmp/webchat-failed.png")
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
		waitJS(`document.querySelector('.line.agent .from')?.textContent === 'Anna'`),
		waitJS(`document.querySelector('.line.system')?.textContent === 'Anna joined the conversation'`),
		waitJS(`document.querySelector('.line.agent a')?.href === 'https://example.com/returns'`),
		chromedp.SendKeys(chromedp.ID("input"), script),
		pressEnter(),
		waitJS(lastBot+` === 'echo: `+script+`'`),
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
		waitJS(fmt.Sprintf(`document.querySelectorAll('.line:not(.typing)').length === %d`, len(lines))),
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
	mustScreenshot(t, ctx, "/tmp/webchat.png")
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

	ctx := newBrowser(t, 1000, 760)
	host := `document.querySelector('[data-sportello]')`
	err := chromedp.Do(ctx,
		chromedp.Navigate(shop.URL+"/"),
		waitJS(host+` !== null`),
		waitJS(host+`.shadowRoot.querySelector('.btn').getAttribute('aria-label') === 'Chat with us'`),
		runJS(host+`.shadowRoot.querySelector('.btn').click()`),
		waitJS(host+`.shadowRoot.querySelector('iframe').src.includes('embed=1')`),
	)
	if err != nil {
		t.Fatalf("widget: %v", err)
	}
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return asked["/chat/events"] > 0
	})
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	mustScreenshot(t, ctx, "/tmp/webchat-widget.png")
}

func TestBrowserFloodAndEngineFailure(t *testing.T) {
	f := newFixture(t, Config{FloodLimit: 1, FloodWindow: time.Second})
	ctx := newBrowser(t, 1000, 760)
	lastBot := `(() => { const b = document.querySelectorAll('.line.bot:not(.typing) .bubble'); return b.length ? b[b.length-1].textContent : '' })()`
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/"),
		chromedp.WaitEnabled(chromedp.ID("input")),
		waitJS(`document.querySelector('#status').dataset.state === 'online'`),
		chromedp.SendKeys(chromedp.ID("input"), "one"),
		pressEnter(),
		chromedp.SendKeys(chromedp.ID("input"), "two"),
		pressEnter(),
		// The second is over the limit: the page says so politely, waits
		// and sends it.
		waitJS(`!document.querySelector('#notice').hidden && document.querySelector('#notice').textContent.includes('too fast')`),
		waitJS(lastBot+` === 'echo: two'`),
	)
	if err != nil {
		t.Fatalf("flood: %v", err)
	}

	// The engine fails once: the page sends the message again, same ID.
	f.engine.failN.Store(1)
	err = chromedp.Do(ctx,
		chromedp.Sleep(time.Second), // out of the flood window
		chromedp.SendKeys(chromedp.ID("input"), "three"),
		pressEnter(),
		waitJS(lastBot+` === 'echo: three'`),
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
