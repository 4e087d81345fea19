package flows

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sportello/sportello/flows/extract"
)

// Phrase lists are matched on a message's words, not on its text: each
// phrase is written " like this ", whole words between spaces, and is
// found where the words of the message hold its words one after the
// other, as strings.Contains found it in the words joined between spaces.
// The phrases of every list are indexed by their first word, so a
// message's words are looked up once for all the lists, and only the
// phrases that start with a word are checked there (docs/benchmarks.md:
// a search of the text per phrase was a fifth of understanding a long
// message).

// A phraseIndex holds phrase lists by the first word of their phrases.
type phraseIndex struct {
	first map[string][]phraseEntry
	lists int
	// starts has the first words: most words of a message start no
	// phrase, and are not looked up in first.
	starts extract.WordFilter
	// gaps are the cues with a gap of a Bot's index (indexCues).
	gaps []cueGap
}

// A phraseEntry is one phrase of a list: the words after the first.
// The entries of a first word are kept by their second word ("" for a
// phrase of one word, so those come first), and order is an entry's place
// among them as added: a word that starts a hundred phrases ("my", "send")
// has only those of the next word's compared, in the order added.
type phraseEntry struct {
	rest              []string
	list, item, order int
}

// second is the entry's second word, "" when it has none.
func (e *phraseEntry) second() string {
	if len(e.rest) == 0 {
		return ""
	}
	return e.rest[0]
}

// A phraseHit is a phrase found in some words: words[start:end].
type phraseHit struct {
	list, item, start, end int
}

// builtin holds the lists of this package's code; a Bot's cues have
// their own index (Bot.cueIndex).
var builtin = &phraseIndex{first: map[string][]phraseEntry{}}

// A phrases is one phrase list of the builtin index.
type phrases struct{ list int }

// newPhrases compiles the phrases that list passes to add into the
// builtin index. A phrase that is not words between spaces (" a b ")
// could never be found, and is a mistake: newPhrases panics on it.
func newPhrases(list func(add func(phrase string))) phrases {
	p := phrases{list: builtin.lists}
	builtin.lists++
	item := 0
	list(func(phrase string) {
		w, ok := phraseWords(phrase)
		if !ok {
			panic(fmt.Sprintf("flows: phrase %q is not words between spaces", phrase))
		}
		builtin.add(w, p.list, item)
		item++
	})
	return p
}

// phraseWords returns the words of " a b ", and whether phrase is words
// between single spaces as words writes them.
func phraseWords(phrase string) ([]string, bool) {
	if len(phrase) < 3 || phrase[0] != ' ' || phrase[len(phrase)-1] != ' ' {
		return nil, false
	}
	w := strings.Split(phrase[1:len(phrase)-1], " ")
	for _, x := range w {
		if got := words(x); len(got) != 1 || got[0] != x {
			return nil, false
		}
	}
	return w, true
}

func (x *phraseIndex) add(w []string, list, item int) {
	es := x.first[w[0]]
	e := phraseEntry{rest: w[1:], list: list, item: item, order: len(es)}
	// After every entry of the same second word: those stay in order.
	at := sort.Search(len(es), func(k int) bool { return es[k].second() > e.second() })
	x.first[w[0]] = slices.Insert(es, at, e)
	x.starts.Add(w[0])
}

// scan appends to hits the phrases of x that w holds, in the order of
// their first words.
func (x *phraseIndex) scan(w []string, hits []phraseHit) []phraseHit {
	if len(x.first) == 0 {
		return hits
	}
	for i, word := range w {
		if !x.starts.MayHave(word) {
			continue
		}
		es := x.first[word]
		// The phrases of this one word, and those whose second word is
		// the next word: no other can be here.
		one := 0
		for one < len(es) && len(es[one].rest) == 0 {
			one++
		}
		var two []phraseEntry
		if i+1 < len(w) {
			next := w[i+1]
			lo := sort.Search(len(es)-one, func(k int) bool { return es[one+k].rest[0] >= next }) + one
			hi := lo
			for hi < len(es) && es[hi].rest[0] == next {
				hi++
			}
			two = es[lo:hi]
		}
		// Both in the order added, as the hits always were.
		for ones := es[:one]; len(ones) > 0 || len(two) > 0; {
			var e *phraseEntry
			if len(two) == 0 || len(ones) > 0 && ones[0].order < two[0].order {
				e, ones = &ones[0], ones[1:]
			} else {
				e, two = &two[0], two[1:]
			}
			end := i + 1 + len(e.rest)
			if end <= len(w) && slices.Equal(w[i+1:end], e.rest) {
				hits = append(hits, phraseHit{list: e.list, item: e.item, start: i, end: end})
			}
		}
	}
	return hits
}

