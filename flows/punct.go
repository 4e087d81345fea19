package flows

import (
	"slices"
	"strings"

	"github.com/sportello/sportello/flows/extract"
)

// Many customers write without commas, full stops or question marks
// ("ho cambiato idea come faccio il reso quanto ci mette il rimborso"),
// and the rules that find a message's requests, its reason and its
// questions read clauses cut at those marks. markClauses gives such a
// message back some of its marks: a word that changes the subject
// ("comunque", "a proposito", "btw") starts a sentence, ended by "?"
// when it asks, and a yes is followed by a comma. A question opened in
// the middle ("... quanto costa ripararlo", "... how long does it take")
// is not cut off: it went on the first clause about as often as it
// began another (the review of 2 December found 19 messages misread
// that way: "sp482001 how long does it take" answered with the warranty
// page, "e rotto accettate il reso" with the payments).

// subjectChanges start a new sentence wherever they stand: "comunque
// l'ho preso a febbraio", "btw do you deliver".
var subjectChanges = newPhrases(func(add func(string)) {
	for _, p := range []string{" comunque ", " a proposito ", " tra l altro ", " inoltre ", " e poi ", " btw ", " by the way ", " anyway ",
		" separately ", " unrelated but ", " also "} {
		add(p)
	}
})

// yesNoWords answer a question by themselves.
var yesNoWords = map[string]bool{"si": true, "yes": true, "yeah": true, "yep": true, "no": true, "nope": true, "nah": true, "ok": true, "okay": true}

// markClauses returns text with the marks of the clauses its words
// begin, when it has no mark of its own; w and msg are its words and its
// reading. It returns text itself when there is nothing to mark.
func markClauses(text string, msg *extract.Text, s said) string {
	w := s.words
	// The words must be the reading's tokens one for one, to be found in
	// the text.
	if len(w) < 5 || hasClauseMark(text) || msg.Start(len(w)-1) < 0 || msg.Start(len(w)) >= 0 {
		return text
	}
	type start struct {
		at       int
		question bool
	}
	var starts []start
	s.each(subjectChanges, func(i, end int) bool {
		starts = append(starts, start{i, false})
		// "btw do you deliver": the question after it is the clause's.
		if end < len(w) && isQuestionOf("", w[end:]) {
			starts[len(starts)-1].question = true
		}
		return false
	})
	// "si il colore non è quello", "yes it doesn't fit": a yes, then
	// what it says. "si" is a yes before an article or a negation only
	// ("si è rotto", "si accende" tell).
	if yesBefore(w) && !slices.ContainsFunc(starts, func(st start) bool { return st.at <= 1 }) {
		starts = append(starts, start{1, false})
	}
	if len(starts) == 0 {
		return text
	}
	slices.SortStableFunc(starts, func(a, b start) int { return a.at - b.at })
	var b strings.Builder
	b.Grow(len(text) + 2*len(starts))
	// "si il colore non è quello" answers: "si" asks only as "si può".
	from, question := 0, w[0] != "si" && isQuestionOf("", w)
	last := 0 // the word the clause being written begins at
	for _, st := range starts {
		off := msg.Start(st.at)
		// "yes how much would it cost": the question is the answer's, and
		// the answer's rules read them together.
		if st.at == 1 && yesNoWords[w[0]] {
			if !st.question && off > from {
				b.WriteString(strings.TrimRight(text[from:off], " "))
				b.WriteString(", ")
				from = off
			}
			continue
		}
		// "btw do you", "what time do you": a clause begun a few words
		// before goes on.
		if st.at == 0 || off <= from || st.at-last < 3 {
			question = question || st.question
			continue
		}
		b.WriteString(strings.TrimRight(text[from:off], " "))
		if question {
			b.WriteString("? ")
		} else {
			b.WriteString(". ")
		}
		from, question, last = off, st.question, st.at
	}
	b.WriteString(text[from:])
	if question {
		b.WriteString("?")
	}
	return b.String()
}

// hasClauseMark reports whether text holds a mark that ends a clause: a
// comma, a question mark, a full stop that is not inside a word
// ("mario.rossi@gmail.com").
func hasClauseMark(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case ',', ';', '!', '?', ':', '\n':
			return true
		case '.':
			if i+1 == len(text) || text[i+1] == ' ' {
				return true
			}
		}
	}
	return false
}

// noLeads are the words after an opening "no" that begin a clause of
// their own: a subject, a clitic, an adverb.
var noLeads = map[string]bool{"lo": true, "la": true, "li": true, "le": true, "ne": true, "io": true, "allora": true,
	"meglio": true, "preferisco": true, "vorrei": true, "voglio": true, "a": true, "compro": true, "ricompro": true, "prendo": true,
	"i": true, "we": true, "it": true, "its": true, "that": true, "thats": true, "actually": true, "then": true, "ill": true,
	"id": true, "im": true, "rather": true}

// yesBefore reports whether words w open with a yes or a no that more
// words follow: "sì il colore non è quello", "yes it doesn't fit", "no
// lo ricompro nuovo".
func yesBefore(w []string) bool {
	// "yes how much would it cost": the question is the answer's, and
	// the answer's rules read them together.
	if len(w) < 3 || isQuestionOf("", w[1:]) {
		return false
	}
	switch w[0] {
	case "yes", "yeah", "yep":
		return w[1] != "but"
	case "nah", "nope":
		return true
	case "no":
		// "no lo ricompro nuovo", "no I'd rather buy a new one": a no,
		// then what the customer does instead. Not "no lo so" (non lo
		// so typed in a hurry), nor the English "no" of a noun ("no
		// budget", "no rush").
		return noLeads[w[1]] && !(w[1] == "lo" && w[2] == "so")
	case "si":
		return slices.Contains([]string{"il", "lo", "la", "i", "gli", "le", "l", "un", "una", "non", "grazie", "certo", "esatto", "va", "procedi", "procediamo"}, w[1])
	}
	return false
}
