package extract

import "strings"

// YesNo reads a yes or a no: "sì", "si", "certo", "esatto", "va bene", "ok",
// "yes", "yep", "sure", "of course", "no", "nope", "non ancora", "not yet",
// "certo che no", "why not", "👍", and the casual ones (casualAnswers:
// "sure thing, do it", "nah I'm good", "meglio di no"; "magari!" as the
// whole answer). The first answer in the text wins, so "no,
// grazie" is a no and "sì, non si accende più" is a yes; "no" also wins over
// a later yes ("no ok grazie"). ok is false when the text answers neither
// ("boh", "forse", "non lo so", "ciao"). lang is accepted for symmetry with
// Date; both vocabularies are always read.
func YesNo(text, lang string) (yes bool, ok bool) {
	if strings.ContainsAny(text, "👍✅✔") {
		return true, true
	}
	if strings.ContainsAny(text, "👎❌") {
		return false, true
	}
	toks := strings.Fields(Normalize(text))
	if aloneYesIn(toks) {
		return true, true // "magari!", "dai dai"
	}
	// "vabbè, lascia stare", "ok never mind": a decline anywhere wins.
	for i := range toks {
		for _, k := range declinesByFirst[toks[i]] {
			if hasSeqAt(toks, i, declines[k]...) {
				return false, true
			}
		}
	}
	for i := range toks {
		for _, k := range answersByFirst[toks[i]] {
			a := &answers[k]
			if !hasSeqAt(toks, i, a.words...) {
				continue
			}
			switch a.kind {
			case answerYes:
				return true, true
			case answerNo:
				return false, true
			}
			return false, false
		}
	}
	return false, false
}

// declines turn an offer down whatever else the answer says.
var declines = func() [][]string {
	var out [][]string
	for _, p := range []string{"lascia stare", "lascia perdere", "lasciamo stare", "lasciamo perdere", "lascia pure stare",
		"fa niente", "fa nulla", "non importa", "non fa niente", "never mind", "nevermind", "forget it", "forget about it",
		"don t bother", "dont bother"} {
		// Not "non serve": "sì, non mi serve più" says why.
		out = append(out, strings.Fields(p))
	}
	return out
}()

type answerKind int

const (
	answerYes answerKind = iota
	answerNo
	answerUnsure
)

// answers are tried at each word in this order: longer phrases first, so
// that "certo che no" is read before "certo" and "non lo so" before "non".
var answers = func() []struct {
	words []string
	kind  answerKind
} {
	phrases := answerPhrases([]answerPhrase{
		{"certo che no", answerNo}, {"assolutamente no", answerNo}, {"assolutamente non", answerNo},
		{"of course not", answerNo}, {"absolutely not", answerNo}, {"certainly not", answerNo},
		{"non ancora", answerNo}, {"not yet", answerNo}, {"non proprio", answerNo}, {"not really", answerNo},
		{"non esattamente", answerNo}, {"not exactly", answerNo}, {"per niente", answerNo}, {"not at all", answerNo},
		{"no way", answerNo}, {"neanche per sogno", answerNo},
		{"perche no", answerYes}, {"why not", answerYes}, {"certo che si", answerYes},
		{"go for it", answerYes}, {"go ahead", answerYes}, {"sounds good", answerYes}, {"please do", answerYes},
		{"vai pure", answerYes}, {"procedi pure", answerYes}, {"procedi", answerYes}, {"fallo pure", answerYes},
		{"non lo so", answerUnsure}, {"non so", answerUnsure}, {"non saprei", answerUnsure},
		{"non ricordo", answerUnsure}, {"non mi ricordo", answerUnsure}, {"non sono sicuro", answerUnsure},
		{"non sono sicura", answerUnsure}, {"don t know", answerUnsure}, {"dont know", answerUnsure},
		{"do not know", answerUnsure}, {"not sure", answerUnsure}, {"no idea", answerUnsure},
		{"non ne ho idea", answerUnsure}, {"boh", answerUnsure}, {"forse", answerUnsure},
		{"maybe", answerUnsure}, {"perhaps", answerUnsure}, {"dunno", answerUnsure},
		{"idk", answerUnsure}, {"mah", answerUnsure},
		{"va bene", answerYes}, {"d accordo", answerYes}, {"of course", answerYes}, {"all right", answerYes},
		{"that s right", answerYes}, {"e giusto", answerYes}, {"proprio cosi", answerYes},
		{"si", answerYes}, {"sii", answerYes}, {"sisi", answerYes}, {"yes", answerYes}, {"yep", answerYes},
		{"yeah", answerYes}, {"yup", answerYes}, {"ya", answerYes}, {"sure", answerYes},
		{"certo", answerYes}, {"certamente", answerYes}, {"certo", answerYes}, {"esatto", answerYes},
		{"esattamente", answerYes}, {"giusto", answerYes}, {"corretto", answerYes}, {"ok", answerYes},
		{"okay", answerYes}, {"okei", answerYes}, {"vabene", answerYes}, {"vabbe", answerYes},
		{"perfetto", answerYes}, {"confermo", answerYes}, {"affermativo", answerYes},
		{"assolutamente", answerYes}, {"sicuro", answerYes}, {"sicuramente", answerYes},
		{"certainly", answerYes}, {"absolutely", answerYes}, {"exactly", answerYes},
		{"correct", answerYes}, {"right", answerYes}, {"indeed", answerYes}, {"alright", answerYes},
		{"confirm", answerYes}, {"confirmed", answerYes}, {"definitely", answerYes},
		{"no", answerNo}, {"nope", answerNo}, {"nah", answerNo}, {"non", answerNo}, {"not", answerNo},
		{"nessuno", answerNo}, {"niente", answerNo}, {"mai", answerNo}, {"never", answerNo},
		{"negativo", answerNo}, {"macche", answerNo}, {"nemmeno", answerNo}, {"neanche", answerNo},
		{"nothing", answerNo}, {"none", answerNo},
	})
	out := make([]struct {
		words []string
		kind  answerKind
	}, len(phrases))
	for i, p := range phrases {
		out[i].words = strings.Fields(p.text)
		out[i].kind = p.kind
	}
	return out
}()

// declinesByFirst lists, for each first word of a decline, the declines
// that start with it.
var declinesByFirst = func() map[string][]int {
	m := map[string][]int{}
	for k, d := range declines {
		m[d[0]] = append(m[d[0]], k)
	}
	return m
}()

// answersByFirst lists, for each first word of an answer, the answers that
// start with it, in the order of answers: a word tries only those (a long
// message has sixty words, and answers ninety phrases).
var answersByFirst = func() map[string][]int {
	m := map[string][]int{}
	for k, a := range answers {
		m[a.words[0]] = append(m[a.words[0]], k)
	}
	return m
}()
