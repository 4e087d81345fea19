package report_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
	"github.com/sportello/sportello/bot/report"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// demoTranscripts plays conversations with the demo shop and its sample
// orders through the engine, and returns each one's transcript.
func demoTranscripts(t *testing.T, convs [][]string) [][]bot.Event {
	t.Helper()
	b, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		t.Fatal(err)
	}
	orders, err := orderfile.Load(examples.Shop, examples.ShopOrders, orderfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := flows.NewRuntime(b)
	rt.SetOrders(orders, flows.OrderOptions{Logger: slog.New(slog.DiscardHandler)})
	clk := botfake.NewClock(time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)) // the sample orders' today
	st := memory.NewStoreWith(memory.Options{Now: clk.Now})
	e, err := bot.NewEngine(bot.Config{Store: st, Responder: rt, Texts: b.EngineTexts(), Language: b.DefaultLanguage,
		Teams: b.EngineTeams(), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	e.SetChannel("web", &botfake.Channel{})
	e.SetDesk(bot.NewLocalDesk(e))
	ctx := context.Background()
	var out [][]bot.Event
	for i, texts := range convs {
		addr := bot.Address{Channel: "web", ChatID: fmt.Sprint(i)}
		for j, text := range texts {
			clk.Advance(time.Second)
			m := bot.Message{ID: fmt.Sprintf("%d-%d", i, j), Address: addr, Time: clk.Now(), Text: text, Sender: bot.Sender{Language: "it"}}
			if err := e.Handle(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		evs, err := st.Transcript(ctx, addr, math.MaxInt32)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, evs)
	}
	return out
}

func TestContainmentPerIntentOfOrderConversations(t *testing.T) {
	transcripts := demoTranscripts(t, [][]string{
		{"dov'è il mio ordine SP-123456?", "20121"},           // answered from the order: resolved
		{"dov'è il mio ordine SP-200101?", "00184", "grazie"}, // answered, then thanks: resolved
		{"il mio ordine SP-200103 è in ritardo", "40121"},     // late: handed off
		{"dov'è il mio ordine SP-123456?"},                    // left at the proof: lost
		{"voglio fare un reso, ordine SP-200102", "10121"},    // past the 14 days, from the order: resolved
		{"dov'è il mio ordine SP-999999?", "20121"},           // the system is down: handed off
	})
	lookups := 0
	var convs []report.Conversation
	for i, evs := range transcripts {
		for _, e := range evs {
			if e.Type == bot.EventLookup {
				lookups++
			}
		}
		convs = append(convs, report.Summarize(fmt.Sprint(i), evs))
	}
	if lookups != 5 {
		t.Errorf("%d lookups in the transcripts, want 5 (every lookup recorded; none before a proof)", lookups)
	}
	st := report.ComputeStats(convs, report.Period{From: time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 6, 4, 0, 0, 0, 0, time.UTC)})
	want := map[string]report.IntentContainment{
		"order_status": {Intent: "order_status", Conversations: 5, Resolved: 2, HandedOff: 2, Lost: 1},
		"returns":      {Intent: "returns", Conversations: 1, Resolved: 1},
	}
	got := map[string]report.IntentContainment{}
	for _, ic := range st.ByIntent {
		got[ic.Intent] = ic
		if ic.Resolved+ic.HandedOff+ic.Lost != ic.Conversations {
			t.Errorf("%+v does not add up", ic)
		}
	}
	for in, w := range want {
		if got[in] != w {
			t.Errorf("%s: %+v, want %+v\nall: %+v", in, got[in], w, st.ByIntent)
		}
	}
	if len(st.ByIntent) == 0 || st.ByIntent[0].Intent != "order_status" {
		t.Errorf("by intent %+v: the most frequent intent first", st.ByIntent)
	}
	if r := got["order_status"].Rate(); r != 0.4 {
		t.Errorf("order_status containment %v, want 0.4", r)
	}
}

func TestByIntentRanksAndCuts(t *testing.T) {
	counts := map[string]map[report.Outcome]int{}
	for i := range report.ContainmentIntents + 5 {
		counts[fmt.Sprintf("i%02d", i)] = map[report.Outcome]int{report.OutcomeBot: i, "billing": 1, report.OutcomeAbandoned: 2}
	}
	got := report.ByIntent(counts)
	if len(got) != report.ContainmentIntents {
		t.Fatalf("%d intents, want at most %d", len(got), report.ContainmentIntents)
	}
	top := got[0]
	if top.Intent != "i24" || top.Conversations != 27 || top.Resolved != 24 || top.HandedOff != 1 || top.Lost != 2 {
		t.Errorf("first %+v: want the most frequent, a team's name counted as handed off", top)
	}
	if report.ByIntent(nil) != nil {
		t.Error("no intents gave a list")
	}
}
