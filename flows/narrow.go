package flows

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sportello/sportello/flows/extract"
)

// varNarrowed holds the products the customer's words narrowed the
// pending model question to: "flow slot id id...".
const varNarrowed = "narrowed"

// narrowedBy returns the products of the catalogue (of category cat, when
// set) that text narrows the choice to: those of a kind it names ("un
// robot aspirapolvere", when the shop sells several) and those whose
// name gives a screen size it gives ("55 pollici" of `LG OLED 55" C3`).
// It returns nil when text narrows nothing, or to no product.
func (b *Bot) narrowedBy(text, cat string) []string {
	var ids []string
	for _, p := range b.Products {
		if cat == "" || p.Category == cat {
			ids = append(ids, p.ID)
		}
	}
	all := len(ids)
	if kind := b.kindNamed(text); kind != "" {
		ids = slices.DeleteFunc(ids, func(id string) bool { return !slices.Contains(b.kinds[kind], id) })
	}
	if sizes := extract.ScreenSizes(text); len(sizes) > 0 {
		ids = slices.DeleteFunc(ids, func(id string) bool {
			return !slices.ContainsFunc(extract.ScreenSizes(b.products[id].Name), func(n int) bool { return slices.Contains(sizes, n) })
		})
	}
	if len(ids) == 0 || len(ids) == all {
		return nil
	}
	return ids
}

// narrow answers an answer to the model question st of f that names no
// model but narrows the choice ("55 pollici, sui 1000 euro" of two 55"
// TVs): one product left is the answer, and it reports false so the
// flow goes on; several are the question put again with them alone as
// its choices (it reports true), rather than "I didn't understand" or
// the question let go. Put twice in a row already, the question is
// left to the usual retries.
func (c *conv) narrow(f *Flow, st *Step, cmds []Command) bool {
	s := c.b.Slots[st.Slot]
	if s == nil || s.Type != SlotProduct || c.askedInARow(st.Slot) >= 2 ||
		hasKind(cmds, CmdNotSold, CmdFAQ, CmdDocuments, CmdHuman, CmdCancel, CmdSkip) {
		return false
	}
	if hasKind(cmds, CmdStartFlow) && !c.bareNarrowing() {
		return false // "voglio comprarne uno da 55 pollici": a new request
	}
	ids := c.b.narrowedBy(c.text, c.category())
	if prev := c.narrowedTo(st.Slot); len(prev) > 0 && len(ids) > 0 {
		// Narrowed once already: the new words narrow those further.
		ids = slices.DeleteFunc(ids, func(id string) bool { return !slices.Contains(prev, id) })
	}
	switch len(ids) {
	case 0:
		return false
	case 1:
		c.fill(f, st.Slot, ids[0], false)
		return false
	}
	c.s.SetVar(varNarrowed, c.s.Flow+" "+st.Slot+" "+strings.Join(ids, " "))
	c.noted(cmds, st.Slot)
	c.prompt(st)
	return true
}

// narrowedTo returns the products the model question of slot was
// narrowed to in the current flow, if it was.
func (c *conv) narrowedTo(slot string) []string {
	fs := strings.Fields(c.s.Vars[varNarrowed])
	if len(fs) < 3 || fs[0] != c.s.Flow || fs[1] != slot {
		return nil
	}
	return fs[2:]
}

// bareNarrowing reports whether the message is little more than what
// narrows a model question: "55 pollici", "55 inch, around 1000". The
// classifier reads a bare size as shopping; at the model question of a
// claim it answers the question.
func (c *conv) bareNarrowing() bool {
	rest := 0
	for _, w := range words(c.text) {
		if strings.Trim(w, "0123456789") == "" || screenUnits[w] || slices.ContainsFunc(slices.Collect(maps.Keys(c.b.kinds)), func(k string) bool { return slices.Contains(strings.Fields(k), w) }) {
			continue
		}
		rest++
	}
	return rest <= 2
}

// screenUnits are the words of a screen's size after its number.
var screenUnits = map[string]bool{"pollici": true, "pollice": true, "inch": true, "inches": true}

// sizeStays drops the request for another flow that a bare narrowing
// of the pending model question st seems to make: "55 pollici" at the
// claim's "which model?" reads as shopping to the classifier, and
// answers the question.
func (c *conv) sizeStays(cmds []Command, st *Step) []Command {
	if st == nil || st.Kind != StepAsk || c.b.Slots[st.Slot] == nil || c.b.Slots[st.Slot].Type != SlotProduct ||
		!hasKind(cmds, CmdStartFlow) || !c.bareNarrowing() || c.b.narrowedBy(c.text, c.category()) == nil {
		return cmds
	}
	return slices.DeleteFunc(slices.Clone(cmds), func(o Command) bool { return o.Kind == CmdStartFlow && o.Flow != c.s.Flow })
}

