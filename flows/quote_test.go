package flows

import "testing"

// TestQuotedWordsAreTheDevicesNotTheCustomers: what a message quotes
// (between "...", “...” or «...», or after "the error says:") is left out
// of the customer's own words, and a part inside the marks is quoted;
// words outside them, and a colon after other words, stay the
// customer's.
func TestQuotedWordsAreTheDevicesNotTheCustomers(t *testing.T) {
	for _, tc := range []struct{ text, own string }{
		{`il portatile dice "No bootable device" e non parte`, `il portatile dice   e non parte`},
		{`la tv mostra «Nessun segnale» da ieri`, `la tv mostra   da ieri`},
		{`my laptop shows “Press any key to reboot” every time`, `my laptop shows   every time`},
		{`sullo schermo compare la scritta: No bootable device`, `sullo schermo compare la scritta`},
		{`the error says: disk not found`, `the error says`},
		{`the screen shows "unfinished quote`, `the screen shows `},
		{`"all quoted"`, ``},
		// Near misses: nothing quoted.
		{`ho due domande: dove siete e quando aprite?`, `ho due domande: dove siete e quando aprite?`},
		{`my tv won't turn on, it's 2 years old`, `my tv won't turn on, it's 2 years old`},
		{`the order: SP-200107`, `the order: SP-200107`},
	} {
		if got := unquoted(tc.text); got != tc.own {
			t.Errorf("unquoted(%q) = %q, want %q", tc.text, got, tc.own)
		}
	}
	for _, tc := range []struct {
		text, part string
		want       bool
	}{
		{`dice "Press any key to reboot" e poi niente`, `Press any key`, true},
		{`la tv mostra «aggiorna il software» da ieri`, `aggiorna il software`, true},
		{`it says “contact support” on the screen`, `contact support`, true},
		// Near misses: outside the marks.
		{`dice "Errore 42" e vorrei un rimborso`, `vorrei un rimborso`, false},
		{`I want a refund, it says "error"`, `I want a refund`, false},
		{`no quotes at all here`, `quotes`, false},
	} {
		if got := quotes(tc.text, tc.part); got != tc.want {
			t.Errorf("quotes(%q, %q) = %v, want %v", tc.text, tc.part, got, tc.want)
		}
	}
}
