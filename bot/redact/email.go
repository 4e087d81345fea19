package redact

import (
	"regexp"
	"strings"
)

// emailRe is lenient on purpose: what it finds is removed, so a mailbox
// with a name in any script (josé@, müller.de) or a doubled dot counts.
// Code that needs a deliverable address checks the Value further.
var emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`)

// Emails returns the e-mail addresses in text, in order. A Match's Value
// is the address lower-cased (mailboxes are case-insensitive in
// practice), without the dots or dashes a sentence puts around it.
func Emails(text string) []Match {
	var out []Match
	for _, loc := range emailRe.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		// "(-mario@x.it" or "...mario@x.it": punctuation is no part of the
		// mailbox.
		for start < end && strings.IndexByte(".-", text[start]) >= 0 {
			start++
		}
		if text[start] == '@' {
			continue
		}
		out = append(out, Match{Start: start, End: end, Value: strings.ToLower(text[start:end])})
	}
	return out
}
