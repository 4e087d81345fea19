package flows

import (
	"time"
	_ "time/tzdata" // business hours work on hosts without a zone database
)

// Open reports whether team works at t, by its business hours, and if
// not, when it opens next (zero when it never does). A team without hours
// is always open.
func (b *Bot) Open(team string, t time.Time) (open bool, next time.Time) {
	tm := b.Teams[team]
	if tm == nil || tm.Hours == "" {
		return true, t
	}
	h := b.Hours[tm.Hours]
	if h == nil {
		return true, t
	}
	return h.Open(t)
}

// Open reports whether the hours include t, and if not the next time they
// do (zero when never within a year).
func (h *Hours) Open(t time.Time) (bool, time.Time) {
	lt := t.In(h.Location)
	minute := lt.Hour()*60 + lt.Minute()
	if !h.holiday(lt) {
		for _, sp := range h.Weekly[lt.Weekday()] {
			if minute >= sp.from && minute < sp.to {
				return true, t
			}
		}
	}
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, h.Location)
	for i := 0; i <= 366; i++ {
		d := day.AddDate(0, 0, i)
		if h.holiday(d) {
			continue
		}
		for _, sp := range h.Weekly[d.Weekday()] {
			if i == 0 && sp.from <= minute {
				continue
			}
			return false, time.Date(d.Year(), d.Month(), d.Day(), sp.from/60, sp.from%60, 0, 0, h.Location)
		}
	}
	return false, time.Time{}
}

func (h *Hours) holiday(t time.Time) bool {
	for _, hd := range h.Holidays {
		if int(t.Month()) == hd.month && t.Day() == hd.day && (hd.year == 0 || hd.year == t.Year()) {
			return true
		}
	}
	return false
}
