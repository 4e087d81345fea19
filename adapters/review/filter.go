package review

import (
	"errors"
	"fmt"
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

// parseFilter reads the list's filters from a query string: from and to
// (dates, to inclusive), channel, team, outcome, lang, intent, csat (1 to
// 5, or "none"), agent, q (full-text search) and page (from 1). Empty
// values select everything. It returns an error naming the bad field.
func parseFilter(v url.Values) (report.Filter, error) {
	var f report.Filter
	var err error
	date := func(name string) time.Time {
		s := strings.TrimSpace(v.Get(name))
		if s == "" || err != nil {
			return time.Time{}
		}
		t, e := time.Parse(time.DateOnly, s)
		if e != nil {
			err = fmt.Errorf("%s: want a date like 2026-03-31", name)
		}
		return t
	}
	f.From = date("from")
	if to := date("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	word := func(name string) string {
		s := strings.TrimSpace(v.Get(name))
		if err == nil && (len(s) > 100 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == utf8.RuneError })) {
			err = fmt.Errorf("%s: not a valid value", name)
		}
		return s
	}
	f.Channel, f.Team, f.Language = word("channel"), word("team"), word("lang")
	f.Outcome, f.Intent, f.Agent = report.Outcome(word("outcome")), word("intent"), word("agent")
	if s := word("address"); s != "" && err == nil {
		if f.Address, err = bot.ParseAddress(s); err != nil {
			err = errors.New("address: want channel:chatid")
		}
	}
	switch s := strings.TrimSpace(v.Get("csat")); s {
	case "":
	case "none":
		f.CSAT = -1
	default:
		n, e := strconv.Atoi(s)
		if e != nil || n < 1 || n > 5 {
			err = firstErr(err, errors.New("csat: want 1 to 5, or none"))
		}
		f.CSAT = n
	}
	f.Query = strings.TrimSpace(v.Get("q"))
	if utf8.RuneCountInString(f.Query) > maxQuery || !utf8.ValidString(f.Query) {
		err = firstErr(err, fmt.Errorf("q: at most %d characters", maxQuery))
	}
	f.Limit = pageSize
	if s := v.Get("page"); s != "" {
		n, e := strconv.Atoi(s)
		if e != nil || n < 1 || n > 100_000 {
			err = firstErr(err, errors.New("page: want a page number"))
		}
		f.Offset = max(n-1, 0) * pageSize
	}
	if err != nil {
		return report.Filter{Limit: pageSize}, err
	}
	return f, nil
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// filterValues writes f back as the query string parseFilter reads,
// without the page.
func filterValues(f report.Filter) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	if !f.From.IsZero() {
		v.Set("from", f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.AddDate(0, 0, -1).Format(time.DateOnly))
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
