package review

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot/report"
)

// A goal tells a good number from a bad one: at or beyond Good it is
// good, beyond Bad it is bad, and in between neutral. The dashboard
// colours a number by its goal alone, so a bad number is never green, and
// says the goal in words beside it, so colour is never the only sign.
type goal struct {
	Good, Bad float64
	Higher    bool // whether more is better
	format    func(l *locale, v float64) string
}

// The dashboard's goals, for a shop's customer service; docs/review.md
// lists them.
var (
	containmentGoal = goal{Good: 0.6, Bad: 0.3, Higher: true, format: (*locale).pctGoal}
	fallbackGoal    = goal{Good: 0.05, Bad: 0.15, format: (*locale).pctGoal}
	csatGoal        = goal{Good: 4, Bad: 3, Higher: true, format: func(l *locale, v float64) string { return l.Dec(v) + "/5" }}
	claimGoal       = goal{Good: (2 * time.Minute).Seconds(), Bad: (10 * time.Minute).Seconds(), format: (*locale).durationGoal}
	replyGoal       = goal{Good: (5 * time.Minute).Seconds(), Bad: (15 * time.Minute).Seconds(), format: (*locale).durationGoal}
)

func (l *locale) pctGoal(v float64) string      { return strconv.Itoa(int(100*v+0.5)) + "%" }
func (l *locale) durationGoal(v float64) string { return l.T("goal.minutes", int(v/60)) }

// judge returns "good", "bad" or "" (neutral) for v.
func (g goal) judge(v float64) string {
	switch {
	case g.Higher && v >= g.Good, !g.Higher && v <= g.Good:
		return "good"
	case g.Higher && v < g.Bad, !g.Higher && v > g.Bad:
		return "bad"
	}
	return ""
}

// A tile is one number of the dashboard with what it means.
type tile struct {
	ID, Label, Value, Small, Sub string
	Link                         string // the label links there, if set
	Judgement                    string // good, bad or "" (neutral)
	Goal                         string // the goal in words, with the judgement
}

// judged fills t's judgement of v against g; a number of nothing (known
// false) stays neutral and says so by its value.
func (l *locale) judged(t tile, g goal, v float64, known bool) tile {
	if g.Higher {
		t.Goal = l.T("dash.atleast", g.format(l, g.Good))
	} else {
		t.Goal = l.T("dash.atmost", g.format(l, g.Good))
	}
	if !known {
		t.Value = "–"
		return t
	}
	t.Judgement = g.judge(v)
	if t.Judgement != "" {
		t.Goal += " · " + l.T("judge."+t.Judgement)
	}
	return t
}

type dashboardData struct {
	page
	Stats       *report.Stats
	From, To    string // the period's first and last day, for the inputs
	Period      string // the period in words
	Presets     []preset
	Tiles       []tile
	PerDay      barChart // the wide chart, and the same days laid out for a phone
	PerDayPhone barChart
	OutcomeBar  []segment
	Handoffs    hbarChart
	CSAT        hbarChart
	Intents     hbarChart
	FilterError string
}

type preset struct {
	Label, URL string
	Active     bool
}

func (h *Handler) dashboardPage(w http.ResponseWriter, r *http.Request) {
	l, zone := h.locale(r), h.cfg.Zone
	d := dashboardData{page: h.page(r, l.T("nav.dashboard"), "dashboard")}
	p, presets, filterErr := h.period(r, l, "/dashboard")
	d.Presets, d.FilterError = presets, filterErr
	st, err := h.cfg.Archive.Stats(r.Context(), p)
	if err != nil {
		h.fail(w, r, "stats", err)
		return
	}
	d.Stats = st
	deadLetters, err := h.cfg.Archive.CountDeadLetters(r.Context())
	if err != nil {
		h.log.Warn("count dead letters", "err", err)
		deadLetters = -1
	}
	first, last := p.From.In(zone), lastDay(p.To, zone)
	d.From, d.To = first.Format(time.DateOnly), last.Format(time.DateOnly)
	d.Period = l.T("dash.period", l.Date(first), l.Date(last)) + " · " + l.T("dash.days", len(st.PerDay)) +
		" · " + l.T("zone.note", zone.String())
	d.Tiles = h.tiles(l, st, deadLetters)
	d.PerDay = dayChart(l, st.PerDay, zone, wideDays)
	d.PerDayPhone = dayChart(l, st.PerDay, zone, phoneDays)
	d.OutcomeBar = outcomeSegments(l, st, zone)
	var items []bar
	for team, n := range st.Handoffs {
		items = append(items, bar{Label: l.Team(team), Value: n, Link: listLink(p, zone, url.Values{"team": {team}})})
	}
	d.Handoffs = hbars(l, items, true)
	items = nil
	for s := 5; s >= 1; s-- {
		items = append(items, bar{Label: strings.Repeat("★", s), Value: st.CSAT[s],
			Link: listLink(p, zone, url.Values{"csat": {strconv.Itoa(s)}}), Class: "csat" + strconv.Itoa(s)})
	}
	d.CSAT = hbars(l, items, false)
	items = nil
	for _, ic := range st.TopIntents {
		items = append(items, bar{Label: ic.Intent, Value: ic.Count, Link: listLink(p, zone, url.Values{"intent": {ic.Intent}})})
	}
	d.Intents = hbars(l, items, true)
	h.render(w, r, http.StatusOK, "dashboard", d)
}

