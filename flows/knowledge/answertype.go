package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
	"github.com/sportello/sportello/flows/nlu"
)

// Answer types. A question that asks when, how many or who expects a
// year, a number or a name in the sentence that answers it: of two
// paragraphs of one article that both hold the question's words, the one
// whose sentence holding them also holds a year is more likely the answer
// to "in che anno...?". The re-scoring gives a small bonus for the share
// of the question (by idf) that one sentence holding the expected type
// holds.

// An answer type is what a question asks for.
type answerType uint8

const (
	typeNone answerType = iota
	typeYear
	typeNumber
	typeName // a capitalised word the question does not hold: a person, a place
)

// What a sentence holds, as bits.
const (
	holdsYear = 1 << iota
	holdsNumber
)

// typeCues are the phrases of a question (normalised words) that ask for
// each type, in both languages, tried in this order: "in che anno" asks a
// year before "che" is read as anything else.
var typeCues = []struct {
	t    answerType
	cues []string
}{
	{typeYear, []string{"in che anno", "in quale anno", "che anno", "quale anno", "che secolo", "quale secolo",
		"che data", "quale data", "quando", "what year", "which year", "what century", "what date", "when"}},
	{typeNumber, []string{"quanti", "quante", "quanto", "quanta", "percentuale",
		"how many", "how much", "how long", "what percentage"}},
	{typeName, []string{"chi", "dove", "quale citta", "quale paese", "who", "whom", "whose", "where",
		"il nome", "nome di", "quale nazione", "quale stato", "quale regione", "quale azienda", "quale societa",
		"quale squadra", "quale universita", "quale presidente", "quale re", "quale imperatore",
		"what city", "which city", "what country", "which country", "what company", "which company"}},
}

// howTo are the phrases of a question that asks where, in the product or
// on the site, something is: "where do I find the caption settings?" wants
// a menu's path, not a place's name.
var howTo = []string{"where do i find", "where can i find", "where is the option", "dove trovo", "dove posso trovare", "dove si trova l opzione"}

// questionType is the answer type the question asks for, or typeNone.
func questionType(text string) answerType {
	n := " " + strings.Join(words(text), " ") + " "
	for _, c := range howTo {
		if strings.Contains(n, " "+c+" ") {
			return typeNone
		}
	}
	for _, tc := range typeCues {
		for _, c := range tc.cues {
			if strings.Contains(n, " "+c+" ") {
				return tc.t
			}
		}
	}
	return typeNone
}

// centuryWords make a sentence hold a date, as a month does
// (extract.IsMonth).
var centuryWords = set(`secolo secoli century centuries`)

// numberWords are counts written as words, from two: "uno", "una", "one"
// are mostly articles and pronouns, which hold no number (extract's
// numberWords reads them as 1, rightly for a quantity the customer gives).
var numberWords = set(`due tre quattro cinque sei sette otto nove dieci undici dodici venti trenta quaranta cinquanta cento mille milioni miliardi
two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million millions billion percent`)

// sentenceInfo reads what one sentence holds: its month, century and
// number words (holdsYear, holdsNumber), and hashed (formHash of their
// normalised form) its numbers written in digits, those that may be years,
// and its capitalised words other than its first.
func sentenceInfo(s string) sentence {
	var sn sentence
	fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, f := range fields {
		r, _ := utf8.DecodeRuneInString(f)
		switch {
		case unicode.IsDigit(r):
			h := formHash(nlu.Normalize(f))
			sn.nums = append(sn.nums, h)
			if n := len(f); (n == 3 || n == 4) && allDigits(f) {
				sn.years = append(sn.years, h)
			}
		case unicode.IsUpper(r) && i > 0:
			sn.caps = append(sn.caps, formHash(nlu.Normalize(f)))
		}
		lw := strings.ToLower(f)
		if extract.IsMonth(lw) || centuryWords[lw] {
			sn.kind |= holdsYear
		}
		if numberWords[lw] {
			sn.kind |= holdsNumber
		}
	}
	return sn
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// A sentence is one sentence of a passage's text: where its words start
// among the passage's tokens, and what it holds.
type sentence struct {
	start int32
	kind  uint8
	nums  []uint32 // numbers in digits
	years []uint32 // numbers of 3 or 4 digits
	caps  []uint32 // capitalised words but the first
}

// bodySentences returns the words of a passage's text and its sentences,
// or no sentences when the words of the sentences one by one are not the
// words of the whole (the bonus is then not given).
func bodySentences(text string, offset int) ([]string, []sentence) {
	ws := words(text)
	var out []sentence
	n := 0
	for _, u := range sentences(text) {
		s := text[u.start:u.end]
		sn := sentenceInfo(s)
		sn.start = int32(offset + n)
		out = append(out, sn)
		n += len(words(s))
	}
	if n != len(ws) {
		return ws, nil
	}
	return ws, out
}

// typedHeld is the most of the query (the sum of its words' idf) that one
// sentence of passage i holding the answer type t holds. forms are the
// hashes of all the question's words, stop words too: a name the
// question holds is not its answer.
func (ix *index) typedHeld(i int32, qs []qterm, t answerType, forms map[uint32]bool) float64 {
	pd := &ix.pd[i]
	var best float64
	for s, sn := range pd.sentences {
		if !sn.holds(t, forms) {
			continue
		}
		end := len(pd.tokens)
		if s+1 < len(pd.sentences) {
			end = int(pd.sentences[s+1].start)
		}
		var held uint64
		for _, tok := range pd.tokens[sn.start:end] {
			for j := range qs {
				if qs[j].holds(tok) {
					held |= 1 << j
				}
			}
		}
		var sum float64
		for j, q := range qs {
			if held&(1<<j) != 0 {
				sum += q.idf
			}
		}
		best = max(best, sum)
	}
	return best
}

// holds reports whether the sentence holds an answer of type t. forms
// are the question's words: a year, a number or a name the question
// holds is not its answer ("nel 1952, quante emittenti...?").
func (sn *sentence) holds(t answerType, forms map[uint32]bool) bool {
	switch t {
	case typeYear:
		return sn.kind&holdsYear != 0 || anyNew(sn.years, forms)
	case typeNumber:
		return sn.kind&holdsNumber != 0 || anyNew(sn.nums, forms)
	case typeName:
		return anyNew(sn.caps, forms)
	}
	return false
}

// anyNew reports whether hs holds a form that forms lacks.
func anyNew(hs []uint32, forms map[uint32]bool) bool {
	for _, h := range hs {
		if !forms[h] {
			return true
		}
	}
	return false
}
