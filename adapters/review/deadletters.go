package review

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// deadLetterPage is how many dead letters a page lists.
const deadLetterPage = 50

// A deadLetterLine is one set-aside event as the page lists it: no more
// of it than a manager needs to find it, the rest stays in the archive.
type deadLetterLine struct {
	ID, Address, Excerpt, Err string
	Time, At                  time.Time
	Customer                  string // the customer's conversations
}

type deadLettersData struct {
	page
	Total      int
	Letters    []deadLetterLine
	First      int
	Prev, Next string
}

// deadLettersPage lists the events the archive refused and set aside,
// oldest first, with why: shown so that managers know transcripts are
// missing, and an operator knows to fix the cause and run `sportello
// archive retry`.
func (h *Handler) deadLettersPage(w http.ResponseWriter, r *http.Request) {
	d := deadLettersData{page: h.page(r, h.locale(r).T("dl.title"), "dashboard")}
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pg = max(pg, 1)
	total, err := h.cfg.Archive.CountDeadLetters(r.Context())
	if err != nil {
		h.fail(w, r, "count dead letters", err)
		return
	}
	letters, err := h.cfg.Archive.DeadLetters(r.Context(), deadLetterPage, (pg-1)*deadLetterPage)
	if err != nil {
		h.fail(w, r, "list dead letters", err)
		return
	}
	d.Total, d.First = total, (pg-1)*deadLetterPage+1
	for _, l := range letters {
		d.Letters = append(d.Letters, letterLine(l))
	}
	if pg > 1 {
		d.Prev = Prefix + "/dead-letters?page=" + strconv.Itoa(pg-1)
	}
	if pg*deadLetterPage < total {
		d.Next = Prefix + "/dead-letters?page=" + strconv.Itoa(pg+1)
	}
	h.render(w, r, http.StatusOK, "deadletters", d)
}

// letterLine cleans what the page shows of a letter: it holds what the
// archive refused (a NUL, invalid UTF-8), and the template escapes the rest.
func letterLine(l report.DeadLetter) deadLetterLine {
	e := l.Event
	excerpt := e.Text
	for _, s := range []string{e.Value, e.Intent, string(e.Type)} {
		if excerpt == "" {
			excerpt = s
		}
	}
	addr := bot.CleanLine(e.Address.String(), bot.MaxIDLen)
	return deadLetterLine{
		ID:       bot.CleanLine(e.ID, bot.MaxIDLen),
		Address:  addr,
		Customer: Prefix + "/?" + url.Values{"address": {addr}}.Encode(),
		Excerpt:  bot.CleanLine(excerpt, 80),
		Err:      bot.CleanLine(l.Err, 300),
		Time:     e.Time,
		At:       l.At,
	}
}
