package flows

import (
	"slices"
	"strings"
	"testing"
)

// The kind of product the customer names is the shop's one product of
// that kind: "la macchinetta del caffè" of a shop that sells one coffee
// machine is that one, and the model question is not put.
func TestKindNamesTheOneProduct(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"it", "la macchinetta da caffè perde acqua dal fondo", "product=delonghi-magnifica", ""},
		{"it", "la scopa elettrica non aspira più niente", "product=dyson-v8", ""},
		{"en", "the air fryer smells of burnt plastic", "product=philips-airfryer", ""},
		{"en", "my espresso maker makes a grinding noise", "product=delonghi-magnifica", ""},
		// Near misses: the category alone names no product; a model
		// named keeps its own reading.
		{"it", "il mio elettrodomestico fa un rumore strano", "category=appliance", "product="},
		{"en", "my small appliance stopped working", "", "product="},
		{"en", "my dyson v8 vacuum lost suction", "product=dyson-v8", "delonghi"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %s and no %s", got, tc.want, tc.not)
			}
		})
	}
}

// What the customer names narrows the choice: a screen size gives the
// products whose name holds it, a kind the products of that kind.
func TestNarrowedBy(t *testing.T) {
	b := freshShop(t)                                                           // the test adds a kind
	b.kinds["robot aspirapolvere"] = []string{"dyson-v8", "delonghi-magnifica"} // a kind of two, for the test
	for _, tc := range []struct {
		text, cat string
		want      []string
	}{
		{"quello da 55 pollici", "tv", []string{"samsung-qled-55", "lg-oled-55"}},
		{"a 55-inch one, about 900", "", []string{"samsung-qled-55", "lg-oled-55"}},
		{`the 43" one`, "tv", []string{"sony-bravia-43"}},
		{"un robot aspirapolvere qualsiasi", "appliance", []string{"delonghi-magnifica", "dyson-v8"}},
		// Near misses: a size no product has, a number without a unit,
		// a category's word, nothing at all.
		{"65 pollici", "tv", nil},
		{"spendo 55 euro", "tv", nil},
		{"un televisore", "", nil},
		{"non lo so", "tv", nil},
	} {
		if got := b.narrowedBy(tc.text, tc.cat); !slices.Equal(got, tc.want) {
			t.Errorf("narrowedBy(%q, %q) = %v, want %v", tc.text, tc.cat, got, tc.want)
		}
	}
}

// At the model question, a size narrows the buttons to the products of
// that size, in the claim and in the sale; one product left is taken.
func TestSizeNarrowsTheModelQuestion(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, first, size string
		want              []string
	}{
		{"it", "vorrei acquistare una tv", "da 55 pollici, sui 1000 euro", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`}},
		{"en", "the picture on my television keeps flickering", "it's the 55 inch", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`}},
		{"it", "il televisore ha delle righe sullo schermo", "55 pollici", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`}},
	} {
		t.Run(tc.size, func(t *testing.T) {
			d := newDriver(t, b, june2025)
			d.hint = tc.lang
			d.say(tc.first)
			got := d.say(tc.size)
			if bs := slices.DeleteFunc(d.buttons(), func(s string) bool { return s == "Salta" || s == "Skip" }); !slices.Equal(bs, tc.want) {
				t.Errorf("after %q: %q with buttons %v, want %v", tc.size, got, bs, tc.want)
			}
			if strings.Contains(strings.ToLower(got), "capito") || strings.Contains(strings.ToLower(got), "understand") {
				t.Errorf("after %q: %q, want no failed answer", tc.size, got)
			}
			d.press(tc.want[1])
			if v := d.s.Slots["product"]; v != "lg-oled-55" {
				t.Errorf("product %q, want lg-oled-55", v)
			}
		})
	}
	// One product of the size: taken, the next question put.
	d := newDriver(t, b, june2025)
	d.hint = "en"
	d.say("my tv has no sound at all")
	d.say("43 inch")
	if v := d.s.Slots["product"]; v != "sony-bravia-43" {
		t.Errorf("43 inch: product %q, want sony-bravia-43", v)
	}
}

// A product's kind is one of its category's kinds.
func TestValidateKind(t *testing.T) {
	src := strings.Replace(base, `catalogue:
  products:
    p1: {name: P1}
`, `catalogue:
  categories:
    kitchen:
      name: Kitchen
      synonyms: {en: [kitchen]}
      kinds:
        kettle: {en: [kettle]}
  products:
    k1: {name: Kettle One, category: kitchen, kind: kettel}
    k2: {name: Kettle Two, kind: kettle}
`, 1)
	_, err := Parse("base.yaml", []byte(src))
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{`category kitchen has no kind "kettel" (did you mean "kettle"?)`, "product k2 has a kind but no category"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors %v, want %q", err, want)
		}
	}
}
