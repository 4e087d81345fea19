package flows

import "testing"

// TestQuotedTextKeepsTheLanguage: what the customer quotes (an English
// error message pasted in an Italian sentence, between quotation marks or
// after "dice:") is not the language they write in, nor a request of its
// own ("Press any key to reboot" buys nothing). The near misses still
// switch: the customer writes English themselves, or quotes a word of
// Italian inside an English sentence.
func TestQuotedTextKeepsTheLanguage(t *testing.T) {
	for _, tc := range []struct {
		name, hint string
		says       []string
		want       string
	}{
		{name: "quoted error", hint: "it", says: []string{"il portatile non si avvia", `sul display c'è scritto "Operating system not found, press F1 to retry"`}, want: "it"},
		{name: "after dice", hint: "it", says: []string{"la tv non va", "il televisore dice: No signal, please check your cable connection"}, want: "it"},
		{name: "two quotes in a row", hint: "it", says: []string{"ciao", `esce “Update failed. Please try again later”`, `e poi «Device storage is almost full»`}, want: "it"},
		{name: "quote only", hint: "it", says: []string{"ciao", `"Battery critically low, plug in your charger now"`}, want: "it"},
		// Near misses.
		{name: "writes english", hint: "it", says: []string{"ciao", "sorry, my laptop does not start anymore and I need help"}, want: "en"},
		{name: "two english in a row", hint: "it", says: []string{"ciao", "thank you", "sounds good"}, want: "en"},
		{name: "english quoting italian", hint: "en", says: []string{"hello", `my tv says "nessun segnale" when I switch it on`}, want: "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			for _, s := range tc.says {
				d.say(s)
			}
			if d.s.Language != tc.want {
				t.Errorf("language %q after %q, want %q", d.s.Language, tc.says, tc.want)
			}
		})
	}
}

// TestQuotedTextQueuesNoRequest: a quoted screen message beside a claim
// puts no purchase on the agenda; a purchase asked in the customer's own
// words beside a claim still does.
func TestQuotedTextQueuesNoRequest(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		queued     bool
	}{
		{"it", `il mio thinkpad non parte, dice "No bootable device found. Press any key to reboot the machine"`, false},
		{"it", `il pavilion si blocca e compare «Acquista la licenza completa per continuare»`, false},
		{"en", `my pixel 8 froze and shows "Buy more storage to keep your photos"`, false},
		// Near miss: the customer's own second request.
		{"it", "il mio thinkpad non parte, e poi vorrei anche comprare un pixel 8", true},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		if got := hasKind(cmds, CmdQueue); got != tc.queued {
			t.Errorf("%q: queued %v, want %v: %s", tc.text, got, tc.queued, commandsText(cmds))
		}
	}
}
