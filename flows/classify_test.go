package flows

import (
	"slices"
	"testing"

	"github.com/sportello/sportello/flows/nlu"
)

// TestSupportedFAQ: of two FAQs the classifier guesses, the one the
// message's words support more comes first: a question about delivery
// that opens like one about the warranty ("how long is...") asks about
// shipping; one about the warranty stays one.
func TestSupportedFAQ(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ text, want string }{
		{"how long is delivery to bari?", "shipping"},
		{"how long is delivery usually", "shipping"},
		{"how long is the delivery for a fridge", "shipping"},
		{"quanto dura la consegna in sardegna?", "shipping"},
		{"how long is the warranty on a tv", "warranty_terms"},
		{"quanto dura la garanzia per un azienda", "warranty_terms"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := b.Classify(tc.text); len(got) == 0 || got[0].Intent != tc.want {
				t.Errorf("Classify(%q) = %v, want %s first", tc.text, got, tc.want)
			}
		})
	}
}

// TestSupportedFAQKeepsTheScoresInOrder: the FAQ put first from the third
// guess takes the first's confidence, and the guesses it passes each move
// down one place with the confidence of the place they take, so the
// scores still fall from the first to the last.
func TestSupportedFAQKeepsTheScoresInOrder(t *testing.T) {
	b := mustShop(t)
	got := b.supported("how long does delivery take to rome?", []nlu.Scored{
		{Intent: "warranty_terms", Confidence: 0.6}, {Intent: "hours", Confidence: 0.3}, {Intent: "shipping", Confidence: 0.1}})
	want := []nlu.Scored{{Intent: "shipping", Confidence: 0.6}, {Intent: "warranty_terms", Confidence: 0.3}, {Intent: "hours", Confidence: 0.1}}
	if !slices.Equal(got, want) {
		t.Errorf("supported = %v, want %v", got, want)
	}
}
