package report

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

var gapDay = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// asked is one customer's search of the documents and what followed it.
type asked struct {
	chat, question, lang string
	outcome              string // bot.DocumentsAnswered or bot.DocumentsAbstained
	passage              string // the best passage found, if any
	feedback             string // "" for none
	at                   time.Duration
}

// documentEvents records each search as the engine does: an EventLookup,
// and the feedback a moment later, in the conversation "chat@day".
func documentEvents(list ...asked) []DocumentEvent {
	var out []DocumentEvent
	for i, a := range list {
		addr := bot.Address{Channel: "web", ChatID: a.chat}
		conv := ConversationID(addr, gapDay)
		at := gapDay.Add(a.at)
		e := bot.Event{ID: fmt.Sprintf("%s|s%d|1", addr, i), Address: addr, Type: bot.EventLookup, Time: at,
			Action: bot.LookupDocuments, Value: a.outcome, Text: a.question, Language: a.lang, Confidence: 0.4}
		if a.passage != "" {
			e.Passages = []string{a.passage, "other#1"}
		}
		out = append(out, DocumentEvent{Conversation: conv, Event: e})
		if a.feedback != "" {
			out = append(out, DocumentEvent{Conversation: conv, Event: bot.Event{ID: fmt.Sprintf("%s|f%d|0", addr, i),
				Address: addr, Type: bot.EventAction, Time: at.Add(30 * time.Second), Action: bot.DocumentsFeedback,
				Value: a.feedback, Text: a.question, Language: a.lang}})
		}
	}
	return out
}

func gapPeriod() Period {
	return Period{From: DayOf(gapDay, nil), To: NextDay(gapDay, nil)}
}

// TestGapsGroupOneQuestionAskedInOtherWords: customers who ask for PayPal
// in different words land in one gap, counted, with the passage the bot
// came closest to; questions the bot answered well are no gap.
func TestGapsGroupOneQuestionAskedInOtherWords(t *testing.T) {
	evs := documentEvents(
		asked{chat: "a", question: "Posso pagare con PayPal?", lang: "it", outcome: bot.DocumentsAbstained, passage: "it/pagamenti#2"},
		asked{chat: "b", question: "si può pagare con paypal", lang: "it-IT", outcome: bot.DocumentsAbstained, passage: "it/pagamenti#2", at: time.Hour},
		asked{chat: "c", question: "Accettate PayPal?", lang: "it", outcome: bot.DocumentsAnswered, passage: "it/pagamenti#2",
			feedback: bot.FeedbackNotHelped, at: 2 * time.Hour},
		asked{chat: "d", question: "Can I pay with PayPal?", lang: "en", outcome: bot.DocumentsAnswered, passage: "en/payments#2",
			feedback: bot.FeedbackPerson, at: 3 * time.Hour},
		asked{chat: "e", question: "How do I reset the TV?", lang: "en", outcome: bot.DocumentsAnswered, passage: "en/tv#3",
			feedback: bot.FeedbackHelped, at: 4 * time.Hour},
		asked{chat: "f", question: "Where is the shop?", lang: "en", outcome: bot.DocumentsAnswered, passage: "en/shop#0", at: 5 * time.Hour},
		asked{chat: "g", question: "Do you sell spare blades?", lang: "en", outcome: bot.DocumentsAbstained, at: 6 * time.Hour},
	)
	g := ComputeGaps(evs, gapPeriod(), GapOptions{})
	if g.Searches != 7 || g.Answered != 4 || g.Helped != 1 || g.Questions != 5 {
		t.Errorf("searches %d, answered %d, helped %d, gaps %d; want 7, 4, 1, 5", g.Searches, g.Answered, g.Helped, g.Questions)
	}
	if len(g.Groups) != 3 {
		t.Fatalf("%d groups, want 3 (PayPal in Italian, in English, spare blades): %+v", len(g.Groups), g.Groups)
	}
	pp := g.Groups[0]
	want := Gap{Question: "Posso pagare con PayPal?", Variants: []string{"si può pagare con paypal", "Accettate PayPal?"},
		Asked: 3, Customers: 3, Conversations: 3, Abstained: 2, NotHelped: 1, Languages: []string{"it"},
		First: gapDay, Last: gapDay.Add(2 * time.Hour), Passage: "it/pagamenti#2"}
	got := pp
	got.Examples = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the PayPal gap is\n%+v\nwant\n%+v", got, want)
	}
	if len(pp.Examples) != 3 || pp.Examples[0].Conversation != "web:c"+gapConvSuffix() || pp.Examples[0].Kind != bot.FeedbackNotHelped {
		t.Errorf("the PayPal gap's examples, latest first: %+v", pp.Examples)
	}
	// One customer each; the later first.
	if q := g.Groups[1].Question; q != "Do you sell spare blades?" {
		t.Errorf("second gap %q, want the latest of the rest", q)
	}
	if p := g.Groups[1].Passage; p != "" {
		t.Errorf("a search that found nothing has passage %q", p)
	}
	if d := g.Groups[2]; d.Question != "Can I pay with PayPal?" || d.Person != 1 || d.Passage != "en/payments#2" {
		t.Errorf("the English PayPal gap: %+v", d)
	}
}

