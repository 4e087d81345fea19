package knowledge

import (
	"fmt"
	"strings"
)

// heading returns the level (1 to 4) and text of a Markdown ATX heading
// line, or 0. Deeper headings (#####) stay in their section's text.
func heading(line string) (int, string) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 4 || (n < len(line) && line[n] != ' ' && line[n] != '\t') {
		return 0, ""
	}
	text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[n:]), "#"))
	if text == "" {
		return 0, ""
	}
	return n, text
}

// split cuts a document into passages at its headings (# to ####), outside
// fenced code blocks. Each passage carries the path of headings above it;
// a section with no text of its own is not a passage.
func split(d *Document) []*Passage {
	var out []*Passage
	var path [4]string
	var cur []string
	head, start := "", d.Line
	var curPath []string
	flush := func() {
		text := strings.TrimSpace(strings.Join(cur, "\n"))
		if text != "" {
			out = append(out, &Passage{
				ID:      fmt.Sprintf("%s#%d", d.ID, len(out)),
				Doc:     d,
				Heading: head,
				Path:    curPath,
				Text:    text,
				Line:    start + leadingLines(strings.Join(cur, "\n")),
			})
		}
		cur = cur[:0]
	}
	fence := ""
	lines := strings.Split(d.Body, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			cur = append(cur, line)
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			cur = append(cur, line)
			continue
		}
		level, text := heading(line)
		if level == 0 {
			cur = append(cur, line)
			continue
		}
		flush()
		path[level-1] = text
		for j := level; j < len(path); j++ {
			path[j] = ""
		}
		curPath = nil
		for _, h := range path[:level] {
			if h != "" && h != d.Title {
				curPath = append(curPath, h)
			}
		}
		head, start = text, d.Line+i+1
	}
	flush()
	return out
}
