package review

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

func TestAcceptLanguage(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "en"},
		{"it", "it"},
		{"it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", "it"},
		{"en-US,en;q=0.9,it;q=0.8", "en"},
		{"de-DE,de;q=0.9,it;q=0.8,en;q=0.7", "it"}, // the best of those we speak
		{"de-CH, fr;q=0.9", "en"},                  // none: the fallback
		{"IT-ch", "it"},
		{"en;q=0.2, it;q=0.8", "it"},
		{"it;q=0.5, en;q=0.5", "it"}, // equals: the first listed
		{"*", "en"},
		{"it;q=0", "en"}, // q=0: not acceptable
		// Malformed entries are dropped, never the header.
		{"it;q=2, en", "en"},
		{"it;q=abc, en;q=0.1", "en"},
		{"it;level=1, en;q=0.1", "en"},
		{"it;q=NaN, en;q=0.1", "en"},
		{";;;,,,it", "it"},
		{"\x00it\xff, it", "it"},
		{strings.Repeat("de,", 300) + "it", "en"}, // beyond what is read
	} {
		t.Run(tc.header, func(t *testing.T) {
			if got := acceptLanguage(tc.header); got != tc.want {
				t.Errorf("acceptLanguage(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

// FuzzAcceptLanguage: any header picks one of the pages' languages.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"it-IT,it;q=0.9", "en;q=0.1, it;q=0.2", "*;q=0.5", ";q=", "it;q=1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := acceptLanguage(s); !supported(got) {
			t.Fatalf("acceptLanguage(%q) = %q", s, got)
		}
	})
}

// TestCatalogueIsComplete fails on a text a template or the code asks
// for that the catalogue lacks, one left empty in a language, or one no
// one uses any more.
func TestCatalogueIsComplete(t *testing.T) {
	used := map[string]bool{}
	tmplKey := regexp.MustCompile(`\bt "([a-z0-9.]+)"`)
	goKey := regexp.MustCompile(`\.T\("([a-z0-9.]+)"`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := templateFS.ReadFile(n)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	files, _ := filepath.Glob("*.go")
	for _, n := range files {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Keys built at run time: by prefix and value.
	for _, k := range []string{"months", "weekdays", "lang.en", "lang.it", "judge.good", "judge.bad",
		"outcome.bot", "outcome.abandoned", "outcome.sales", "outcome.support", "team.sales", "team.support",
		"language.it", "language.en", "field.from", "field.to", "field.channel", "field.team", "field.lang",
		"field.outcome", "field.intent", "field.agent", "field.address", "field.csat", "field.q", "field.page",
		"filter.date", "filter.value", "filter.address", "filter.csat", "filter.query", "filter.utf8", "filter.page",
		"gaps.kind.abstained", "gaps.kind.not_helped", "gaps.kind.person"} {
		used[k] = true
	}
	for k := range used {
		if strings.HasSuffix(k, ".") {
			continue // a prefix, completed at run time: listed above
		}
		if _, ok := catalogue[k]; !ok {
			t.Errorf("%q is asked for and missing from the catalogue", k)
		}
	}
	for k, m := range catalogue {
		base := strings.TrimSuffix(k, ".one")
		if !used[k] && !used[base] {
			t.Errorf("%q is in the catalogue and never used", k)
		}
		if m.en == "" || m.it == "" {
			t.Errorf("%q: a language is empty: %+v", k, m)
		}
		if strings.Count(m.en, "%s") != strings.Count(m.it, "%s") || strings.Count(m.en, "%") != strings.Count(m.en, "%s") {
			t.Errorf("%q: the languages take different arguments: %+v", k, m)
		}
	}
	for _, lang := range langs {
		l := newLocale(lang, time.UTC)
		if len(l.months) != 12 || len(l.weekdays) != 7 {
			t.Errorf("%s: %d months, %d weekdays", lang, len(l.months), len(l.weekdays))
		}
	}
}

func TestLocaleWritesNumbersDatesAndDurations(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	en, it := newLocale("en", rome), newLocale("it", rome)
	late := time.Date(2026, 3, 19, 23, 30, 5, 0, time.UTC) // 00:30 on the 20th in Rome
	for _, tc := range []struct{ got, want string }{
		{en.Num(1234567), "1,234,567"},
		{it.Num(1234567), "1.234.567"},
		{it.Num(-1234), "-1.234"},
		{en.Num(999), "999"},
		{en.Pct(0.274), "27.4%"},
		{it.Pct(0.274), "27,4%"},
		{it.Dec(3), "3,0"},
		{en.Date(late), "20 Mar 2026"},
		{it.DateTime(late), "20 mar 2026, 00:30"},
		{en.DateTime(late), "20 Mar 2026 00:30"},
		{it.Clock(late), "00:30:05"},
		{en.ISO(late), "2026-03-20T00:30:05+01:00"},
		{it.WeekDay(late), "ven 20 mar"},
		{en.WeekDay(late), "Fri 20 Mar"},
		{en.Duration(45 * time.Second), "45s"},
		{it.Duration(190 * time.Second), "3 min 10 s"},
		{en.Duration(2*time.Hour + 5*time.Minute), "2h 05m"},
		{it.Duration(50 * time.Hour), "2 g 2 h"},
		{en.Duration(0), "–"},
		{en.Wait(time.Second), "1 second"},
		{it.Wait(90 * time.Second), "90 secondi"},
		{it.Wait(5 * time.Minute), "5 minuti"},
		{it.T("dash.ratings", 1), "1 voto"},
		{it.T("dash.ratings", 1200), "1.200 voti"},
		{it.Outcome(report.OutcomeSupport), "Passata all'assistenza"},
		{it.Outcome("billing"), "Passata al team billing"},
		{it.Team("sales"), "vendite"},
		{it.Team("billing"), "billing"},
		{it.T("no.such.key"), "no.such.key"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestLanguageSwitchIsRemembered: the switch sets a cookie that wins over
// the browser's language, goes back to the page it was pressed on, and
// never leaves the review pages.
func TestLanguageSwitchIsRemembered(t *testing.T) {
	srv, _ := newServer(t)
	c := mustSignIn(t, srv)
	resp, _ := c.get("/review/lang?to=it&next=" + url.QueryEscape("/review/dashboard?days=7"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review/dashboard?days=7" {
		t.Fatalf("switch: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	req, _ := http.NewRequest("GET", srv.URL+"/review/dashboard", nil)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Accept-Language", "en-US,en")
	resp, body := c.do(req)
	if resp.Header.Get("Content-Language") != "it" || !strings.Contains(body, `<html lang="it">`) || !strings.Contains(body, "Cruscotto") {
		t.Errorf("after switching to Italian, an English browser gets %q", resp.Header.Get("Content-Language"))
	}
	for _, tc := range []struct{ query, status, location string }{
		{"to=de&next=/review/", "400 Bad Request", ""},
		{"to=en&next=https://evil.example/", "303 See Other", "/review/"},
		{"to=en", "303 See Other", "/review/"},
	} {
		resp, _ := c.get("/review/lang?" + tc.query)
		if resp.Status != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("?%s: %s to %q, want %s to %q", tc.query, resp.Status, resp.Header.Get("Location"), tc.status, tc.location)
		}
	}
	// Without the cookie, the browser's language.
	anon := newClient(t, srv)
	req, _ = http.NewRequest("GET", srv.URL+"/review/signin", nil)
	req.Header.Set("Accept-Language", "it-IT,it;q=0.9")
	if _, body := anon.do(req); !strings.Contains(body, "Accedi") || !strings.Contains(body, `<html lang="it">`) {
		t.Error("an Italian browser's sign-in page is not in Italian")
	}
	// A cookie of no language of the pages is ignored.
	for _, bad := range []string{"de", "", "it\x00", "IT", strings.Repeat("it", 100)} {
		req, _ = http.NewRequest("GET", srv.URL+"/review/signin", nil)
		req.Header.Set("Accept-Language", "it")
		req.Header.Set("Cookie", langCookie+"="+url.QueryEscape(bad))
		if _, body := anon.do(req); !strings.Contains(body, `<html lang="it">`) {
			t.Errorf("cookie %q: the page is not in the browser's language", bad)
		}
	}
}

// archiveOf returns an archive of n conversations, each solved by the
// bot or not as solved says.
func archiveOf(t *testing.T, n int, solved func(i int) bool) *memory.Archive {
	a := memory.NewArchive()
	var evs []bot.Event
	for i := range n {
		addr := bot.Address{Channel: "web", ChatID: strings.Repeat("x", i+1)}
		at := now.Add(-time.Duration(i+1) * time.Hour)
		add := func(k int, e bot.Event) {
			e.ID, e.Address, e.Time = addr.String()+"|m"+string(rune('0'+k))+"|0", addr, at.Add(time.Duration(k)*time.Second)
			evs = append(evs, e)
		}
		add(0, bot.Event{Type: bot.EventCustomer, Text: "hello"})
		if solved(i) {
			add(1, bot.Event{Type: bot.EventIntent, Intent: "hours", Confidence: 0.9})
			add(2, bot.Event{Type: bot.EventBot, Text: "9 to 5"})
		} else {
			add(1, bot.Event{Type: bot.EventFallback})
		}
	}
	if err := a.Append(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestZeroContainmentIsNotGreen: the dashboard judges containment by its
// goal, never green whatever it is; a period without conversations has no
// containment to judge.
func TestZeroContainmentIsNotGreen(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		solved func(int) bool
		class  string
		value  string
	}{
		{"none solved", 4, func(int) bool { return false }, `class="tile bad" id="t-containment-tile"`, ">0.0%<"},
		{"a quarter solved", 4, func(i int) bool { return i == 0 }, `class="tile bad" id="t-containment-tile"`, ">25.0%<"},
		{"half solved", 4, func(i int) bool { return i < 2 }, `class="tile" id="t-containment-tile"`, ">50.0%<"},
		{"all solved", 4, func(int) bool { return true }, `class="tile good" id="t-containment-tile"`, ">100.0%<"},
		{"no conversations", 0, nil, `class="tile" id="t-containment-tile"`, ">–<"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(newHandler(t, archiveOf(t, tc.n, tc.solved)))
			defer srv.Close()
			_, body := mustSignIn(t, srv).get("/review/dashboard?days=7")
			i := strings.Index(body, `id="t-containment-tile"`)
			if i < 0 {
				t.Fatal("no containment tile")
			}
			tile := body[strings.LastIndex(body[:i], "<div"):]
			tile = tile[:strings.Index(tile, "</div>\n  </div>")]
			if !strings.Contains(tile, tc.class) || !strings.Contains(tile, tc.value) {
				t.Errorf("containment tile:\n%s\nwant %s and %s", tile, tc.class, tc.value)
			}
		})
	}
}

func TestGoals(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    goal
		v    float64
		want string
	}{
		{"containment 0", containmentGoal, 0, "bad"},
		{"containment 0.3", containmentGoal, 0.3, ""},
		{"containment 0.6", containmentGoal, 0.6, "good"},
		{"fallback 0", fallbackGoal, 0, "good"},
		{"fallback 0.1", fallbackGoal, 0.1, ""},
		{"fallback 0.2", fallbackGoal, 0.2, "bad"},
		{"csat 2.5", csatGoal, 2.5, "bad"},
		{"csat 4.5", csatGoal, 4.5, "good"},
		{"claim 1 min", claimGoal, 60, "good"},
		{"claim 30 min", claimGoal, 1800, "bad"},
		{"reply 10 min", replyGoal, 600, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.g.judge(tc.v); got != tc.want {
				t.Errorf("judge(%v) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}
