package extract

import (
	"fmt"
	"math/rand"
	"testing"
)

// shop is a small catalogue of an appliance and phone shop, with the names
// customers really use.
var shop = []Option{
	{Value: "nova-x", Synonyms: []string{"Nova X", "telefono nova x", "smartphone nova x"}},
	{Value: "nova", Synonyms: []string{"Nova", "telefono nova", "smartphone nova"}},
	{Value: "orbit-s23", Synonyms: []string{"Orbit S23", "telefono orbit", "smartphone orbit"}},
	{Value: "orbit-s24", Synonyms: []string{"Orbit S24"}},
	{Value: "lavatrice-bosch", Synonyms: []string{"lavatrice Bosch", "washing machine Bosch", "Bosch washer"}},
	{Value: "lavatrice-samsung", Synonyms: []string{"lavatrice Samsung", "Samsung washer"}},
	{Value: "frigo-bosch", Synonyms: []string{"frigorifero Bosch", "frigo Bosch", "Bosch fridge"}},
	{Value: "portatile-aero", Synonyms: []string{"portatile Aero", "laptop Aero", "notebook Aero", "computer portatile aero"}},
	{Value: "estensione-garanzia", Synonyms: []string{"estensione di garanzia", "garanzia estesa", "extended warranty"}},
	{Value: "macchina-caffe", Synonyms: []string{"macchina del caffè", "macchinetta caffè", "coffee machine"}},
}

func TestChoice(t *testing.T) {
	tests := []struct {
		text     string
		want     string
		wantText string // "" to skip
	}{
		{"Nova X", "nova-x", "Nova X"},
		{"nova x", "nova-x", ""},
		{"il mio nova x non si accende", "nova-x", "nova x"},
		{"my Nova X won't turn on", "nova-x", "Nova X"},
		{"x nova", "nova-x", ""},
		{"ho un nova", "nova", "nova"},
		{"NOVA", "nova", ""},
		{"smarphone nova", "nova", ""},
		{"smartphone nova x", "nova-x", ""},
		{"il telefono nova x si blocca", "nova-x", ""},
		{"novax", "nova-x", ""},
		{"orbit s23", "orbit-s23", ""},
		{"Orbit S24 rotto", "orbit-s24", "Orbit S24"},
		{"lavatrice bosh", "lavatrice-bosch", "lavatrice bosh"},
		{"la lavatrice Bosch perde acqua", "lavatrice-bosch", "lavatrice Bosch"},
		{"lavatrce bosch", "lavatrice-bosch", ""},
		{"my bosch washing machine leaks", "lavatrice-bosch", ""},
		{"samsung washer", "lavatrice-samsung", ""},
		{"lavatrice samsumg", "lavatrice-samsung", ""},
		{"il frigo bosch non raffredda", "frigo-bosch", ""},
		{"frigorifeor Bosch", "frigo-bosch", ""},
		{"portatille aero", "portatile-aero", ""},
		{"il portatile Aero", "portatile-aero", ""},
		{"laptop aero", "portatile-aero", ""},
		{"vorrei la garanzzia estesa", "estensione-garanzia", "garanzzia estesa"},
		{"estensione della garanzia", "estensione-garanzia", ""},
		{"extended warrenty", "estensione-garanzia", ""},
		{"macchina del caffe", "macchina-caffe", ""},
		{"MACCHINA DEL CAFFÈ", "macchina-caffe", ""},
		{"la macchinetta del caffè fa rumore", "macchina-caffe", ""},
		{"coffe machine", "macchina-caffe", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m, ok := Choice(tt.text, shop)
			if !ok || m.Value != tt.want {
				t.Fatalf("Choice(%q) = %+v, %v; want %q (candidates %+v)", tt.text, m, ok, tt.want, ChoiceCandidates(tt.text, shop, 3))
			}
			if m.Score < minScore || m.Score > 1 {
				t.Errorf("score %v out of range", m.Score)
			}
			if tt.wantText != "" && m.Text != tt.wantText {
				t.Errorf("Text = %q, want %q", m.Text, tt.wantText)
			}
		})
	}
}

func TestChoiceNoMatch(t *testing.T) {
	for _, text := range []string{
		"", "ciao", "boh", "il mio telefono", "my phone", "smartphone", "grazie mille",
		"non funziona", "x", "s25", "orbit s25 ultra", "lavatrice", "bosch", "garanzia",
		"?!", "123456", "voglio parlare con un operatore",
	} {
		t.Run(text, func(t *testing.T) {
			if m, ok := Choice(text, shop); ok {
				t.Errorf("Choice(%q) = %+v, want no match", text, m)
			}
		})
	}
}

