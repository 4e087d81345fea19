package review

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sportello/sportello/adapters/chromium"
	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
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

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// appendNearMidnight archives two conversations on either side of
// midnight in Rome: 22:30 UTC on 19 March is 23:30 on the 19th there,
// 23:30 UTC is 00:30 on the 20th.
func appendNearMidnight(t testing.TB, a report.Archive) {
	t.Helper()
	var evs []bot.Event
	for _, c := range []struct {
		chat string
		at   time.Time
	}{{"lateeve", time.Date(2026, 3, 19, 22, 30, 0, 0, time.UTC)}, {"midnight", time.Date(2026, 3, 19, 23, 30, 0, 0, time.UTC)}} {
		addr := bot.Address{Channel: "web", ChatID: c.chat}
		for i, e := range []bot.Event{
			{Type: bot.EventCustomer, Text: "A che ora aprite domani?"},
			{Type: bot.EventIntent, Intent: "opening_hours", Confidence: 0.9},
			{Type: bot.EventFlowStarted, Flow: "hours"},
			{Type: bot.EventBot, Text: "Domani dalle 9 alle 13."},
			{Type: bot.EventFlowEnded, Flow: "hours"},
		} {
			e.ID, e.Address, e.Time, e.Language = fmt.Sprintf("%s|m%d|0", addr, i), addr, c.at.Add(time.Duration(i)*time.Second), "it"
			evs = append(evs, e)
		}
	}
	if err := a.Append(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}

func newHandlerIn(t testing.TB, a report.Archive, zone *time.Location) *Handler {
	t.Helper()
	h, err := New(Config{Archive: a, Managers: []Manager{{Name: "anna", PasswordHash: testHash}},
		SessionKey: []byte(strings.Repeat("k", 32)), Sessions: memory.NewStore(), Now: func() time.Time { return now }, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// The texts each language's pages must show, and the first midnight of
// the shop in Rome written the language's way.
var pageTexts = map[string]struct {
	accept, conversations, dashboard, gaps, intent, started, dayBar, dayCount, containment string
	gapsTitle, gapsWhy, gapsSummary, docSearch                                             string
}{
	"en": {"en-GB,en;q=0.9", "Conversations", "Dashboard", "Gaps", "intent", "20 Mar 2026 00:30", "Fri 20 Mar: %d conversations", "1–%d of %d conversations", "Containment",
		"Gaps in the help centre", "2 not answered 1 did not help", "7 searches of the documents · 3 answered · 1 helped", "searched the documents for"},
	"it": {"it-IT,it;q=0.9,en;q=0.5", "Conversazioni", "Cruscotto", "Lacune", "intento", "20 mar 2026, 00:30", "ven 20 mar: %d conversazioni", "1–%d di %d conversazioni", "Contenimento",
		"Lacune del centro assistenza", "2 senza risposta 1 non utile", "7 ricerche nei documenti · con risposta: 3 · utili: 1", "cercato nei documenti"},
}

// TestBrowserReviewInItalianAndEnglishOnAPhoneAndADesk signs in with a
// browser that asks for Italian or English, 390 and 1280 pixels wide, in
// a shop in Rome: every page speaks the browser's language, fits the
// screen (nothing wider than it, the sign-out inside the top bar), the
// gaps of the help centre are listed grouped and counted, a customer's
// script among them shown as text, each leading to its transcript, a
// conversation at 23:30 UTC shows on the next day and is counted and
// found on that day, and a containment under its goal is not green.
func TestBrowserReviewInItalianAndEnglishOnAPhoneAndADesk(t *testing.T) {
	rome := mustZone(t, "Europe/Rome")
	a := memory.NewArchive()
	seed(t, a, 60)
	appendNearMidnight(t, a)
	// Ten days ago: the gaps of the last 30 days, out of the dashboard's 7.
	seedSearches(t, a, now.AddDate(0, 0, -10))
	srv := httptest.NewServer(newHandlerIn(t, a, rome))
	defer srv.Close()
	for _, lang := range []string{"en", "it"} {
		for _, width := range []int{390, 1280} {
			t.Run(fmt.Sprintf("%s/%d", lang, width), func(t *testing.T) {
				browseReview(t, srv.URL, lang, width)
			})
		}
	}
}

func browseReview(t *testing.T, base, lang string, width int) {
	want := pageTexts[lang]
	ctx := chromium.New(t, width, 900)
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*runtime.EventExceptionThrown); ok {
			t.Errorf("page script error: %+v", ev.ExceptionDetails)
		}
	}); err != nil {
		t.Fatal(err)
	}
	shot := func(page string) {
		chromium.Screenshot(t, ctx, fmt.Sprintf("%s/review-%s-%d-%s.png", os.TempDir(), lang, width, page), true)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			shot("failed")
			t.Fatalf("%s: %v (screenshot in %s/review-%s-%d-failed.png)", what, err, os.TempDir(), lang, width)
		}
	}
	// The browser asks for the language as a person's would.
	ua := evalString(t, ctx, `navigator.userAgent`)
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: want.accept}); err != nil {
		t.Fatal(err)
	}
	step("viewport", chromedp.EmulateViewport(int64(width), 900))
	// fits checks what a person on this screen would notice: nothing
	// wider than the screen, and the top bar holding its sign-out.
	fits := func(page string) {
		t.Helper()
		if got := evalString(t, ctx, `String(document.documentElement.lang)`); got != lang {
			t.Errorf("%s: <html lang=%q>, want %q", page, got, lang)
		}
		if got := evalString(t, ctx, `String(window.innerWidth)`); got != strconv.Itoa(width) {
			t.Fatalf("%s: the window is %s px wide, want %d", page, got, width)
		}
		if got := evalString(t, ctx, `String(document.documentElement.scrollWidth)`); got != strconv.Itoa(width) {
			t.Errorf("%s: the page is %s px wide on a %d px screen", page, got, width)
		}
		out := evalString(t, ctx, `(() => {
			const top = document.querySelector("header.top").getBoundingClientRect();
			const bad = [];
			for (const el of document.querySelectorAll("header.top a, header.top button")) {
				const r = el.getBoundingClientRect();
				if (r.left < 0 || r.right > window.innerWidth || r.top < top.top || r.bottom > top.bottom) bad.push(el.textContent.trim());
			}
			return bad.join(", ");
		})()`)
		if out != "" {
			t.Errorf("%s: outside the top bar or the screen: %s", page, out)
		}
		shot(page)
	}

	// The gaps need a manager: the page sends the browser to sign in,
	// and back to the gaps after.
	step("sign in",
		chromedp.Navigate(base+"/review/gaps?days=30"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)),
	)
	if n := evalString(t, ctx, `String(document.querySelectorAll("#gaps").length)`); n != "0" {
		t.Errorf("the gaps show before sign-in")
	}
	fits("signin")
	step("sign in",
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "anna"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`#gaps`)),
	)
	fits("gaps")
	browseGaps(t, ctx, lang, want.gapsTitle, want.gapsWhy, want.gapsSummary, want.docSearch, fits)
	step("list", chromedp.Navigate(base+"/review/"), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	if got := evalString(t, ctx, `document.querySelector("nav.tabs").textContent.replace(/\s+/g, " ").trim()`); got != want.conversations+" "+want.dashboard+" "+want.gaps {
		t.Errorf("the tabs read %q, want %q", got, want.conversations+" "+want.dashboard+" "+want.gaps)
	}
	fits("list")

	// The conversation of 23:30 UTC started on 20 March in Rome.
	step("transcript", chromedp.Navigate(base+"/review/c?id=web:midnight"), chromedp.WaitVisible(chromedp.CSS(`.chat .note`)))
	if got := evalString(t, ctx, `document.querySelector(".pagehead time").textContent`); got != want.started {
		t.Errorf("the conversation started %q, want %q", got, want.started)
	}
	if got := evalString(t, ctx, `document.querySelector(".note.n-intent").textContent.replace(/\s+/g, " ").trim()`); !strings.Contains(got, want.intent+" opening_hours") {
		t.Errorf("the intent's note reads %q, want %q", got, want.intent+" opening_hours")
	}
	fits("transcript")

	step("dashboard", chromedp.Navigate(base+"/review/dashboard?days=7"), chromedp.WaitVisible(chromedp.CSS(`#t-containment`)))
	fits("dashboard")
	// The chart drawn for the screen is the one shown, its labels big
	// enough to read.
	visible := map[int]string{390: "days-phone", 1280: "days-wide"}[width]
	if got := evalString(t, ctx, `[...document.querySelectorAll("svg.svg-days")].filter(s => s.getBoundingClientRect().width > 0).map(s => s.classList[1]).join(",")`); got != visible {
		t.Errorf("the chart of days shown is %q, want %q", got, visible)
	}
	px, _ := strconv.Atoi(evalString(t, ctx, `String(Math.round(document.querySelector("svg.`+visible+` text.axis").getBoundingClientRect().height))`))
	if px < 10 {
		t.Errorf("the chart's labels are %d px high: too small to read", px)
	}
	// The containment of the seed (a quarter) is under its goal: red, and
	// said so; never green.
	if got := evalString(t, ctx, `getComputedStyle(document.getElementById("t-containment")).color`); got != "rgb(184, 58, 58)" {
		t.Errorf("containment 25%% is drawn in %s, want the colour of a bad number", got)
	}
	if got := evalString(t, ctx, `document.getElementById("t-containment-tile").textContent`); !strings.Contains(got, want.containment) {
		t.Errorf("the containment tile reads %q", got)
	}
	// The bar of 20 March counts the conversation of 23:30 UTC on the
	// 19th, and leads to the day's list, which holds it.
	var bar int
	title := evalString(t, ctx, `[...document.querySelectorAll("svg.`+visible+` rect.bar title")].map(t => t.textContent).join("\n")`)
	for _, l := range strings.Split(title, "\n") {
		if _, err := fmt.Sscanf(strings.ReplaceAll(l, ".", ""), want.dayBar, &bar); err == nil {
			break
		}
	}
	if bar == 0 {
		t.Fatalf("no bar of 20 March among %q", title)
	}
	href := evalString(t, ctx, `[...document.querySelectorAll("svg.`+visible+` a")].find(a => a.querySelector("title").textContent.includes(" 20 ")).getAttribute("href")`)
	if !strings.Contains(href, "from=2026-03-20&to=2026-03-20") {
		t.Errorf("the bar of 20 March links to %q", href)
	}
	step("the day's list", chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS(`#count`)))
	if got, wantCount := evalString(t, ctx, `document.getElementById("count").textContent`), fmt.Sprintf(want.dayCount, bar, bar); got != wantCount {
		t.Errorf("the list of 20 March says %q, want %q: the bar's count", got, wantCount)
	}
	rows := evalString(t, ctx, `[...document.querySelectorAll("#conversations td.who")].map(td => td.textContent).join("|")`)
	if !strings.Contains(rows, "midnight") || strings.Contains(rows, "lateeve") {
		t.Errorf("20 March in Rome lists %q: want the conversation of 23:30 UTC on the 19th, not that of 22:30", rows)
	}
	fits("day")

	// The switch in the top bar changes the language, and the cookie
	// keeps it on the next pages, whatever the browser asks for.
	other := map[string]string{"en": "it", "it": "en"}[lang]
	step("switch language",
		chromedp.Click(chromedp.CSS(`.langs a[hreflang=`+other+`]`)),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitVisible(chromedp.CSS(`html[lang=`+other+`] table.list`)),
		chromedp.Navigate(base+"/review/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`#t-containment`)),
	)
	if got := evalString(t, ctx, `document.documentElement.lang + " " + document.querySelector("h1").textContent`); got != other+" "+pageTexts[other].dashboard {
		t.Errorf("after switching to %s the dashboard is %q", other, got)
	}
}