// period reads the period of a page from its query: the last days=N days
// (1 to 366, 30 by default) up to today, or from and to (days of the
// shop's zone, to inclusive, at most 366 days apart). It returns the
// period, the presets that link the page at path to the usual spans, and
// why from and to were not taken, if they were given and wrong.
func (h *Handler) period(r *http.Request, l *locale, path string) (report.Period, []preset, string) {
	zone, q := h.cfg.Zone, r.URL.Query()
	today := report.DayOf(h.cfg.Now(), zone)
	days := 30
	if s := q.Get("days"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 366 {
			days = n
		}
	}
	p := report.Period{From: today.AddDate(0, 0, 1-days), To: report.NextDay(today, zone), Zone: zone}
	var filterErr string
	if q.Get("from") != "" || q.Get("to") != "" {
		f, err := parseFilter(url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}}, zone)
		switch {
		case err != nil:
			filterErr = l.explain(err)
		case f.From.IsZero() || f.To.IsZero() || !f.From.Before(f.To) ||
			len(report.Period{From: f.From, To: f.To, Zone: zone}.Days()) > 366:
			filterErr = l.T("filter.period")
		default:
			p = report.Period{From: f.From, To: f.To, Zone: zone}
			days = 0
		}
	}
	var presets []preset
	for _, n := range []int{7, 30, 90, 365} {
		label := l.T("dash.last", n)
		if n == 365 {
			label = l.T("dash.lastyear")
		}
		presets = append(presets, preset{Label: label, URL: Prefix + path + "?days=" + strconv.Itoa(n), Active: n == days})
	}
	return p, presets, filterErr
}

// tiles are the dashboard's numbers, each judged by its goal where it has one.
func (h *Handler) tiles(l *locale, st *report.Stats, deadLetters int) []tile {
	contained := st.Outcomes[report.OutcomeBot]
	abandoned := st.Outcomes[report.OutcomeAbandoned]
	ratings := st.CSAT[1] + st.CSAT[2] + st.CSAT[3] + st.CSAT[4] + st.CSAT[5]
	some := st.Conversations > 0
	tiles := []tile{
		{ID: "t-conversations", Label: l.T("dash.conv"), Value: l.Num(st.Conversations), Sub: l.T("dash.custmsgs", st.CustomerMessages)},
		l.judged(tile{ID: "t-containment", Label: l.T("dash.containment"), Value: l.Pct(st.Containment),
			Sub: l.T("dash.solved", contained)}, containmentGoal, st.Containment, some),
		{ID: "t-handed", Label: l.T("dash.handed"), Value: l.Num(st.Conversations - contained - abandoned), Sub: l.T("dash.abandoned", abandoned)},
		l.judged(tile{ID: "t-claim", Label: l.T("dash.claim"), Value: l.Duration(st.MedianClaim), Sub: l.T("dash.claimsub")},
			claimGoal, st.MedianClaim.Seconds(), st.MedianClaim > 0),
		l.judged(tile{ID: "t-reply", Label: l.T("dash.reply"), Value: l.Duration(st.MedianFirstReply), Sub: l.T("dash.replysub")},
			replyGoal, st.MedianFirstReply.Seconds(), st.MedianFirstReply > 0),
		l.judged(tile{ID: "t-csat", Label: l.T("dash.csat"), Value: l.Dec(st.AvgCSAT), Small: "/5", Sub: l.T("dash.ratings", ratings)},
			csatGoal, st.AvgCSAT, ratings > 0),
		l.judged(tile{ID: "t-fallback", Label: l.T("dash.fallback"), Value: l.Pct(st.FallbackRate), Sub: l.T("dash.fallbacks", st.Fallbacks)},
			fallbackGoal, st.FallbackRate, st.CustomerMessages > 0),
	}
	if tiles[5].Value == "–" {
		tiles[5].Small = ""
	}
	// The dead letters have no goal but none: any is bad, none is
	// nothing to praise. The tile is left out when the archive did not say.
	if deadLetters >= 0 {
		t := tile{ID: "t-dead-letters", Label: l.T("dash.deadletters"), Value: l.Num(deadLetters), Sub: l.T("dash.deadsub"),
			Link: Prefix + "/dead-letters"}
		if deadLetters > 0 {
			t.Judgement = "bad"
		}
		tiles = append(tiles, t)
	}
	return tiles
}

// listLink is the list of the period's conversations with more filters.
func listLink(p report.Period, zone *time.Location, v url.Values) string {
	v.Set("from", p.From.In(zone).Format(time.DateOnly))
	v.Set("to", lastDay(p.To, zone).Format(time.DateOnly))
	return Prefix + "/?" + v.Encode()
}
