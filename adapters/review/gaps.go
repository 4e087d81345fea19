package review

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot/report"
)

// gapsShown is how many gaps the page lists, the costliest first.
const gapsShown = 100

// A gapRow is one gap as the page shows it.
type gapRow struct {
	report.Gap
	Rank      int
	Languages string
	Examples  []gapLink
}

// A gapLink leads to one conversation where the question was asked.
type gapLink struct {
	URL, Question, Kind, Title string
	Time                       time.Time
}

type gapsData struct {
	page
	Gaps        *report.Gaps
	Rows        []gapRow
	From, To    string
	Period      string
	Presets     []preset
	FilterError string
	Summary     string
	More        string // the groups not shown, in words
	ExportCSV   string // the period's gaps as CSV
}

// gapsPage lists the gaps of the help centre in a period: the questions
// the documents did not answer, or answered badly, grouped, the ones that
// cost the most customers first (report.ComputeGaps).
func (h *Handler) gapsPage(w http.ResponseWriter, r *http.Request) {
	l, zone := h.locale(r), h.cfg.Zone
	d := gapsData{page: h.page(r, l.T("nav.gaps"), "gaps")}
	p, presets, filterErr := h.period(r, l, "/gaps")
	d.Presets, d.FilterError = presets, filterErr
	evs, err := h.cfg.Archive.DocumentEvents(r.Context(), p)
	if err != nil {
		h.fail(w, r, "document events", err)
		return
	}
	g := report.ComputeGaps(evs, p, report.GapOptions{Terms: h.cfg.GapTerms})
	d.Gaps = g
	first, last := p.From.In(zone), lastDay(p.To, zone)
	d.From, d.To = first.Format(time.DateOnly), last.Format(time.DateOnly)
	switch r.URL.Query().Get("format") {
	case "":
	case "csv":
		h.exportGaps(w, g, d.From, d.To)
		return
	default:
		http.Error(w, l.T("err.format"), http.StatusBadRequest)
		return
	}
	d.ExportCSV = Prefix + "/gaps?" + url.Values{"from": {d.From}, "to": {d.To}, "format": {"csv"}}.Encode()
	d.Period = l.T("gaps.period", l.Date(first), l.Date(last)) + " · " + l.T("dash.days", len(p.Days())) +
		" · " + l.T("zone.note", zone.String())
	d.Summary = l.T("gaps.summary", g.Searches, g.Answered, g.Helped) + " · " + l.T("gaps.count", g.Questions, len(g.Groups))
	for i, gap := range g.Groups[:min(len(g.Groups), gapsShown)] {
		row := gapRow{Gap: gap, Rank: i + 1}
		var langs []string
		for _, lang := range gap.Languages {
			langs = append(langs, l.Language(lang))
		}
		row.Languages = strings.Join(langs, ", ")
		for _, ex := range gap.Examples {
			row.Examples = append(row.Examples, gapLink{URL: Prefix + "/c?id=" + url.QueryEscape(ex.Conversation),
				Question: ex.Question, Kind: l.T("gaps.kind." + ex.Kind), Time: ex.Time,
				Title: l.T("gaps.example", l.DateTime(ex.Time), l.T("gaps.kind."+ex.Kind))})
		}
		d.Rows = append(d.Rows, row)
	}
	if n := len(g.Groups) - len(d.Rows); n > 0 {
		d.More = l.T("gaps.more", n)
	}
	h.render(w, r, http.StatusOK, "gaps", d)
}

// exportGaps writes every gap of the period as CSV, for a spreadsheet of
// the help centre's to-do list: times in the shop's zone (RFC 3339), the
// example conversations by ID, column names for machines.
func (h *Handler) exportGaps(w http.ResponseWriter, g *report.Gaps, from, to string) {
	zone := h.cfg.Zone
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gaps-`+from+`-`+to+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"question", "other_wordings", "customers", "asked", "conversations", "abstained", "not_helped",
		"person", "languages", "first", "last", "passage", "example_conversations"})
	for _, gap := range g.Groups {
		var convs []string
		for _, ex := range gap.Examples {
			convs = append(convs, ex.Conversation)
		}
		cw.Write([]string{csvCell(gap.Question), csvCell(strings.Join(gap.Variants, " | ")), strconv.Itoa(gap.Customers),
			strconv.Itoa(gap.Asked), strconv.Itoa(gap.Conversations), strconv.Itoa(gap.Abstained), strconv.Itoa(gap.NotHelped),
			strconv.Itoa(gap.Person), strings.Join(gap.Languages, " "), gap.First.In(zone).Format(time.RFC3339),
			gap.Last.In(zone).Format(time.RFC3339), csvCell(gap.Passage), csvCell(strings.Join(convs, " "))})
	}
	cw.Flush()
}
