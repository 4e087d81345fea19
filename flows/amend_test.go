package flows

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestAmendCorrectsTheOpenCase: a customer whose case is open corrects
// a value it holds; the session, the card's slot and its summary change,
// and the customer is told. A message that corrects nothing, or names a
// value the case did not hold, changes nothing.
func TestAmendCorrectsTheOpenCase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, intent, text string
		slots                    map[string]string
		slot, want, told         string
	}{
		{name: "email typo", lang: "en", intent: "buy", text: "sorry typo, its jo.smith@example.org",
			slots: map[string]string{"product": "pixel-8", "contact": "jo.smith@exmaple.org"},
			slot:  "contact", want: "jo.smith@example.org", told: "jo.smith@example.org"},
		{name: "mail sbagliata", lang: "it", intent: "buy", text: "scusate ho sbagliato la mail, è anna.r@example.it",
			slots: map[string]string{"product": "pixel-8", "contact": "anna.r@exampel.it"},
			slot:  "contact", want: "anna.r@example.it", told: "anna.r@example.it"},
		{name: "per la ditta", lang: "it", intent: "warranty", text: "ah no aspetta, è per la mia azienda",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-02", "buyer": "consumer"},
			slot:  "buyer", want: "business", told: "Azienda"},
		{name: "nothing corrected", lang: "en", intent: "buy", text: "how long until someone picks this up?",
			slots: map[string]string{"product": "pixel-8", "contact": "jo.smith@example.org"}},
		{name: "nothing held", lang: "en", intent: "buy", text: "my number is 3331234567",
			slots: map[string]string{"product": "pixel-8"}},
		// Another product or purchase told later is news, not a correction.
		{name: "another product works", lang: "en", intent: "warranty", text: "btw my galaxy a55 works fine, its just the pixel",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
		{name: "another purchase", lang: "en", intent: "warranty", text: "i also got a macbook air from u last week",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
		{name: "un altro acquisto", lang: "it", intent: "warranty", text: "a maggio ho preso anche una friggitrice da voi",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
		// Another model named in a correction replaces the product.
		{name: "un altro modello", lang: "it", intent: "warranty", text: "scusa ho sbagliato, è un altro modello: il galaxy a55",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"},
			slot:  "product", want: "galaxy-a55", told: "Galaxy A55"},
		{name: "another model", lang: "en", intent: "warranty", text: "sorry my mistake, it's another model, the galaxy a55",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"},
			slot:  "product", want: "galaxy-a55", told: "Galaxy A55"},
		{name: "another phone", lang: "en", intent: "warranty", text: "sorry, i have another phone, a galaxy a55, that works fine",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := bot.NewSession(bot.Address{Channel: "test", ChatID: "1"}, june3)
			s.Language, s.Mode = tc.lang, bot.ModeQueued
			s.Slots = map[string]string{}
			cs := &bot.Case{ID: "C-1", Team: "sales", TeamName: "Vendite", Intent: tc.intent, Slots: map[string]string{}}
			for k, v := range tc.slots {
				s.Slots[k] = v
				cs.Slots[k] = b.display(k, v, "it")
				cs.Summary = append(cs.Summary, k+": "+b.display(k, v, "it"))
			}
			s.Case = cs
			turn := &bot.Turn{Session: s, Message: bot.Message{Text: tc.text, Time: june3, Address: s.Address}}
			changed, err := NewRuntime(b).Amend(context.Background(), turn)
			if err != nil {
				t.Fatal(err)
			}
			if tc.slot == "" {
				if changed || len(turn.Replies) > 0 {
					t.Errorf("changed %v, replies %v: want nothing for %q", changed, turn.Replies, tc.text)
				}
				return
			}
			if !changed || s.Slots[tc.slot] != tc.want {
				t.Fatalf("changed %v, %s = %q: want %q", changed, tc.slot, s.Slots[tc.slot], tc.want)
			}
			shown := b.display(tc.slot, tc.want, "it")
			if cs.Slots[tc.slot] != shown || !strings.Contains(strings.Join(cs.Summary, "\n"), shown) {
				t.Errorf("card %v, summary %q: want %q on it", cs.Slots, cs.Summary, shown)
			}
			if len(turn.Replies) != 1 || !strings.Contains(turn.Replies[0].Text, tc.told) {
				t.Errorf("replies %v, want one telling %q", turn.Replies, tc.told)
			}
		})
	}
}

// TestAmendChangesOnlyTheValueOnTheCard: a corrected quantity changes the
// summary's quantity, not the same digit inside the budget or the phone
// number the agents will call.
func TestAmendChangesOnlyTheValueOnTheCard(t *testing.T) {
	b := mustShop(t)
	s := bot.NewSession(bot.Address{Channel: "test", ChatID: "1"}, june3)
	s.Language, s.Mode = "en", bot.ModeQueued
	s.Slots = map[string]string{"category": "laptop", "quantity": "2", "budget": "1200", "contact": "+39 333 222 1234"}
	cs := &bot.Case{ID: "C-1", Team: "sales", Intent: "buy", Slots: map[string]string{}}
	for _, k := range []string{"category", "quantity", "budget", "contact"} {
		cs.Slots[k] = b.display(k, s.Slots[k], "it")
		cs.Summary = append(cs.Summary, k+": "+cs.Slots[k])
	}
	s.Case = cs
	turn := &bot.Turn{Session: s, Message: bot.Message{Text: "oops, I meant 3 of them, not 2", Time: june3, Address: s.Address}}
	changed, err := NewRuntime(b).Amend(context.Background(), turn)
	if err != nil || !changed || s.Slots["quantity"] != "3" {
		t.Fatalf("changed %v, err %v, quantity %q: want 3", changed, err, s.Slots["quantity"])
	}
	want := []string{"category: " + cs.Slots["category"], "quantity: 3", "budget: 1200", "contact: +39 333 222 1234"}
	if strings.Join(cs.Summary, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary %q, want %q", cs.Summary, want)
	}
}

// amendAfter opens a case with opening (messages split at " | "), as the engine would, and returns
// the turn of Amend reading correction while the case is queued.
func amendAfter(t *testing.T, lang, opening, correction string) (*driver, *bot.Turn, bool) {
	t.Helper()
	d := newDriver(t, mustShop(t), june3)
	d.hint = lang
	for _, m := range strings.Split(opening, " | ") {
		d.say(m)
	}
	if d.last.Handoff == nil {
		t.Fatalf("%q: no handoff", opening)
	}
	d.s.Case = d.last.Handoff.Clone()
	turn := &bot.Turn{Session: d.s, Message: bot.Message{Text: correction, Time: june3, Address: d.s.Address}}
	changed, err := d.r.Amend(context.Background(), turn)
	if err != nil {
		t.Fatal(err)
	}
	return d, turn, changed
}

// TestAmendDecidesAgain: a correction of a queued case that changes what
// the warranty's verdict was decided from (the purchase date, the buyer,
// the product) decides it again: the session, the card's verdict and
// summary line, and the customer is told the new verdict. A correction
// that keeps the verdict, or corrects what it does not read, tells only
// the correction.
func TestAmendDecidesAgain(t *testing.T) {
	for _, tc := range []struct {
		name, lang, opening, correction string
		want, line                      string // the verdict after, and on the card's summary ("" keeps it)
		told                            string // in the customer's replies ("" for no second reply)
	}{
		{"data da coperta a scaduta", "it", "il pavilion ha il touchpad bloccato, preso a maggio 2024, privato",
			"scusate ho sbagliato anno, era maggio 2022", "expired", "scaduta", "scaduti"},
		{"privato poi ditta", "it", "lo smartphone galaxy a55 non prende la linea, comprato a febbraio 2024, uso personale",
			"no scusa, l abbiamo comprato con partita iva", "expired", "(12 mesi)", "azienda"},
		{"date covered to expired", "en", "my pixel 8 speaker crackles, got it in july 2024, private",
			"sorry wrong year, i meant july 2022", "expired", "scaduta", "ended"},
		{"business then private", "en", "the macbook air trackpad is stuck, bought january 2024 for my company | yes please",
			"oops no, i bought it myself as a private customer", "covered", "in garanzia", "covered until"},
		// Near misses: the verdict stays, or what changed is not read by it.
		{"same verdict", "en", "my pixel 8 speaker crackles, got it in march 2025, private",
			"sorry, it was april 2025 not march", "covered", "", ""},
		{"stesso esito", "it", "il pavilion non si accende, comprato a gennaio 2025, privato",
			"anzi era febbraio 2025", "covered", "", ""},
		{"the defect", "en", "the delonghi magnifica leaks water, bought last november, private",
			"sorry I meant it leaks from the bottom, not the top", "covered", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, turn, changed := amendAfter(t, tc.lang, tc.opening, tc.correction)
			if !changed {
				t.Fatalf("%q changed nothing", tc.correction)
			}
			if got := d.s.Slots["warranty"]; got != tc.want {
				t.Errorf("warranty %q, want %q", got, tc.want)
			}
			summary := strings.Join(d.s.Case.Summary, "\n")
			if tc.line != "" && !strings.Contains(summary, tc.line) {
				t.Errorf("summary %q, want %q in it", summary, tc.line)
			}
			if tc.told == "" {
				if len(turn.Replies) != 1 {
					t.Errorf("replies %v, want only the correction", turn.Replies)
				}
				return
			}
			if len(turn.Replies) != 2 || !strings.Contains(turn.Replies[1].Text, tc.told) {
				t.Errorf("replies %v, want the new verdict with %q", turn.Replies, tc.told)
			}
		})
	}
}

