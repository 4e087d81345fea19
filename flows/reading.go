package flows

import (
	"slices"

	"github.com/sportello/sportello/flows/extract"
	"unicode"
	"unicode/utf8"
)

// countWords is len(words(text)), without cutting the words out: most
// callers only ask whether a part of a message has a few words or more.
// The words of an ASCII text are its runs of letters and digits
// (extract.Words); another text is cut as words cuts it.
func countWords(text string) int {
	n, in := 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			if !in {
				n++
			}
			in = true
		case c >= utf8.RuneSelf:
			return len(words(text))
		default:
			in = false
		}
	}
	return n
}

func isLetterByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= utf8.RuneSelf }

// countFields is len(strings.Fields(s)), without cutting the fields out.
func countFields(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = c == ' ' || '\t' <= c && c <= '\r'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// A yesNoOpening is whether a message opens with a yes or a no
// (leadingYesNoOf): yes, and ok for either, once read.
type yesNoOpening struct{ yes, ok, read bool }

// yesNo returns whether the message opens with a yes (yes) or with a yes
// or a no (ok), read when first asked: only an offer, a question or a
// message of two words asks, and most parts of a long message are none.
func (u *understanding) yesNo() (yes, ok bool) {
	if !u.opens.read {
		yes, ok := leadingYesNoOf(u.in.Text, u.words, u.in.Lang)
		if rest, asks := afterLanguageAsk(u.in.Text); asks && rest != "" && !ok {
			yes, ok = leadingYesNoOf(rest, words(rest), u.in.Lang) // "sorry, English please. Yes, ..."
		}
		u.opens = yesNoOpening{yes, ok, true}
	}
	return u.opens.yes, u.opens.ok
}

// resolveSlots gives each step of the bot's flows its slot, so the
// understanding of a message, which asks every step of a flow for its
// slot several times, does not look each up by name.
func (b *Bot) resolveSlots() {
	for _, f := range b.Flows {
		for _, st := range f.Steps {
			st.slot, st.resolved = b.Slots[st.Slot], true
		}
	}
}

// slotOf returns b.Slots[st.Slot]: the step's slot as resolved at load,
// or looked up for a bot not made by Load.
func (b *Bot) slotOf(st *Step) *Slot {
	if st.resolved {
		return st.slot
	}
	return b.Slots[st.Slot]
}

// patternSlots returns the pattern slots that readText reads by their
// pattern (all but the shop's order numbers, which extract reads), in
// the order of their names: found once at load, where every message
// looked for them among all the slots.
func (b *Bot) patternSlots() []*Slot {
	if b.patternsPrepared {
		return b.patterns
	}
	var out []*Slot
	for _, name := range keysOf(b.Slots) {
		if s := b.Slots[name]; s.Type == SlotPattern && s.Pattern != nil && s.Name != b.orderSlot {
			out = append(out, s)
		}
	}
	return out
}

// The texts of a message (its parts, their comma clauses, its clauses)
// are cut into words and looked up in the phrase lists by several readers
// each: the questions' tests, a part read alone, the clauses, the
// classifier's respelling. A textWords is that reading of one text, done
// once per message and shared with the parts read alone (agenda.go). The
// slices are shared: no reader changes them.
type textWords struct {
	text     string
	words    []string
	said     said
	saidRead bool
}

// messageTexts are the readings of the texts of one message, and the
// message's own words and phrases. A message has a few texts, tens for a
// long one: they are looked for in turn, which costs less than a map's
// hashing and allocates little.
type messageTexts struct {
	words []string
	said  said
	texts []textWords
}

// textOf returns the reading of text, a text of the message, until the
// next text is read.
func (u *understanding) textOf(text string) *textWords {
	if u.texts == nil {
		// The message's own words are read already.
		u.texts = &messageTexts{words: u.words, said: u.said,
			texts: append(make([]textWords, 0, 8), textWords{text: u.text, words: u.words, said: u.said, saidRead: true})}
	}
	ts := u.texts.texts
	for i := range ts {
		if ts[i].text == text {
			return &ts[i]
		}
	}
	u.texts.texts = append(ts, textWords{text: text, words: words(text)})
	return &u.texts.texts[len(ts)]
}

// wordsOf is words(text), once per text of the message.
func (u *understanding) wordsOf(text string) []string { return u.textOf(text).words }

// sayingOf is saying(text), once per text of the message.
func (u *understanding) sayingOf(text string) said {
	t := u.textOf(text)
	if !t.saidRead {
		t.said, t.saidRead = u.texts.sayWords(t.words), true
	}
	return t.said
}

// sayWords is sayWords(w), w the words of a text of the message. Most are
// words the message holds one after the other (a part, a clause): their
// phrases are then the message's that lie within them, as a phrase is
// found in the words it spans alone, and are not looked for again.
func (m *messageTexts) sayWords(w []string) said {
	a := wordsAt(m.words, w)
	if a < 0 || len(w) == 0 {
		return sayWords(w)
	}
	b := a + len(w)
	var hits []phraseHit
	for _, h := range m.said.hits {
		if h.start >= a && h.end <= b {
			hits = append(hits, phraseHit{list: h.list, item: h.item, start: h.start - a, end: h.end - a})
		}
	}
	// The message's words as the phrases read them (chat spellings
	// written out), capped: an append copies them.
	return said{words: m.said.words[a:b:b], hits: hits}
}

// wordsAt returns where in words w are, one after the other, or -1.
func wordsAt(words, w []string) int {
	if len(w) == 0 {
		return -1
	}
	for a := 0; a+len(w) <= len(words); a++ {
		if words[a] == w[0] && slices.Equal(words[a+1:a+len(w)], w[1:]) {
			return a
		}
	}
	return -1
}

// readOf returns extract's reading of text: a message's own, whose words'
// readings its parts share, or, for a part of the message whole reads
// (text a string of whole.text at words' edges), the message's reading
// within it, which is Read(text) with the message's words read already.
func (b *Bot) readOf(text string, whole *understanding) *extract.Text {
	if whole == nil {
		return extract.ReadMessage(text)
	}
	if whole.msg != nil {
		if t, ok := whole.msg.SliceOf(text); ok {
			return t
		}
	}
	return extract.Read(text)
}
