package main

// An answer from the shop's documents in the web chat, in headless
// Chromium: the page's text is the shop's, shown as text whatever it
// holds, and its source a link.

import (
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/adapters/chromium"
	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot/botfake"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/nlu"
)

// noIntents is a classifier that knows nothing: every message is one for
// the documents.
type noIntents struct{}

func (noIntents) Classify(string) []nlu.Scored { return nil }

func TestWebChatShowsADocumentsAnswerAsText(t *testing.T) {
	mini, err := os.ReadFile("../../flows/testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const page = "---\ntitle: Payments\nlang: en\nurl: https://mini.example/help/payments\n---\n" +
		"PayPal payments are accepted <img src=x onerror=\"window.pwned=1\"> and <b>cards</b> too.\n"
	b, err := flows.Load(fstest.MapFS{
		"flows.yaml":          {Data: append(mini, "\nknowledge: {dir: help}\n"...)},
		"help/en/payments.md": {Data: []byte(page)},
	}, "flows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b.SetClassifier(noIntents{}, 0)
	clock := botfake.NewClock(time.Date(2025, 6, 3, 10, 0, 0, 0, rome(t)))
	st := memory.NewStoreWith(memory.Options{Now: clock.Now})
	base := start(t, newTestServer(t, b, func(string) string { return "" }, st, clock))
	ctx := chromium.New(t, 1280, 800)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitEnabled(chromedp.ID("input")),
		chromium.WaitJS(`document.querySelector('#status').dataset.state === 'online'`),
		say("Are PayPal payments accepted"),
		chromium.WaitJS(pageLast("bot", "Source: https://mini.example/help/payments", "Talk to a person")),
	)
	if err != nil {
		t.Logf("page: %q", pageLines(t, ctx))
		t.Fatalf("the answer: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const b = Array.from(document.querySelectorAll('#log .line.bot .bubble')).find(e => e.textContent.includes('PayPal'));
  const a = b.querySelector('a');
  return [b.textContent.includes('PayPal payments are accepted and cards too.'), /[<>]|onerror/.test(b.textContent),
    b.querySelectorAll('img, b').length, window.pwned === undefined, a ? a.href : 'no link'].join(' ');
})()`))
	// The answer is the page as its reader sees it: the words, none of
	// the tags, which neither run nor show; the source is a link.
	if want := "true false 0 true https://mini.example/help/payments"; err != nil || got != want {
		t.Fatalf("the answer's bubble: %q %v, want %q (the shop's words without its tags, the source a link)", got, err, want)
	}
}
