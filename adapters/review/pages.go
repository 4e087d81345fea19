package review

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// page is what every page's template gets: the frame around its content.
type page struct {
	Title   string
	User    string
	CSRF    string
	Nav     string // the active tab
	Prefix  string
	Printed time.Time
	Lang    string     // the page's language
	Zone    string     // the shop's time zone, by name
	Langs   []langLink // the language switch
}

// A langLink switches the pages to a language and comes back to the page.
type langLink struct {
	Lang, Name, URL string
	Active          bool
}

// frame returns the page of r for session s, with the title's text.
func (h *Handler) frame(r *http.Request, s *session, title, nav string) page {
	l := h.locale(r)
	p := page{Title: title, Nav: nav, Prefix: Prefix, Printed: h.cfg.Now(), Lang: l.Lang, Zone: h.cfg.Zone.String()}
	if s != nil {
		p.User, p.CSRF = s.User, h.csrf(s)
	}
	for _, lang := range langs {
		p.Langs = append(p.Langs, langLink{Lang: lang, Name: l.T("lang." + lang), Active: lang == l.Lang,
			URL: Prefix + "/lang?" + url.Values{"to": {lang}, "next": {r.URL.RequestURI()}}.Encode()})
	}
	return p
}

// page returns the frame of a signed-in page.
func (h *Handler) page(r *http.Request, title, nav string) page {
	return h.frame(r, sessionOf(r), title, nav)
}

// locale returns the locale r is answered in.
func (h *Handler) locale(r *http.Request) *locale { return h.locales[langOf(r)] }

