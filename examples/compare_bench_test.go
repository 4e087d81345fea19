package examples_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// The benchmarks of this file time two builds of Sportello on the same
// messages: they read the customers' lines from the story files of
// SPORTELLO_BENCH_STORIES (default shop/battery/dev) with a plain YAML
// walk, not with the story parser, so that an old tree, whose parser
// does not know today's story fields, reads today's lines too. The file
// is copied into a worktree of the old commit to run there
// (docs/benchmarks.md; BenchmarkUnderstandLines, beside BenchmarkUnderstand,
// needs the command model). SPORTELLO_BENCH_MINLEN keeps the lines of at
// least that many bytes: the long messages, which make the p99.

// benchLines returns the customers' lines of the story files.
func benchLines(tb testing.TB) []string {
	tb.Helper()
	dir := os.Getenv("SPORTELLO_BENCH_STORIES")
	if dir == "" {
		dir = "shop/battery/dev"
	}
	minLen, _ := strconv.Atoi(os.Getenv("SPORTELLO_BENCH_MINLEN"))
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no story files in %s", dir)
	}
	var lines []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "say" && v.Kind == yaml.ScalarNode {
					if len(v.Value) >= minLen {
						lines = append(lines, v.Value)
					}
					continue
				}
				walk(v)
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		walk(&doc)
	}
	if len(lines) == 0 {
		tb.Fatalf("no lines of %d bytes or more in %s", minLen, dir)
	}
	return lines
}

// demoEngine is an engine on the memory store with the demo shop's flows
// answering and a channel that takes every reply, for the benchmarks.
func demoEngine(b *testing.B) *bot.Engine {
	b.Helper()
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		b.Fatal(err)
	}
	e, err := bot.NewEngine(bot.Config{Store: memory.NewStore(), Responder: flows.NewRuntime(bt),
		Texts: bt.EngineTexts(), Language: bt.DefaultLanguage, FloodLimit: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	e.SetChannel("bench", bot.ChannelFunc(func(context.Context, bot.Reply) error { return nil }))
	return e
}

// BenchmarkHandleLines is BenchmarkHandleDemoShop over benchLines.
func BenchmarkHandleLines(b *testing.B) {
	lines := benchLines(b)
	e := demoEngine(b)
	ctx := context.Background()
	// A conversation of ten messages, then a new one; with
	// SPORTELLO_BENCH_CONVERSATION=1 each message opens a conversation, so
	// that two builds do the same work (an old one may hand a conversation
	// to a person early and skip understanding the rest of it).
	per, _ := strconv.Atoi(os.Getenv("SPORTELLO_BENCH_CONVERSATION"))
	if per <= 0 {
		per = 10
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := bot.Address{Channel: "bench", ChatID: "c" + strconv.Itoa(i/per)}
		m := bot.Message{ID: strconv.Itoa(i), Address: a, Text: lines[i%len(lines)], Time: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)}
		if err := e.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(len(lines)), "lines")
}