// kindCatalog is the catalogue of the kinds' words (Bot.kindCat): one
// option per kind of products, valued by its first word's key of kinds.
func kindCatalog(cats []*Category, kinds map[string][]string) *extract.Catalog {
	var opts []extract.Option
	for _, c := range cats {
		for _, kind := range slices.Sorted(maps.Keys(c.Kinds)) {
			ws := allWords(c.Kinds[kind])
			for _, w := range ws {
				if key := strings.Join(words(w), " "); len(kinds[key]) > 0 {
					opts = append(opts, extract.Option{Value: key, Synonyms: ws})
					break
				}
			}
		}
	}
	return extract.NewCatalog(opts)
}

// kindNamed returns the key of kinds of the kind text names: its words
// as the shop writes them, the longest first ("friggitrice ad aria"),
// or else as the catalogue reads names, in the plural or with a typo
// ("due friggitrici", "l'aspirapolvre"). It returns "" when text names
// no kind.
func (b *Bot) kindNamed(text string) string {
	said := " " + strings.Join(words(text), " ") + " "
	kind := ""
	for key := range b.kinds {
		// The longest kind named wins; of two as long, the first by
		// name, so that the same words narrow the same way every time.
		if (len(key) > len(kind) || len(key) == len(kind) && key < kind) && strings.Contains(said, " "+key+" ") {
			kind = key
		}
	}
	if kind != "" {
		return kind
	}
	kind, _ = b.kindMisspelt(text)
	return kind
}

// kindMisspelt returns the key of kinds of the kind text names in the
// plural or with a typo, as the catalogue reads names, and the words
// that name it as written; "" when text names none so.
func (b *Bot) kindMisspelt(text string) (kind, span string) {
	if b.kindCat == nil {
		return "", ""
	}
	if m, ok := b.kindCat.Choice(text); ok && m.Score >= kindScore && len(b.kinds[m.Value]) > 0 {
		return m.Value, m.Text
	}
	return "", ""
}

// kindFacts are the facts of a kind's word that the reading of text
// missed, where it found no product, category or brand: "due macchine
// del caffe", "la machina del cafe" (the shop's words in the plural or
// misspelt, which Scan reads exactly). The kind names its category, and
// its product when it has one only.
func (b *Bot) kindFacts(text string, read []fact) []fact {
	if slices.ContainsFunc(read, func(f fact) bool { return f.kind == factProduct || f.kind == factCategory || f.kind == factBrand }) {
		return nil
	}
	kind, span := b.kindMisspelt(text)
	if kind == "" {
		return nil
	}
	ids := b.kinds[kind]
	p := b.products[ids[0]]
	if p == nil {
		return nil
	}
	out := []fact{{kind: factCategory, value: p.Category, span: span, conf: 0.8}}
	// The count right before it, which Scan reads beside a name only:
	// "due macchine del caffe".
	if i := strings.Index(text, span); i > 0 && !slices.ContainsFunc(read, func(f fact) bool { return f.kind == factNumber }) {
		if ws := words(text[:i]); len(ws) > 0 {
			if n, ok := extract.Number(ws[len(ws)-1], ""); ok && n > 1 {
				out = append(out, fact{kind: factNumber, value: strconv.Itoa(n), span: ws[len(ws)-1], conf: 0.8})
			}
		}
	}
	if len(ids) == 1 {
		out = append(out, fact{kind: factProduct, value: p.ID, span: span, conf: 0.8})
	}
	return out
}

// kindScore is the score of the kinds' catalogue that names a kind: its
// words all there, one of them misspelt or in the plural.
const kindScore = 0.8

// narrowFirst narrows the model question st of f, about to be put for
// the first time, by the words of the message that led to it, as an
// answer to it would: "cerco una tv da 55 pollici" asks which of the
// 55" TVs, "a 43 inch tv" takes the one 43" TV (it reports true: the
// flow goes on past the question).
func (c *conv) narrowFirst(f *Flow, st *Step) bool {
	s := c.b.Slots[st.Slot]
	if s == nil || s.Type != SlotProduct || c.narrowedTo(st.Slot) != nil {
		return false
	}
	ids := c.b.narrowedBy(c.text, c.category())
	switch len(ids) {
	case 0:
		return false
	case 1:
		c.fill(f, st.Slot, ids[0], false)
		return true
	}
	c.s.SetVar(varNarrowed, c.s.Flow+" "+st.Slot+" "+strings.Join(ids, " "))
	return false
}
