package extract

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
)

// A Catalogue is what a shop sells and how it numbers orders, as Scan reads
// it. NewShop prepares it once.
type Catalogue struct {
	Products   []Product
	Categories []Option
	// Choices are the options of the flow file's choice slots, by slot name.
	Choices map[string][]Option
	// Brands are brands the shop sells that its product names do not start
	// with. A product's brand is its Brand, or else the brand its name
	// starts with.
	Brands []string
	Orders []OrderFormat
}

// A Product is one product of the catalogue.
type Product struct {
	ID       string
	Name     string // "Samsung Galaxy A55"
	Brand    string // "" for the brand Name starts with
	Category string // a category's Value
	Synonyms []string
}

// An OrderFormat is how a shop's order numbers look: a prefix and a number
// of digits, "SP-482001". Customers write them loosely ("sp 482001",
// "#SP482001", "ordine 482001"); Scan returns them as Prefix+Sep+digits.
type OrderFormat struct {
	Prefix string // letters, any case: "SP"
	Digits int    // 6
	Sep    string // between prefix and digits in the canonical form: "-", or ""
}

// OrderFormatOf reads an order format from a flow file's pattern made of a
// literal prefix, an optional separator and a fixed number of digits, such
// as `(?i)\b(sp-?\d{6})\b`. ok is false for any other pattern.
func OrderFormatOf(pattern string) (f OrderFormat, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return OrderFormat{}, false
	}
	var parts []*syntax.Regexp
	var flatten func(r *syntax.Regexp)
	flatten = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpConcat:
			for _, s := range r.Sub {
				flatten(s)
			}
		case syntax.OpCapture:
			flatten(r.Sub[0])
		case syntax.OpWordBoundary, syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine:
		default:
			parts = append(parts, r)
		}
	}
	flatten(re)
	isDigitClass := func(r *syntax.Regexp) bool {
		return r.Op == syntax.OpCharClass && len(r.Rune) == 2 && r.Rune[0] == '0' && r.Rune[1] == '9'
	}
	for _, p := range parts {
		switch {
		case p.Op == syntax.OpLiteral && f.Digits == 0 && f.Sep == "":
			// Letters, and maybe the separator written with them: "ORD-".
			rs := p.Rune
			n := 0
			for n < len(rs) && unicode.IsLetter(rs[n]) {
				n++
			}
			switch {
			case n == len(rs):
			case n > 0 && n == len(rs)-1 && strings.ContainsRune("-/. #", rs[n]):
				f.Sep = string(rs[n])
			default:
				return OrderFormat{}, false
			}
			f.Prefix += strings.ToUpper(string(rs[:n]))
		case (p.Op == syntax.OpQuest || p.Op == syntax.OpLiteral) && f.Prefix != "" && f.Digits == 0 && f.Sep == "":
			lit := p
			if p.Op == syntax.OpQuest {
				lit = p.Sub[0]
			}
			if lit.Op != syntax.OpLiteral || len(lit.Rune) != 1 || !strings.ContainsRune("-/. #", lit.Rune[0]) {
				return OrderFormat{}, false
			}
			f.Sep = string(lit.Rune)
		case p.Op == syntax.OpRepeat && p.Min == p.Max && isDigitClass(p.Sub[0]) && f.Digits == 0:
			f.Digits = p.Min
		case isDigitClass(p) && f.Digits == 0:
			f.Digits = 1
		default:
			return OrderFormat{}, false
		}
	}
	if f.Prefix == "" || f.Digits < 3 || f.Digits > 12 {
		return OrderFormat{}, false
	}
	return f, true
}

