package extract

import "time"

// restatedDates keeps, of a holiday and a calendar date that restate one
// another ("prima di natale, il 23 dicembre", "on the 22nd of december,
// around christmas"), the calendar date, which is the more precise: it
// takes the holiday's cue, and the holiday is read as nothing. The
// calendar date must stand alone in its clause, with a filler at most
// ("il", "on the", "cioè"): "a natale, il 3 gennaio si è rotto" tells two
// facts. The two lie within a month of each other.
func (s *scan) restatedDates() {
	for k := range s.vals {
		h := &s.vals[k]
		if h.Kind != KindDate || h.Precision != PrecisionDay || !s.holidayAt(h) {
			continue
		}
		for j := range s.vals {
			d := &s.vals[j]
			if j == k || d.Kind != KindDate || d.Precision != PrecisionDay || s.holidayAt(d) || d.Cue != CueNone && d.Cue != h.Cue {
				continue
			}
			if !s.adjacentClauses(h, d) || !s.aloneInClause(d) || !withinAMonth(h.Value, d.Value) {
				continue
			}
			d.Cue = h.Cue
			h.Kind = "" // out drops it; its words stay read
			break
		}
	}
}

// holidayAt reports whether the date v names a holiday ("natale",
// "around christmas").
func (s *scan) holidayAt(v *Value) bool {
	for i := s.tokIndex(v.Start); i < len(s.toks) && s.toks[i].start < v.End; i++ {
		for _, k := range holidaysByFirst[s.toks[i].text] {
			if hasSeqAt(s.w, i, holidays[k].words...) {
				return true
			}
		}
	}
	return false
}

// adjacentClauses reports whether a and b lie in clauses next to each
// other.
func (s *scan) adjacentClauses(a, b *Value) bool {
	if b.Start < a.Start {
		a, b = b, a
	}
	bounds := 0
	for i := s.tokIndex(a.End-1) + 1; i <= s.tokIndex(b.Start) && i < len(s.toks); i++ {
		if s.bounds[i] {
			bounds++
		}
	}
	return bounds == 1
}

// aloneInClause reports whether the date v is its clause, but for fillers.
func (s *scan) aloneInClause(v *Value) bool {
	first, last := s.tokIndex(v.Start), s.tokIndex(v.End-1)
	for i := s.clauseStart(first); i < s.clauseEnd(last); i++ {
		if (i < first || i > last) && !dateFillers[s.toks[i].text] {
			return false
		}
	}
	return true
}

// dateFillers are the words that may stand around a date that restates
// another: articles, "cioè", "precisely".
var dateFillers = map[string]bool{
	"il": true, "l": true, "lo": true, "cioe": true, "ossia": true, "ovvero": true, "esattamente": true,
	"precisamente": true, "giorno": true, "on": true, "the": true, "exactly": true, "precisely": true,
	"i": true, "e": true, "ed": true, "mean": true, "think": true, "credo": true, "was": true, "era": true,
}

// withinAMonth reports whether two dates "2006-01-02" are at most 31 days
// apart.
func withinAMonth(a, b string) bool {
	x, err1 := time.Parse(time.DateOnly, a)
	y, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return false
	}
	d := x.Sub(y)
	return d <= 31*24*time.Hour && d >= -31*24*time.Hour
}
