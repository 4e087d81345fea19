package flows

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/bot"
)

var _ bot.CaseAmender = (*Runtime)(nil)

// Amend reads the message of a customer whose case is open for a
// correction of a value the case holds ("sorry, typo: it's
// tom@example.com", "no wait, it's my own phone, not the office's"): read
// as in the case's flow, whose values the session keeps, a corrected
// value replaces the old one in the session and on the case's card (its
// slots and the summary lines that showed it), the customer is told, and
// the engine tells the agents. A message that corrects nothing, or that
// does not say it corrects, changes nothing: it is the agents' to read,
// as before.
func (r *Runtime) Amend(ctx context.Context, t *bot.Turn) (bool, error) {
	s, cs := t.Session, t.Session.Case
	text := strings.TrimSpace(t.Message.Text)
	if cs == nil || text == "" || t.Message.Payload != "" || len(s.Slots) == 0 {
		return false, nil
	}
	lang := s.Language
	if lang == "" {
		lang = r.b.DefaultLanguage
	}
	now := t.Message.Time
	if r.zone != nil {
		now = now.In(r.zone)
	}
	if !hasCorrection(text) && !r.b.replacesHeld(text, lang, now, s.Slots) {
		// Only a message that says it corrects ("sorry", "I meant",
		// "anzi", "ho sbagliato"), or names a value the case holds beside
		// another for it ("giugno 2024 non 2023"), changes the card:
		// another product or purchase told later ("I also bought a mouse
		// yesterday", "my iphone works fine though") is news for the
		// agents, not a correction of what the case holds.
		return false, nil
	}
	f := r.b.caseFlow(s)
	if f == nil {
		return false, nil
	}
	cmds, err := r.u.Understand(ctx, Input{Text: text, Lang: lang, Now: now, State: State{Flow: f.Name, Slots: s.Slots}})
	if err != nil {
		return false, err
	}
	agents := r.b.agentsLanguage(cs.Team)
	// The card as the agents read it before: its values and its lines.
	shown, lines := maps.Clone(cs.Slots), slices.Clone(cs.Summary)
	var changes, changed []string
	for _, c := range cmds {
		old := s.Slots[c.Slot]
		if c.Kind != CmdCorrectSlot || c.Value == "" || old == "" || old == c.Value || r.b.Slots[c.Slot] == nil || !r.b.valid(c.Slot, c.Value) {
			continue
		}
		if tellsAnother(text) && !correctsExplicitly(text) {
			// "scusa, anche il galaxy di mia moglie ha lo stesso
			// problema", "sorry to bother, my husband's pixel from 2022
			// works": another product or another's, news for the
			// agents, unless the message says outright it corrects.
			continue
		}
		s.SetSlot(c.Slot, c.Value)
		t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: c.Slot, Value: c.Value, Case: cs.ID})
		was, shown := r.b.display(c.Slot, old, agents), r.b.display(c.Slot, c.Value, agents)
		if cs.Slots == nil {
			cs.Slots = map[string]string{}
		}
		cs.Slots[c.Slot] = shown
		for i, line := range cs.Summary {
			cs.Summary[i] = replaceWhole(line, was, shown)
		}
		label := pick(r.b.Slots[c.Slot].Label.Text, lang, r.b.DefaultLanguage)
		if label == "" {
			label = c.Slot
		}
		changes = append(changes, label+": "+r.b.display(c.Slot, c.Value, lang))
		changed = append(changed, c.Slot)
	}
	if len(changes) == 0 {
		return false, nil
	}
	slices.Sort(changes)
	t.Say(r.b.Text(TextCaseCorrected, lang, map[string]string{"changes": strings.Join(changes, "; "), "team": cs.TeamName}))
	if news := r.decideAgain(t, f, changed, shown, lines, agents, lang, now); news != "" {
		t.Say(news)
	}
	return true, nil
}

// replacesHeld reports whether text names a value of slots beside
// another for the same slot and says no to it, as understanding reads a
// correction (replaces): "giugno 2024 non 2023", "the macbook, not the
// iphone". The values are read alone, without the classifier.
func (b *Bot) replacesHeld(text, lang string, now time.Time, slots map[string]string) bool {
	u := &understanding{b: b, in: Input{Text: text, Lang: lang, Now: now, State: State{Slots: slots}}, text: text,
		facts: b.read(text, lang, now, "")}
	return u.replaces(true)
}

// varCaseFlow is the flow that opened the session's case: a correction
// of the case is read in it, which is not always the flow of the case's
// intent (a flow that went on in another, a person asked for mid-flow).
const varCaseFlow = "case_flow"

// caseFlow is the flow a correction of s's open case is read in: the one
// that handed over, else the flow of the case's intent.
func (b *Bot) caseFlow(s *bot.Session) *Flow {
	if f := b.Flows[s.Vars[varCaseFlow]]; f != nil {
		return f
	}
	if in := b.intents[s.Case.Intent]; in != nil {
		return b.Flows[in.Flow]
	}
	return nil
}

