package review

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// longPassage is a passage ID as long as a deep help centre makes them,
// which must not widen a phone's page.
const longPassage = "en/manuals/smart-tv-55-inch-2026-user-guide/factory-reset-and-first-setup#14"

// hostileQuestion is a customer's question that tries to run in the page.
const hostileQuestion = `<script>alert(1)</script> posso pagare a rate?`

// seedSearches archives searches of the documents in the day before end
// (now: 19 and 20 March), as
// the engine records them: three customers asked in Italian for PayPal
// (two were not answered, one said the answer did not help), two asked
// the hostile question, one wanted a person after the TV's answer, and
// one was helped.
func seedSearches(t testing.TB, a report.Archive, end time.Time) {
	t.Helper()
	var evs []bot.Event
	type search struct {
		chat, lang, question, outcome, passage, feedback string
		ago                                              time.Duration
	}
	for i, s := range []search{
		{"pp1", "it", "Posso pagare con PayPal?", bot.DocumentsAbstained, "it/pagamenti#2", "", 20 * time.Hour},
		{"pp2", "it", "si può pagare con paypal", bot.DocumentsAbstained, "it/pagamenti#2", "", 5 * time.Hour},
		{"pp3", "it", "Accettate PayPal?", bot.DocumentsAnswered, "it/pagamenti#2", bot.FeedbackNotHelped, 3 * time.Hour},
		{"x1", "it", hostileQuestion, bot.DocumentsAbstained, "", "", 4 * time.Hour},
		{"x2", "it", hostileQuestion, bot.DocumentsAbstained, "", "", 2 * time.Hour},
		{"tv1", "en", "How do I reset the TV to factory settings?", bot.DocumentsAnswered, longPassage, bot.FeedbackPerson, time.Hour},
		{"ok1", "en", "Do you ship to Norway?", bot.DocumentsAnswered, "en/shipping#1", bot.FeedbackHelped, 30 * time.Minute},
	} {
		addr := bot.Address{Channel: "web", ChatID: s.chat}
		at := end.Add(-s.ago)
		k := 0
		add := func(e bot.Event) {
			e.ID, e.Address, e.Time, e.Language = fmt.Sprintf("%s|s%d|%d", addr, i, k), addr, at, s.lang
			evs = append(evs, e)
			k++
			at = at.Add(20 * time.Second)
		}
		add(bot.Event{Type: bot.EventCustomer, Text: s.question})
		var passages []string
		if s.passage != "" {
			passages = []string{s.passage, "faq#7"}
		}
		add(bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Value: s.outcome, Text: s.question, Confidence: 0.42, Passages: passages})
		add(bot.Event{Type: bot.EventBot, Text: "…"})
		if s.feedback != "" {
			add(bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Value: s.feedback, Text: s.question})
		}
	}
	if err := a.Append(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	quoteRE = regexp.MustCompile(`\s*<q[^>]*>\s*`)
	closeRE = regexp.MustCompile(`\s*</q>`)
)

// visible is the text of an HTML fragment as a browser shows it, <q> as
// quotation marks, spaces collapsed.
func visible(s string) string {
	s = closeRE.ReplaceAllString(quoteRE.ReplaceAllString(s, " “"), "”")
	s = strings.NewReplacer("<code>", "", "</code>", "", "<b>", "", "</b>", "").Replace(s)
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(s, " "))), " ")
}

