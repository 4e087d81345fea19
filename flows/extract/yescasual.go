package extract

import (
	"slices"
	"strings"
)

// An answerPhrase is an answer as written: its words, and what it says.
type answerPhrase struct {
	text string
	kind answerKind
}

// casualAnswers are the yes and no of everyday speech, beside the plain
// ones of answers: "sure thing, do it", "yes please", "volentieri",
// "nah I'm good", "meglio di no", "I don't think so". (Those that open
// with "no" or "non" need no entry.) They join answers, which tries the
// longer phrases first.
var casualAnswers = append([]answerPhrase{
	{"sure thing", answerYes}, {"do it", answerYes}, {"let s do it", answerYes}, {"lets do it", answerYes},
	{"let s go", answerYes}, {"go on", answerYes}, {"yes please", answerYes}, {"sounds great", answerYes},
	{"that would be great", answerYes}, {"that d be great", answerYes}, {"would be great", answerYes},
	{"that s fine", answerYes}, {"fine by me", answerYes}, {"fine with me", answerYes}, {"i think so", answerYes},
	{"i guess so", answerYes}, {"yea", answerYes}, {"yass", answerYes}, {"proceed", answerYes},
	{"volentieri", answerYes}, {"eccome", answerYes}, {"ci mancherebbe", answerYes}, {"vai avanti", answerYes},
	{"andiamo avanti", answerYes}, {"procediamo", answerYes}, {"prosegui", answerYes}, {"proseguiamo", answerYes},
	{"va benissimo", answerYes}, {"benissimo", answerYes}, {"ottimo", answerYes}, {"direi di si", answerYes},
	{"credo di si", answerYes}, {"penso di si", answerYes}, {"mi farebbe piacere", answerYes},
	{"sarebbe perfetto", answerYes}, {"sarebbe ottimo", answerYes}, {"fallo", answerYes}, {"fate pure", answerYes},
	{"si grazie", answerYes}, {"ovvio", answerYes}, {"ovviamente", answerYes}, {"of course yes", answerYes},

	{"i m good", answerNo}, {"im good", answerNo}, {"i m ok", answerNo}, {"no need", answerNo},
	{"not needed", answerNo}, {"not necessary", answerNo}, {"not interested", answerNo}, {"rather not", answerNo},
	{"better not", answerNo}, {"i don t think so", answerNo}, {"don t think so", answerNo},
	{"dont think so", answerNo}, {"skip it", answerNo},
	{"meglio di no", answerNo}, {"meglio no", answerNo}, {"preferisco di no", answerNo},
	{"preferirei di no", answerNo}, {"direi di no", answerNo}, {"credo di no", answerNo}, {"penso di no", answerNo},
	{"nono", answerNo}, {"nada", answerNo},
}, goingOn()...)

// goingOn returns the answers read before the shorter phrase they open
// with: a "fine by me" that goes on to agree ("I'm ok with that", "i m
// good, let's go": no "I'm ok" declining), an intensifier that goes on
// to deny ("ovviamente no", "ovvio che no", "obviously not": no "ovvio"
// agreeing) and one that goes on to wave a trouble away ("of course, no
// problem": no "of course no" denying).
func goingOn() []answerPhrase {
	var out []answerPhrase
	for _, fine := range []string{"i m ok", "im ok", "i m okay", "im okay", "i m good", "im good", "i m fine", "im fine"} {
		// "with that", not "with": "i m ok with keeping it" keeps the tv.
		for _, agree := range []string{"with that", "with this", "with it", "let s start", "lets start", "let s go", "lets go", "let s begin", "let s do it", "go ahead", "go on", "proceed", "start"} {
			out = append(out, answerPhrase{fine + " " + agree, answerYes})
		}
	}
	for _, sure := range []string{"ovvio", "ovviamente", "certo", "certamente", "sicuro", "sicuramente", "naturalmente", "assolutamente",
		"of course", "obviously", "definitely", "certainly", "surely", "absolutely"} {
		for _, not := range []string{"no", "che no", "not"} {
			out = append(out, answerPhrase{sure + " " + not, answerNo})
		}
		// "of course, no problem", "certo, no problem": the "no" is the
		// problem's, and the answer agrees.
		for _, fine := range []string{"no problem", "no problems", "no prob", "no probs", "no worries", "no worry", "no issue", "no issues", "no bother"} {
			out = append(out, answerPhrase{sure + " " + fine, answerYes})
		}
	}
	return out
}

// aloneYes are the words that say yes only as the whole answer: "magari!"
// to an offer hopes for it, while "magari domani" and "magari è la
// batteria" say maybe; "dai!" and "vai!" urge on, "dai, non funziona"
// only opens a sentence; "k" alone is "ok".
var aloneYes = map[string]bool{"magari": true, "dai": true, "vai": true, "daje": true, "perfect": true, "great": true, "cool": true, "fine": true,
	"please": true, "pls": true, "plz": true, "k": true, "kk": true}

// aloneYesIn reports whether toks, the words of an answer, are one of
// aloneYes, said once or twice ("vai vai"), perhaps with a thanks.
func aloneYesIn(toks []string) bool {
	if len(toks) == 0 || !aloneYes[toks[0]] {
		return false
	}
	for _, t := range toks[1:] {
		if t != toks[0] && t != "grazie" && t != "thanks" && t != "allora" && t != "then" {
			return false
		}
	}
	return true
}

// answerPhrases returns plain, the plain answers, and casualAnswers, the
// longer phrases first, so that a phrase is read before any phrase it
// opens with ("yes please" before "yes", "i m good" before "i m").
func answerPhrases(plain []answerPhrase) []answerPhrase {
	all := append(slices.Clip(plain), casualAnswers...)
	slices.SortStableFunc(all, func(a, b answerPhrase) int {
		return strings.Count(b.text, " ") - strings.Count(a.text, " ")
	})
	return all
}

// OpeningYesNo reads the yes or no of an answer phrase that opens the
// words w (Words of a message), however long the message: "I don't
// think so, the last one was fine", "sure thing do it now". ok is false
// when no answer phrase starts at the first word.
func OpeningYesNo(w []string) (yes, ok bool) {
	for _, k := range answersByFirst[firstOf(w)] {
		if a := &answers[k]; hasSeqAt(w, 0, a.words...) {
			return a.kind == answerYes, a.kind != answerUnsure
		}
	}
	return false, false
}

func firstOf(w []string) string {
	if len(w) == 0 {
		return ""
	}
	return w[0]
}
