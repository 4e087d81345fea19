package review

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/adapters/chromium"
	"github.com/sportello/sportello/adapters/memory"
)

func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return out
}

func TestBrowserReview(t *testing.T) {
	a := memory.NewArchive()
	seed(t, a, 60)
	srv := httptest.NewServer(newHandler(t, a))
	defer srv.Close()
	ctx := chromium.New(t, 1280, 900)

	var alerted atomic.Bool
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpage.EventJavascriptDialogOpening:
			alerted.Store(true)
		case *runtime.EventExceptionThrown:
			t.Errorf("page script error: %+v", ev.ExceptionDetails)
		}
	}); err != nil {
		t.Fatal(err)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
				os.WriteFile("/tmp/review-failed.png", png, 0o644)
			}
			t.Fatalf("%s: %v (screenshot in /tmp/review-failed.png)", what, err)
		}
	}

	// Without a session the list sends us to sign in, and back after.
	step("sign in",
		chromedp.Navigate(srv.URL+"/review/?outcome=sales"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "anna"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`button.primary`)),
	)
	step("list after sign-in", chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	if got := evalString(t, ctx, `new URLSearchParams(location.search).get("outcome")`); got != "sales" {
		t.Errorf("after sign-in the filter is %q, want the page asked for (sales)", got)
	}

	// Filtering by a menu applies at once.
	step("filter",
		chromedp.Navigate(srv.URL+"/review/"),
		chromedp.WaitVisible(chromedp.CSS(`select[name=outcome]`)),
		chromedp.SetValue(chromedp.CSS(`select[name=outcome]`), "abandoned"),
	)
	step("filtered list", chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`table.list .badge`)),
		chromium.WaitJS(`location.search.includes("outcome=abandoned")`))
	badges := evalString(t, ctx, `Array.from(document.querySelectorAll("table.list .badge"), b => b.textContent).join("|")`)
	if badges == "" || strings.ReplaceAll(badges, "Abandoned", "") != strings.Repeat("|", strings.Count(badges, "|")) {
		t.Errorf("abandoned filter shows %q", badges)
	}
	step("search",
		chromedp.SetValue(chromedp.CSS(`input[name=q]`), "script"),
		chromedp.Click(chromedp.CSS(`.search button`)),
	)
	step("search results", chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#count`)),
		chromium.WaitJS(`location.search.includes("q=script")`))

	// The customer's script is shown as text, and never runs.
	step("open transcript",
		chromedp.Navigate(srv.URL+"/review/c?id=web:1003"),
		chromedp.WaitVisible(chromedp.CSS(`.m-customer .bubble`)),
	)
	if got := evalString(t, ctx, `document.querySelector(".m-customer .bubble").textContent`); !strings.HasPrefix(got, "<script>alert(1)</script>") {
		t.Errorf("customer bubble shows %q", got)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll(".chat script").length)`); n != "0" {
		t.Errorf("%s script elements in the transcript", n)
	}

	// Exports, fetched as the page's links would download them.
	csv := evalString(t, ctx, `fetch(document.querySelector("a[href*='format=csv']").href).then(r => r.text())`)
	if !strings.HasPrefix(csv, "time,type,agent,text") || !strings.Contains(csv, "alert(1)") {
		t.Errorf("transcript CSV:\n%s", csv)
	}
	step("handoff transcript",
		chromedp.Navigate(srv.URL+"/review/c?id=telegram:1002"),
		chromedp.WaitVisible(chromedp.CSS(`.timeline`)),
	)
	chromium.Screenshot(t, ctx, "/tmp/review-transcript.png", true)
	step("list", chromedp.Navigate(srv.URL+"/review/"), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	listCSV := evalString(t, ctx, `fetch(document.querySelector("a[href*='export?format=csv']").href).then(r => r.text())`)
	if rows := strings.Count(listCSV, "\n"); rows != 61 {
		t.Errorf("list CSV has %d lines, want a header and 60", rows)
	}
	chromium.Screenshot(t, ctx, "/tmp/review-list.png", true)

	step("dashboard",
		chromedp.Navigate(srv.URL+"/review/dashboard?days=7"),
		chromedp.WaitVisible(chromedp.CSS(`svg.svg-days`)),
	)
	if got := evalString(t, ctx, `document.getElementById("t-conversations").textContent`); got == "0" {
		t.Error("the dashboard counts no conversations")
	}
	chromium.Screenshot(t, ctx, "/tmp/review-dashboard.png", true)

	// Signing out ends the session.
	step("sign out",
		chromedp.Click(chromedp.CSS(`.signout button`)),
	)
	step("signed out", chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)),
		chromedp.Navigate(srv.URL+"/review/"),
		chromium.WaitJS(`location.pathname === "/review/signin"`),
	)
	if alerted.Load() {
		t.Error("a customer's script ran: an alert opened")
	}
	fmt.Fprintln(os.Stderr, "screenshots: /tmp/review-list.png /tmp/review-transcript.png /tmp/review-dashboard.png")
}
