package flows

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sportello/sportello/flows/nlu"
)

// A Classifier tells which intents a customer's text may express, best
// first, with confidences in [0, 1]. flows/nlu's Model implements it.
type Classifier interface {
	Classify(text string) []nlu.Scored
}

var _ Classifier = (*nlu.Model)(nil)

// trainModel is nlu.Train, which is deterministic: the package's tests
// share the model of alike examples (main_test.go) rather than train it
// again for each bot they load.
var trainModel = nlu.Train

// train trains the bot's classifier on its intents' examples, the oos
// intent's examples marking what is out of scope. Unless the flow file sets
// nlu.threshold, the threshold is the one the model chose by
// cross-validation on these examples (docs/nlu.md): `sportello nlu eval`
// without --val trains and decides the same way.
func (b *Bot) train() error {
	var examples []nlu.Example
	for _, in := range b.Intents {
		label := in.Name
		if label == "oos" {
			label = nlu.OOS
		}
		for _, e := range in.Examples {
			examples = append(examples, nlu.Example{Text: e.Text, Label: label, Line: e.Pos.Line})
		}
	}
	m, err := trainModel(examples, nlu.Options{Threshold: b.Threshold})
	if err != nil {
		return fmt.Errorf("train on %d examples: %w", len(examples), err)
	}
	b.classifier = m
	b.stemOwner, b.wordOwner = map[string]string{}, map[string]string{}
	for _, in := range b.Intents {
		in.stems = map[string]bool{}
		written := map[string]bool{}
		for _, e := range in.Examples {
			for _, w := range words(e.Text) {
				st, ok := stem(w)
				if !ok {
					continue
				}
				if !in.stems[st] {
					in.stems[st] = true
					own(b.stemOwner, st, in.Name)
				}
				if !written[w] {
					written[w] = true
					own(b.wordOwner, w, in.Name)
				}
			}
		}
	}
	// The words, as written, of the examples of the intents that are no
	// small talk: a word of no owner ("ciao" greets and says goodbye) is
	// small talk's when none of them holds it.
	worded := map[string]bool{}
	for _, in := range b.Intents {
		if !in.talks() {
			for _, e := range in.Examples {
				for _, w := range words(e.Text) {
					worded[w] = true
				}
			}
		}
	}
	b.talkWords = map[string]bool{}
	for _, in := range b.Intents {
		if !in.talks() {
			continue
		}
		for _, e := range in.Examples {
			for _, w := range words(e.Text) {
				if b.talkWords[w] || littleWords[w] {
					continue
				}
				if o, ok := b.wordOwner[w]; ok && (o == in.Name || o == "" && !worded[w]) {
					b.talkWords[w] = true
				}
			}
		}
	}
	if b.Threshold == 0 {
		b.Threshold = m.Threshold()
	}
	return nil
}

// talks reports whether in is small talk: a reply, no flow, FAQ or person.
func (in *Intent) talks() bool {
	return !in.Reply.IsZero() && in.Flow == "" && in.FAQ == "" && !in.Handoff
}

// SetClassifier replaces the classifier trained at load time, for tests
// and for models trained elsewhere; threshold 0 keeps the current one.
func (b *Bot) SetClassifier(c Classifier, threshold float64) {
	b.classifier = c
	if threshold > 0 {
		b.Threshold = threshold
	}
}

// Classify returns the intents text may express, best first.
func (b *Bot) Classify(text string) []nlu.Scored {
	if b.classifier == nil {
		return nil
	}
	return b.supported(text, b.classifier.Classify(text))
}

// supported puts an FAQ guess among the next two before the FAQ the
// classifier put first when the words of text support it with all that
// support the first and more: "how long is delivery?" shares "long" with
// "how long is the warranty?", but only shipping's examples speak of a
// delivery. A classifier that weighs the opening of a question ("how
// long is") over its subject is not followed; the guess put first keeps
// the first's confidence.
func (b *Bot) supported(text string, scores []nlu.Scored) []nlu.Scored {
	if len(scores) < 2 {
		return scores
	}
	first := b.intents[scores[0].Intent]
	if first == nil || first.FAQ == "" || first.stems == nil {
		return scores
	}
	ws := words(text)
	for k := 1; k < min(len(scores), 3); k++ {
		other := b.intents[scores[k].Intent]
		if other == nil || other.FAQ == "" || other.stems == nil || !b.supportsMore(ws, other, first) {
			continue
		}
		// The guesses move, the confidences stay in their places.
		out := slices.Clone(scores)
		out[0].Intent = other.Name
		for i := 1; i <= k; i++ {
			out[i].Intent = scores[i-1].Intent
		}
		return out
	}
	return scores
}

// supportsMore reports whether the words ws support intent a with every
// stem that supports b and at least one more.
func (b *Bot) supportsMore(ws []string, a, other *Intent) bool {
	more := false
	for _, w := range ws {
		st, ok := stem(w)
		switch {
		case !ok:
		case other.stems[st] && !a.stems[st]:
			return false
		case a.stems[st] && !other.stems[st]:
			more = true
		}
	}
	return more
}

// stem returns the first five letters of a word long enough to say
// something of its own, and whether it is one: "wrapping" gives "wrapp",
// "per" nothing.
func stem(w string) (string, bool) {
	r := []rune(w)
	if len(r) < 4 || littleWords[w] || commonWords[w] {
		return "", false
	}
	return string(r[:min(len(r), 5)]), true
}