// A said is a text read as words, with the builtin phrases they hold.
type said struct {
	words []string
	hits  []phraseHit
}

// sayWords returns w with the builtin phrases it holds. A chat spelling
// reads as the word it stands for ("nn ricordo" as "non ricordo"), so the
// lists need not write each phrase twice.
func sayWords(w []string) said {
	for i, x := range w {
		if c := extract.ChatSpelled(x); c != x {
			w = slices.Clone(w)
			for j := i; j < len(w); j++ {
				w[j] = extract.ChatSpelled(w[j])
			}
			break
		}
	}
	return said{words: w, hits: builtin.scan(w, nil)}
}

// saying returns the words of text with their phrases.
func saying(text string) said { return sayWords(words(text)) }

// has reports whether s holds a phrase of p.
func (s said) has(p phrases) bool {
	for _, h := range s.hits {
		if h.list == p.list {
			return true
		}
	}
	return false
}

// hasUndenied reports whether s holds a phrase of p that no negation
// just before it denies (deniesNext): "works well", not "no longer works
// well"; "è arrivato", not "non è arrivato".
func (s said) hasUndenied(p phrases) bool {
	return s.each(p, func(start, _ int) bool { return !deniesNext(s.words[:start]) })
}

// each calls fn with where each phrase of p is in s.words, in order,
// until fn returns true, and reports whether it did.
func (s said) each(p phrases, fn func(start, end int) bool) bool {
	for _, h := range s.hits {
		if h.list == p.list && fn(h.start, h.end) {
			return true
		}
	}
	return false
}

// indexCues indexes the cues of the bot's intents, each intent a list
// numbered by its place in b.Intents, their also cues after them, at
// len(b.Intents) plus that place, their unless cues after those, at
// twice len(b.Intents) plus that place, and their back cues at three
// times. A cue with a gap ("add ... to my order") is two phrases, each a
// list of its own after those (cueGap).
func (b *Bot) indexCues() *phraseIndex {
	n := len(b.Intents)
	x := &phraseIndex{first: map[string][]phraseEntry{}, lists: cueKinds * n}
	for i, in := range b.Intents {
		for k, list := range [][]string{in.cues, in.also, in.unless, in.back} {
			for j, c := range list {
				if a, z, ok := strings.Cut(c, " ... "); ok {
					first, ok1 := phraseWords(a + " ")
					second, ok2 := phraseWords(" " + z)
					if ok1 && ok2 {
						x.gaps = append(x.gaps, cueGap{list: k*n + i, item: j})
						x.add(first, x.lists, j)
						x.add(second, x.lists+1, j)
						x.lists += 2
					}
					continue
				}
				if w, ok := phraseWords(c); ok {
					x.add(w, k*n+i, j)
				}
			}
		}
	}
	return x
}

// cueKinds are the kinds of an intent's cues in its index: cues, also,
// unless and back cues.
const cueKinds = 4

// maxCueGap is how many words may stand in a cue's gap: "add ... to my
// order" holds "add a second charger to my order", not a sentence that
// adds something and names an order much later.
const maxCueGap = 4

// A cueGap is a cue with a gap: its list and item, as a cue without one
// would have them. Its two parts are the lists of the index after the
// intents' (the first part, then the second), in the order of gaps.
type cueGap struct{ list, item int }

// gapHits appends to hits the cues with a gap that hits hold both parts
// of, the second after the first within maxCueGap words, each as a hit
// of the cue's list from the first part's start to the second's end.
func (x *phraseIndex) gapHits(hits []phraseHit, base int) []phraseHit {
	for g, gap := range x.gaps {
		first, second := base+2*g, base+2*g+1
		for _, a := range hits {
			if a.list != first {
				continue
			}
			for _, z := range hits {
				if z.list == second && z.start >= a.end && z.start-a.end <= maxCueGap {
					hits = append(hits, phraseHit{list: gap.list, item: gap.item, start: a.start, end: z.end})
					break
				}
			}
		}
	}
	return hits
}

