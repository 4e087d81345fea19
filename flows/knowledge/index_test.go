package knowledge

import (
	"strings"
	"testing"
)

// shop is a small help centre in both languages.
func shop() []Document {
	return []Document{
		{ID: "it/pagamenti", Title: "Pagamenti", Lang: "it", URL: "https://negozio.example/pagamenti", Line: 1,
			Body: "Accettiamo carte di credito, PayPal e bonifico bancario. Il pagamento in contrassegno costa 5 euro in più."},
		{ID: "en/payments", Title: "Payments", Lang: "en", Line: 1,
			Body: "We accept credit cards, PayPal and bank transfer. Cash on delivery costs 5 euros more."},
		{ID: "it/resi", Title: "Resi e recesso", Lang: "it", Line: 1,
			Body: "# Resi e recesso\n\nHai 14 giorni per restituire un prodotto.\n\n## Rimborso\n\nIl rimborso arriva entro 14 giorni sul metodo di pagamento usato."},
		{ID: "en/tv-reset", Title: "Resetting the TV", Lang: "en", Line: 1,
			Body: "To reset the TV to factory settings, open Settings, then General, then Reset. Enter your PIN (0000 by default). The TV restarts."},
		{ID: "en/shipping", Title: "Shipping", Lang: "en", Line: 1,
			Body: "Orders ship within two working days. Delivery in Italy takes three to five days."},
	}
}

func top(t *testing.T, ix *Index, query, lang string) string {
	t.Helper()
	hits := ix.Search(query, lang, 3)
	if len(hits) == 0 {
		return ""
	}
	return hits[0].Passage.Doc.ID
}

