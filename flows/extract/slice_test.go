package extract

import (
	"reflect"
	"testing"
)

// sliceMessages are messages of several requests, in both languages, with
// typos, counted plurals, models, dates and contacts: the words whose
// reading Slice shares.
var sliceMessages = []string{
	"ciao, il mio pixel 8 non si acende più da tre giorni e vorrei anche comprare due iphone 15 per l'ufficio",
	"I bought 3 pixels last march and two of them stopped charging, also do you sell samsung tvs? my email is anna@example.com",
	"the macbok screen is cracked, I dropped it yesterday. then I'd like a dyson vacuum for about 300 euros",
	"ho ordinato SP-482001 il 12/05, quando arriva? e poi la friggitrice philips perde olio, chiamatemi al 333 1234567",
	"Vorrei restituire la lavatrice: è arrivata ammaccata. Inoltre cerco un portatile hp entro venerdì",
	"three Galaxy A55s for my team plus a monitor, and the old one flickers since last week",
	"é già rotto?? il telefono comprato a gennaio... poi volevo sapere se spedite in svizzera",
	// Chat spellings ("nn", "cmq", "x") and a name short of a letter
	// before its model's number ("pixl 8"), whose spans the words around
	// them and the catalogue decide.
	"SP-111222 risulta consegnato ma nn ho ricevuto nulla, cmq x favore il mio pixl 8 nn si accende e poi vorrei un iphon 15",
}

// TestSliceIsReadOfTheSlice checks Slice against Read for every cut of
// each message at its words, and that the scans of the slices, which share
// what was read of each word with the message's, are the scans of the
// slices read alone, in either order: the message first, or a slice first.
func TestSliceIsReadOfTheSlice(t *testing.T) {
	for _, shop := range []*Shop{demoShop, parcelShop} {
		checkSlices(t, Options{Now: now, Shop: shop})
	}
}

// parcelShop has a choice whose synonyms a chat spelling stands for
// ("nn ho ricevuto": "non ho ricevuto").
var parcelShop = NewShop(Catalogue{Choices: map[string][]Option{
	"parcel": {
		{Value: "missing", Synonyms: []string{"non ho ricevuto", "non è arrivato", "never arrived", "not received"}},
		{Value: "damaged", Synonyms: []string{"danneggiato", "rotto", "damaged"}},
	},
}})

func checkSlices(t *testing.T, o Options) {
	t.Helper()
	for _, msg := range sliceMessages {
		for _, messageFirst := range []bool{true, false} {
			whole := ReadMessage(msg)
			if messageFirst {
				if got, want := ScanText(whole, o), Scan(msg, o); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q: the message's scan differs:\n got %+v\nwant %+v", msg, got, want)
				}
			}
			cuts := []int{0}
			for _, tk := range whole.toks {
				cuts = append(cuts, tk.start, tk.end)
			}
			cuts = append(cuts, len(msg))
			for _, a := range cuts {
				for _, b := range cuts {
					if b < a {
						continue
					}
					sub, ok := whole.Slice(a, b)
					if !ok {
						t.Fatalf("%q [%d:%d]: no slice at the words' edges", msg, a, b)
					}
					alone := Read(msg[a:b])
					if sub.text != alone.text || sub.lo != alone.lo || !reflect.DeepEqual(sub.toks, alone.toks) ||
						!reflect.DeepEqual(sub.w, alone.w) || !reflect.DeepEqual(sub.lex, alone.lex) ||
						!reflect.DeepEqual(sub.Words(), alone.Words()) {
						t.Fatalf("%q [%d:%d]: Slice is not Read", msg, a, b)
					}
					for _, expect := range []Kind{"", KindQuantity} {
						o := o
						o.Expect = expect
						if got, want := ScanText(sub, o), ScanText(alone, o); !reflect.DeepEqual(got, want) {
							t.Fatalf("%q [%d:%d] %q: the slice's scan differs:\n got %+v\nwant %+v", msg, a, b, msg[a:b], got, want)
						}
					}
				}
			}
			if !messageFirst {
				if got, want := ScanText(whole, o), Scan(msg, o); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q: the message's scan after its slices' differs:\n got %+v\nwant %+v", msg, got, want)
				}
			}
		}
	}
}

// TestSliceRefusesACutWord checks that a cut inside a word gives no slice.
func TestSliceRefusesACutWord(t *testing.T) {
	whole := ReadMessage("il mio pixel è rotto")
	for _, c := range [][2]int{{5, 12}, {0, 8}, {-1, 3}, {3, 99}, {6, 4}} {
		if _, ok := whole.Slice(c[0], c[1]); ok {
			t.Errorf("Slice(%d, %d) of %q: a slice", c[0], c[1], whole.text)
		}
	}
	if sub, ok := whole.SliceOf("pixel è rotto"); !ok || sub.String() != "pixel è rotto" {
		t.Errorf("SliceOf: %v %v", sub, ok)
	}
}
