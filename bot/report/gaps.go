package report

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/bot"
)

// The gaps of the help centre: the questions the bot could not answer
// from the shop's documents, and those it answered but the customer said
// did not help or wanted a person for. Grouped, they are the shop's to-do
// list for its help centre.

// A DocumentEvent is a search of the documents (an EventLookup of
// bot.LookupDocuments) or the customer's feedback on its answer (an
// EventAction of bot.DocumentsFeedback), with the archived conversation
// it belongs to.
type DocumentEvent struct {
	Conversation string `json:"conversation"`
	bot.Event
}

// IsDocumentEvent reports whether e is a search of the documents or the
// feedback on one: the events an archive's DocumentEvents returns.
func IsDocumentEvent(e bot.Event) bool {
	return e.Type == bot.EventLookup && e.Action == bot.LookupDocuments ||
		e.Type == bot.EventAction && e.Action == bot.DocumentsFeedback
}

// FeedbackWindow is how long after the end of a period an archive's
// DocumentEvents still returns feedback: a customer answers "did this
// help?" on the question just before midnight after it.
const FeedbackWindow = ConversationGap

// MaxDocumentEvents bounds what DocumentEvents returns, the earliest
// first: a year of a busy shop's searches is well under it. Gaps says
// when it was reached.
const MaxDocumentEvents = 100_000

// InDocumentWindow reports whether an archive's DocumentEvents for p
// returns e (IsDocumentEvent already): a search made in p, or feedback
// given in p or within FeedbackWindow after it.
func InDocumentWindow(e bot.Event, p Period) bool {
	if e.Time.Before(p.From) {
		return false
	}
	if e.Type == bot.EventLookup {
		return e.Time.Before(p.To)
	}
	return e.Time.Before(p.To.Add(FeedbackWindow))
}

// GapExamples is how many conversations a gap lists at most.
const GapExamples = 5