// commonWords are words of any request, which support no intent; the
// words of a price are asked of a purchase, a repair or a delivery alike.
var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`anche fate fare fanno avete sono siete come cosa quando dove quanto quanta quali quale posso
		potete potrei vorrei voglio volevo sapere ancora tutto tutti molto grazie ciao buongiorno salve questo questa quello quella
		have does what when where which your with from also still there their about would could should want need like please
		thanks hello this that these those just some them they then than will over into onto other each such very really
		costa costo costi prezzo prezzi cost costs price prices much`) {
		m[w] = true
	}
	return m
}()

// grounded reports whether a word of the message is one of in's
// examples', or a value only some flows take (not a product, which all
// do) fits its flow's questions: a guess of the classifier that nothing
// of the message supports ("do you do gift wrapping?" taken for
// shipping, "do you rent out tvs?" for a purchase) is no understanding.
func (u *understanding) grounded(in *Intent) bool {
	for _, w := range u.words {
		if st, ok := stem(w); ok && in.stems[st] {
			return true
		}
	}
	if f := u.b.Flows[in.Flow]; f != nil && u.fitsOnly(f) {
		return true
	}
	if f := u.b.Flows[in.Flow]; f != nil && f.sells(u.b) && u.wantedBy() {
		return true // "I need a tv delivered by friday"
	}
	return in.stems == nil // a classifier set from outside: no examples to compare
}

// sharperFAQ returns the FAQ intent whose examples hold a word of the
// message that the examples of guess, the classifier's FAQ, lack, when
// guess's examples hold no word of the message the other's lack: "how
// long is delivery to naples?" shares "long" with the warranty's terms
// and with shipping, and "delivery" is shipping's alone, so it asks of
// shipping, however sure the classifier is of the terms from "how long
// is". Of several, the one the classifier scores highest; nil if none.
func (u *understanding) sharperFAQ(guess *Intent) *Intent {
	if guess == nil || guess.FAQ == "" || guess.stems == nil {
		return nil
	}
	var stems []string
	for _, w := range u.words {
		if st, ok := stem(w); ok && !u.dateWord(w) {
			stems = append(stems, st)
		}
	}
	var best *Intent
	bestScore := -1.0
	for _, in := range u.b.Intents {
		if in == guess || in.FAQ == "" || in.FAQ == guess.FAQ || in.stems == nil {
			continue
		}
		beyond := slices.ContainsFunc(stems, func(st string) bool { return in.stems[st] && !guess.stems[st] })
		short := slices.ContainsFunc(stems, func(st string) bool { return guess.stems[st] && !in.stems[st] })
		if beyond && !short {
			if sc := u.score(in.Name); sc > bestScore {
				best, bestScore = in, sc
			}
		}
	}
	return best
}

// own records that key belongs to intent, or to no one intent ("")
// when another has it too.
func own(owner map[string]string, key, intent string) {
	if _, seen := owner[key]; seen {
		owner[key] = "" // of more than one intent
		return
	}
	owner[key] = intent
}

// ownWordBut returns the FAQ intent that a word of text belongs to alone
// among the intents' examples ("paypal", "klarna", "rate" for payments),
// or nil, skipping the words skip reports: the words of a date ("oggi"
// is in the hours' examples, and "se ordino oggi quando arriva?" asks no
// opening hours). written says the word is in its examples as written;
// else only its stem is ("openings" has the stem of the hours' "opening"
// and asks for none), which alone is weak evidence.
func (b *Bot) ownWordBut(text string, skip func(w string) bool) (in *Intent, written bool) {
	for _, w := range words(text) {
		if skip != nil && skip(w) {
			continue
		}
		st, ok := stem(w)
		if !ok {
			continue
		}
		if o := b.intents[b.wordOwner[w]]; o != nil && o.FAQ != "" {
			return o, true
		}
		if o := b.intents[b.stemOwner[st]]; o != nil && o.FAQ != "" && in == nil {
			in = o
		}
	}
	return in, false
}

// wantedBy reports whether the message names something of the catalogue
// and a day it is wanted by ("a tv by friday", "un portatile entro
// lunedì"), and tells of no fault, damage or order: a purchase with a
// deadline, which no question of the sale takes, supports the sale.
func (u *understanding) wantedBy() bool {
	deadline := false
	for _, f := range u.facts {
		switch f.kind {
		case factDefect, factDamage, factOrder:
			return false
		case factDate:
			deadline = deadline || f.cue == cueDeadline && f.future
		}
	}
	return deadline && u.namesWhatFlowsSell() && !slices.ContainsFunc(u.words, func(w string) bool { return afterSaleWords[w] })
}

// afterSaleWords ask, by a day, for something done to what was bought:
// "the laptop fixed by monday", "la tv sostituita entro venerdì", "my
// money back by friday", "la fattura entro venerdì" are no purchase.
var afterSaleWords = map[string]bool{
	"fixed": true, "repaired": true, "repair": true, "replaced": true, "replacement": true, "refund": true, "refunded": true,
	"back": true, "exchange": true, "exchanged": true, "swap": true, "invoice": true, "receipt": true, "cancel": true, "cancelled": true, "canceled": true,
	"riparato": true, "riparata": true, "riparati": true, "riparare": true, "riparazione": true, "aggiustato": true, "aggiustata": true,
	"sostituito": true, "sostituita": true, "sostituire": true, "sostituzione": true, "rimborso": true, "rimborsato": true, "rimborsare": true,
	"cambiare": true, "cambio": true, "cambiato": true, "cambiata": true, "indietro": true, "fattura": true, "scontrino": true,
	"annullare": true, "annullato": true, "annullata": true, "disdire": true, "reso": true, "restituire": true, "return": true,
}
