package nlu

import (
	"reflect"
	"testing"
)

// clearStemCache empties the process's cache of stems and word features.
func clearStemCache() {
	cachedStems.mu.Lock()
	cachedStems.words = nil
	cachedStems.mu.Unlock()
}

// TestStemCacheKeepsAnswers checks that the words the model was not
// trained on classify the same read afresh, from the cache, and from many
// goroutines filling the cache at once.
func TestStemCacheKeepsAnswers(t *testing.T) {
	m := mustTrain(t, shopExamples, Options{})
	texts := []string{
		"il mio frullatorone zampilla acquetta dappertutto",
		"my blendinator squirts everywhere since tuesdayish",
		"vorrei restituire lo scatolotto arrivato ammaccatissimo",
		"quanto costa il telefonino pieghevolissimo",
		"garanzia",
	}
	clearStemCache()
	var want [][]Scored
	for _, text := range texts {
		want = append(want, m.Classify(text))
	}
	for i, text := range texts {
		if got := m.Classify(text); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%q from the cache: %v, read afresh %v", text, got, want[i])
		}
	}
	clearStemCache()
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for k := range 50 {
				i := (g + k) % len(texts)
				ok = ok && reflect.DeepEqual(m.Classify(texts[i]), want[i])
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent Classify disagrees with the cache filling")
		}
	}
}