// TestAmendReadsInTheCaseFlow: a correction is read in the flow that
// handed over, which the case's intent may not name (a person asked for
// mid-claim records "human", which has no flow; a flow may go on in
// another): the product, the date, the buyer of a warranty claim are
// corrected all the same.
func TestAmendReadsInTheCaseFlow(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, text, flow string
		slot, want             string
	}{
		{"il prodotto", "it", "scusa mi sono confuso, non e il thinkpad ma il pavilion", "warranty", "product", "pavilion-15"},
		{"the date", "en", "sorry, typo, i got it in april 2025 not march", "warranty", "purchase_date", "2025-04"},
		{"the buyer", "en", "no wait, it was bought by my company with a vat invoice", "warranty", "buyer", "business"},
		// Without the flow that handed over, "human" has none to read in.
		{"no flow", "en", "sorry, typo, i got it in april 2025 not march", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := bot.NewSession(bot.Address{Channel: "test", ChatID: "1"}, june3)
			s.Language, s.Mode = tc.lang, bot.ModeQueued
			s.Slots = map[string]string{"product": "thinkpad-e14", "purchase_date": "2025-03", "buyer": "consumer"}
			s.SetVar(varCaseFlow, tc.flow)
			s.Case = &bot.Case{ID: "C-1", Team: "support", TeamName: "Assistenza", Intent: "human", Slots: map[string]string{}}
			turn := &bot.Turn{Session: s, Message: bot.Message{Text: tc.text, Time: june3, Address: s.Address}}
			changed, err := NewRuntime(b).Amend(context.Background(), turn)
			if err != nil {
				t.Fatal(err)
			}
			if tc.slot == "" {
				if changed {
					t.Errorf("changed %v, want nothing without the case's flow", s.Slots)
				}
				return
			}
			if !changed || s.Slots[tc.slot] != tc.want {
				t.Errorf("changed %v, %s = %q, want %q", changed, tc.slot, s.Slots[tc.slot], tc.want)
			}
		})
	}
}

