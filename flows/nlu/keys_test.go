package nlu

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKeyTableAndSort checks the vocabulary's table and the key sort
// against a Go map and slices.Sort, on random keys and on feature keys.
func TestKeyTableAndSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 63, 64, 65, 1000, 5000} {
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = rng.Uint64()
		}
		if n > 10 {
			keys[3] = keys[7] // duplicates, as a message's features have
			keys[4] = 0
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		want = slices.Compact(want)
		got, _ := uniq(slices.Clone(keys), nil)
		if !slices.Equal(got, want) {
			t.Fatalf("%d keys: uniq differs from slices.Sort and Compact", n)
		}
		table := newKeyTable(want)
		for i, k := range want {
			if r, ok := table.get(k); !ok || r != int32(i) {
				t.Fatalf("%d keys: get(%x) = %d, %v; want %d", n, k, r, ok, i)
			}
		}
		for range 100 {
			k := rng.Uint64()
			if _, found := slices.BinarySearch(want, k); found {
				continue
			}
			if r, ok := table.get(k); ok {
				t.Fatalf("%d keys: get(%x) = %d for a key not in the table", n, k, r)
			}
		}
	}
	words := []stemmed{}
	for _, w := range Tokenize("il mio telefono non si accende più dopo l'aggiornamento, comprato a marzo, garanzia?") {
		en, it := Stems(w)
		words = append(words, stemmed{w, en, it})
	}
	keys := appendFeatures(nil, words)
	keys = append(append(keys, keys...), keys...) // over 64, with duplicates
	want := slices.Compact(slices.Sorted(slices.Values(keys)))
	if got, _ := uniq(keys, nil); !slices.Equal(got, want) {
		t.Fatal("uniq of a message's features differs from slices.Sort and Compact")
	}
}
