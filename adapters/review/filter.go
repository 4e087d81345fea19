package review

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// pageSize is the number of conversations on a page of the list.
const pageSize = 50

// maxQuery is the longest search query accepted, in characters.
const maxQuery = 200

// A filterError names the field of a filter that was refused and why,
// as a catalogue key: the page says it in the manager's language.
type filterError struct {
	Field string // the query parameter
	Key   string // the catalogue's text of the reason
	Arg   any    // its argument, if any
}

// Error says it in English, for logs and scripts.
func (e *filterError) Error() string {
	return e.Field + ": " + newLocale("en", time.UTC).reason(e)
}

func (l *locale) reason(e *filterError) string {
	if e.Arg != nil {
		return l.T(e.Key, e.Arg)
	}
	return l.T(e.Key)
}

// explain says err in l's language: a filterError with its field's label.
func (l *locale) explain(err error) string {
	var fe *filterError
	if errors.As(err, &fe) {
		return l.T("field."+fe.Field) + ": " + l.reason(fe)
	}
	return err.Error()
}

// parseFilter reads the list's filters from a query string: from and to
// (days of zone, to inclusive), channel, team, outcome, lang, intent,
// csat (1 to 5, or "none"), agent, q (full-text search) and page (from
// 1). Empty values select everything. It returns a *filterError naming
// the first bad field.
func parseFilter(v url.Values, zone *time.Location) (report.Filter, error) {
	var f report.Filter
	var err error
	fail := func(field, key string, arg any) {
		if err == nil {
			err = &filterError{field, key, arg}
		}
	}
	date := func(name string) time.Time {
		s := strings.TrimSpace(v.Get(name))
		if s == "" || err != nil {
			return time.Time{}
		}
		// A day is the shop's: midnight to midnight in its zone.
		t, e := time.ParseInLocation(time.DateOnly, s, zone)
		if e != nil {
			fail(name, "filter.date", nil)
		}
		return t
	}
	f.From = date("from")
	if to := date("to"); !to.IsZero() {
		f.To = report.NextDay(to, zone)
	}
	word := func(name string) string {
		s := strings.TrimSpace(v.Get(name))
		if len(s) > 100 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == utf8.RuneError }) {
			fail(name, "filter.value", nil)
		}
		return s
	}
	f.Channel, f.Team, f.Language = word("channel"), word("team"), word("lang")
	f.Outcome, f.Intent, f.Agent = report.Outcome(word("outcome")), word("intent"), word("agent")
	if s := word("address"); s != "" && err == nil {
		var e error
		if f.Address, e = bot.ParseAddress(s); e != nil {
			fail("address", "filter.address", nil)
		}
	}
	switch s := strings.TrimSpace(v.Get("csat")); s {
	case "":
	case "none":
		f.CSAT = -1
	default:
		n, e := strconv.Atoi(s)
		if e != nil || n < 1 || n > 5 {
			fail("csat", "filter.csat", nil)
		}
		f.CSAT = n
	}
	f.Query = strings.TrimSpace(v.Get("q"))
	switch {
	case !utf8.ValidString(f.Query):
		fail("q", "filter.utf8", nil)
	case utf8.RuneCountInString(f.Query) > maxQuery:
		fail("q", "filter.query", maxQuery)
	}
	f.Limit = pageSize
	if s := v.Get("page"); s != "" {
		n, e := strconv.Atoi(s)
		if e != nil || n < 1 || n > 100_000 {
			fail("page", "filter.page", nil)
		}
		f.Offset = max(n-1, 0) * pageSize
	}
	if err != nil {
		return report.Filter{Limit: pageSize}, err
	}
	return f, nil
}

// filterValues writes f back as the query string parseFilter reads with
// the same zone, without the page.
func filterValues(f report.Filter, zone *time.Location) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	if !f.From.IsZero() {
		v.Set("from", f.From.In(zone).Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		v.Set("to", lastDay(f.To, zone).Format(time.DateOnly))
	}
	if !f.Address.IsZero() {
		v.Set("address", f.Address.String())
	}
	set("channel", f.Channel)
	set("team", f.Team)
	set("outcome", string(f.Outcome))
	set("lang", f.Language)
	set("intent", f.Intent)
	switch {
	case f.CSAT > 0:
		v.Set("csat", strconv.Itoa(f.CSAT))
	case f.CSAT < 0:
		v.Set("csat", "none")
	}
	set("agent", f.Agent)
	set("q", f.Query)
	return v
}

// lastDay returns the day before the instant end (a midnight of zone):
// the last day of a span that ends there, in zone.
func lastDay(end time.Time, zone *time.Location) time.Time {
	return report.DayOf(end.Add(-time.Nanosecond), zone)
}
