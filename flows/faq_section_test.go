package flows

import (
	"strings"
	"testing"
)

// TestFAQSectionAnswersTheQuestion: a question the classifier reads,
// unsure, as an FAQ entry's, that a section of the entry's own page
// answers better than its summary, gets that section; a sure question of
// the entry, or one of its own section, keeps the entry's answer.
func TestFAQSectionAnswersTheQuestion(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want, not string }{
		{"en", "what does fixing it cost me once the warranty is over?", "quote", "24 months"},
		{"it", "se pago col bonifico anticipato, quando mi spedite il pacco?", "appena l'importo arriva", "Apple Pay"},
		{"it", "pago con bonifico anticipato: quando spedite?", "appena l'importo arriva", "Apple Pay"},
		{"it", "posso ritirare io in negozio?", "Via Roma", ""},
		{"it", "posso ritirare io in negozio?", "sabato 9-13", ""},
		{"it", "salve, si può ritirare in negozio?", "ritirare un ordine", ""},
		{"it", "salve, si può ritirare in negozio?", "sabato 9-13", ""},
		// The entry's own.
		{"en", "which ways of paying do you accept?", "Apple Pay", ""},
		{"it", "che metodi di pagamento avete?", "Apple Pay", ""},
		{"en", "how long is the warranty on a laptop?", "24 months", ""},
		{"it", "a che ora aprite il sabato?", "sabato", "Via Roma"},
		{"en", "what time do you open?", "9am-1pm", "Via Roma"},
		{"it", "quando siete aperti?", "sabato 9-13", "Via Roma"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			d := newDriver(t, b, june3)
			got := d.say(tc.text)
			if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("%q: the bot said\n%s\nwant %q, not %q", tc.text, got, tc.want, tc.not)
			}
		})
	}
}
