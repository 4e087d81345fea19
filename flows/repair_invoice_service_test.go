package flows

import (
	"context"
	"strings"
	"testing"
)

// TestRepairAndInvoiceAreService: repairing something the shop sells
// starts the warranty flow, and an invoice for something bought is the
// pages' to explain, never a sale; a purchase or a price keeps its sale.
func TestRepairAndInvoiceAreService(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "do you repair macbooks?", "start_flow(warranty"},
		{"en", "how much to fix the iphone 15 screen?", "start_flow(warranty"},
		{"en", "can you guys fix a galaxy?", "start_flow(warranty"},
		{"it", "riparate i macbook?", "start_flow(warranty"},
		{"it", "il galaxy si può riparare?", "start_flow(warranty"},
		{"it", "riparate anche gli iphone 15?", "start_flow(warranty"},
		{"en", "i need an invoice for my purchase", "documents("},
		{"en", "could you send me an invoice for my purchase", "documents("},
		{"it", "mi serve la fattura dell'acquisto", "documents("},
		{"it", "vorrei la fattura del mio acquisto", "documents("},
		// Near misses: a purchase, a price.
		{"it", "vorrei comprare un macbook", "start_flow(sales"},
		{"it", "quanto costa il macbook?", "start_flow(sales"},
		{"en", "i want to buy an iphone 15", "start_flow(sales"},
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if err != nil {
			t.Fatal(err)
		}
		if got := commandsText(cmds); !strings.Contains(got, tc.want) {
			t.Errorf("%q: %s, want %s", tc.text, got, tc.want)
		}
	}
}