// TestAmendTellsEverySymptom: a correction of the defect that names more
// than one symptom puts them all on the card, not the last alone; one
// symptom is that one.
func TestAmendTellsEverySymptom(t *testing.T) {
	for _, tc := range []struct{ lang, opening, correction, want string }{
		{"en", "the delonghi magnifica leaks water, bought last november, private",
			"sorry I meant it doesnt leak, the grinder makes a loud noise and no coffee comes out", "grinder makes a loud noise and no coffee comes out"},
		{"it", "la magnifica perde acqua, presa a novembre 2024, privato",
			"scusa ho sbagliato, non perde acqua, il macinino fa un rumore fortissimo e non esce il caffe", "rumore fortissimo e non esce il caffe"},
		{"en", "my pixel 8 wont charge, bought january 2025, private",
			"sorry I meant the screen flickers and then it wont turn on", "screen flickers and then it won't turn on"},
		// Near misses: one symptom.
		{"en", "my pixel 8 wont charge, bought january 2025, private",
			"sorry I meant the screen flickers", "screen flickers"},
		{"it", "il pavilion non si accende, comprato a gennaio 2025, privato",
			"scusa, intendevo che la batteria non carica piu", "batteria non carica"},
	} {
		t.Run(tc.correction, func(t *testing.T) {
			d, _, changed := amendAfter(t, tc.lang, tc.opening, tc.correction)
			if got := d.s.Slots["defect"]; !changed || !strings.Contains(got, tc.want) {
				t.Errorf("changed %v, defect %q, want it to hold %q", changed, got, tc.want)
			}
		})
	}
}

