package nlu

import "testing"

func TestOperations(t *testing.T) {
	tests := []struct {
		text string
		want op
	}{
		{"erase my to do list", opRemove},
		{"annulla l'ordine per favore", opRemove},
		{"aggiungi il latte alla lista della spesa", opAdd},
		{"can you increase my credit limit", opChange},
		{"vorrei cambiare l'indirizzo di consegna", opChange},
		{"add eggs and remove milk", opAdd | opRemove},
		// Asking about the thing is no operation.
		{"what is on my shopping list", 0},
		{"dov'è il mio ordine", 0},
		// What was done, not what is asked for.
		{"did i add milk to my shopping list", 0},
		{"have you cancelled it", 0},
		{"i tried updating the app", 0},
		{"ho provato ad aggiornare, niente", 0},
		{"ho cambiato idea", 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := operations(appendTokens(nil, Normalize(tt.text))); got != tt.want {
				t.Errorf("operations(%q) = %b, want %b", tt.text, got, tt.want)
			}
		})
	}
}

// TestOperationOutOfScope: a request about an intent's topic that asks for
// an operation none of its examples asks for is out of scope, however
// confident the words are; the same topic asked about is not.
func TestOperationOutOfScope(t *testing.T) {
	m := mustBigShop(t)
	for text, want := range map[string]string{
		"i need the invoice for the laptop":                   "invoice",
		"please cancel the invoice for the laptop":            OOS,
		"mi serve la fattura del tablet":                      "invoice",
		"annulla la fattura del tablet":                       OOS,
		"how long is the warranty on the phone":               "warranty",
		"can you extend and change the warranty of the phone": OOS,
	} {
		if got, conf := m.Predict(text); got != want {
			t.Errorf("Predict(%q) = %s (%.2f), want %s", text, got, conf, want)
		}
	}
	// Classify agrees: the discounted intent is below the threshold, and its
	// confidence went to no other intent.
	s := m.Classify("please cancel the invoice for the laptop")
	if len(s) == 0 || s[0].Intent != "invoice" || s[0].Confidence >= m.Threshold() {
		t.Errorf("Classify = %v, want invoice first, below the threshold %.2f", s, m.Threshold())
	}
}