func gapConvSuffix() string { return ConversationID(bot.Address{}, gapDay)[1:] }

// TestGapsSortByCustomersNotByTimesAsked: one customer asking five times
// costs less than two customers asking once.
func TestGapsSortByCustomersNotByTimesAsked(t *testing.T) {
	var list []asked
	for i := range 5 {
		list = append(list, asked{chat: "same", question: "Do you ship to Norway?", outcome: bot.DocumentsAbstained, at: time.Duration(i) * time.Minute})
	}
	list = append(list,
		asked{chat: "x", question: "Is there a student discount?", outcome: bot.DocumentsAbstained, at: time.Hour},
		asked{chat: "y", question: "student discount?", outcome: bot.DocumentsAbstained, at: 2 * time.Hour})
	g := ComputeGaps(documentEvents(list...), gapPeriod(), GapOptions{})
	if len(g.Groups) != 2 {
		t.Fatalf("%d groups, want 2: %+v", len(g.Groups), g.Groups)
	}
	if top := g.Groups[0]; top.Question != "student discount?" || top.Customers != 2 || top.Asked != 2 {
		t.Errorf("first gap %+v, want the student discount asked by 2 customers", top)
	}
	if n := g.Groups[1]; n.Asked != 5 || n.Customers != 1 || n.Conversations != 1 || len(n.Examples) != 1 {
		t.Errorf("Norway: asked %d by %d customers in %d conversations, %d examples; want 5, 1, 1, 1",
			n.Asked, n.Customers, n.Conversations, len(n.Examples))
	}
}

// TestGapsListAtMostFiveConversations: a gap asked in twelve
// conversations links the latest five.
func TestGapsListAtMostFiveConversations(t *testing.T) {
	var list []asked
	for i := range 12 {
		list = append(list, asked{chat: fmt.Sprint("c", i), question: "Where is my parcel?", outcome: bot.DocumentsAbstained,
			at: time.Duration(i) * time.Minute})
	}
	g := ComputeGaps(documentEvents(list...), gapPeriod(), GapOptions{})
	if len(g.Groups) != 1 || g.Groups[0].Customers != 12 {
		t.Fatalf("groups: %+v", g.Groups)
	}
	var chats []string
	for _, ex := range g.Groups[0].Examples {
		chats = append(chats, ex.Conversation[:len("web:c11")])
	}
	if want := []string{"web:c11", "web:c10", "web:c9@", "web:c8@", "web:c7@"}; !reflect.DeepEqual(chats, want) {
		t.Errorf("examples %q, want %q", chats, want)
	}
}

// TestGapsCountTheSearchesOfThePeriodOnly: a search the day before is not
// counted; feedback given just after midnight on the last evening's
// answer is.
func TestGapsCountTheSearchesOfThePeriodOnly(t *testing.T) {
	p := gapPeriod()
	evs := documentEvents(
		asked{chat: "before", question: "Do you ship to Norway?", outcome: bot.DocumentsAbstained, at: -10 * time.Hour},
		asked{chat: "late", question: "Can I return a gift?", outcome: bot.DocumentsAnswered, passage: "en/returns#1",
			feedback: bot.FeedbackNotHelped, at: p.To.Sub(gapDay) - 10*time.Second},
	)
	g := ComputeGaps(evs, p, GapOptions{})
	if g.Searches != 1 || len(g.Groups) != 1 || g.Groups[0].Question != "Can I return a gift?" || g.Groups[0].NotHelped != 1 {
		t.Errorf("searches %d, groups %+v; want the late answer rated no, alone", g.Searches, g.Groups)
	}
}