// TestGapsPageListsTheGroupedQuestions: the page lists the PayPal
// question once for its three customers, then the hostile one, escaped,
// then the TV; the helped question is no gap; each links its
// conversations.
func TestGapsPageListsTheGroupedQuestions(t *testing.T) {
	a := memory.NewArchive()
	seed(t, a, 10)
	seedSearches(t, a, now)
	srv := httptest.NewServer(newHandler(t, a))
	defer srv.Close()
	c := mustSignIn(t, srv)
	resp, body := c.get("/review/gaps?days=7")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /review/gaps: %s", resp.Status)
	}
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; posso pagare a rate?") {
		t.Error("the hostile question is not shown escaped")
	}
	rows := regexp.MustCompile(`(?s)<tr class="gap".*?</tr>`).FindAllString(body, -1)
	if len(rows) != 3 {
		t.Fatalf("%d gaps listed, want 3:\n%s", len(rows), body)
	}
	for i, want := range []string{
		"Posso pagare con PayPal? also: “si può pagare con paypal” · “Accettate PayPal?” 3 3 · in 3 conversations 2 not answered 1 did not help Italian 19 Mar 2026 19:00 – 20 Mar 2026 12:00 it/pagamenti#2",
		"<script>alert(1)</script> posso pagare a rate? 2 2 · in 2 conversations 2 not answered Italian 20 Mar 2026 11:00 – 20 Mar 2026 13:00 none found",
		"How do I reset the TV to factory settings? 1 1 · in 1 conversation 1 wanted a person English 20 Mar 2026 14:00 " + longPassage,
	} {
		if got := visible(rows[i]); !strings.Contains(got, want) {
			t.Errorf("gap %d reads\n%s\nwant it to hold\n%s", i+1, got, want)
		}
	}
	if !strings.Contains(rows[0], "<code>it/pagamenti#2</code>") || strings.Count(rows[0], `href="/review/c?id=web%3App`) != 3 {
		t.Errorf("the PayPal gap shows no passage or not its 3 conversations:\n%s", rows[0])
	}
	if !strings.Contains(body, "7 searches of the documents · 3 answered · 1 helped") {
		t.Errorf("the summary is missing: %s", visible(body))
	}
	// The links lead to the transcripts, which show the search.
	link := regexp.MustCompile(`href="(/review/c\?id=web%3App3[^"]*)"`).FindStringSubmatch(rows[0])
	if link == nil {
		t.Fatal("no link to pp3's conversation")
	}
	resp, tr := c.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the example's transcript: %s", resp.Status)
	}
	for _, want := range []string{
		"searched the documents for “Accettate PayPal?”: answered · score 0.42 · passages found: it/pagamenti#2, faq#7",
		"the customer rated the answer to “Accettate PayPal?”: it did not help",
	} {
		if got := visible(tr); !strings.Contains(got, want) {
			t.Errorf("the transcript does not say %q:\n%s", want, got)
		}
	}
}

// TestGapsPageCountsTheShopsDays: a period of one day in Rome counts the
// searches of that day there, and a bad period is said, not applied.
func TestGapsPageCountsTheShopsDays(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	a := memory.NewArchive()
	seedSearches(t, a, now)
	srv := httptest.NewServer(newHandlerIn(t, a, rome))
	defer srv.Close()
	c := mustSignIn(t, srv)
	// 19 March in Rome ends at 23:00 UTC: only the search of 19:00 UTC.
	_, body := c.get("/review/gaps?from=2026-03-19&to=2026-03-19")
	if !strings.Contains(body, "1 searches of the documents") || strings.Count(body, `<tr class="gap"`) != 1 {
		t.Errorf("19 March in Rome: %s", visible(body))
	}
	resp, body := c.get("/review/gaps?from=2026-03-20&to=2026-03-01")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `role="alert"`) {
		t.Errorf("a period backwards: %s, %s", resp.Status, visible(body))
	}
	_, body = c.get("/review/gaps?from=2026-01-01&to=2026-01-31")
	if !strings.Contains(body, `id="no-gaps"`) {
		t.Errorf("a month without searches: %s", visible(body))
	}
}

