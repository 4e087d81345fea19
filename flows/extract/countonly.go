package extract

// saysOnlyCount reports whether the words around the number at tokens
// [i, e) make it a count beside the plain "just one" and "uno solo": "just
// the one", "only the one", "one only", "one will do", "one is enough",
// "ne basta uno", "basta uno".
func (s *scan) saysOnlyCount(i, e int) bool {
	before := func(k int) string {
		if j := i - k; j >= 0 && !s.bounds[j+1] {
			return s.toks[j].text
		}
		return ""
	}
	after := func(k int) string {
		if j := e + k; j < len(s.toks) && !s.bounds[j] {
			return s.toks[j].text
		}
		return ""
	}
	switch {
	case before(1) == "the" && isOneOf(before(2), "just", "only"):
		return true
	case isOneOf(before(1), "basta", "basterebbe", "bastano", "serve"):
		return true
	case after(0) == "only", after(0) == "will" && after(1) == "do", after(0) == "is" && after(1) == "enough",
		after(0) == "basta", after(0) == "e" && after(1) == "sufficiente":
		return true
	}
	return false
}

// opensAnswers reports whether the number word of tokens i to e opens a
// message that answers several questions without the commas between
// them: "one max 700 euros", "una budget 600", "ok due sui 500 per
// casa" count as "one, max 700 euros" does. The word opens the message
// (after an "ok" or a yes at most) and the next word begins another
// answer, a budget or whom it is for ("for home", not "for each"), which
// no number counts. "a", "an"
// and "un" are articles only ("a budget of 700", "un budget di 700").
func (s *scan) opensAnswers(i, e int) bool {
	if e >= len(s.toks) || s.bounds[e] || e-i != 1 || isOneOf(s.toks[i].text, "a", "an", "un") {
		return false
	}
	if i > 0 && (i > 1 || !isOneOf(s.toks[0].text, "ok", "okay", "si", "yes", "yeah", "allora", "ecco")) {
		return false
	}
	// "one per room", "one for each room", "una per stanza" count per
	// something: no answer of how many in all.
	if s.toks[e].text == "for" {
		return e+1 < len(s.toks) && !isOneOf(s.toks[e+1].text, "each", "every", "all", "both")
	}
	// The other answer is an amount after its word: "600 max" alone is
	// a budget, no count and another answer.
	return isOneOf(s.toks[e].text, "budget", "max", "massimo", "sui", "sugli", "circa", "around", "about", "under") &&
		s.amountAfter(e+1)
}

// amountAfter reports whether a number starts at token j or the one
// after it ("max 700", "budget di 600", "sui 500").
func (s *scan) amountAfter(j int) bool {
	for k := j; k < len(s.toks) && k <= j+1 && !s.bounds[k]; k++ {
		if w := s.toks[k].text; len(w) > 0 && isDigitByte(w[0]) || isOneOf(w, "1k", "mille") {
			return true
		}
	}
	return false
}
