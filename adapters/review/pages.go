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

// page is what every page's template gets.
type page struct {
	Title   string
	User    string
	CSRF    string
	Nav     string // the active tab
	Prefix  string
	Printed time.Time
}

func (h *Handler) page(r *http.Request, title, nav string) page {
	s := sessionOf(r)
	return page{Title: title, User: s.User, CSRF: h.csrf(s), Nav: nav, Prefix: Prefix, Printed: h.cfg.Now()}
}

var funcs = template.FuncMap{
	"duration": fmtDuration,
	"pct":      func(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" },
	"conf":     func(f float64) string { return strconv.Itoa(int(math.Round(100*f))) + "%" },
	"date":     func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
	"datetime": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04") },
	"clock":    func(t time.Time) string { return t.UTC().Format("15:04:05") },
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"stars":    func(n int) string { return strings.Repeat("★", n) + strings.Repeat("☆", 5-n) },
	"short": func(s string, n int) string {
		if r := []rune(s); len(r) > n {
			return string(r[:n-1]) + "…"
		}
		return s
	},
	"outcomeName": outcomeName,
	"add":         func(a, b int) int { return a + b },
	"f1":          func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"f0":          func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) },
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

func outcomeName(o report.Outcome) string {
	switch o {
	case report.OutcomeBot:
		return "Solved by the bot"
	case report.OutcomeAbandoned:
		return "Abandoned"
	case "":
		return ""
	}
	return "Handed to " + string(o)
}

// fmtDuration writes a duration the way people say it: 45s, 3m 10s, 2h 5m.
func fmtDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + "s"
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

func (h *Handler) parseTemplates() error {
	h.pages = map[string]*template.Template{}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("review: templates: %w", err)
	}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return fmt.Errorf("review: template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return nil
}

// render writes a page, or a short error: a half-written page is never sent.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var b bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&b, "layout.html", data); err != nil {
		h.log.Error("render", "page", name, "err", err)
		http.Error(w, "the page could not be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (h *Handler) fail(w http.ResponseWriter, what string, err error) {
	h.log.Error(what, "err", err)
	http.Error(w, "the archive is not available now; try again in a moment", http.StatusServiceUnavailable)
}

// Choices offered by the filters' menus; other values work by URL.
var (
	channels  = []string{"telegram", "web", "console"}
	teams     = []string{"sales", "support"}
	outcomes  = []report.Outcome{report.OutcomeBot, report.OutcomeSales, report.OutcomeSupport, report.OutcomeAbandoned}
	languages = []string{"it", "en"}
)

type listData struct {
	page
	Filter        report.Filter
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
	d := listData{page: h.page(r, "Conversations", "list"), Channels: channels, Teams: teams,
		Outcomes: outcomes, Languages: languages}
	f, err := parseFilter(r.URL.Query())
	status := http.StatusOK
	if err != nil {
		d.FilterError, status = err.Error(), http.StatusBadRequest
	}
	start := time.Now()
	list, total, err := h.cfg.Archive.List(r.Context(), f)
	if err != nil {
		h.fail(w, "list conversations", err)
		return
	}
	d.Elapsed = time.Since(start)
	d.Filter, d.Conversations, d.Total = f, list, total
	d.Page = f.Offset/pageSize + 1
	d.Pages = max((total+pageSize-1)/pageSize, 1)
	d.First, d.Last = f.Offset+1, f.Offset+len(list)
	q := filterValues(f)
	d.Query = q.Encode()
	for _, ex := range []struct {
		format string
		dst    *string
	}{{"csv", &d.ExportCSV}, {"json", &d.ExportJSON}} {
		v := filterValues(f)
		v.Set("format", ex.format)
		*ex.dst = Prefix + "/export?" + v.Encode()
	}
	link := func(p int) string {
		v := filterValues(f)
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
}

func (h *Handler) transcript(w http.ResponseWriter, r *http.Request) (*report.Conversation, []bot.Event, bool) {
	id := r.URL.Query().Get("id")
	c, evs, err := h.cfg.Archive.Transcript(r.Context(), id)
	if errors.Is(err, report.ErrNoConversation) || id == "" {
		http.Error(w, "no such conversation (retention may have deleted it)", http.StatusNotFound)
		return nil, nil, false
	}
	if err != nil {
		h.fail(w, "transcript", err)
		return nil, nil, false
	}
	return c, evs, true
}

func (h *Handler) transcriptPage(w http.ResponseWriter, r *http.Request) {
	c, evs, ok := h.transcript(w, r)
	if !ok {
		return
	}
	d := transcriptData{page: h.page(r, "Conversation "+c.Address.String(), "list"), C: c,
		Print: r.URL.Query().Get("print") != "", Back: Prefix + "/"}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path == Prefix+"/" {
		d.Back = ref.RequestURI()
	}
	for _, e := range evs {
		l := line{Event: e, Kind: "note"}
		switch e.Type {
		case bot.EventCustomer:
			l.Kind, l.Who = "message", "Customer"
		case bot.EventBot:
			l.Kind, l.Who = "message", "Bot"
		case bot.EventAgent:
			l.Kind, l.Who = "message", e.Agent
		case bot.EventSystem:
			l.Kind, l.Who = "message", "System"
		case bot.EventHandoff, bot.EventClaimed, bot.EventReleased, bot.EventResolved, bot.EventLeftQueue,
			bot.EventTimeout, bot.EventCSAT:
			l.Kind = "timeline"
			d.Timeline = append(d.Timeline, l)
		}
		d.Lines = append(d.Lines, l)
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

func (h *Handler) exportTranscript(w http.ResponseWriter, r *http.Request) {
	c, evs, ok := h.transcript(w, r)
	if !ok {
		return
	}
	name := "conversation-" + attachmentName(c.ID)
	switch r.URL.Query().Get("format") {
	case "json":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Conversation *report.Conversation `json:"conversation"`
			Events       []bot.Event          `json:"events"`
		}{c, evs})
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
			cw.Write([]string{e.Time.UTC().Format(time.RFC3339), string(e.Type), csvCell(e.Agent), csvCell(e.Text),
				csvCell(e.Intent), conf, csvCell(e.Team), csvCell(e.Case), score, csvCell(strings.Join(att, "; "))})
		}
		cw.Flush()
	default:
		http.Error(w, "format: csv or json", http.StatusBadRequest)
	}
}

