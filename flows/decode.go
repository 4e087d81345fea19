package flows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxNodes bounds the YAML nodes one load visits, so that a file of
// aliases that expand exponentially ("billion laughs") cannot hang it.
const maxNodes = 1 << 20

// A decoder reads YAML nodes of one file into the loader's Bot, recording
// every mistake with its position.
type decoder struct {
	file  string
	errs  *ErrorList
	nodes *int
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.add(d.pos(n), format, args...)
}

// resolve follows aliases and counts the node against the budget; it
// returns nil when the budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n == nil || n.Kind == yaml.AliasNode {
		return nil
	}
	*d.nodes++
	if *d.nodes == maxNodes {
		d.errorf(n, "the file is too large once its aliases are expanded")
	}
	if *d.nodes >= maxNodes {
		return nil
	}
	return n
}

// describe names the kind of a node for messages: "a list", "a number"...
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "a number " + n.Value
		case "!!bool":
			return "a boolean " + n.Value
		}
		return fmt.Sprintf("the text %q", clip(n.Value))
	}
	return "something else"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// fields walks the mapping n of a "what" (for messages), calling fn for
// each key in order. Keys not in known are reported with a suggestion;
// repeated keys are reported. It returns false when n is not a mapping.
func (d *decoder) fields(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node)) bool {
	n = d.resolve(n)
	if n == nil {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s should be a mapping of keys, not %s", what, describe(n))
		return false
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.resolve(n.Content[i]), n.Content[i+1]
		if k == nil {
			return true
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a key of %s should be a name, not %s", what, describe(k))
			continue
		}
		key := k.Value
		if first, dup := seen[key]; dup {
			d.errorf(k, "%s has %q twice (first at line %d)", what, key, first.Line)
			continue
		}
		seen[key] = k
		if known != nil && !slices.Contains(known, key) {
			d.errorf(k, "unknown key %q in %s%s", key, what, suggest(key, known))
			continue
		}
		fn(key, k, v)
	}
	return true
}

// list walks the list n, calling fn for each item.
func (d *decoder) list(n *yaml.Node, what string, fn func(i int, v *yaml.Node)) bool {
	n = d.resolve(n)
	if n == nil {
		return false
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s should be a list, not %s", what, describe(n))
		return false
	}
	for i, v := range n.Content {
		if *d.nodes >= maxNodes {
			return true
		}
		fn(i, v)
	}
	return true
}

// str reads a scalar as text. Numbers and booleans are read as written.
func (d *decoder) str(n *yaml.Node, what string) (string, bool) {
	n = d.resolve(n)
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s should be a text, not %s", what, describe(n))
		return "", false
	}
	return n.Value, true
}

// name reads an identifier: a lower-case name of letters, digits, _ and -.
func (d *decoder) name(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return "", false
	}
	if !isName(s) {
		d.errorf(n, "%s %q should be a lower-case name of letters, digits, _ and - (like \"order_status\")", what, clip(s))
		return s, false
	}
	return s, true
}

// isName reports whether s is a valid identifier of a flow file.
func isName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '_' || r == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

func (d *decoder) integer(n *yaml.Node, what string) (int, bool) {
	n = d.resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s should be a whole number, not %s", what, describe(n))
	return 0, false
}

func (d *decoder) number(n *yaml.Node, what string) (float64, bool) {
	n = d.resolve(n)
	if n == nil {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s should be a number, not %s", what, describe(n))
	return 0, false
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	n = d.resolve(n)
	if n == nil {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		if v, err := strconv.ParseBool(n.Value); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s should be true or false, not %s", what, describe(n))
	return false, false
}

// strs reads a list of texts; a single text counts as a list of one.
func (d *decoder) strs(n *yaml.Node, what string) []string {
	r := d.resolve(n)
	if r == nil {
		return nil
	}
	if r.Kind == yaml.ScalarNode && r.Tag != "!!null" {
		return []string{r.Value}
	}
	var out []string
	d.list(r, what, func(_ int, v *yaml.Node) {
		if s, ok := d.str(v, "an item of "+what); ok {
			out = append(out, s)
		}
	})
	return out
}

// textRef reads a text: a key of texts:, or {lang: text, ...} in place.
// A text of a one-language bot may be written as a plain string; the
// validator decides once it knows the languages.
func (d *decoder) textRef(n *yaml.Node, what string) TextRef {
	r := d.resolve(n)
	if r == nil {
		return TextRef{}
	}
	ref := TextRef{Pos: d.pos(r)}
	switch r.Kind {
	case yaml.ScalarNode:
		if s, ok := d.str(r, what); ok {
			ref.Key = s
		}
	case yaml.MappingNode:
		ref.Text = d.langTexts(r, what)
	default:
		d.errorf(r, "%s should be a key of texts: or a text per language like {it: ..., en: ...}, not %s", what, describe(r))
	}
	return ref
}

// langTexts reads {lang: text, ...}.
func (d *decoder) langTexts(n *yaml.Node, what string) Text {
	t := Text{}
	d.fields(n, what, nil, func(lang string, k, v *yaml.Node) {
		if s, ok := d.str(v, fmt.Sprintf("the %s text of %s", lang, what)); ok {
			t[lang] = s
		}
	})
	return t
}

// synonyms reads {lang: [word, ...], ...}.
func (d *decoder) synonyms(n *yaml.Node, what string) map[string][]string {
	m := map[string][]string{}
	d.fields(n, what, nil, func(lang string, k, v *yaml.Node) {
		m[lang] = d.strs(v, fmt.Sprintf("the %s synonyms of %s", lang, what))
	})
	return m
}

// trimAll trims space from every item and drops empty ones.
func trimAll(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