// TestGapsPageTakesOnlyAPeriod: a period the page cannot use is said, in
// the manager's language, and the last 30 days are shown instead; odd
// values never fail the page.
func TestGapsPageTakesOnlyAPeriod(t *testing.T) {
	a := memory.NewArchive()
	seedSearches(t, a, now)
	srv := httptest.NewServer(newHandler(t, a))
	defer srv.Close()
	c := mustSignIn(t, srv)
	for _, tc := range []struct {
		query string
		alert bool
	}{
		{"days=abc", false},
		{"days=0", false},
		{"days=100000", false},
		{"days=-3", false},
		{"from=yesterday", true},
		{"from=2026-03-01", true}, // no last day
		{"to=2026-03-01", true},
		{"from=2026-03-20&to=2026-03-19", true},
		{"from=2024-01-01&to=2026-03-20", true}, // over a year
		{"from=2026-02-30&to=2026-03-01", true},
		{"from=%00&to=%ff", true},
		{"from=" + strings.Repeat("9", 5000), true},
	} {
		resp, body := c.get("/review/gaps?" + tc.query)
		tc.query = tc.query[:min(len(tc.query), 40)]
		if resp.StatusCode != http.StatusOK {
			t.Errorf("?%s: %s", tc.query, resp.Status)
			continue
		}
		if got := strings.Contains(body, `role="alert"`); got != tc.alert {
			t.Errorf("?%s: an alert %v, want %v", tc.query, got, tc.alert)
		}
		// The seeded searches are within the default 30 days.
		if n := strings.Count(body, `<tr class="gap"`); n != 3 || !strings.Contains(body, "Questions asked 19 Feb 2026 – 20 Mar 2026 · 30 days") {
			t.Errorf("?%s: %d gaps, %s; want the last 30 days' 3", tc.query, n, regexp.MustCompile(`Questions asked[^<]*`).FindString(body))
		}
	}
}

// TestGapsExportAsCSV: the page's export has every gap of its period,
// the hostile question kept as text and not as a formula, times in the
// shop's zone.
func TestGapsExportAsCSV(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	a := memory.NewArchive()
	seedSearches(t, a, now)
	evs := []bot.Event{{ID: "web:f|m0|0", Address: bot.Address{Channel: "web", ChatID: "f"}, Type: bot.EventLookup, Time: now.Add(-time.Minute),
		Action: bot.LookupDocuments, Value: bot.DocumentsAbstained, Text: `=HYPERLINK("http://evil")`}}
	if err := a.Append(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newHandlerIn(t, a, rome))
	defer srv.Close()
	c := mustSignIn(t, srv)
	_, page := c.get("/review/gaps?days=7")
	link := regexp.MustCompile(`href="([^"]*format=csv[^"]*)"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("no export link: %s", visible(page))
	}
	resp, body := c.get(html.UnescapeString(link[1]))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="gaps-2026-03-14-2026-03-20.csv"` {
		t.Fatalf("export: %s %q %q", resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "question" {
		t.Fatalf("%d rows, want a header and 4 gaps:\n%s", len(rows), body)
	}
	if got := rows[1]; got[0] != "Posso pagare con PayPal?" || got[2] != "3" || got[8] != "it" || got[9] != "2026-03-19T20:00:20+01:00" ||
		got[11] != "it/pagamenti#2" || strings.Count(got[12], "web:pp") != 3 {
		t.Errorf("the PayPal gap exports as %q", got)
	}
	if !strings.Contains(body, `'=HYPERLINK`) {
		t.Errorf("a question that starts with = exports as a formula:\n%s", body)
	}
	if resp, _ := c.get("/review/gaps?format=xml"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("format=xml: %s, want 400", resp.Status)
	}
}

// TestTranscriptGoesBackToTheGaps: a transcript opened from the gaps goes
// back to them, with their period.
func TestTranscriptGoesBackToTheGaps(t *testing.T) {
	a := memory.NewArchive()
	seedSearches(t, a, now)
	srv := httptest.NewServer(newHandler(t, a))
	defer srv.Close()
	c := mustSignIn(t, srv)
	req, _ := http.NewRequest("GET", srv.URL+"/review/c?id=web:pp1", nil)
	req.Header.Set("Referer", srv.URL+"/review/gaps?days=7")
	_, body := c.do(req)
	if !strings.Contains(body, `<a class="back noprint" href="/review/gaps?days=7">← Gaps</a>`) {
		t.Errorf("the transcript's way back: %s", regexp.MustCompile(`<a class="back[^>]*>[^<]*</a>`).FindString(body))
	}
}
