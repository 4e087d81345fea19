package knowledge

import "testing"

func TestQuestionType(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want answerType
	}{
		{"In che anno aprì il primo negozio della catena?", typeYear},
		{"Quando venne inaugurata la nuova sede?", typeYear},
		{"When was the remote first sold?", typeYear},
		{"Quanti dipendenti lavorano nel magazzino?", typeNumber},
		{"How many HDMI ports does the TV have?", typeNumber},
		{"Chi guidava la spedizione verso nord?", typeName},
		{"Dove nacque il fondatore dell'azienda?", typeName},
		// Near misses: no type, or a place in the product, not a name.
		{"Come si collega la soundbar?", typeNone},
		{"Perché il televisore si spegne da solo?", typeNone},
		{"Where do I find the picture settings?", typeNone},
		{"Dove trovo le impostazioni dell'audio?", typeNone},
		{"Dove posso trovare il manuale?", typeNone},
	} {
		if got := questionType(tt.q); got != tt.want {
			t.Errorf("questionType(%q) = %d, want %d", tt.q, got, tt.want)
		}
	}
}

// history is an article's paragraphs: each shares the question's words,
// one holds the year, the number or the name asked for.
func history() []Document {
	doc := func(id, body string) Document {
		return Document{ID: id, Title: "Il faro di Punta Bianca", Lang: "it", Line: 1, Body: body}
	}
	return []Document{
		doc("storia/p1", "Il faro di Punta Bianca fu acceso per le navi."),
		doc("storia/p2", "Il faro di Punta Bianca fu acceso nel 1887, quando il porto crebbe e le navi cercavano un approdo sicuro lungo la costa rocciosa del golfo."),
		doc("storia/p3", "I guardiani vivevano nella torre del faro."),
		doc("storia/p4", "I guardiani che vivevano nella torre del faro furono dodici in tutto, di padre in figlio, fino all'arrivo della lampada elettrica e del comando a distanza."),
		doc("storia/p5", "La lampada del faro fu progettata con cura."),
		doc("storia/p6", "La lampada del faro fu progettata a Parigi da Augustin Fresnel, con lenti a gradini che portavano la luce più lontano di ogni specchio usato prima."),
	}
}

func TestTheAnswerTypeOrdersTheParagraphs(t *testing.T) {
	with := NewIndex(history(), Options{})
	p := defaultParams
	p.typed = 0
	without := newIndex(history(), Options{}, p)
	for _, tt := range []struct{ q, want, before string }{
		{"In che anno fu acceso il faro di Punta Bianca?", "storia/p2", "storia/p1"},
		{"Quanti guardiani vivevano nella torre del faro?", "storia/p4", "storia/p3"},
		{"Chi ha progettato la lampada del faro?", "storia/p6", "storia/p5"},
		// Near misses: the same words, no type asked: the order stays.
		{"Il faro di Punta Bianca fu acceso per le navi?", "storia/p1", "storia/p1"},
		{"Come vivevano i guardiani nella torre del faro?", "storia/p3", "storia/p3"},
	} {
		if got := top(t, without, tt.q, "it"); got != tt.before {
			t.Errorf("without the answer types, %q found %s first, want %s (the test's premise)", tt.q, got, tt.before)
		}
		if got := top(t, with, tt.q, "it"); got != tt.want {
			t.Errorf("%q found %s first, want %s", tt.q, got, tt.want)
		}
	}
}
