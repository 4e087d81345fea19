package flows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A Pos is a position in a flow file: file, line and column, 1-based.
type Pos struct {
	File string
	Line int
	Col  int
}

// String returns the position as file:line:column.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// An Error is one mistake in a flow file, at a position.
type Error struct {
	Pos Pos
	Msg string
}

// Error returns the mistake as "file:line:column: message".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// An ErrorList is every mistake found while loading a flow file, in file
// and line order. Load returns one when the file is not valid.
type ErrorList []*Error

// Error returns the mistakes, one a line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the mistakes as errors, for errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// maxErrors bounds the mistakes reported for one load: past it, the
// file is more noise than flow.
const maxErrors = 500

// add records a mistake at pos.
func (l *ErrorList) add(pos Pos, format string, args ...any) {
	if len(*l) < maxErrors {
		*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
	}
}

// sort orders the mistakes by file, line and column, and drops repeats.
func (l ErrorList) sort() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
}

// suggest returns ` (did you mean "x"?)` when one of known is close to s.
func suggest(s string, known []string) string {
	best, bestD := "", 0
	for _, k := range known {
		if d := distance(s, k); best == "" || d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" || bestD == 0 || bestD > max(1, (len(s)+2)/3) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