// switchLang remembers the language chosen in the top bar (a cookie for
// a year) and goes back to the page it was chosen on. It needs no
// session: the sign-in page has the switch too.
func (h *Handler) switchLang(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("to")
	if !supported(lang) {
		http.Error(w, "to: want "+strings.Join(langs, " or "), http.StatusBadRequest)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: Prefix + "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.cfg.Secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// funcs are the templates' functions in the language and zone of l.
func (l *locale) funcs() template.FuncMap {
	return template.FuncMap{
		"t":           l.T,
		"num":         l.Num,
		"pct":         l.Pct,
		"dec":         l.Dec,
		"duration":    l.Duration,
		"date":        l.Date,
		"datetime":    l.DateTime,
		"clock":       l.Clock,
		"iso":         l.ISO,
		"outcomeName": l.Outcome,
		"team":        l.Team,
		"language":    l.Language,
		"conf":        func(f float64) string { return strconv.Itoa(int(math.Round(100*f))) + "%" },
		"stars":       func(n int) string { return strings.Repeat("★", n) + strings.Repeat("☆", 5-n) },
		"short": func(s string, n int) string {
			if r := []rune(s); len(r) > n {
				return string(r[:n-1]) + "…"
			}
			return s
		},
		"add":         func(a, b int) int { return a + b },
		"csatChoices": func() []string { return []string{"5", "4", "3", "2", "1"} },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"conversationURL": func(id string) string {
			return Prefix + "/c?id=" + url.QueryEscape(id)
		},
	}
}

// parseTemplates parses the pages once for each language: each set has
// the functions of its locale, so a template says {{t "key"}} anywhere.
func (h *Handler) parseTemplates() error {
	h.locales = map[string]*locale{}
	h.pages = map[string]map[string]*template.Template{}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, lang := range langs {
		l := newLocale(lang, h.cfg.Zone)
		h.locales[lang] = l
		h.pages[lang] = map[string]*template.Template{}
		layout, err := template.New("layout.html").Funcs(l.funcs()).ParseFS(templateFS, "templates/layout.html")
		if err != nil {
			return fmt.Errorf("review: templates: %w", err)
		}
		for _, n := range names {
			name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if name == "layout" {
				continue
			}
			t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
			if err != nil {
				return fmt.Errorf("review: template %s: %w", name, err)
			}
			h.pages[lang][name] = t
		}
	}
	return nil
}

// render writes a page in r's language, or a short error: a half-written
// page is never sent.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	l := h.locale(r)
	var b bytes.Buffer
	if err := h.pages[l.Lang][name].ExecuteTemplate(&b, "layout.html", data); err != nil {
		h.log.Error("render", "page", name, "err", err)
		http.Error(w, l.T("err.render"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", l.Lang)
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.log.Error(what, "err", err)
	http.Error(w, h.locale(r).T("err.archive"), http.StatusServiceUnavailable)
}

// Choices offered by the filters' menus; other values work by URL.
var (
	channels  = []string{"telegram", "web", "console"}
	teams     = []string{"sales", "support"}
	outcomes  = []report.Outcome{report.OutcomeBot, report.OutcomeSales, report.OutcomeSupport, report.OutcomeAbandoned}
	languages = []string{"it", "en"} // of the customers
)

type listData struct {
	page
	Filter        report.Filter
	From, To      string // the filter's days, for the date inputs
	FilterError   string
	Conversations []report.Conversation
	Total         int
	Page, Pages   int
	First, Last   int
	Query         string // the filters as a query string, without the page
	Prev, Next    string
	// ExportCSV and ExportJSON export the filtered list, built here so
	// that the template does not escape the query's "&" and "=".
	ExportCSV, ExportJSON string
	Channels              []string
	Teams                 []string
	Outcomes              []report.Outcome
	Languages             []string
	Elapsed               time.Duration
}

func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	l := h.locale(r)
	zone := h.cfg.Zone
	d := listData{page: h.page(r, l.T("nav.conv"), "list"), Channels: channels, Teams: teams,
		Outcomes: outcomes, Languages: languages}
	f, err := parseFilter(r.URL.Query(), zone)
	status := http.StatusOK
	if err != nil {
		d.FilterError, status = l.explain(err), http.StatusBadRequest
	}
	start := time.Now()
	list, total, err := h.cfg.Archive.List(r.Context(), f)
	if err != nil {
		h.fail(w, r, "list conversations", err)
		return
	}
	d.Elapsed = time.Since(start)
	d.Filter, d.Conversations, d.Total = f, list, total
	if !f.From.IsZero() {
		d.From = f.From.In(zone).Format(time.DateOnly)
	}
	if !f.To.IsZero() {
		d.To = lastDay(f.To, zone).Format(time.DateOnly)
	}
	d.Page = f.Offset/pageSize + 1
	d.Pages = max((total+pageSize-1)/pageSize, 1)
	d.First, d.Last = f.Offset+1, f.Offset+len(list)
	q := filterValues(f, zone)
	d.Query = q.Encode()
	for _, ex := range []struct {
		format string
		dst    *string
	}{{"csv", &d.ExportCSV}, {"json", &d.ExportJSON}} {
		v := filterValues(f, zone)
		v.Set("format", ex.format)
		*ex.dst = Prefix + "/export?" + v.Encode()
	}
	link := func(p int) string {
		v := filterValues(f, zone)
		v.Set("page", strconv.Itoa(p))
		return Prefix + "/?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.Next = link(d.Page + 1)
	}
	h.render(w, r, status, "list", d)
}

// A line is one event of the transcript as the page shows it.
type line struct {
	bot.Event
	Kind string // message, note, timeline
	Who  string
}

type transcriptData struct {
	page
	C        *report.Conversation
	Lines    []line
	Timeline []line
	Print    bool
	Back     string
	BackText string
}

func (h *Handler) transcript(w http.ResponseWriter, r *http.Request) (*report.Conversation, []bot.Event, bool) {
	id := r.URL.Query().Get("id")
	c, evs, err := h.cfg.Archive.Transcript(r.Context(), id)
	if errors.Is(err, report.ErrNoConversation) || id == "" {
		http.Error(w, h.locale(r).T("err.noconv"), http.StatusNotFound)
		return nil, nil, false
	}
	if err != nil {
		h.fail(w, r, "transcript", err)
		return nil, nil, false
	}
	return c, evs, true
}

func (h *Handler) transcriptPage(w http.ResponseWriter, r *http.Request) {
	c, evs, ok := h.transcript(w, r)
	if !ok {
		return
	}
	l := h.locale(r)
	d := transcriptData{page: h.page(r, l.T("tr.title", c.Address.String()), "list"), C: c,
		Print: r.URL.Query().Get("print") != "", Back: Prefix + "/", BackText: l.T("tr.back")}
	// Back to the list, or to the gaps, with the filters it came from.
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		switch ref.Path {
		case Prefix + "/":
			d.Back = ref.RequestURI()
		case Prefix + "/gaps":
			d.Back, d.BackText = ref.RequestURI(), l.T("tr.backgaps")
		}
	}
	for _, e := range evs {
		ln := line{Event: e, Kind: "note"}
		switch e.Type {
		case bot.EventCustomer:
			ln.Kind, ln.Who = "message", l.T("tr.customer")
		case bot.EventBot:
			ln.Kind, ln.Who = "message", l.T("tr.bot")
		case bot.EventAgent:
			ln.Kind, ln.Who = "message", e.Agent
		case bot.EventSystem:
			ln.Kind, ln.Who = "message", l.T("tr.system")
		case bot.EventHandoff, bot.EventClaimed, bot.EventReleased, bot.EventResolved, bot.EventLeftQueue,
			bot.EventTimeout, bot.EventCSAT:
			ln.Kind = "timeline"
			d.Timeline = append(d.Timeline, ln)
		}
		d.Lines = append(d.Lines, ln)
	}
	h.render(w, r, http.StatusOK, "transcript", d)
}

// csvCell keeps a spreadsheet from running a customer's text as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func attachmentName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
	return s
}

// Exports write times in the shop's zone, as RFC 3339 with its offset
// (2026-03-21T00:30:00+01:00): the day a spreadsheet shows is the day the
// pages show, and the instant stays exact. Their column names and values
// are for machines, the same in every language.

// inZone returns c with its times in zone, for an export.
func inZone(c report.Conversation, zone *time.Location) report.Conversation {
	c.Started, c.Last = c.Started.In(zone), c.Last.In(zone)
	return c
}

func (h *Handler) exportTranscript(w http.ResponseWriter, r *http.Request) {
	c, evs, ok := h.transcript(w, r)
	if !ok {
		return
	}
	zone := h.cfg.Zone
	name := "conversation-" + attachmentName(c.ID)
	switch r.URL.Query().Get("format") {
	case "json":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		conv := inZone(*c, zone)
		for i := range evs {
			evs[i].Time = evs[i].Time.In(zone)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Conversation *report.Conversation `json:"conversation"`
			Events       []bot.Event          `json:"events"`
		}{&conv, evs})
	case "csv", "":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		cw := csv.NewWriter(w)
		cw.Write([]string{"time", "type", "agent", "text", "intent", "confidence", "team", "case", "score", "attachments"})
		for _, e := range evs {
			var att []string
			for _, a := range e.Attachments {
				att = append(att, strings.TrimSpace(a.Kind+" "+a.Name+" "+a.Caption))
			}
			conf, score := "", ""
			if e.Type == bot.EventIntent {
				conf = strconv.FormatFloat(e.Confidence, 'f', 2, 64)
			}
			if e.Score > 0 {
				score = strconv.Itoa(e.Score)
			}
			cw.Write([]string{e.Time.In(zone).Format(time.RFC3339), string(e.Type), csvCell(e.Agent), csvCell(e.Text),
				csvCell(e.Intent), conf, csvCell(e.Team), csvCell(e.Case), score, csvCell(strings.Join(att, "; "))})
		}
		cw.Flush()
	default:
		http.Error(w, h.locale(r).T("err.format"), http.StatusBadRequest)
	}
}