// TestAmendDecidesTheReturnAgain: a delivery date corrected while the
// return's case is queued decides the return again.
func TestAmendDecidesTheReturnAgain(t *testing.T) {
	for _, tc := range []struct{ lang, opening, correction, want, told string }{
		{"en", "i want to return my airfryer, it arrived on 30 may | yes | SP-606060 | its too big",
			"sorry i got the date wrong, it arrived on 2 may not 30 may", "closed", "16 May 2025"},
		{"it", "vorrei restituire la friggitrice, consegnata il 30 maggio | si | SP-606060 | e troppo grande",
			"scusa ho sbagliato, e arrivata il 2 maggio", "closed", "16/05/2025"},
		{"en", "i want to return my airfryer, it arrived on 30 may | yes | SP-606060 | its too big",
			"oops, typo: delivered on 1 june", "open", ""},
	} {
		t.Run(tc.correction, func(t *testing.T) {
			d, turn, changed := amendAfter(t, tc.lang, tc.opening, tc.correction)
			if !changed || d.s.Slots["return"] != tc.want {
				t.Fatalf("changed %v, return %q, want %q", changed, d.s.Slots["return"], tc.want)
			}
			if tc.told == "" {
				if len(turn.Replies) != 1 {
					t.Errorf("replies %v, want only the correction", turn.Replies)
				}
				return
			}
			if len(turn.Replies) != 2 || !strings.Contains(turn.Replies[1].Text, tc.told) {
				t.Errorf("replies %v, want the new decision with %q", turn.Replies, tc.told)
			}
		})
	}
}

// TestAmendHearsMoreWaysToCorrect: the right value named as such ("the
// right one is"), a value written wrong ("ho scritto male"), a mix-up
// ("mi sono confusa"), "ah no", "my bad" correct the case; the same words
// with news, not a correction of a value, change nothing.
func TestAmendHearsMoreWaysToCorrect(t *testing.T) {
	const sale = "i want to buy 2 pixel 8 for my kids, about 600 each, private, my email is tom.b@exmple.com"
	const vendita = "vorrei 2 iphone 15 per i miei figli, sui 800 l uno, privato, chiamatemi al 3471234567"
	const claim = "l iphone 15 non carica, preso a luglio 2023, privato"
	const claimEn = "my pixel 8 stopped charging, bought march 2024, private"
	for _, tc := range []struct {
		lang, opening, correction, slot, want string
	}{
		{"en", sale, "the right one is tom.b@example.com", "contact", "tom.b@example.com"},
		{"it", vendita, "ho scritto male il numero: 3471234576", "contact", "+393471234576"},
		{"it", claim, "ho sbagliato anche la data: luglio 2024", "purchase_date", "2024-07"},
		{"it", claim, "mi sono confusa, era luglio 2024", "purchase_date", "2024-07"},
		// Near misses: news for the agents.
		{"it", claim, "ah no, anche il galaxy a55 di mia moglie ha lo stesso problema", "product", ""},
		{"en", sale, "my bad for writing so late, any news?", "contact", ""},
		{"en", sale, "oh no, is the right one the 128 gb?", "contact", ""},
		// An apology or a reply to the bot, with a date that is no purchase's.
		{"en", claimEn, "my bad, forgot to say it got worse around 28 may", "purchase_date", ""},
		{"it", claim, "ah no, peccato. si e rotto da solo la settimana scorsa", "purchase_date", ""},
		// Someone else's product, or another one.
		{"en", claimEn, "sorry to bother, my husband also has a pixel 8 from june 2022 and its fine", "purchase_date", ""},
		{"it", claim, "scusate, anche mio figlio ha un iphone 15 preso a luglio 2022 e va benissimo", "purchase_date", ""},
		{"en", claimEn, "sorry, our office also has three thinkpads and they all work", "product", ""},
	} {
		t.Run(tc.correction, func(t *testing.T) {
			d, _, changed := amendAfter(t, tc.lang, tc.opening, tc.correction)
			if tc.want == "" {
				if changed {
					t.Errorf("%q changed the case: %v", tc.correction, d.s.Slots)
				}
				return
			}
			if !changed || d.s.Slots[tc.slot] != tc.want {
				t.Errorf("changed %v, %s = %q, want %q", changed, tc.slot, d.s.Slots[tc.slot], tc.want)
			}
		})
	}
}

