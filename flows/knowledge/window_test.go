package knowledge

import (
	"fmt"
	"strings"
	"testing"
)

// longPage is an overview page of some 300 words: one line on each of
// many features, lines apart from each other by filler.
func longPage(lines ...string) string {
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l + "\n")
		for j := range 40 {
			fmt.Fprintf(&b, "feature%d detail%d ", i, j)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func windowIndex(body string) *Index {
	return NewIndex([]Document{
		{ID: "tv/overview", Title: "Using the hub", Lang: "en", Line: 1, Body: body},
		{ID: "tv/short-a", Title: "Sound", Lang: "en", Line: 1, Body: "The speakers play the sound of the programme. Adjust the volume with the remote."},
		{ID: "tv/short-b", Title: "Picture", Lang: "en", Line: 1, Body: "The picture mode changes brightness and colour for the room you watch in."},
	}, Options{})
}

// The best window: a long page's one line that holds the question scores
// as a short text would (windowScore), above the whole page's BM25F.
func TestTheBestWindowOfALongPage(t *testing.T) {
	ix := windowIndex(longPage(
		"Notifications: you can view a list of notifications for every event on the television.",
		"Quick settings: frequently used functions are set by clicking their icons.",
		"Universal program guide: find shows, dramas and films in one place.",
	))
	for _, q := range []string{
		"where can I view the list of notifications?",
		"how do I set frequently used functions by clicking icons?",
		"where do I find shows, dramas and films in one place?",
	} {
		qs := ix.ix.query(q, "en")
		held := filterOf(qs)
		rs, _ := ix.ix.search(q, "en", 5)
		w := ix.ix.windowScore(0, qs, held)
		if w <= 0 {
			t.Errorf("%q: the overview's best window scores %.3f, want more than 0", q, w)
		}
		if len(rs) == 0 || ix.passages[rs[0].p].Doc.ID != "tv/overview" {
			t.Errorf("%q: first %v, want the overview page", q, rs)
		}
	}
}

// A page no longer than the window has no window score: its BM25F is
// already that of its words; and the same words scattered over a long
// page, more than a window apart, gain less than in one line.
func TestTheBestWindowNearMisses(t *testing.T) {
	ix := windowIndex(longPage("Sound and volume are set with the remote."))
	for _, q := range []string{"how do I adjust the volume?", "where is the picture mode?", "what does the brightness change?"} {
		qs := ix.ix.query(q, "en")
		held := filterOf(qs)
		for i := int32(1); i < 3; i++ {
			if w := ix.ix.windowScore(i, qs, held); w != 0 {
				t.Errorf("%q: short page %d has a window score %.3f, want 0", q, i, w)
			}
		}
	}
	together := windowIndex(longPage("Notifications list every event of the television.", "x", "y"))
	apart := windowIndex(longPage("Notifications arrive.", "A list.", "Every event of the television."))
	for _, q := range []string{"list of notifications for every event", "notifications of every television event", "event list notifications"} {
		qa, qb := together.ix.query(q, "en"), apart.ix.query(q, "en")
		a := together.ix.windowScore(0, qa, filterOf(qa))
		b := apart.ix.windowScore(0, qb, filterOf(qb))
		if a <= b {
			t.Errorf("%q: one line %.3f, scattered %.3f: want the line above", q, a, b)
		}
	}
}

// The window orders the places from the fourth on only (winFrom): the best
// three, what is answered and what the phrases re-order, are as without it.
func TestTheBestWindowKeepsTheBestThree(t *testing.T) {
	docs := []Document{{ID: "tv/overview", Title: "Using the hub", Lang: "en", Line: 1, Body: longPage(
		"Notifications: you can view a list of notifications for every event on the television.")}}
	for i := range 8 {
		docs = append(docs, Document{ID: fmt.Sprintf("tv/page-%d", i), Title: fmt.Sprintf("Notifications %d", i), Lang: "en", Line: 1,
			Body: fmt.Sprintf("Notifications of kind %d appear on the television for an event.", i)})
	}
	off := defaultParams
	off.win = 0
	with, without := newIndex(docs, Options{}, defaultParams), newIndex(docs, Options{}, off)
	for _, q := range []string{"where can I view the list of notifications?", "notifications for every event", "a list of television notifications"} {
		a, _ := with.ix.search(q, "en", 10)
		b, _ := without.ix.search(q, "en", 10)
		for n := range min(3, len(a), len(b)) {
			if a[n].p != b[n].p {
				t.Errorf("%q: place %d is %d with the window, %d without", q, n+1, a[n].p, b[n].p)
			}
		}
	}
}
