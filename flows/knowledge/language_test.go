package knowledge

import "testing"

// The shop's reset page in both languages, as a help centre writes them:
// the English one says "TV" and "reset" throughout, the Italian one
// "televisore" and "ripristinare".
var resetPages = []Document{
	{ID: "en/reset", Title: "LG OLED: factory reset", Lang: "en", Body: "# Factory reset of the TV\n\n" +
		"To reset the TV to factory settings, press Settings on the remote, then All settings, General, System, Reset to initial settings. The TV restarts."},
	{ID: "it/ripristino", Title: "LG OLED: ripristinare le impostazioni di fabbrica", Lang: "it", Body: "# Ripristino del televisore\n\n" +
		"Per ripristinare il televisore alle impostazioni di fabbrica premi Impostazioni sul telecomando, poi Tutte le impostazioni, Generale, Sistema, Ripristina le impostazioni iniziali. Il televisore si riaccende."},
	{ID: "it/pagamenti", Title: "Pagamenti", Lang: "it", Body: "# Pagamenti\n\nAccettiamo carte, PayPal e bonifico."},
	{ID: "en/payments", Title: "Payments", Lang: "en", Body: "# Payments\n\nYou can pay with cards, PayPal or a bank transfer."},
}

func TestTheCustomerReadsThePageInTheirLanguage(t *testing.T) {
	ix := NewIndex(resetPages, Options{Synonyms: [][]string{
		{"ripristinare", "resettare", "reset"},
		{"tv", "televisore"},
	}})
	for _, tc := range []struct{ query, lang, want string }{
		// "resetta" is a form of the synonym "resettare"; "tv" of "televisore".
		{"come si resetta la tv?", "it", "it/ripristino"},
		{"come resettare la tv", "it", "it/ripristino"},
		{"how do I reset the TV?", "en", "en/reset"},
		{"posso pagare con paypal?", "it", "it/pagamenti"},
		{"can I pay with paypal?", "en", "en/payments"},
	} {
		a, ok := ix.Answer(tc.query, tc.lang)
		if !ok {
			t.Errorf("%q: no answer (score %.2f), want %s", tc.query, a.Score, tc.want)
			continue
		}
		if a.Passage.Doc.ID != tc.want {
			t.Errorf("%q (%s): answered from %s, want %s", tc.query, tc.lang, a.Passage.Doc.ID, tc.want)
		}
	}
}

func TestAPageOnlyInTheOtherLanguageIsStillQuoted(t *testing.T) {
	// The shop wrote the reset page in English only: an Italian customer
	// gets it rather than the payments page.
	ix := NewIndex([]Document{resetPages[0], resetPages[2], resetPages[3]}, Options{Synonyms: [][]string{{"ripristinare", "resettare", "reset"}}})
	hits := ix.Search("come resettare la tv", "it", 1)
	if len(hits) == 0 || hits[0].Passage.Doc.ID != "en/reset" {
		t.Fatalf("hits %v, want the English reset page", hits)
	}
	if a, ok := ix.Answer("come resettare la tv", "it"); ok && a.Passage.Doc.ID != "en/reset" {
		t.Fatalf("answered from %s, want the English reset page", a.Passage.Doc.ID)
	}
}