// cuedIntents returns, for each intent of b.Intents, whether w holds one
// of its cues that none of its unless cues overlaps, and one of its also
// cues when it has some.
func (b *Bot) cuedIntents(w []string) []bool {
	cued, _, _ := b.cuesIn(w)
	return cued
}

// cuesFlow reports whether w holds a cue of an intent of flow
// (cuedIntents).
func (b *Bot) cuesFlow(w []string, flow string) bool {
	for i, cued := range b.cuedIntents(w) {
		if cued && b.Intents[i].Flow == flow {
			return true
		}
	}
	return false
}

// cuesIn is cuedIntents; stopped says which intents had a cue that only
// an unless cue stopped, and back which had a back cue (with an also cue
// when the intent has some), which no unless cue stops.
func (b *Bot) cuesIn(w []string) (cued, stopped, back []bool) {
	n := len(b.Intents)
	x := b.cueIndex
	if x == nil || x.lists != cueKinds*n+2*len(x.gaps) { // a Bot not made by Load
		x = b.indexCues()
	}
	hits := x.gapHits(x.scan(w, nil), cueKinds*n)
	also := make([]bool, n)
	cued, stopped, back = make([]bool, n), make([]bool, n), make([]bool, n)
	for _, h := range hits {
		switch {
		case h.list >= cueKinds*n:
		case h.list >= 3*n:
			back[h.list-3*n] = true
		case h.list >= 2*n:
		case h.list >= n:
			also[h.list-n] = true
		case slices.ContainsFunc(hits, func(u phraseHit) bool { return u.list == 2*n+h.list && u.start < h.end && u.end > h.start }):
			stopped[h.list] = true
		default:
			cued[h.list] = true
		}
	}
	for i, in := range b.Intents {
		cued[i] = cued[i] && (len(in.also) == 0 || also[i])
		stopped[i] = stopped[i] && !cued[i] && (len(in.also) == 0 || also[i])
		back[i] = back[i] && (len(in.also) == 0 || also[i])
	}
	return cued, stopped, back
}

// cuedIn returns, for each intent of the bot, whether the message holds
// its cues (cuedIntents), read once per message: the flows' cues and the
// documents' are asked of by several rules. A cue an unless cue stopped
// counts when the message holds a value the intent's flow asks for:
// "wrong address on my account, order SP-123456 goes to the old flat"
// is the order's address after all. A back cue ("cancel it") counts when
// the conversation holds what it points at (holdsFor).
func (u *understanding) cuedIn() []bool {
	if u.cues == nil {
		cued, stopped, back := u.b.cuesIn(u.said.words)
		for i, in := range u.b.Intents {
			f := u.b.Flows[in.Flow]
			if f != nil && (stopped[i] && u.telling(f) > 0 || back[i] && u.holdsFor(f)) {
				cued[i] = true
			}
		}
		u.cues = cued
	}
	return u.cues
}

// pointsBack reports whether the message holds a back cue of a flow
// other than the one under way that counts (holdsFor): "voglio
// annullarlo", "I want to cancel it" while the order's status asks its
// proof leave the status for the change of the order held, whether or
// not the words are a cancel word ("annullarlo" is none).
func (u *understanding) pointsBack() bool {
	if u.flow == nil {
		return false
	}
	_, _, back := u.b.cuesIn(u.said.words)
	for i, in := range u.b.Intents {
		if f := u.b.Flows[in.Flow]; back[i] && f != nil && f != u.flow && u.holdsFor(f) {
			return true
		}
	}
	return false
}

// holdsFor reports whether the conversation holds a value that f asks
// for and the conversation remembers (the order's number), between two
// requests or in the flow of that order's status: "can I still cancel
// it?" after the order's status, "I want to cancel it" while the status
// asks the order's proof, point at that order; in the middle of another
// flow (a sale, a claim) it would point at what the flow is doing.
func (u *understanding) holdsFor(f *Flow) bool {
	for _, st := range f.Steps {
		s := u.b.slotOf(st)
		if st.Kind != StepAsk || s == nil || !s.Remember || u.in.State.Slots[s.Name] == "" {
			continue
		}
		if u.flow == nil || s.Name == u.b.orderSlot && u.flow.looksUpOrderOnly(u.b.orderSlot) {
			return true
		}
	}
	return false
}
