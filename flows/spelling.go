package flows

import (
	"github.com/sportello/sportello/flows/extract"
)

// Mistyped words. The phrase lists, the intents' cues and the rules read
// a message's words as written, and only the extraction forgave typos:
// "domanda sulla graanzia" held no "garanzia" and read as a defect, "si
// grazei" was no yes, "persoan" no person. So a message is respelt once,
// before anything reads it (Runtime.Respond, or Understand for a text of
// its own), by extract.Speller against the words the bot knows: those of
// its phrase lists, its intents' cues and examples, its texts, catalogue
// and FAQ answers, its pages, and the extraction's lists
// (extract.RealWords). What a word is taken for, and when, is told in
// flows/extract/respell.go; the respelling keeps what each respelt word
// was, so that a command records the customer's own words (Written).

// indexSpelling gathers the words the bot knows (see above). It runs
// once at load, after the cues are indexed and the classifier trained.
func (b *Bot) indexSpelling() *extract.Speller {
	return extract.NewSpeller(func(add func(w string, intent bool)) { b.spellingWords(add) })
}

// spellingWords calls add with each word the bot knows (see above),
// intent true for the words of the intents' examples.
func (b *Bot) spellingWords(add func(w string, intent bool)) {
	addWord := func(w string) { add(w, false) }
	addText := func(s string) {
		for _, w := range words(s) {
			addWord(w)
		}
	}
	addRef := func(r TextRef) {
		for _, s := range r.Text {
			addText(s)
		}
	}
	for _, x := range []*phraseIndex{builtin, b.cueIndex} {
		if x == nil {
			continue
		}
		for w, es := range x.first {
			addWord(w)
			for _, e := range es {
				for _, r := range e.rest {
					addWord(r)
				}
			}
		}
	}
	for w := range b.wordOwner {
		add(w, true)
	}
	for _, t := range b.Texts {
		for _, s := range t {
			addText(s)
		}
	}
	for _, in := range b.Intents {
		addRef(in.Label)
	}
	for _, f := range b.FAQ {
		addRef(f.Answer)
	}
	for _, c := range b.Categories {
		addRef(c.Name)
		for _, syns := range c.Synonyms {
			for _, s := range syns {
				addText(s)
			}
		}
	}
	for _, p := range b.Products {
		addText(p.Name)
		for _, syns := range p.Synonyms {
			for _, s := range syns {
				addText(s)
			}
		}
	}
	for _, f := range b.Flows {
		for _, st := range f.Steps {
			addRef(st.Say)
			addRef(st.Prompt)
			addRef(st.Retry)
		}
	}
	// The shop's pages, as loaded: words of their own, never respelt.
	if ix := b.Knowledge(); ix != nil {
		ix.Words(addWord)
	}
}

// respell returns text respelt (see above): its Text is text when no word
// was.
func (b *Bot) respell(text string) *extract.Respelt { return b.speller.Respell(text) }
