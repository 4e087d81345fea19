package examples_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/story"
)

// customerLines are the customers' messages of the battery's dev set:
// realistic text for timing, nothing more (accuracy is TestBattery's).
func customerLines(tb testing.TB) []string {
	tb.Helper()
	fsys, name := story.OSFS("shop/battery/dev")
	stories, err := story.ParseFiles(fsys, name)
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for _, s := range stories {
		for _, t := range s.Turns {
			if t.Say != "" {
				lines = append(lines, t.Say)
			}
		}
	}
	return lines
}

// BenchmarkUnderstand times understanding one message of the demo shop
// (one extraction pass, the classifier, the commands), as the first
// message of a conversation and as an answer in the middle of a warranty
// claim, and reports its p50 and p99 over the battery's customer lines.
func BenchmarkUnderstand(b *testing.B) {
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		b.Fatal(err)
	}
	lines := customerLines(b)
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	states := []flows.State{
		{},
		{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"category": "phone", "product": "pixel-8"}},
	}
	u := flows.NewRuntime(bt).Understander()
	ctx := context.Background()
	// CPU time of this thread, which the other work of a shared machine
	// does not inflate as it does the wall clock.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := flows.Input{Text: lines[i%len(lines)], Lang: "it", Now: now, State: states[i%len(states)]}
		start, c0 := time.Now(), threadCPU()
		if _, err := u.Understand(ctx, in); err != nil {
			b.Fatal(err)
		}
		cpu = append(cpu, threadCPU()-c0)
		wall = append(wall, time.Since(start))
		i++
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	b.ReportMetric(float64(cpu[len(cpu)/2].Nanoseconds())/1e3, "cpu-p50-µs")
	b.ReportMetric(float64(cpu[len(cpu)*99/100].Nanoseconds())/1e3, "cpu-p99-µs")
	b.ReportMetric(float64(wall[len(wall)*99/100].Nanoseconds())/1e3, "wall-p99-µs")
}

// BenchmarkUnderstandQuickest is BenchmarkUnderstand with each message
// read five times in a row, keeping the quickest reading (thread CPU):
// on a machine shared with other work a message's slow readings are the
// machine's, and the p99 of single readings moves by half from one run to
// the next. Each line of the dev set is read as a first message and as an
// answer in a warranty claim (-benchtime twice the lines covers them all).
func BenchmarkUnderstandQuickest(b *testing.B) {
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		b.Fatal(err)
	}
	lines := customerLines(b)
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	states := []flows.State{
		{},
		{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"category": "phone", "product": "pixel-8"}},
	}
	u := flows.NewRuntime(bt).Understander()
	ctx := context.Background()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var quickest []time.Duration
	var read []reading
	i := 0
	for b.Loop() {
		in := flows.Input{Text: lines[(i/2)%len(lines)], Lang: "it", Now: now, State: states[i%2]}
		best := time.Duration(1 << 62)
		for range 5 {
			c0 := threadCPU()
			if _, err := u.Understand(ctx, in); err != nil {
				b.Fatal(err)
			}
			best = min(best, threadCPU()-c0)
		}
		quickest = append(quickest, best)
		read = append(read, reading{in.Text, i % 2, best})
		i++
	}
	logSlowest(b, read)
	slices.Sort(quickest)
	over := len(quickest) - sort.Search(len(quickest), func(k int) bool { return quickest[k] > 100*time.Microsecond })
	b.ReportMetric(float64(quickest[len(quickest)/2].Nanoseconds())/1e3, "cpu-p50-µs")
	b.ReportMetric(float64(quickest[len(quickest)*99/100].Nanoseconds())/1e3, "cpu-p99-µs")
	b.ReportMetric(100*float64(over)/float64(len(quickest)), "%-over-100µs")
	b.ReportMetric(float64(len(lines)), "lines")
}

// A reading is one line's quickest understanding in one of the states.
type reading struct {
	text  string
	state int
	took  time.Duration
}

// logSlowest logs the SPORTELLO_BENCH_SLOWEST slowest readings, to find
// the lines a speed change should look at first.
func logSlowest(b *testing.B, read []reading) {
	n, _ := strconv.Atoi(os.Getenv("SPORTELLO_BENCH_SLOWEST"))
	if n <= 0 {
		return
	}
	slices.SortFunc(read, func(x, y reading) int { return cmp.Compare(y.took, x.took) })
	for _, r := range read[:min(n, len(read))] {
		b.Logf("%6.1f µs  state %d  %q", float64(r.took.Nanoseconds())/1e3, r.state, r.text)
	}
}

// BenchmarkUnderstandLines is BenchmarkUnderstand over benchLines, each
// line as the first message and as an answer in a warranty claim.
func BenchmarkUnderstandLines(b *testing.B) {
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		b.Fatal(err)
	}
	lines := benchLines(b)
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	states := []flows.State{
		{},
		{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"category": "phone", "product": "pixel-8"}},
	}
	u := flows.NewRuntime(bt).Understander()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		in := flows.Input{Text: lines[i%len(lines)], Lang: "it", Now: now, State: states[(i/len(lines))%2]}
		if _, err := u.Understand(ctx, in); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(len(lines)), "lines")
}

// BenchmarkHandleDemoShop is Engine.Handle on the memory store with the
// demo shop's flows answering: the whole path of a customer's message.
func BenchmarkHandleDemoShop(b *testing.B) {
	lines := customerLines(b)
	e := demoEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// A conversation of ten messages, then a new one: never a
		// handoff's queue, always the bot answering.
		a := bot.Address{Channel: "bench", ChatID: "c" + itoa(i/10)}
		m := bot.Message{ID: itoa(i), Address: a, Text: lines[i%len(lines)], Time: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)}
		if err := e.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	n := len(buf)
	for i > 0 {
		n--
		buf[n] = digits[i%10]
		i /= 10
	}
	return string(buf[n:])
}

// TestUnderstandDump writes the commands of every customer line of the
// battery's dev set, in the states of BenchmarkUnderstand and a few more,
// in both languages, to the file SPORTELLO_DUMP_COMMANDS: a change made
// for speed is compared before and after with diff, and must change no
// answer. Without the variable it does nothing.
func TestUnderstandDump(t *testing.T) {
	path := os.Getenv("SPORTELLO_DUMP_COMMANDS")
	if path == "" {
		t.Skip("SPORTELLO_DUMP_COMMANDS not set")
	}
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	states := []flows.State{
		{},
		{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"category": "phone", "product": "pixel-8"}},
		{Flow: "warranty", Slot: "defect", Offer: "human", Slots: map[string]string{"category": "phone", "product": "pixel-8", "purchase_date": "2025-01-10"}},
		{Flow: "sales", Slot: "budget", Slots: map[string]string{"category": "laptop"}},
		{Flow: "returns", Slot: "order_number", Offer: "feedback"},
	}
	u := flows.NewRuntime(bt).Understander()
	var b strings.Builder
	for _, line := range customerLines(t) {
		for si, st := range states {
			for _, lang := range []string{"it", "en"} {
				cmds, err := u.Understand(context.Background(), flows.Input{Text: line, Lang: lang, Now: now, State: st})
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%d %s %q\n", si, lang, line)
				for _, c := range cmds {
					fmt.Fprintf(&b, "\t%+v\n", c)
				}
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
