package review

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"

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
	BaseY         int
	Empty         bool
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

const (
	chartW, chartH = 760, 220
	padL, padB     = 40, 24
	padT           = 10
)

func dayChart(days []report.DayCount, p report.Period) barChart {
	c := barChart{Width: chartW, Height: chartH, BaseY: chartH - padB}
	top := 0
	for _, d := range days {
		top = max(top, d.Count)
	}
	c.Empty = top == 0
	step := niceStep(top)
	top = max(step*((top+step-1)/step), step)
	plotH := float64(chartH - padB - padT)
	for v := 0; v <= top; v += step {
		c.Grid = append(c.Grid, gridLine{Y: float64(c.BaseY) - plotH*float64(v)/float64(top), Label: strconv.Itoa(v)})
	}
	n := max(len(days), 1)
	slot := float64(chartW-padL) / float64(n)
	every := max(1, (n+11)/12) // at most a dozen date labels
	for i, d := range days {
		h := plotH * float64(d.Count) / float64(top)
		x := float64(padL) + float64(i)*slot
		c.Bars = append(c.Bars, vbar{X: x + slot*0.15, Y: float64(c.BaseY) - h, W: slot * 0.7, H: h,
			Title: d.Day.Format("Mon 2 Jan") + ": " + strconv.Itoa(d.Count) + " conversations",
			Link:  listLink(report.Period{From: d.Day, To: d.Day.AddDate(0, 0, 1)}, url.Values{})})
		if i%every == 0 {
			c.Labels = append(c.Labels, axisLabel{X: x + slot/2, Label: d.Day.Format("2 Jan")})
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

// An hbarChart is a ranking: one horizontal bar per item.
type hbarChart struct {
	Width, Height int
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
	Y, W  float64
	Share string
}

const rowH = 28

func hbars(items []bar, sortBy string) hbarChart {
	if sortBy != "" {
		slices.SortFunc(items, func(a, b bar) int { return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label)) })
	}
	c := hbarChart{Width: 420, Height: max(len(items), 1) * rowH, Empty: true}
	top, sum := 0, 0
	for _, it := range items {
		top = max(top, it.Value)
		sum += it.Value
	}
	for i, it := range items {
		r := hrow{bar: it, Y: float64(i * rowH)}
		if top > 0 {
			r.W = 200 * float64(it.Value) / float64(top)
			r.Share = strconv.Itoa(int(100*float64(it.Value)/float64(sum)+0.5)) + "%"
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
	Value int
	Share string
	Link  string
}

func outcomeSegments(st *report.Stats) []segment {
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
		out = append(out, segment{X: x, W: w, Class: class, Label: outcomeName(o), Value: n,
			Share: strconv.Itoa(int(100*float64(n)/float64(st.Conversations)+0.5)) + "%",
			Link:  listLink(st.Period, url.Values{"outcome": {string(o)}})})
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