// decideAgain runs again, on the corrected values, the decisions of f
// that read them and were taken (the warranty's verdict from the
// purchase date or the buyer, the return's from the delivery date): the
// session, the card's values and the summary lines that showed the old
// decision follow, and what the new decision says is returned for the
// customer when it changed ("" when nothing was decided again, or the
// same). shown and lines are the card's values and summary lines before
// the correction.
func (r *Runtime) decideAgain(t *bot.Turn, f *Flow, changed []string, shown map[string]string, lines []string, agents, lang string, now time.Time) string {
	s, cs := t.Session, t.Session.Case
	var news string
	for _, st := range f.Steps {
		if st.Kind != StepAction || st.Action != "warranty_check" && st.Action != "return_check" {
			continue
		}
		outs := actionOutputs[st.Action]
		before := s.Slots[outs[0]]
		reads := false
		for arg, name := range actionArgs[st.Action] {
			if w, ok := st.With[arg]; ok {
				name = w
			}
			reads = reads || slices.Contains(changed, name)
		}
		if before == "" || !reads {
			continue // not decided, or not from what changed
		}
		var outcome string
		var out map[string]string
		if st.Action == "warranty_check" {
			outcome, out = r.b.warrantyCheck(st, s.Slots, lang, now)
		} else {
			outcome, out = r.b.returnCheck(st, s.Slots, lang, now)
		}
		for _, k := range keysOf(out) {
			s.SetSlot(k, out[k])
			if r.b.Slots[k] != nil && out[k] != "" {
				cs.Slots[k] = r.b.display(k, out[k], agents)
			} else {
				delete(cs.Slots, k)
			}
		}
		t.Record(bot.Event{Type: bot.EventAction, Action: st.Action, Value: outcome, Case: cs.ID})
		if outcome != before {
			news = strings.TrimSpace(news + " " + out[outs[len(outs)-1]]) // warranty_reason, return_note
		}
	}
	r.b.resummarise(f, cs, shown, lines, agents)
	return news
}

// resummarise renders again the summary lines of cs that a handoff step
// of f rendered from the card's values before (shown, giving the lines
// before: was): each such line shows the card's values now, the
// corrected one and those decided from it. Lines no step rendered so (a
// question from the documents, the request left for later) are kept.
func (b *Bot) resummarise(f *Flow, cs *bot.Case, shown map[string]string, was []string, agents string) {
	var lines []string
	for _, st := range f.Steps {
		if st.Kind != StepHandoff {
			continue
		}
		if l, ok := st.Summaries[agents]; ok {
			lines = append(lines, l...)
		} else {
			lines = append(lines, st.Summary...)
		}
	}
	for i, line := range was {
		if i >= len(cs.Summary) {
			break
		}
		for _, tmpl := range lines {
			if before, ok := b.summaryLine(tmpl, shown); ok && before == line {
				if now, ok := b.summaryLine(tmpl, cs.Slots); ok {
					cs.Summary[i] = now
				}
				break
			}
		}
	}
}

// tellsAnother reports whether text tells of another product or
// another person's beside the one the case is about rather than
// replacing it: "anche", "also", "another", "my wife's", "mio marito".
// Another model ("scusa, è un altro modello: il galaxy a55") replaces it.
func tellsAnother(text string) bool {
	w := words(text)
	for i, x := range w {
		switch x {
		case "anche", "pure", "also", "both", "entrambi", "entrambe",
			"wife", "husband", "moglie", "marito", "son", "daughter", "figlio", "figlia", "mum", "mom", "dad",
			"mamma", "papa", "brother", "sister", "fratello", "sorella", "friend", "amico", "amica",
			"colleague", "collega", "wifes", "husbands":
			return true
		case "another", "altro", "altra":
			if i+1 == len(w) || !modelNouns[w[i+1]] {
				return true
			}
		}
	}
	return false
}

// correctsExplicitly reports whether text says outright that a value
// given was wrong ("ho sbagliato", "I meant", "typo"), not only sorry.
func correctsExplicitly(text string) bool { return saying(text).has(explicitCorrections) }

var explicitCorrections = newPhrases(func(add func(string)) {
	for _, p := range []string{" ho sbagliato ", " mi sono sbagliato ", " mi sono sbagliata ", " sbagliato ", " intendevo ",
		" volevo dire ", " correggo ", " anzi ", " ho scritto male ", " i meant ", " i mean ", " typo ", " wrong ", " mistyped ",
		" correction ", " the right one is ", " giusto e ", " not the ", " non e "} {
		add(p)
	}
})

// modelNouns name what the customer has by its kind, not a thing of
// theirs: "another model" is the same thing named anew.
var modelNouns = map[string]bool{"modello": true, "model": true, "prodotto": true, "product": true, "articolo": true, "item": true}

// agentsLanguage is the language team's agents read their cases in.
func (b *Bot) agentsLanguage(team string) string {
	if t := b.Teams[team]; t != nil && t.Language != "" {
		return t.Language
	}
	return b.DefaultLanguage
}

// replaceWhole replaces the occurrences of old in line that stand alone,
// with no letter or digit right before or after them: a quantity of 2
// corrected to 3 is not the 2s of a budget of 1200 or of a phone number.
func replaceWhole(line, old, new string) string {
	if old == "" {
		return line
	}
	var b strings.Builder
	done := 0 // line[:done] is written
	for at := 0; ; {
		i := strings.Index(line[at:], old)
		if i < 0 {
			break
		}
		i += at
		end := i + len(old)
		before, _ := utf8.DecodeLastRuneInString(line[:i])
		after, _ := utf8.DecodeRuneInString(line[end:])
		if i > 0 && isWordRune(before) || end < len(line) && isWordRune(after) {
			_, n := utf8.DecodeRuneInString(line[i:])
			at = i + n // inside a longer word or number: look further
			continue
		}
		b.WriteString(line[done:i])
		b.WriteString(new)
		done, at = end, end
	}
	b.WriteString(line[done:])
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