// maxExport caps the rows of a list export.
const maxExport = 100_000

func (h *Handler) exportList(w http.ResponseWriter, r *http.Request) {
	l, zone := h.locale(r), h.cfg.Zone
	f, err := parseFilter(r.URL.Query(), zone)
	if err != nil {
		http.Error(w, l.explain(err), http.StatusBadRequest)
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" {
		http.Error(w, l.T("err.format"), http.StatusBadRequest)
		return
	}
	// Page through the archive, so the first rows go out before the last
	// are read; the header is written once the first page is in.
	f.Offset, f.Limit = 0, 1000
	name := "conversations-" + h.cfg.Now().In(zone).Format("2006-01-02")
	var cw *csv.Writer
	var enc *json.Encoder
	n := 0
	for n < maxExport {
		list, _, err := h.cfg.Archive.List(r.Context(), f)
		if err != nil {
			if n == 0 {
				h.fail(w, r, "export conversations", err)
			} else {
				h.log.Error("export conversations", "err", err, "rows", n)
			}
			return
		}
		if n == 0 {
			w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.`+format+`"`)
			if format == "json" {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte("[\n"))
				enc = json.NewEncoder(w)
			} else {
				w.Header().Set("Content-Type", "text/csv; charset=utf-8")
				cw = csv.NewWriter(w)
				cw.Write([]string{"id", "address", "channel", "started", "last", "lang", "team", "outcome", "intents",
					"csat", "agent", "messages", "customer_messages", "agent_messages", "fallbacks",
					"time_to_claim_s", "time_to_first_reply_s", "first_message"})
			}
		}
		for _, c := range list {
			c = inZone(c, zone)
			if enc != nil {
				if n > 0 {
					w.Write([]byte(","))
				}
				enc.Encode(c)
			} else {
				cw.Write([]string{c.ID, csvCell(c.Address.String()), c.Address.Channel, c.Started.Format(time.RFC3339),
					c.Last.Format(time.RFC3339), c.Language, csvCell(c.Team), csvCell(string(c.Outcome)),
					csvCell(strings.Join(c.Intents, " ")), strconv.Itoa(c.CSAT), csvCell(c.Agent), strconv.Itoa(c.Messages),
					strconv.Itoa(c.CustomerMessages), strconv.Itoa(c.AgentMessages), strconv.Itoa(c.Fallbacks),
					seconds(c.TimeToClaim), seconds(c.TimeToFirstReply), csvCell(c.Preview)})
			}
			n++
		}
		if len(list) < f.Limit {
			break
		}
		f.Offset += len(list)
	}
	if enc != nil {
		w.Write([]byte("]\n"))
	} else {
		cw.Flush()
	}
}

func seconds(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 0, 64)
}
