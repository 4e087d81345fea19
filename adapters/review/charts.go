package review

import (
	"cmp"
	"net/url"
	"slices"
	"time"

	"github.com/sportello/sportello/bot/report"
)

// The charts are laid out here, in SVG user units, and drawn by the
// dashboard template: no script, nothing fetched.

// A barChart is the vertical bars of conversations per day.
type barChart struct {
	Width, Height int
	Bars          []vbar
	Grid          []gridLine
	Labels        []axisLabel
	BaseY, PadL   int
	MidX, MidY    int // where the word that the chart is empty goes
	Empty         bool
	Class         string // the layout: days-wide or days-phone
}

type vbar struct {
	X, Y, W, H float64
	Title      string
	Link       string
}

type gridLine struct {
	Y     float64
	Label string
}

type axisLabel struct {
	X     float64
	Label string
}

// A dayLayout sizes the chart of days for a screen. The SVG scales to its
// box, text with it, so a phone gets a narrower drawing of the same days
// rather than the wide one shrunk until its labels cannot be read.
type dayLayout struct {
	Width, Height, PadL, PadB, PadT int
	MaxLabels                       int
	Class                           string
}

var (
	wideDays  = dayLayout{Width: 760, Height: 220, PadL: 40, PadB: 24, PadT: 10, MaxLabels: 12, Class: "days-wide"}
	phoneDays = dayLayout{Width: 360, Height: 200, PadL: 34, PadB: 22, PadT: 10, MaxLabels: 4, Class: "days-phone"}
)

func dayChart(l *locale, days []report.DayCount, zone *time.Location, lay dayLayout) barChart {
	c := barChart{Width: lay.Width, Height: lay.Height, BaseY: lay.Height - lay.PadB, PadL: lay.PadL, Class: lay.Class,
		MidX: lay.PadL + (lay.Width-lay.PadL)/2, MidY: lay.Height / 2}
	top := 0
	for _, d := range days {
		top = max(top, d.Count)
	}
	c.Empty = top == 0
	step := niceStep(top)
	top = max(step*((top+step-1)/step), step)
	plotH := float64(lay.Height - lay.PadB - lay.PadT)
	for v := 0; v <= top; v += step {
		c.Grid = append(c.Grid, gridLine{Y: float64(c.BaseY) - plotH*float64(v)/float64(top), Label: l.Num(v)})
	}
	n := max(len(days), 1)
	slot := float64(lay.Width-lay.PadL) / float64(n)
	every := max(1, (n+lay.MaxLabels-1)/lay.MaxLabels)
	for i, d := range days {
		h := plotH * float64(d.Count) / float64(top)
		x := float64(lay.PadL) + float64(i)*slot
		c.Bars = append(c.Bars, vbar{X: x + slot*0.15, Y: float64(c.BaseY) - h, W: slot * 0.7, H: h,
			Title: l.T("dash.daybar", l.WeekDay(d.Day), d.Count),
			Link:  listLink(report.Period{From: d.Day, To: report.NextDay(d.Day, zone)}, zone, url.Values{})})
		if i%every == 0 {
			c.Labels = append(c.Labels, axisLabel{X: x + slot/2, Label: l.DayMonth(d.Day)})
		}
	}
	return c
}

// niceStep returns a grid step of 1, 2 or 5 times a power of ten that
// cuts 0..top into at most five parts.
func niceStep(top int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if top <= 5*m*p {
				return m * p
			}
		}
	}
}

// An hbarChart is a ranking: one horizontal bar per item, its label on
// the left, its value and share after it.
type hbarChart struct {
	Width, Height int
	BarX          int // where the bars start, after the labels
	Rows          []hrow
	Empty         bool
}

type bar struct {
	Label string
	Value int
	Link  string
	Class string
}

type hrow struct {
	bar
	Y, W   float64
	ValueX float64 // where the value's text starts, after the bar
	Text   string  // the value and its share, as the language writes them
	Title  string
}

const (
	rowH     = 28
	hbarW    = 360 // near the size it is drawn at, on a phone and beside two others
	hbarX    = 118
	hbarMaxW = 160
)

// hbars lays out items, sorted by value when sorted (else in their order).
func hbars(l *locale, items []bar, sorted bool) hbarChart {
	if sorted {
		slices.SortFunc(items, func(a, b bar) int { return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label)) })
	}
	c := hbarChart{Width: hbarW, Height: max(len(items), 1) * rowH, BarX: hbarX, Empty: true}
	top, sum := 0, 0
	for _, it := range items {
		top = max(top, it.Value)
		sum += it.Value
	}
	for i, it := range items {
		r := hrow{bar: it, Y: float64(i * rowH), Title: it.Label + ": " + l.Num(it.Value)}
		if top > 0 {
			r.W = hbarMaxW * float64(it.Value) / float64(top)
			r.ValueX = hbarX + r.W + 6
			r.Text = l.Num(it.Value) + " · " + l.Share(it.Value, sum)
			c.Empty = false
		}
		c.Rows = append(c.Rows, r)
	}
	return c
}

// A segment is a part of the outcomes' stacked bar.
type segment struct {
	X, W  float64
	Class string
	Label string
	Value string
	Share string
	Link  string
}

func outcomeSegments(l *locale, st *report.Stats, zone *time.Location) []segment {
	if st.Conversations == 0 {
		return nil
	}
	var out []segment
	x := 0.0
	add := func(o report.Outcome, class string) {
		n := st.Outcomes[o]
		if n == 0 {
			return
		}
		w := 760 * float64(n) / float64(st.Conversations)
		out = append(out, segment{X: x, W: w, Class: class, Label: l.Outcome(o), Value: l.Num(n),
			Share: l.Share(n, st.Conversations),
			Link:  listLink(st.Period, zone, url.Values{"outcome": {string(o)}})})
		x += w
	}
	add(report.OutcomeBot, "o-bot")
	add(report.OutcomeSales, "o-sales")
	add(report.OutcomeSupport, "o-support")
	var others []report.Outcome
	for o := range st.Outcomes {
		if o != report.OutcomeBot && o != report.OutcomeSales && o != report.OutcomeSupport && o != report.OutcomeAbandoned {
			others = append(others, o)
		}
	}
	slices.Sort(others)
	for _, o := range others {
		add(o, "o-other")
	}
	add(report.OutcomeAbandoned, "o-abandoned")
	return out
}