// maxExport caps the rows of a list export.
const maxExport = 100_000

func (h *Handler) exportList(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" {
		http.Error(w, "format: csv or json", http.StatusBadRequest)
		return
	}
	// Page through the archive, so the first rows go out before the last
	// are read; the header is written once the first page is in.
	f.Offset, f.Limit = 0, 1000
	name := "conversations-" + h.cfg.Now().UTC().Format("2006-01-02")
	var cw *csv.Writer
	var enc *json.Encoder
	n := 0
	for n < maxExport {
		list, _, err := h.cfg.Archive.List(r.Context(), f)
		if err != nil {
			if n == 0 {
				h.fail(w, "export conversations", err)
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
			if enc != nil {
				if n > 0 {
					w.Write([]byte(","))
				}
				enc.Encode(c)
			} else {
				cw.Write([]string{c.ID, csvCell(c.Address.String()), c.Address.Channel, c.Started.UTC().Format(time.RFC3339),
					c.Last.UTC().Format(time.RFC3339), c.Language, csvCell(c.Team), csvCell(string(c.Outcome)),
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

type dashboardData struct {
	page
	Stats       *report.Stats
	From, To    string // the period's first and last day
	Days        int
	Presets     []preset
	PerDay      barChart
	OutcomeBar  []segment
	Handoffs    hbarChart
	CSAT        hbarChart
	Intents     hbarChart
	Contained   int
	HandedOff   int
	Abandoned   int
	FilterError string
	// DeadLetters counts the events the archive set aside; -1 when the
	// archive did not say.
	DeadLetters int
}

type preset struct {
	Label, URL string
	Active     bool
}

func (h *Handler) dashboardPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	today := h.cfg.Now().UTC().Truncate(24 * time.Hour)
	d := dashboardData{page: h.page(r, "Dashboard", "dashboard")}
	days := 30
	if s := q.Get("days"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 366 {
			days = n
		}
	}
	p := report.Period{From: today.AddDate(0, 0, 1-days), To: today.AddDate(0, 0, 1)}
	if q.Get("from") != "" || q.Get("to") != "" {
		f, err := parseFilter(url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}})
		switch {
		case err != nil:
			d.FilterError = err.Error()
		case f.From.IsZero() || f.To.IsZero() || !f.From.Before(f.To) || f.To.Sub(f.From) > 366*24*time.Hour:
			d.FilterError = "choose a first and a last day, at most a year apart"
		default:
			p = report.Period{From: f.From, To: f.To}
			days = 0
		}
	}
	for _, n := range []int{7, 30, 90, 365} {
		d.Presets = append(d.Presets, preset{Label: presetLabel(n), URL: Prefix + "/dashboard?days=" + strconv.Itoa(n), Active: n == days})
	}
	st, err := h.cfg.Archive.Stats(r.Context(), p)
	if err != nil {
		h.fail(w, "stats", err)
		return
	}
	d.Stats = st
	if d.DeadLetters, err = h.cfg.Archive.CountDeadLetters(r.Context()); err != nil {
		h.log.Warn("count dead letters", "err", err)
		d.DeadLetters = -1
	}
	d.From, d.To = p.From.Format(time.DateOnly), p.To.AddDate(0, 0, -1).Format(time.DateOnly)
	d.Days = len(st.PerDay)
	d.PerDay = dayChart(st.PerDay, p)
	d.Contained = st.Outcomes[report.OutcomeBot]
	d.Abandoned = st.Outcomes[report.OutcomeAbandoned]
	d.HandedOff = st.Conversations - d.Contained - d.Abandoned
	d.OutcomeBar = outcomeSegments(st)
	var items []bar
	for team, n := range st.Handoffs {
		items = append(items, bar{Label: team, Value: n, Link: listLink(p, url.Values{"team": {team}})})
	}
	d.Handoffs = hbars(items, "team")
	items = nil
	for s := 5; s >= 1; s-- {
		items = append(items, bar{Label: strings.Repeat("★", s), Value: st.CSAT[s], Link: listLink(p, url.Values{"csat": {strconv.Itoa(s)}}), Class: "csat" + strconv.Itoa(s)})
	}
	d.CSAT = hbars(items, "")
	items = nil
	for _, ic := range st.TopIntents {
		items = append(items, bar{Label: ic.Intent, Value: ic.Count, Link: listLink(p, url.Values{"intent": {ic.Intent}})})
	}
	d.Intents = hbars(items, "intent")
	h.render(w, r, http.StatusOK, "dashboard", d)
}

func presetLabel(n int) string {
	if n == 365 {
		return "Last year"
	}
	return "Last " + strconv.Itoa(n) + " days"
}

// listLink is the list of the period's conversations with more filters.
func listLink(p report.Period, v url.Values) string {
	v.Set("from", p.From.Format(time.DateOnly))
	v.Set("to", p.To.AddDate(0, 0, -1).Format(time.DateOnly))
	return Prefix + "/?" + v.Encode()
}
