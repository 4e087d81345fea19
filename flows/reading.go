package flows

import "unicode/utf8"

// countWords is len(words(text)), without cutting the words out: most
// callers only ask whether a part of a message has a few words or more.
// The words of an ASCII text are its runs of letters and digits
// (extract.Words); another text is cut as words cuts it.
func countWords(text string) int {
	n, in := 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			if !in {
				n++
			}
			in = true
		case c >= utf8.RuneSelf:
			return len(words(text))
		default:
			in = false
		}
	}
	return n
}