// A Shop is a Catalogue prepared for Scan. It is immutable and safe for
// concurrent use.
type Shop struct {
	products, categories *Catalog
	info                 map[string]*productInfo // by product ID
	choices              map[string]*Catalog
	choiceNames          []string // sorted, so that Scan is deterministic
	brands               map[string]*brandInfo
	names                brandIndex // built-in brands and the shop's own
	categoryIDs          map[string]bool
	orders               []OrderFormat
	// words are the catalogues' words, each with the bits of the
	// catalogues that have it; bits gives each catalogue its bit.
	words *wordBits
	bits  map[*Catalog]uint64
}

type productInfo struct {
	brand, category string
	words           map[string]bool // every word of its name and synonyms
	brandOnly       map[string]bool // synonyms that are only the brand: "sony", "lg"
}

// brandInfo is what the shop sells of one brand.
type brandInfo struct {
	categories map[string]bool
	products   []string
}

// NewShop prepares c for Scan.
func NewShop(c Catalogue) *Shop {
	sh := &Shop{
		info:        map[string]*productInfo{},
		choices:     map[string]*Catalog{},
		brands:      map[string]*brandInfo{},
		categoryIDs: map[string]bool{},
		orders:      slices.Clone(c.Orders),
	}
	var opts []Option
	for _, p := range c.Products {
		opts = append(opts, Option{Value: p.ID, Synonyms: append([]string{p.Name}, p.Synonyms...)})
	}
	sh.products = NewCatalog(opts)
	sh.categories = NewCatalog(c.Categories)
	for _, o := range c.Categories {
		sh.categoryIDs[o.Value] = true
	}
	for name, o := range c.Choices {
		sh.choices[name] = NewCatalog(o)
		sh.choiceNames = append(sh.choiceNames, name)
	}
	slices.Sort(sh.choiceNames)

	extra := map[string]string{}
	for _, b := range c.Brands {
		if n := Normalize(b); n != "" {
			extra[n] = strings.ReplaceAll(n, " ", "")
		}
	}
	sh.names = builtinBrands.with(extra)
	for _, p := range c.Products {
		words := strings.Fields(Normalize(p.Name))
		brand := Normalize(p.Brand)
		if brand != "" {
			brand = sh.names.canonical(strings.Fields(brand))
		} else if b, _, _, ok := sh.names.at(words, 0); ok {
			brand = b.brand
		} else if len(words) > 0 {
			brand = words[0]
		}
		info := &productInfo{brand: brand, category: p.Category, words: map[string]bool{}, brandOnly: map[string]bool{}}
		for _, s := range append([]string{p.Name, p.ID}, p.Synonyms...) {
			ws := strings.Fields(Normalize(s))
			for _, w := range ws {
				info.words[w] = true
			}
			if b, _, n, ok := sh.names.at(ws, 0); ok && n == len(ws) && b.brand == brand {
				info.brandOnly[strings.Join(ws, " ")] = true
			}
		}
		sh.info[p.ID] = info
		if brand == "" {
			continue
		}
		bi := sh.brands[brand]
		if bi == nil {
			bi = &brandInfo{categories: map[string]bool{}}
			sh.brands[brand] = bi
		}
		bi.products = append(bi.products, p.ID)
		if p.Category != "" {
			bi.categories[p.Category] = true
		}
		// The words of the name after the brand are the brand's lines:
		// "galaxy", "thinkpad", so that "galaxy s23" reads as Samsung.
		if _, _, n, ok := sh.names.at(words, 0); ok && n < len(words) && !hasDigit(words[n]) && len(words[n]) >= 4 {
			sh.names.addLine(words[n], brand)
		}
	}
	for _, b := range extra {
		if sh.brands[b] == nil {
			sh.brands[b] = &brandInfo{categories: map[string]bool{}}
		}
	}
	cats := []*Catalog{sh.products, sh.categories, productTypes}
	for _, n := range sh.choiceNames {
		cats = append(cats, sh.choices[n])
	}
	sh.words = catalogueWords(cats...)
	sh.bits = map[*Catalog]uint64{}
	for i, c := range cats {
		if i < 64 {
			sh.bits[c] = 1 << i
		}
	}
	return sh
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}