// TestGapsPairFeedbackWithItsQuestion: feedback on the first of two
// answers of a conversation rates the first, not the latest.
func TestGapsPairFeedbackWithItsQuestion(t *testing.T) {
	addr := bot.Address{Channel: "telegram", ChatID: "7"}
	conv := ConversationID(addr, gapDay)
	ev := func(i int, typ bot.EventType, action, value, text string) DocumentEvent {
		return DocumentEvent{Conversation: conv, Event: bot.Event{ID: fmt.Sprintf("%s|m%d|0", addr, i), Address: addr, Type: typ,
			Time: gapDay.Add(time.Duration(i) * time.Minute), Action: action, Value: value, Text: text}}
	}
	evs := []DocumentEvent{
		ev(0, bot.EventLookup, bot.LookupDocuments, bot.DocumentsAnswered, "How long is the warranty?"),
		ev(1, bot.EventLookup, bot.LookupDocuments, bot.DocumentsAnswered, "Do you deliver on Saturday?"),
		ev(2, bot.EventAction, bot.DocumentsFeedback, bot.FeedbackNotHelped, "how long is the  warranty?"),
		ev(3, bot.EventAction, bot.DocumentsFeedback, bot.FeedbackHelped, ""), // the latest: Saturday
		// Neither a search of the documents nor feedback on one: not read.
		ev(4, bot.EventLookup, "order", bot.DocumentsAbstained, "A-1001"),
		ev(5, bot.EventAction, "order_status", bot.FeedbackNotHelped, ""),
	}
	g := ComputeGaps(evs, gapPeriod(), GapOptions{})
	if g.Helped != 1 || len(g.Groups) != 1 || g.Groups[0].Question != "How long is the warranty?" {
		t.Errorf("helped %d, groups %+v; want the warranty not helped and Saturday helped", g.Helped, g.Groups)
	}
}

// TestGapsDoNotDependOnTheOrderOfTheEvents: the archive's order, or any
// other, gives the same report.
func TestGapsDoNotDependOnTheOrderOfTheEvents(t *testing.T) {
	var list []asked
	questions := []string{"Posso pagare con PayPal?", "pagare con paypal", "Accettate PayPal?", "PayPal accettato?",
		"Spedite in Svizzera?", "spedizione in svizzera", "quanto costa la spedizione in Svizzera", "Il reso è gratuito?"}
	for i, q := range questions {
		list = append(list, asked{chat: fmt.Sprint(i % 5), question: q, lang: "it", outcome: bot.DocumentsAbstained,
			passage: []string{"it/pagamenti#1", "it/spedizioni#0", ""}[i%3], at: time.Duration(i) * time.Minute})
	}
	evs := documentEvents(list...)
	want := ComputeGaps(evs, gapPeriod(), GapOptions{})
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := slices.Clone(evs)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := ComputeGaps(shuffled, gapPeriod(), GapOptions{}); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled events give\n%+v\nwant\n%+v", got.Groups, want.Groups)
		}
	}
}

// TestGapsKeepDifferentQuestionsOnOneWordApart: "where is my order" and
// "cancel my order" share only "order": apart, unless the same passage
// was found for both.
func TestGapsKeepDifferentQuestionsOnOneWordApart(t *testing.T) {
	for _, c := range []struct {
		passages [2]string
		groups   int
	}{{[2]string{"en/tracking#0", "en/cancel#1"}, 2}, {[2]string{"", ""}, 2}, {[2]string{"en/orders#0", "en/orders#0"}, 1}} {
		evs := documentEvents(
			asked{chat: "a", question: "Where is my order?", outcome: bot.DocumentsAbstained, passage: c.passages[0]},
			asked{chat: "b", question: "Cancel the order", outcome: bot.DocumentsAbstained, passage: c.passages[1], at: time.Minute},
		)
		if n := len(ComputeGaps(evs, gapPeriod(), GapOptions{}).Groups); n != c.groups {
			t.Errorf("passages %q: %d groups, want %d", c.passages, n, c.groups)
		}
	}
}

// TestGapsTakeTheCallersTerms: a caller's terms (the classifier's stems)
// group what the default words do not.
func TestGapsTakeTheCallersTerms(t *testing.T) {
	evs := documentEvents(
		asked{chat: "a", question: "Do you deliver abroad?", outcome: bot.DocumentsAbstained},
		asked{chat: "b", question: "Do you ship abroad?", outcome: bot.DocumentsAbstained, at: time.Minute},
	)
	if n := len(ComputeGaps(evs, gapPeriod(), GapOptions{}).Groups); n != 2 {
		t.Errorf("default words: %d groups, want 2", n)
	}
	synonyms := func(q string) []string {
		ws := ContentWords(q)
		for i, w := range ws {
			if w == "deliver" {
				ws[i] = "ship"
			}
		}
		return ws
	}
	if n := len(ComputeGaps(evs, gapPeriod(), GapOptions{Terms: synonyms}).Groups); n != 1 {
		t.Errorf("with the caller's terms: %d groups, want 1", n)
	}
}

func TestContentWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Posso pagare con PayPal?", "pagar paypal"},
		{"La garanzia è di quanti mesi?", "garanzi mesi"},
		{"Quante garanzie?", "garanzi"},
		{"How do I return my orders?", "return order"},
		{"l'ordine è arrivato rotto", "ordin arrivat rott"},
		{"PERCHÉ non funziona???", "funzion"},
		{"", ""},
		{"?? !! …", ""},
		{"<script>alert(1)</script>", "script alert script"},
	} {
		got := ContentWords(c.in)
		if want := strings.Fields(c.want); !slices.Equal(got, want) {
			t.Errorf("ContentWords(%q) = %q, want %q", c.in, got, want)
		}
	}
}

func FuzzComputeGaps(f *testing.F) {
	f.Add("Posso pagare con PayPal?", "pagare paypal", "it/pagamenti#1", "abstained", "not_helped")
	f.Add("", "\x00\xff", "", "answered", "person")
	f.Fuzz(func(t *testing.T, q1, q2, passage, outcome, feedback string) {
		evs := documentEvents(
			asked{chat: "a", question: q1, outcome: outcome, passage: passage, feedback: feedback},
			asked{chat: "b", question: q2, outcome: bot.DocumentsAbstained, passage: passage, at: time.Minute},
		)
		g := ComputeGaps(evs, gapPeriod(), GapOptions{})
		n := 0
		for _, gr := range g.Groups {
			if gr.Abstained+gr.NotHelped+gr.Person != gr.Asked || gr.Asked == 0 || len(gr.Examples) == 0 || gr.Question == "" {
				t.Fatalf("group %+v does not add up", gr)
			}
			n += gr.Asked
		}
		if n != g.Questions || g.Questions > g.Searches {
			t.Fatalf("%d questions in groups, %d gaps, %d searches", n, g.Questions, g.Searches)
		}
	})
}

// manySearches is n searches a week of a busy shop might hold: questions
// of three to six words out of a vocabulary of 2,000, a third answered
// and rated, over 300 passages.
func manySearches(n int) []DocumentEvent {
	r := rand.New(rand.NewPCG(7, 7))
	vocab := make([]string, 2000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("parola%dx", i)
	}
	var list []asked
	for i := range n {
		words := make([]string, 3+r.IntN(4))
		for j := range words {
			// Zipf-like: a few words are in many questions.
			words[j] = vocab[int(float64(len(vocab))*r.Float64()*r.Float64())]
		}
		a := asked{chat: fmt.Sprint(r.IntN(n / 2)), question: strings.Join(words, " ") + "?", outcome: bot.DocumentsAbstained,
			passage: fmt.Sprintf("doc%d#1", r.IntN(300)), at: time.Duration(i) * time.Second / 2}
		if i%3 == 0 {
			a.outcome, a.feedback = bot.DocumentsAnswered, []string{bot.FeedbackHelped, bot.FeedbackNotHelped, bot.FeedbackPerson}[i%9/3]
		}
		list = append(list, a)
	}
	return documentEvents(list...)
}

func BenchmarkComputeGaps(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		evs := manySearches(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				ComputeGaps(evs, gapPeriod(), GapOptions{})
			}
		})
	}
}

// TestGapsCountFeedbackGivenAfterTheConversationEnded: a customer who
// presses "no" more than ConversationGap after the answer lands in the
// archive's next conversation; the answer is still a gap, rated by them.
func TestGapsCountFeedbackGivenAfterTheConversationEnded(t *testing.T) {
	addr := bot.Address{Channel: "web", ChatID: "late"}
	asked, pressed := gapDay, gapDay.Add(ConversationGap+10*time.Minute)
	evs := []DocumentEvent{
		{Conversation: ConversationID(addr, asked), Event: bot.Event{ID: addr.String() + "|m1|1", Address: addr,
			Type: bot.EventLookup, Time: asked, Action: bot.LookupDocuments, Value: bot.DocumentsAnswered,
			Text: "Do you ship to Norway?", Passages: []string{"en/shipping#1"}}},
		{Conversation: ConversationID(addr, pressed), Event: bot.Event{ID: addr.String() + "|m2|0", Address: addr,
			Type: bot.EventAction, Time: pressed, Action: bot.DocumentsFeedback, Value: bot.FeedbackNotHelped,
			Text: "Do you ship to Norway?"}},
	}
	g := ComputeGaps(evs, gapPeriod(), GapOptions{})
	if g.Searches != 1 || g.Answered != 1 || len(g.Groups) != 1 || g.Groups[0].NotHelped != 1 {
		t.Fatalf("searches %d, answered %d, groups %+v; want the answer about Norway listed as not helped", g.Searches, g.Answered, g.Groups)
	}
	if ex := g.Groups[0].Examples; len(ex) != 1 || ex[0].Conversation != ConversationID(addr, asked) {
		t.Errorf("examples %+v, want the conversation where it was asked", ex)
	}
}