// A summary line that shows the corrected value and the verdict decided
// from it together ("Acquistato 05/2024, garanzia coperta fino al ...")
// shows the new verdict too: the line is rendered again from its
// template, not only the corrected value replaced in it.
func TestAmendDecidesAgainInOneSummaryLine(t *testing.T) {
	b := freshShop(t)
	line := "Acquistato: {purchase_date}; garanzia: {warranty} fino al {warranty_until}"
	for _, st := range b.Flows["warranty"].Steps {
		if st.Kind == StepHandoff {
			st.Summary = []string{line}
			st.Summaries = map[string][]string{"it": {line}, "en": {line}}
		}
	}
	d := newDriver(t, b, june3)
	d.hint = "it"
	d.say("il pavilion ha il touchpad bloccato, preso a maggio 2024, privato")
	if d.last.Handoff == nil {
		t.Fatal("no handoff")
	}
	d.s.Case = d.last.Handoff.Clone()
	before := strings.Join(d.s.Case.Summary, "\n")
	turn := &bot.Turn{Session: d.s, Message: bot.Message{Text: "scusate ho sbagliato anno, era maggio 2022", Time: june3, Address: d.s.Address}}
	if changed, err := d.r.Amend(context.Background(), turn); err != nil || !changed {
		t.Fatalf("changed %v, err %v", changed, err)
	}
	if d.s.Slots["warranty"] != "expired" {
		t.Fatalf("warranty %q, want expired", d.s.Slots["warranty"])
	}
	want, _ := b.summaryLine(line, d.s.Case.Slots)
	if got := strings.Join(d.s.Case.Summary, "\n"); got != want {
		t.Errorf("summary %q (was %q), want %q", got, before, want)
	}
}

// TestAmendHearsAHeldValueSaidNoTo: a message to an open case that names
// a value the case holds, says no to it, and gives another corrects it
// without a word of correction ("luglio 2024 non 2023"); naming both
// without the no is news for the agents.
func TestAmendHearsAHeldValueSaidNoTo(t *testing.T) {
	const claim = "l iphone 15 non carica, preso a luglio 2023, privato"
	const claimEn = "my pixel 8 stopped charging, bought march 2024, private"
	for _, tc := range []struct {
		lang, opening, correction, slot, want string
	}{
		{"it", claim, "ah, luglio 2024 non 2023", "purchase_date", "2024-07"},
		{"it", claim, "era luglio del 2024, non del 2023", "purchase_date", "2024-07"},
		{"en", claimEn, "march 2025 not 2024", "purchase_date", "2025-03"},
		{"en", claimEn, "it's the galaxy a55, not the pixel 8", "product", "galaxy-a55"},
		// Near misses: both named, neither said no to.
		{"en", claimEn, "my galaxy a55 is fine, the pixel 8 is the broken one", "product", ""},
		{"it", claim, "l'iphone 15 del 2023 ha smesso, quello del 2024 di mia figlia va", "purchase_date", ""},
	} {
		t.Run(tc.correction, func(t *testing.T) {
			d, _, changed := amendAfter(t, tc.lang, tc.opening, tc.correction)
			if tc.want == "" {
				if changed {
					t.Errorf("%q changed the case: %v", tc.correction, d.s.Slots)
				}
				return
			}
			if !changed || d.s.Slots[tc.slot] != tc.want {
				t.Errorf("changed %v, %s = %q, want %q", changed, tc.slot, d.s.Slots[tc.slot], tc.want)
			}
		})
	}
}

// TestAmendCorrectsTheFreeAnswer: after the handoff, a correction that
// gives no value of any question replaces the one free answer the case
// holds (the reason of a return) with its words after the correction's;
// a question, thanks, or a value of another question do not.
func TestAmendCorrectsTheFreeAnswer(t *testing.T) {
	const ret = "i want to return my airfryer, it arrived on 30 may | yes | SP-606060 | its too big"
	const reso = "vorrei restituire la friggitrice, consegnata il 30 maggio | si | SP-606060 | e troppo grande"
	for _, tc := range []struct {
		lang, opening, correction, want string
	}{
		{"en", ret, "sorry, I meant the basket keeps sticking", "the basket keeps sticking"},
		{"it", reso, "scusa, intendevo che fa un odore di plastica", "che fa un odore di plastica"},
		{"en", ret, "my mistake: it's simply the wrong colour for my kitchen", "it's simply the wrong colour for my kitchen"},
		{"en", ret, "oops, I meant it's far too loud for a small flat", "it's far too loud for a small flat"},
		// Near misses.
		{"en", ret, "sorry, do I need the original box?", ""},
		{"en", ret, "sorry, thanks a lot", ""},
		{"it", reso, "scusa ho sbagliato, e arrivata il 29 maggio", ""},
		{"it", reso, "no scusa, intendevo il dyson v8", ""},
	} {
		t.Run(tc.correction, func(t *testing.T) {
			d, _, _ := amendAfter(t, tc.lang, tc.opening, tc.correction)
			got := d.s.Slots["return_reason"]
			if tc.want == "" {
				if got != "its too big" && got != "e troppo grande" {
					t.Errorf("%q made the reason %q", tc.correction, got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("%q: reason %q, want %q", tc.correction, got, tc.want)
			}
		})
	}
}
