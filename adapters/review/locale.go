package review

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot/report"
)

// A locale writes the pages in one language and in the shop's time zone:
// the texts of the catalogue, numbers, dates and durations.
type locale struct {
	Lang     string
	zone     *time.Location
	months   []string // Jan..Dec
	weekdays []string // Sun..Sat
}

func newLocale(lang string, zone *time.Location) *locale {
	l := &locale{Lang: lang, zone: zone}
	l.months = strings.Fields(l.T("months"))
	l.weekdays = strings.Fields(l.T("weekdays"))
	return l
}

// T returns the text of key in l's language with args in place of its
// %s: numbers are written as l writes them. A missing key is shown as
// itself, which TestCatalogueIsComplete keeps from happening.
func (l *locale) T(key string, args ...any) string {
	if len(args) > 0 && args[0] == 1 {
		if _, ok := catalogue[key+".one"]; ok {
			key += ".one"
		}
	}
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	s := m.in(l.Lang)
	if len(args) == 0 {
		return s
	}
	strs := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case int:
			strs[i] = l.Num(a)
		case string:
			strs[i] = a
		default:
			strs[i] = fmt.Sprint(a)
		}
	}
	return fmt.Sprintf(s, strs...)
}

// Num writes an integer with the language's thousands separator.
func (l *locale) Num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if l.Lang == "it" {
		sep = "."
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Dec writes f with one decimal, the language's decimal mark.
func (l *locale) Dec(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if l.Lang == "it" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Pct writes a share (0.125) as a percentage with one decimal (12.5%).
func (l *locale) Pct(f float64) string { return l.Dec(100*f) + "%" }

// Share writes a share as a whole percentage (13%).
func (l *locale) Share(n, of int) string {
	if of <= 0 {
		return "–"
	}
	return strconv.Itoa(int(math.Round(100*float64(n)/float64(of)))) + "%"
}

// Date writes the day of t in the shop's zone: 20 Mar 2026.
func (l *locale) Date(t time.Time) string {
	t = t.In(l.zone)
	return strconv.Itoa(t.Day()) + " " + l.months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateTime writes t to the minute in the shop's zone: 20 Mar 2026 14:05.
func (l *locale) DateTime(t time.Time) string {
	sep := " "
	if l.Lang == "it" {
		sep = ", "
	}
	return l.Date(t) + sep + t.In(l.zone).Format("15:04")
}

// Clock writes the time of day of t in the shop's zone: 14:05:09.
func (l *locale) Clock(t time.Time) string { return t.In(l.zone).Format("15:04:05") }

// ISO writes t for machines (a <time datetime>, the exports), with the
// offset of the shop's zone: 2026-03-21T00:30:00+01:00.
func (l *locale) ISO(t time.Time) string { return t.In(l.zone).Format(time.RFC3339) }

// DayMonth writes a day of a chart's axis: 20 Mar.
func (l *locale) DayMonth(t time.Time) string {
	t = t.In(l.zone)
	return strconv.Itoa(t.Day()) + " " + l.months[t.Month()-1]
}

// WeekDay writes a day with its weekday: Fri 20 Mar.
func (l *locale) WeekDay(t time.Time) string {
	return l.weekdays[t.In(l.zone).Weekday()] + " " + l.DayMonth(t)
}

// Duration writes a duration the way people say it: 45s, 3m 10s, 2h 05m
// (45 s, 3 min 10 s, 2 h 05 min in Italian).
func (l *locale) Duration(d time.Duration) string {
	s, m, h, dd := "s", "m", "h", "d"
	sp := ""
	if l.Lang == "it" {
		s, m, h, dd, sp = "s", "min", "h", "g", " "
	}
	switch {
	case d <= 0:
		return "–"
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + sp + s
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%d%s%s %02d%s%s", int(d.Minutes()), sp, m, int(d.Seconds())%60, sp, s)
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%d%s%s %02d%s%s", int(d.Hours()), sp, h, int(d.Minutes())%60, sp, m)
	}
	return fmt.Sprintf("%d%s%s %d%s%s", int(d.Hours())/24, sp, dd, int(d.Hours())%24, sp, h)
}

// Wait says how long to wait: seconds under two minutes, minutes beyond.
func (l *locale) Wait(d time.Duration) string {
	if s := int((d + time.Second - 1) / time.Second); s < 120 {
		return l.T("wait.seconds", max(s, 1))
	}
	return l.T("wait.minutes", int((d+time.Minute-1)/time.Minute))
}

// Outcome names an outcome: solved by the bot, abandoned, handed to a team.
func (l *locale) Outcome(o report.Outcome) string {
	switch o {
	case "":
		return ""
	case report.OutcomeBot, report.OutcomeAbandoned, report.OutcomeSales, report.OutcomeSupport:
		return l.T("outcome." + string(o))
	}
	return l.T("outcome.team", string(o))
}

// Team names a team: the design's two in the language, others as the
// flow file names them.
func (l *locale) Team(team string) string {
	if _, ok := catalogue["team."+team]; ok {
		return l.T("team." + team)
	}
	return team
}

// Language names a customer's language, or gives its code.
func (l *locale) Language(code string) string {
	if _, ok := catalogue["language."+code]; ok {
		return l.T("language." + code)
	}
	return code
}

// The language of the pages: the cookie the switch sets, else the
// browser's Accept-Language, else the first of langs.
const langCookie = "sportello_lang"

// langOf returns the language the pages speak to r in.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

func supported(lang string) bool { return slices.Contains(langs, lang) }

// maxAcceptLanguage bounds the header read: a browser sends a few dozen
// bytes, and nothing beyond this changes the choice between two languages.
const maxAcceptLanguage = 512

// acceptLanguage picks the pages' language from an Accept-Language header
// (RFC 9110: "it-IT,it;q=0.9,en;q=0.8"): the supported language of the
// highest weight, the first listed among equals; a region counts as its
// language ("it-CH" is Italian); "*" takes the fallback. Anything
// malformed in an entry drops that entry, never the header.
func acceptLanguage(header string) string {
	if len(header) > maxAcceptLanguage {
		header = header[:maxAcceptLanguage]
	}
	best, bestQ := "", 0.0
	for _, entry := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(entry, ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if params = strings.TrimSpace(params); params != "" {
			v, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
			f, err := strconv.ParseFloat(v, 64)
			if !ok || err != nil || f < 0 || f > 1 || math.IsNaN(f) {
				continue
			}
			q = f
		}
		lang, _, _ := strings.Cut(tag, "-")
		if tag == "*" {
			lang = langs[0]
		}
		if q > bestQ && supported(lang) {
			best, bestQ = lang, q
		}
	}
	if best == "" {
		return langs[0]
	}
	return best
}
