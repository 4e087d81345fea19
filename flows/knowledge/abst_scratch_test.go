package knowledge

import (
	"github.com/sportello/sportello/flows/nlu"
	"os"
	"strings"
	"testing"
)

func TestScratchAbstention(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_ABST")
	if name == "" {
		t.Skip()
	}
	set := mustDevSet(t, name)
	ix := NewIndex(set.docs, Options{})
	tune, _ := splitQueries(set.queries)
	for _, q := range tune {
		rs, qs := ix.ix.search(q.Text, "", candidates)
		if len(rs) == 0 {
			continue
		}
		x := ix.features(rs, qs)
		c := ix.model().confidence(x)
		right := ix.passages[rs[0].p].Doc.ID == q.Gold
		none := q.Gold == NoAnswer
		if (none && c >= 0.5) || (right && c < 0.5) {
			t.Logf("none=%v conf %.3f x %.3v first %s | %s", none, c, x, ix.passages[rs[0].p].Doc.ID, q.Text)
		}
	}
}

func TestScratchLang(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_LANG")
	if name == "" {
		t.Skip()
	}
	set := mustDevSet(t, name)
	tune, _ := splitQueries(set.queries)
	n := map[string]int{}
	for _, q := range tune {
		l, _ := nlu.DetectLanguage(q.Text)
		n[l]++
		if l != set.docs[0].Lang {
			t.Logf("%q %s | %s", l, q.Gold, q.Text)
		}
	}
	t.Log(n)
}

func TestScratchNum(t *testing.T) {
	if os.Getenv("KNOWLEDGE_NUM") == "" {
		t.Skip()
	}
	set := mustDevSet(t, "squad_it")
	tune, _ := splitQueries(set.queries)
	a := NewIndex(set.docs, Options{})
	p := defaultParams
	_ = p
	b := newIndex(set.docs, Options{}, p)
	n := 0
	for _, q := range tune {
		if strings.ContainsAny(q.Text, "0123456789") {
			n++
		}
		pa, pb := a.Predict(q), b.Predict(q)
		ok := func(p Prediction) bool {
			if q.Gold == NoAnswer {
				return !p.Answered
			}
			return p.Answered && len(p.Docs) > 0 && p.Docs[0] == q.Gold
		}
		if ok(pa) != ok(pb) {
			t.Logf("before %v after %v | %s | %s", ok(pa), ok(pb), q.Gold, q.Text)
		}
	}
	t.Log(n, "with digits of", len(tune))
}

func TestScratchExplain(t *testing.T) {
	qtext := os.Getenv("KNOWLEDGE_Q")
	if qtext == "" {
		t.Skip()
	}
	set := mustDevSet(t, os.Getenv("KNOWLEDGE_SET"))
	ix := NewIndex(set.docs, Options{})
	rs, qs := ix.ix.search(qtext, "", 12)
	for _, q := range qs {
		t.Logf("q idf %.2f boost %.1f alts %d", q.idf, q.boost, len(q.alts))
	}
	for i, r := range rs {
		prox := ix.ix.proximity(r.p, qs)
		t.Logf("%d %s raw %.2f prox %.2f span %.2f len %v matched %b", i, ix.passages[r.p].Doc.ID, r.raw, prox, ix.ix.span(r.p, qs), ix.ix.pd[r.p].length, r.matched)
	}
}

func TestScratchLen(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_LEN")
	if name == "" {
		t.Skip()
	}
	set := mustDevSet(t, name)
	ix := NewIndex(set.docs, Options{})
	tune, _ := splitQueries(set.queries)
	longer, shorter := 0, 0
	var lw, lg float64
	for _, q := range tune {
		if q.Gold == NoAnswer {
			continue
		}
		rs, _ := ix.ix.search(q.Text, "", 5)
		if len(rs) == 0 || ix.passages[rs[0].p].Doc.ID == q.Gold {
			continue
		}
		for _, r := range rs[1:] {
			if ix.passages[r.p].Doc.ID == q.Gold {
				a, b := ix.ix.pd[rs[0].p].length[fBody], ix.ix.pd[r.p].length[fBody]
				lw += float64(a)
				lg += float64(b)
				if a > b {
					longer++
				} else {
					shorter++
				}
			}
		}
	}
	t.Logf("first longer than gold %d, shorter %d; mean %.1f vs %.1f; avg %.1f", longer, shorter, lw/float64(longer+shorter), lg/float64(longer+shorter), ix.ix.avg[fBody])
}
