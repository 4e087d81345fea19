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
