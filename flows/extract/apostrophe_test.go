package extract

import "testing"

// Contractions typed without their apostrophe read as with it; words
// that a contraction would also spell stay as written unless a verb
// follows.
func TestWithApostrophes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"it doesnt turn on and i cant find the receipt", "it doesn't turn on and i can't find the receipt"},
		{"Im not sure, Ive lost the box", "I'm not sure, I've lost the box"},
		{"id rather have a refund, thats all", "i'd rather have a refund, that's all"},
		{"Ill take two, wed like them by friday", "I'll take two, we'd like them by friday"},
		{"the order id is on the mail, i feel ill", "the order id is on the mail, i feel ill"},
		{"open on Wed? well, we'll see", "open on Wed? well, we'll see"},
		{"won't and dont", "won't and don't"},
		{"la garanzia dura due anni", "la garanzia dura due anni"},
	} {
		if got := WithApostrophes(tc.in); got != tc.want {
			t.Errorf("WithApostrophes(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