func TestSearchFindsThePage(t *testing.T) {
	ix := NewIndex(shop(), Options{Synonyms: [][]string{{"rimborso", "soldi indietro"}, {"shipping", "delivery", "postage"}}})
	for _, tt := range []struct{ name, query, lang, want string }{
		{"italian", "posso pagare con PayPal?", "it", "it/pagamenti"},
		{"english", "how do I reset the TV to factory settings?", "en", "en/tv-reset"},
		{"the customer's language first", "PayPal", "en", "en/payments"},
		{"il parlare del cliente prima", "PayPal", "it", "it/pagamenti"},
		{"a typo", "how do I resett the tv", "en", "en/tv-reset"},
		{"a synonym, several words", "quando ricevo i soldi indietro", "it", "it/resi"},
		{"a synonym", "how much is postage", "en", "en/shipping"},
		{"stems", "restituzione prodotti in 14 giorni", "it", "it/resi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := top(t, ix, tt.query, tt.lang); got != tt.want {
				t.Errorf("Search(%q) found %q first, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestScoresAreInZeroOne(t *testing.T) {
	ix := NewIndex(shop(), Options{})
	for _, q := range []string{"PayPal", "reset the TV", "rimborso", "a b c", ""} {
		for _, h := range ix.Search(q, "", 10) {
			if h.Score <= 0 || h.Score > 1.0001 {
				t.Errorf("Search(%q): score %v of %s not in (0, 1]", q, h.Score, h.Passage.ID)
			}
		}
	}
}

// TestIndexIsTheSameOnEveryReplica: the same documents give the same
// hits and the same scores, to the bit.
func TestIndexIsTheSameOnEveryReplica(t *testing.T) {
	a, b := NewIndex(shop(), Options{}), NewIndex(shop(), Options{})
	for _, q := range []string{"paypal bonifico", "how do I reset", "rimborso giorni", "resett"} {
		ha, hb := a.Search(q, "", 10), b.Search(q, "", 10)
		if len(ha) != len(hb) {
			t.Fatalf("%q: %d and %d hits", q, len(ha), len(hb))
		}
		for i := range ha {
			if ha[i].Passage.ID != hb[i].Passage.ID || ha[i].Score != hb[i].Score {
				t.Errorf("%q hit %d: %s %v and %s %v", q, i, ha[i].Passage.ID, ha[i].Score, hb[i].Passage.ID, hb[i].Score)
			}
		}
	}
}

func TestAnswerQuotesThePageAndCitesIt(t *testing.T) {
	ix := NewIndex(shop(), Options{})
	a, ok := ix.Answer("posso pagare con PayPal?", "it")
	if !ok {
		t.Fatalf("abstained (confidence %.2f)", a.Score)
	}
	if a.Citation != "https://negozio.example/pagamenti" || !strings.Contains(a.Text, "PayPal") {
		t.Errorf("answer %q citing %q, want the payments page's text citing its URL", a.Text, a.Citation)
	}
	a, ok = ix.Answer("how do I reset the TV to factory settings?", "en")
	if !ok || a.Citation != "Resetting the TV" || !strings.Contains(a.Text, "open Settings") {
		t.Errorf("answer %q citing %q (%v), want the reset steps citing the title", a.Text, a.Citation, ok)
	}
}

func TestAnswerAbstainsWhenThePagesDoNotSay(t *testing.T) {
	ix := NewIndex(shop(), Options{})
	for _, q := range []string{"what's the weather like tomorrow", "chi ha vinto i mondiali del 1982", "asdfgh qwerty", "", "the"} {
		if a, ok := ix.Answer(q, ""); ok {
			t.Errorf("Answer(%q) answered %q (confidence %.2f), want no answer", q, a.Text, a.Score)
		}
	}
}

func TestAnswerTrimsToTheSentencesThatAnswer(t *testing.T) {
	long := "Our shop opened in 1990 in Milan. We sell televisions, phones and laptops of every brand. " +
		"Our staff is trained every year by the manufacturers. Every store has a repair desk. " +
		"The warranty on televisions lasts 24 months from the date of purchase. Keep the receipt as proof of the date. " +
		"Business customers get 12 months. We also sell extended warranties in store and online. Parking is free for customers."
	list := "Before you call us, check these steps:\n- unplug the TV for a minute\n- plug it in again\n- press the power button\n\n" + long
	ix := NewIndex([]Document{
		{ID: "a", Title: "About us", Lang: "en", Body: long, Line: 1},
		{ID: "b", Title: "It does not turn on", Lang: "en", Body: list, Line: 1},
	}, Options{Threshold: 1e-6}) // two pages are too few to be confident (the question needs its words on the page): the trimming is tested
	for _, tt := range []struct{ query, want string }{
		{"how long does the warranty on televisions last", "The warranty on televisions lasts 24 months from the date of purchase. Keep the receipt as proof of the date."},
		{"TV does not turn on what steps", "Before you call us, check these steps:\n- unplug the TV for a minute\n- plug it in again\n- press the power button"},
	} {
		a, ok := ix.Answer(tt.query, "en")
		if !ok {
			t.Errorf("Answer(%q) abstained (%.2f)", tt.query, a.Score)
			continue
		}
		if a.Text != tt.want {
			t.Errorf("Answer(%q) text\n%q\nwant\n%q", tt.query, a.Text, tt.want)
		}
	}
	short := NewIndex(shop(), Options{})
	if a, _ := short.Answer("how do I reset the TV", "en"); a.Text != shop()[3].Body {
		t.Errorf("a short passage is quoted whole: got %q", a.Text)
	}
}

func TestEditOne(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"reset", "resett", true}, {"reset", "rset", true}, {"reset", "rezet", true}, {"reset", "rseet", true},
		{"reset", "reset", false}, {"reset", "rsett", false}, {"reset", "tesrt", false}, {"abcde", "abced", true},
	} {
		if got := editOne(tt.a, tt.b); got != tt.want {
			t.Errorf("editOne(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

// TestSearchIsSafeForConcurrentUse: replicas serve many conversations at
// once from one index (run with -race).
func TestSearchIsSafeForConcurrentUse(t *testing.T) {
	ix := NewIndex(shop(), Options{})
	want := top(t, ix, "posso pagare con PayPal?", "it")
	done := make(chan string)
	for range 8 {
		go func() {
			var got string
			for range 50 {
				got = ix.Search("posso pagare con PayPal?", "it", 3)[0].Passage.Doc.ID
				ix.Answer("how do I resett the TV", "en")
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("concurrent search found %q, want %q", got, want)
		}
	}
}
