package flows

import "testing"

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
