package nlu

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// ReadTSV reads labelled examples from a file of lines "text<TAB>label".
// Blank lines and lines starting with "#" are skipped. A malformed line is an
// error naming the file and the line.
func ReadTSV(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("nlu: read %s: %w", path, err)
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, label, ok := strings.Cut(line, "\t")
		text, label = strings.TrimSpace(text), strings.TrimSpace(label)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s:%d: no tab between text and label", path, n)
		case strings.Contains(label, "\t"):
			return nil, fmt.Errorf("%s:%d: more than two columns", path, n)
		case text == "":
			return nil, fmt.Errorf("%s:%d: empty text", path, n)
		case label == "":
			return nil, fmt.Errorf("%s:%d: empty label", path, n)
		}
		out = append(out, Example{Text: text, Label: label, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nlu: read %s: %w", path, err)
	}
	return out, nil
}