// browseGaps checks the gaps page the browser is on, as seedSearches left
// the archive: three groups, the PayPal one first for its three
// customers, the customer's script shown as text and never run, and the
// first example leading to a transcript that shows the search.
func browseGaps(t *testing.T, ctx context.Context, lang, title, why, summary, docSearch string, fits func(page string)) {
	t.Helper()
	var alerted atomic.Bool
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*cdpage.EventJavascriptDialogOpening); ok {
			alerted.Store(true)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.querySelector("h1").textContent + " | " + document.querySelector("nav.tabs a.active").getAttribute("href")`); got != title+" | /review/gaps" {
		t.Errorf("the gaps page is %q, want %q and its tab active", got, title)
	}
	if got := evalString(t, ctx, `document.getElementById("gaps-summary").textContent`); !strings.HasPrefix(got, summary) {
		t.Errorf("the summary reads %q, want %q first", got, summary)
	}
	rows := evalString(t, ctx, `[...document.querySelectorAll("#gaps tr.gap")].map(tr =>
		[tr.querySelector(".q").textContent, tr.querySelector(".customers").textContent, tr.querySelector(".why").textContent.replace(/\s+/g, " ").trim()].join(" / ")).join("\n")`)
	want := strings.Join([]string{
		"Posso pagare con PayPal? / 3 / " + why,
		hostileQuestion + " / 2 / " + map[string]string{"en": "2 not answered", "it": "2 senza risposta"}[lang],
		"How do I reset the TV to factory settings? / 1 / " + map[string]string{"en": "1 wanted a person", "it": "1 voleva una persona"}[lang],
	}, "\n")
	if rows != want {
		t.Errorf("the gaps read\n%s\nwant\n%s", rows, want)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll("main script").length)`); n != "0" {
		t.Errorf("%s script elements in the gaps", n)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll("#gap-1 .examples a").length)`); n != "3" {
		t.Errorf("the PayPal gap links %s conversations, want 3", n)
	}
	gaps := evalString(t, ctx, `location.href`)
	href := evalString(t, ctx, `document.querySelector("#gap-1 .examples a").href`)
	if err := chromedp.Do(ctx, chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS(`.note.n-lookup`))); err != nil {
		t.Fatalf("open the gap's conversation: %v", err)
	}
	if got := evalString(t, ctx, `document.querySelector(".note.n-lookup").textContent.replace(/\s+/g, " ").trim()`); !strings.Contains(got, docSearch+" Accettate PayPal?") || !strings.Contains(got, "it/pagamenti#2") {
		t.Errorf("the transcript's search reads %q", got)
	}
	fits("gap-transcript")
	// The TV's conversation: a passage ID as long as a deep help centre
	// makes them fits the screen too.
	if err := chromedp.Do(ctx, chromedp.Navigate(gaps), chromedp.WaitVisible(chromedp.CSS(`#gap-3`))); err != nil {
		t.Fatal(err)
	}
	href = evalString(t, ctx, `document.querySelector("#gap-3 .examples a").href`)
	if err := chromedp.Do(ctx, chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS(`.note.n-lookup`))); err != nil {
		t.Fatalf("open the TV's conversation: %v", err)
	}
	fits("gap-transcript-long")
	if err := chromedp.Do(ctx, chromedp.Navigate(gaps), chromedp.WaitVisible(chromedp.CSS(`#gaps`))); err != nil {
		t.Fatal(err)
	}
	if alerted.Load() {
		t.Error("a customer's script ran on the gaps page: an alert opened")
	}
}