// A Gap is a group of questions that the documents did not answer, asked
// in different words by different customers.
type Gap struct {
	// Question is the group's representative: of the questions whose
	// terms are the group's most common, the one asked most often in
	// these words (ties: the shortest, then the first in byte order).
	Question string `json:"question"`
	// Variants are the group's other wordings, in the order the
	// representative was chosen by (at most GapVariants).
	Variants []string `json:"variants,omitempty"`
	// Asked counts the searches, Customers the different customers
	// (addresses) who asked, Conversations the conversations.
	Asked         int `json:"asked"`
	Customers     int `json:"customers"`
	Conversations int `json:"conversations"`
	// Abstained + NotHelped + Person == Asked: the bot found no passage
	// good enough to answer, or answered and the customer said "no" or
	// asked for a person.
	Abstained int `json:"abstained"`
	NotHelped int `json:"not_helped"`
	Person    int `json:"person"`
	// Languages are the languages the question was asked in, sorted.
	Languages []string  `json:"languages,omitempty"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	// Passage is the passage found first most often for the group's
	// searches (the one the bot answered with, or came closest to), ""
	// when none was found.
	Passage string `json:"passage,omitempty"`
	// Examples are the latest conversations it was asked in, at most
	// GapExamples, latest first.
	Examples []GapExample `json:"examples"`
}

// GapVariants is how many other wordings a Gap keeps.
const GapVariants = 3

// A GapExample is one conversation where a gap's question was asked.
type GapExample struct {
	Conversation string    `json:"conversation"`
	Question     string    `json:"question"`
	Time         time.Time `json:"time"`
	// Kind is bot.DocumentsAbstained, bot.FeedbackNotHelped or
	// bot.FeedbackPerson.
	Kind string `json:"kind"`
}

// Gaps is the gaps report of a period.
type Gaps struct {
	Period Period `json:"period"`
	// Searches counts the searches of the documents made in the period,
	// Answered those the bot answered, Helped those whose customer said
	// the answer helped, and Questions those that are gaps.
	Searches  int `json:"searches"`
	Answered  int `json:"answered"`
	Helped    int `json:"helped"`
	Questions int `json:"questions"`
	// Groups are the gaps, the one that cost the most customers first
	// (then the most asked, the latest asked, the question).
	Groups []Gap `json:"groups"`
	// Truncated is true when the archive returned MaxDocumentEvents
	// events: the latest searches of the period were left out.
	Truncated bool `json:"truncated,omitempty"`
}

// GapOptions tune how ComputeGaps groups questions. The zero value is
// the default.
type GapOptions struct {
	// Terms returns the words of a question that say what it is about,
	// normalised (ContentWords when nil). cmd/sportello passes the
	// classifier's Snowball stems.
	Terms func(question string) []string
}

// A gapQuestion is one search that is a gap.
type gapQuestion struct {
	ev      DocumentEvent
	kind    string
	passage string
	key     string // its terms, as groupGaps found them
}

// ComputeGaps returns the gaps of period p from an archive's
// DocumentEvents for it. A search made in p is a gap when the bot
// abstained, or answered and the feedback that followed it from the same
// customer (the last on the same question, or without a question the
// next search), in its conversation or a later one, was "no" or "a person".
//
// Questions are grouped by their terms (opts.Terms): two questions join
// one group when their sets of terms are the same, when more than half
// of the terms of both together are shared (a Jaccard similarity over
// 0.5), or when the best passage found for both is the same and at least
// a third of their terms are shared. The groups are what these links
// join, so the result does not depend on the order of the events. A
// question without terms groups only with the same words.
func ComputeGaps(events []DocumentEvent, p Period, opts GapOptions) *Gaps {
	terms := opts.Terms
	if terms == nil {
		terms = ContentWords
	}
	g := &Gaps{Period: p, Truncated: len(events) >= MaxDocumentEvents}
	evs := slices.DeleteFunc(slices.Clone(events), func(e DocumentEvent) bool { return !IsDocumentEvent(e.Event) })
	// Feedback is paired within each customer's events, not each archived
	// conversation's: a customer who answers "did this help?" more than
	// ConversationGap after the answer does so in the archive's next
	// conversation.
	slices.SortStableFunc(evs, func(a, b DocumentEvent) int {
		return cmp.Or(strings.Compare(a.Address.Channel, b.Address.Channel), strings.Compare(a.Address.ChatID, b.Address.ChatID),
			a.Time.Compare(b.Time), cmp.Compare(eventIndex(a.ID), eventIndex(b.ID)), strings.Compare(a.Conversation, b.Conversation))
	})
	// Pair each search with the feedback that followed it.
	var gaps []gapQuestion
	for i := 0; i < len(evs); {
		j := i
		for j < len(evs) && evs[j].Address == evs[i].Address {
			j++
		}
		gaps = appendCustomerGaps(gaps, g, evs[i:j], p)
		i = j
	}
	g.Questions = len(gaps)
	g.Groups = groupGaps(gaps, terms)
	return g
}

// appendCustomerGaps counts one customer's searches into g and appends
// their gaps.
func appendCustomerGaps(gaps []gapQuestion, g *Gaps, evs []DocumentEvent, p Period) []gapQuestion {
	// The search a feedback answers: the latest before it on the same
	// question, or the latest before it when it names none.
	feedback := make([]string, len(evs)) // the feedback each search got
	latest, latestOn := -1, map[string]int{}
	for k, e := range evs {
		switch {
		case e.Type == bot.EventLookup:
			latest, latestOn[questionKey(e.Text)] = k, k
		case e.Text == "" && latest >= 0:
			feedback[latest] = e.Value
		case e.Text != "":
			if s, ok := latestOn[questionKey(e.Text)]; ok {
				feedback[s] = e.Value
			}
		}
	}
	for k, e := range evs {
		if e.Type != bot.EventLookup || e.Time.Before(p.From) || !e.Time.Before(p.To) {
			continue
		}
		g.Searches++
		q := gapQuestion{ev: e}
		if len(e.Passages) > 0 {
			q.passage = e.Passages[0]
		}
		switch {
		case e.Value == bot.DocumentsAbstained:
			q.kind = bot.DocumentsAbstained
		case e.Value == bot.DocumentsAnswered:
			g.Answered++
			switch feedback[k] {
			case bot.FeedbackHelped:
				g.Helped++
			case bot.FeedbackNotHelped, bot.FeedbackPerson:
				q.kind = feedback[k]
			}
		}
		if q.kind != "" && strings.TrimSpace(e.Text) != "" {
			gaps = append(gaps, q)
		}
	}
	return gaps
}

// questionKey is a question's wording as groups count it: lower case,
// single spaces.
func questionKey(q string) string {
	return strings.ToLower(strings.Join(strings.Fields(q), " "))
}

// maxPosting: a term among the rarest terms (the prefix, below) of more
// wordings than this is too common to link them by similarity, and a
// passage and term found for more is too common to link them by the
// passage. It bounds the comparisons of a busy period.
const maxPosting = 200

// groupGaps groups the gaps and sums each group up, sorted.
func groupGaps(gaps []gapQuestion, terms func(string) []string) []Gap {
	// The distinct term sets, each one node; questions without terms get
	// a node of their own wording.
	type node struct {
		key      string
		terms    []string
		passages map[string]bool
	}
	var nodes []*node
	byKey := map[string]int{}
	nodeOf := make([]int, len(gaps))
	for i, q := range gaps {
		ts := normaliseTerms(terms(q.ev.Text))
		key := "\x00" + strings.Join(ts, " ")
		if len(ts) == 0 {
			key = "\x01" + questionKey(q.ev.Text)
		}
		n, ok := byKey[key]
		if !ok {
			n = len(nodes)
			byKey[key] = n
			nodes = append(nodes, &node{key: key, terms: ts, passages: map[string]bool{}})
		}
		if q.passage != "" {
			nodes[n].passages[q.passage] = true
		}
		nodeOf[i] = n
		gaps[i].key = key
	}
	// Link the nodes that share a term and pass the test.
	parent := make([]int, len(nodes))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) {
		if a, b := find(i), find(j); a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	// Similar terms: two sets whose Jaccard similarity is over one
	// half share more than half the terms of each, so, with every set's
	// terms in one order (the rarest first), the first len-ceil(len/2)+1
	// terms of the one meet those of the other (the prefix filter of
	// similarity joins): only those terms are indexed, and compared.
	df := map[string]int{}
	for _, n := range nodes {
		for _, t := range n.terms {
			df[t]++
		}
	}
	// Terms become numbers in that order, so that a node's sorted numbers
	// are its terms rarest first, and compare fast.
	order := make([]string, 0, len(df))
	for t := range df {
		order = append(order, t)
	}
	slices.SortFunc(order, func(a, b string) int { return cmp.Or(cmp.Compare(df[a], df[b]), strings.Compare(a, b)) })
	rank := make(map[string]int32, len(order))
	for r, t := range order {
		rank[t] = int32(r)
	}
	ids := make([][]int32, len(nodes))
	posting := make([][]int32, len(order))
	for i, n := range nodes {
		for _, t := range n.terms {
			ids[i] = append(ids[i], rank[t])
		}
		slices.Sort(ids[i])
		if k := len(ids[i]); k > 0 {
			for _, t := range ids[i][:k-(k+1)/2+1] {
				posting[t] = append(posting[t], int32(i))
			}
		}
	}
	seen := make([]int, len(nodes)) // the last node i that compared with j, plus one
	for i := range nodes {
		a := ids[i]
		if len(a) == 0 {
			continue
		}
		for _, t := range a[:len(a)-(len(a)+1)/2+1] {
			list := posting[t]
			if len(list) > maxPosting {
				continue
			}
			for _, j := range list {
				if int(j) >= i || seen[j] == i+1 {
					continue
				}
				seen[j] = i + 1
				b := ids[j]
				if shared := sharedTerms(a, b); 2*shared > len(a)+len(b)-shared {
					union(i, int(j))
				}
			}
		}
	}
	// The same best passage and some of the terms (a Jaccard similarity
	// of a third or more): the nodes of each passage and term compare.
	type passageTerm struct {
		passage string
		term    int32
	}
	byPassage := map[passageTerm][]int32{}
	for i, n := range nodes {
		for p := range n.passages {
			for _, t := range ids[i] {
				k := passageTerm{p, t}
				byPassage[k] = append(byPassage[k], int32(i))
			}
		}
	}
	for _, list := range byPassage {
		if len(list) > maxPosting {
			continue
		}
		for x, i := range list {
			for _, j := range list[x+1:] {
				a, b := ids[i], ids[j]
				if shared := sharedTerms(a, b); 3*shared >= len(a)+len(b)-shared {
					union(int(i), int(j))
				}
			}
		}
	}
	// Sum each group up.
	members := map[int][]gapQuestion{}
	for i, q := range gaps {
		q.key = nodes[nodeOf[i]].key
		r := find(nodeOf[i])
		members[r] = append(members[r], q)
	}
	out := make([]Gap, 0, len(members))
	for _, qs := range members {
		out = append(out, summariseGap(qs))
	}
	slices.SortFunc(out, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.Customers, a.Customers), cmp.Compare(b.Asked, a.Asked),
			b.Last.Compare(a.Last), strings.Compare(a.Question, b.Question))
	})
	return out
}

// sharedTerms counts the numbers two sorted sets share.
func sharedTerms(a, b []int32) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case a[0] > b[0]:
			b = b[1:]
		default:
			n++
			a, b = a[1:], b[1:]
		}
	}
	return n
}

// normaliseTerms sorts terms and drops repeats and empty ones.
func normaliseTerms(ts []string) []string {
	ts = slices.DeleteFunc(slices.Clone(ts), func(s string) bool { return s == "" })
	slices.Sort(ts)
	return slices.Compact(ts)
}

// summariseGap sums up one group's questions.
func summariseGap(qs []gapQuestion) Gap {
	var g Gap
	wordings, keys := map[string]int{}, map[string]int{}
	keyOf := map[string]string{} // a wording's terms
	shown := map[string]string{} // a wording as first written
	customers, convs, langs, passages := map[bot.Address]bool{}, map[string]bool{}, map[string]bool{}, map[string]int{}
	for _, q := range qs {
		e := q.ev
		g.Asked++
		switch q.kind {
		case bot.DocumentsAbstained:
			g.Abstained++
		case bot.FeedbackNotHelped:
			g.NotHelped++
		case bot.FeedbackPerson:
			g.Person++
		}
		k := questionKey(e.Text)
		wordings[k]++
		keys[q.key]++
		keyOf[k] = q.key
		// The wording shown is one of those written, the same whatever
		// the order: the first in byte order.
		if w := strings.Join(strings.Fields(e.Text), " "); shown[k] == "" || w < shown[k] {
			shown[k] = w
		}
		customers[e.Address] = true
		convs[e.Conversation] = true
		if e.Language != "" {
			langs[bot.BaseLanguage(e.Language)] = true
		}
		if q.passage != "" {
			passages[q.passage]++
		}
		if g.First.IsZero() || e.Time.Before(g.First) {
			g.First = e.Time
		}
		if e.Time.After(g.Last) {
			g.Last = e.Time
		}
	}
	g.Customers, g.Conversations = len(customers), len(convs)
	type wording struct {
		text, key   string
		n, keyAsked int
	}
	ws := make([]wording, 0, len(wordings))
	for k, n := range wordings {
		ws = append(ws, wording{text: k, key: keyOf[k], n: n, keyAsked: keys[keyOf[k]]})
	}
	// The representative says what most of the group asks: its terms
	// are the group's most common, and of those words the most written.
	slices.SortFunc(ws, func(a, b wording) int {
		return cmp.Or(cmp.Compare(b.keyAsked, a.keyAsked), strings.Compare(a.key, b.key),
			cmp.Compare(b.n, a.n), cmp.Compare(len(a.text), len(b.text)), strings.Compare(a.text, b.text))
	})
	g.Question = shown[ws[0].text]
	for _, w := range ws[1:min(len(ws), GapVariants+1)] {
		g.Variants = append(g.Variants, shown[w.text])
	}
	for l := range langs {
		g.Languages = append(g.Languages, l)
	}
	slices.Sort(g.Languages)
	best := 0
	for p, n := range passages {
		if n > best || n == best && p < g.Passage {
			g.Passage, best = p, n
		}
	}
	// The latest conversations, one example each.
	latest := slices.Clone(qs)
	slices.SortFunc(latest, func(a, b gapQuestion) int {
		return cmp.Or(b.ev.Time.Compare(a.ev.Time), strings.Compare(a.ev.Conversation, b.ev.Conversation))
	})
	seen := map[string]bool{}
	for _, q := range latest {
		if len(g.Examples) == GapExamples {
			break
		}
		if seen[q.ev.Conversation] {
			continue
		}
		seen[q.ev.Conversation] = true
		g.Examples = append(g.Examples, GapExample{Conversation: q.ev.Conversation, Question: q.ev.Text, Time: q.ev.Time, Kind: q.kind})
	}
	return g
}

// ContentWords returns the words of a question that say what it is about,
// for grouping: lower-cased, accents taken off, split at anything that is
// not a letter or a digit (apostrophes too: "l'ordine" gives "ordine"),
// without the common Italian and English words that ask rather than say
// (come, posso, the, how, can...) and words of one or two letters, each
// cut to a crude stem: a final plural "s" and a final vowel come off
// words of five letters or more, so "garanzia" and "garanzie", "return"
// and "returns" meet. It is deliberately simple and the same on every
// machine; a caller may give better terms (GapOptions.Terms).
func ContentWords(question string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(foldAccents(strings.ToLower(question)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len([]rune(w)) <= 2 || StopWord(w) {
			continue
		}
		out = append(out, crudeStem(w))
	}
	return out
}

func crudeStem(w string) string {
	if len(w) >= 5 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		w = w[:len(w)-1]
	}
	if len(w) >= 5 && strings.ContainsRune("aeiou", rune(w[len(w)-1])) {
		w = w[:len(w)-1]
	}
	return w
}

// StopWord reports whether w, lower-cased and without accents, is one of
// the common Italian and English words that ask rather than say what
// about ("come", "posso", "the", "how"), which ContentWords leaves out.
func StopWord(w string) bool { return stopWords[w] }

// foldAccents takes the accents off the Latin letters Italian and English
// write with them.
func foldAccents(s string) string {
	return accents.Replace(s)
}

var accents = strings.NewReplacer("à", "a", "á", "a", "â", "a", "ä", "a", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ò", "o", "ó", "o", "ô", "o", "ö", "o", "ù", "u", "ú", "u", "û", "u", "ü", "u",
	"ç", "c", "ñ", "n", "’", "'")

// stopWords are the words that ask rather than say what about, in Italian
// and English (of three letters or more: shorter words are dropped anyway).
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		che chi cosa come dove quando quanto quanti quanta quante quale quali perche
		posso puoi puo possiamo potete possono devo deve devono vorrei voglio volevo
		sono sei siamo siete era ero hai hanno avete abbiamo essere avere fare faccio fate
		del della dello dei degli delle dal dalla dallo dai dagli dalle nel nella nello nei
		negli nelle sul sulla sullo sui sugli sulle col coi per tra fra con una uno gli
		non piu anche gia ancora solo molto poco tutto tutti questo questa questi queste
		quello quella quelli quelle mio mia miei mie tuo tua vostro vostra nostro nostra
		suo sua loro mi ti ci vi si lo la le li ne buongiorno buonasera ciao salve grazie
		scusate scusa prego info informazioni sapere dire dirmi potreste potresti
		the and for are was were you your yours our ours his her its their they them
		what which who whom whose when where why how can could would should will shall
		may might must have has had does did doing done not any some all this that these
		those there here with from into onto about than then also just very much many
		more most get got cannot please hello thanks thank tell know want need like able
	`) {
		m[w] = true
	}
	return m
}()
