package flows

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// A Cond is a condition of a branch on the slots, parsed from text like
//
//	warranty == covered
//	buyer != business and product set
//	category in [phone, laptop] or (budget unset and quantity set)
//
// Op is one of and, or, not, ==, !=, in, set, unset.
type Cond struct {
	Op     string
	Slot   string
	Values []string
	Args   []*Cond
	// Off is the byte offset of the slot name in the condition's text.
	Off int
}

// Eval reports whether c holds for slots. A slot is set when it has a
// non-empty value; an unset slot is != every value.
func (c *Cond) Eval(slots map[string]string) bool {
	switch c.Op {
	case "and":
		for _, a := range c.Args {
			if !a.Eval(slots) {
				return false
			}
		}
		return true
	case "or":
		for _, a := range c.Args {
			if a.Eval(slots) {
				return true
			}
		}
		return false
	case "not":
		return !c.Args[0].Eval(slots)
	case "set":
		return slots[c.Slot] != ""
	case "unset":
		return slots[c.Slot] == ""
	case "==":
		return slots[c.Slot] == c.Values[0]
	case "!=":
		return slots[c.Slot] != c.Values[0]
	case "in":
		return slices.Contains(c.Values, slots[c.Slot])
	}
	return false
}

// atoms calls fn for each comparison of c.
func (c *Cond) atoms(fn func(*Cond)) {
	if len(c.Args) == 0 {
		fn(c)
		return
	}
	for _, a := range c.Args {
		a.atoms(fn)
	}
}

// A condError is a mistake in a condition, at a byte offset of its text.
type condError struct {
	off int
	msg string
}

func (e *condError) Error() string { return e.msg }

type condToken struct {
	text   string
	off    int
	quoted bool
}

// lexCond splits a condition into words, quoted values and the symbols
// == != ( ) [ ] ,.
func lexCond(s string) ([]condToken, error) {
	var toks []condToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '=' || c == '!':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, condToken{text: s[i : i+2], off: i})
				i += 2
				continue
			}
			return nil, &condError{i, fmt.Sprintf("unexpected %q: compare with == or !=", c)}
		case strings.IndexByte("()[],", c) >= 0:
			toks = append(toks, condToken{text: string(c), off: i})
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, &condError{i, "unterminated quote"}
			}
			toks = append(toks, condToken{text: s[i+1 : i+1+j], off: i, quoted: true})
			i += j + 2
		default:
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if j == i {
				return nil, &condError{i, fmt.Sprintf("unexpected %q", s[i:i+1])}
			}
			toks = append(toks, condToken{text: s[i:j], off: i})
			i = j
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c == '_' || c == '-' || c == '.' || c == ':' || c == '/' || c == '+' || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}

// ParseCond parses a branch condition.
func ParseCond(s string) (*Cond, error) {
	toks, err := lexCond(s)
	if err != nil {
		return nil, err
	}
	p := &condParser{toks: toks, end: len(s)}
	c, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, &condError{t.off, fmt.Sprintf("unexpected %q: join conditions with and, or", t.text)}
	}
	return c, nil
}

type condParser struct {
	toks []condToken
	i    int
	end  int
}

func (p *condParser) peek() (condToken, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return condToken{off: p.end}, false
}

func (p *condParser) keyword(w string) bool {
	t, ok := p.peek()
	if ok && !t.quoted && t.text == w {
		p.i++
		return true
	}
	return false
}

func (p *condParser) or() (*Cond, error) {
	return p.chain("or", p.and)
}

func (p *condParser) and() (*Cond, error) {
	return p.chain("and", p.unary)
}

func (p *condParser) chain(op string, next func() (*Cond, error)) (*Cond, error) {
	c, err := next()
	if err != nil {
		return nil, err
	}
	args := []*Cond{c}
	for p.keyword(op) {
		c, err := next()
		if err != nil {
			return nil, err
		}
		args = append(args, c)
	}
	if len(args) == 1 {
		return c, nil
	}
	return &Cond{Op: op, Args: args, Off: args[0].Off}, nil
}

func (p *condParser) unary() (*Cond, error) {
	t, ok := p.peek()
	if !ok {
		return nil, &condError{t.off, "missing condition: write a slot and a test, like buyer == business"}
	}
	if p.keyword("not") {
		c, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Cond{Op: "not", Args: []*Cond{c}, Off: t.off}, nil
	}
	if p.keyword("(") {
		c, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.keyword(")") {
			t, _ := p.peek()
			return nil, &condError{t.off, "missing )"}
		}
		return c, nil
	}
	return p.atom()
}

func (p *condParser) atom() (*Cond, error) {
	name, _ := p.peek()
	if name.quoted || !isName(name.text) {
		return nil, &condError{name.off, fmt.Sprintf("%q is not a slot name", name.text)}
	}
	p.i++
	c := &Cond{Slot: name.text, Off: name.off}
	op, ok := p.peek()
	if !ok {
		return nil, &condError{op.off, fmt.Sprintf("what about %s? write ==, !=, in, set or unset after it", name.text)}
	}
	p.i++
	switch op.text {
	case "set", "unset":
		c.Op = op.text
	case "==", "!=":
		c.Op = op.text
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.Values = []string{v}
	case "in":
		c.Op = "in"
		if !p.keyword("[") {
			return nil, &condError{op.off + 3, "in wants a list of values, like in [phone, laptop]"}
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.Values = append(c.Values, v)
			if p.keyword("]") {
				break
			}
			if !p.keyword(",") {
				t, _ := p.peek()
				return nil, &condError{t.off, "separate values with commas and close the list with ]"}
			}
		}
	default:
		return nil, &condError{op.off, fmt.Sprintf("unknown test %q: want ==, !=, in, set or unset", op.text)}
	}
	return c, nil
}

func (p *condParser) value() (string, error) {
	t, ok := p.peek()
	if !ok || (!t.quoted && strings.Contains("()[],", t.text)) {
		return "", &condError{t.off, "missing value"}
	}
	p.i++
	return t.text, nil
}