func TestChoiceAmbiguous(t *testing.T) {
	tests := []struct {
		text string
		want []string // the tied candidates, in any order
	}{
		{"bosch", []string{"lavatrice-bosch", "frigo-bosch"}},
		{"lavatrice", []string{"lavatrice-bosch", "lavatrice-samsung"}},
		{"orbit", []string{"orbit-s23", "orbit-s24"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m, ok := Choice(tt.text, shop)
			if ok {
				t.Fatalf("Choice(%q) = %+v, ok; want ambiguous", tt.text, m)
			}
			got := ChoiceCandidates(tt.text, shop, 2)
			if len(got) != 2 {
				t.Fatalf("ChoiceCandidates = %+v, want 2", got)
			}
			for _, g := range got {
				if g.Value != tt.want[0] && g.Value != tt.want[1] {
					t.Errorf("candidate %q, want one of %q", g.Value, tt.want)
				}
			}
		})
	}
}

func TestChoiceCandidates(t *testing.T) {
	got := ChoiceCandidates("smartphone nova", shop, 3)
	if len(got) < 2 || got[0].Value != "nova" || got[1].Value != "nova-x" {
		t.Fatalf("ChoiceCandidates = %+v, want nova then nova-x", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Score > got[i-1].Score+tieScore {
			t.Errorf("not ranked: %+v", got)
		}
	}
	if got := ChoiceCandidates("ciao", shop, 3); len(got) != 0 {
		t.Errorf("ChoiceCandidates(ciao) = %+v, want none", got)
	}
	if got := ChoiceCandidates("bosch", shop, 0); len(got) != 2 {
		t.Errorf("ChoiceCandidates(bosch, 0) = %+v, want the 2 Bosch products", got)
	}
	if got := ChoiceCandidates("nova", nil, 3); len(got) != 0 {
		t.Errorf("ChoiceCandidates with no options = %+v", got)
	}
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"bosh", "bosch", 1}, {"garanzzia", "garanzia", 1},
		{"smatrphone", "smartphone", 1}, {"ca", "abc", 3}, {"kitten", "sitting", 3},
		{"portatille", "portatile", 1},
	}
	for _, tt := range tests {
		if got := osaDistance([]rune(tt.a), []rune(tt.b), 10); got != tt.want {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		// With a smaller bound it must still tell "within" from "beyond".
		for k := 0; k < 4; k++ {
			got := osaDistance([]rune(tt.a), []rune(tt.b), k)
			if (tt.want <= k && got != tt.want) || (tt.want > k && got != k+1) {
				t.Errorf("osaDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, k, got, min(tt.want, k+1))
			}
		}
	}
}

// TestOSAOne checks the check of one edit against the table, on random
// words of a few letters (near ones are frequent over three letters).
func TestOSAOne(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	word := func() []rune {
		w := make([]rune, r.Intn(7))
		for i := range w {
			w[i] = []rune("abcè")[r.Intn(4)]
		}
		return w
	}
	for i := 0; i < 20000; i++ {
		a, b := word(), word()
		if i%2 == 0 { // one random edit of a
			b = append([]rune(nil), a...)
			if j := r.Intn(len(b) + 1); j < len(b) {
				switch r.Intn(3) {
				case 0:
					b[j] = 'b'
				case 1:
					b = append(b[:j], b[j+1:]...)
				default:
					if j+1 < len(b) {
						b[j], b[j+1] = b[j+1], b[j]
					}
				}
			} else {
				b = append(b, 'c')
			}
		}
		if got, want := osaOne(a, b), osaBand(a, b, 1); got != want {
			t.Fatalf("osaOne(%q, %q) = %d, osaBand = %d", string(a), string(b), got, want)
		}
	}
}

// bigCatalogue returns n products the way a shop lists them: many share the
// category word and the brand.
func bigCatalogue(n int) []Option {
	cats := []string{"lavatrice", "frigorifero", "smartphone", "portatile", "televisore", "aspirapolvere", "forno", "asciugatrice"}
	brands := []string{"Bosch", "Samsung", "Nova", "Orbit", "Aero", "Miele", "Philips", "Candy", "Whirlpool", "Lenovo"}
	opts := make([]Option, n)
	for i := range opts {
		c, b := cats[i%len(cats)], brands[(i/len(cats))%len(brands)]
		model := fmt.Sprintf("serie %d", i)
		opts[i] = Option{
			Value:    fmt.Sprintf("%s-%s-%d", c, b, i),
			Synonyms: []string{c + " " + b + " " + model, b + " " + model, c + " " + b},
		}
	}
	return opts
}

func BenchmarkChoice200(b *testing.B) {
	opts := bigCatalogue(200)
	b.ReportAllocs()
	for b.Loop() {
		Choice("buongiorno, la mia lavatrce bosh serie 17 non centrifuga più", opts)
	}
}

func BenchmarkCatalogChoice200(b *testing.B) {
	c := NewCatalog(bigCatalogue(200))
	b.ReportAllocs()
	for b.Loop() {
		c.Choice("buongiorno, la mia lavatrce bosh serie 17 non centrifuga più")
	}
}
