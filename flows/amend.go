package flows

import (
	"context"
	"slices"
	"strings"
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
	if !hasCorrection(text) {
		// Only a message that says it corrects ("sorry", "I meant",
		// "anzi", "ho sbagliato") changes the card: another product or
		// purchase told later ("I also bought a mouse yesterday", "my
		// iphone works fine though") is news for the agents, not a
		// correction of what the case holds.
		return false, nil
	}
	in := r.b.intents[cs.Intent]
	if in == nil || r.b.Flows[in.Flow] == nil {
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
	cmds, err := r.u.Understand(ctx, Input{Text: text, Lang: lang, Now: now, State: State{Flow: in.Flow, Slots: s.Slots}})
	if err != nil {
		return false, err
	}
	agents := r.b.agentsLanguage(cs.Team)
	var changes []string
	for _, c := range cmds {
		old := s.Slots[c.Slot]
		if c.Kind != CmdCorrectSlot || c.Value == "" || old == "" || old == c.Value || r.b.Slots[c.Slot] == nil || !r.b.valid(c.Slot, c.Value) {
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
	}
	if len(changes) == 0 {
		return false, nil
	}
	slices.Sort(changes)
	t.Say(r.b.Text(TextCaseCorrected, lang, map[string]string{"changes": strings.Join(changes, "; "), "team": cs.TeamName}))
	return true, nil
}

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
