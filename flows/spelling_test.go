package flows

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRespelled: a word of five letters or more that the bot does not
// know, one swap or one double letter from one word it knows, is written
// as that word; everything else is left as typed.
func TestRespelled(t *testing.T) {
	b := mustShop(t)
	for _, c := range []struct{ in, want string }{
		// Two letters swapped, a double letter written once or twice.
		{"ho una domanda sulla graanzia", "ho una domanda sulla garanzia"},
		{"si grazei", "si grazie"},
		{"vorrei parlare con una persoan", "vorrei parlare con una persona"},
		{"can I talk to a preson", "can I talk to a person"},
		{"vorei sapere se e coperto", "vorrei sapere se e coperto"},
		{"non si acende piu", "non si accende piu"},
		{"the warrnaty, is it over?", "the warranty, is it over?"},
		{"i want to cancle my order", "i want to cancel my order"},
		// Accents, capitals and marks around the word stay as they were.
		{"perchè la graanzìa?", "perchè la garanzia?"},
		{"Graanzia scaduta. Persoan per favore", "Garanzia scaduta. Persona per favore"},
		{"GRAZEI MILLE", "GRAZIE MILLE"},
		// The plural of a word it knows.
		{"we need 3 thinkpads and two ihpones", "we need 3 thinkpads and two iphones"},
		{"do you have macbooks? two macboks", "do you have macbooks? two macbooks"},
		// A space left out after a mark.
		{"ok grazie.voreri sapere la graanzia,grazei", "ok grazie.vorrei sapere la garanzia,grazie"},
	} {
		if got := b.respell(c.in).Text; got != c.want {
			t.Errorf("respell(%q).Text = %q, want %q", c.in, got, c.want)
		}
	}
	// Near misses: left as typed.
	for _, in := range []string{
		"si", "sii grazie", "noo", "nop", "oki", // short words: never
		"scrivi a mario.rossi@gmial.com", "il sito www.sportelo.it", "vedi sportelo.it", "shop.garanzai.com", // e-mails, sites
		"ordine SP-200101, modello galxay5", "w/o scatola", // digits, a slash inside
		"ho parlato con Luigi Bainchi ieri",                        // a capital inside a sentence: a name
		"mentre aspetto", "venite a prenderlo?", "l'estate scorsa", // words of their own
		"ho provato tutto", "sapete dirmi", "sto scrivendo", "split screen",
		"la porta e rotta", "sono stati spediti", "still writing to you",
		"asdfghjk", "qwerty uiop", // no word is one mistake from these
	} {
		if got := b.respell(in).Text; got != in {
			t.Errorf("respell(%q).Text = %q, want it as typed", in, got)
		}
	}
}

// TestMistypedUnderstood: the phrase lists, the cues and the yes or no
// of an offer read a mistyped word as spelt right.
func TestMistypedUnderstood(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "a question on the warranty", lang: "it", text: "una domanda sulla graanzia del pixel 8",
			want: []string{"start_flow(warranty"}, not: []string{"documents("}},
		{name: "cancel the order", lang: "en", text: "I want to cancle my order", want: []string{"start_flow(order_change"}},
		{name: "annullare l'ordine", lang: "it", text: "voglio annulalre l'ordine", want: []string{"start_flow(order_change"}},
		{name: "a yes, mistyped", lang: "it", text: "si grazei", offer: offerElse, want: []string{"affirm(human"}},
		{name: "a yes in English", lang: "en", text: "yes pleaes", offer: offerElse, want: []string{"affirm(human"}},
		{name: "a no, mistyped", lang: "en", text: "no tahnks", offer: offerElse, want: []string{"deny(human"}},
		// Near misses: the yes and the no are not taken from other words.
		{name: "nope as typed", lang: "en", text: "noted, thanks", offer: offerElse, not: []string{"affirm(human"}},
	})
}

// BenchmarkRespell: the respelling of a long message with no typo, as
// most are, and of one with two.
func BenchmarkRespell(b *testing.B) {
	bot := mustShop(b)
	for _, text := range []string{
		"buongiorno, ho comprato il portatile a marzo e da qualche giorno la batteria non si carica piu, cosa posso fare?",
		"buongiorno, ho comprato il portatile a marzo e da qualche giorno la batteria non si carcia piu, cosa posso fraee?",
	} {
		b.Run(strings.Fields(text)[16], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bot.respell(text)
			}
		})
	}
}

// TestCommandsRecordWhatWasWritten: the understanding reads a mistyped
// word spelt right, and the command records the customer's own words
// (Written, in the transcript's text), however the text was cut; a
// message with no typo records its span as it is.
func TestCommandsRecordWhatWasWritten(t *testing.T) {
	b := mustShop(t)
	asked := State{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"category": "phone", "product": "pixel-8"}}
	for _, tc := range []struct {
		text, span, written string
	}{
		{"l'ho preso a febraio 2025", "febbraio 2025", "febraio 2025"},
		{"Febraio 2025, credo", "Febbraio 2025", "Febraio 2025"},
		{"è arrivato a genanio 2025", "gennaio 2025", "genanio 2025"},
		{"l'ho preso a febbraio 2025", "febbraio 2025", ""}, // no typo
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "it", Now: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC), State: asked})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(cmds, func(c Command) bool { return c.Kind == CmdSetSlot && c.Slot == "purchase_date" })
		if i < 0 {
			t.Errorf("Understand(%q) = %v, want the purchase date", tc.text, cmds)
			continue
		}
		c := cmds[i]
		if c.Span != tc.span || c.Written != tc.written {
			t.Errorf("Understand(%q): span %q written %q, want %q and %q", tc.text, c.Span, c.Written, tc.span, tc.written)
		}
		want := tc.written
		if want == "" {
			want = tc.span
		}
		if s := c.event("it").Text; !strings.Contains(s, strconv.Quote(want)) {
			t.Errorf("Understand(%q) records %s, want %q in it", tc.text, s, want)
		}
	}
}

// The respelling Runtime.Respond made is the one Understand reads: it is
// not made again, and Understand of a text of its own respells it.
func TestRespeltOnce(t *testing.T) {
	b := mustShop(t)
	sp := b.respell("vorei sapere della garnazia")
	if sp.Text != "vorrei sapere della garanzia" {
		t.Fatalf("respell = %q", sp.Text)
	}
	in := Input{Text: sp.Text, Lang: "it", Spelling: sp}
	got, _ := rules{b}.Understand(context.Background(), in)
	alone, _ := rules{b}.Understand(context.Background(), Input{Text: "vorei sapere della garnazia", Lang: "it"})
	if fmt.Sprint(got) != fmt.Sprint(alone) {
		t.Errorf("Understand of the respelt text = %v, of the text as written = %v: want the same", got, alone)
	}
}
