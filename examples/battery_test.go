package examples_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/story"
)

// The battery: conversations with the demo shop written as customers
// write (issue 11), kept apart from the intents' examples. dev is for
// the engineers to read and fix; test is held out: only its numbers are
// printed, never its stories.
//
// The first test set (114 stories) was held out for two rounds and then
// opened: its files are dev/*-2.yaml. The test set of today (141
// stories) was written after that, by someone who had not read the rules,
// and is held out in its turn.
//
// The floors are a ratchet: each set's pass rate may not fall below its
// floor. When the battery was written (today's bot then) the rates were
// 0.34 and 0.28; the command model and the dialogue manager raised them;
// the floors follow what is measured, rounded down. The new test set
// measured 0.780 when it landed. Dev has run with the sample orders
// since 1 December, its older stories giving the proof of their
// orders: 0.877 then (0.822 before the proofs, 0.856 without the orders).
// The 120 stories of dev/*-5.yaml (written without reading the rules,
// 101 passing as written) took dev from 0.982 to 0.959: the floor
// follows them to 0.95 while they are worked on. The 120 of
// dev/*-6.yaml (the same way, 103 passing as written) took it to 0.945
// (805 of 852): the floor goes to 0.935. The 100 of dev/*-7.yaml
// (fresh7, the same way, 58 passing as written) took it from 0.952
// (811 of 852) to 0.913 (869 of 952): the floor goes to 0.903. Fixes
// of the dialogue (fixd) took it to 0.934 (889 of 952): 0.925. With
// the understanding's fixes (fixu) merged, 0.953 (907 of 952): 0.945.
// With fixm's, 0.959 (913 of 952): 0.95. On 1 December (night) the
// test set of 141 was opened and copied into dev as dev/*-8.yaml
// (125 passing): dev 1038 of 1093 (0.950), the floor 0.94; a new test
// set, written by someone who had not read the rules, replaces it:
// 150 stories, 131 passing as written (0.873); its floor stays 0.85.
// After the night's fixers (dlga, dlgb, dlgc, dlgd) and the review's 9
// findings: dev 0.978 (1078 of 1102), the floor 0.97; test 0.880 (132
// of 150), the floor 0.86. On 2 December that test set was opened
// (dev/*-9.yaml) and a new one of 150 (helper "writer", written the same
// way) replaced it: 127 passing as written (0.847); the floors go to 0.96 for
// dev (1210 of 1252, 0.966, with the opened set) and 0.84 for test.
// The 150 of dev/*-10.yaml (fresh10, 2 December, written the same way,
// 130 passing as written) took dev to 0.974 (1366 of 1402); the floor
// holds. After ten fixers and the two reviews' 46 regressions
// (dev/review-11.yaml, dev/review-12.yaml, all fixed): dev 0.996 (1442
// of 1448), the floor 0.99; test 0.880 (132 of 150), the floor 0.87.
// On the morning of 2 December, later, that test set was opened
// (dev/*-11.yaml, 132 of 150): dev 0.985 (1582 of 1606), the floor 0.98;
// the new test set (helper "writer", written the same way) passes 141 of
// 150 as written (0.940): its floor 0.93.
// The 150 of dev/*-12.yaml (fresh12, 2 December, written the same way,
// 119 passing as written) took dev to 0.969 (1701 of 1756): the floor 0.96.
// On the afternoon of 2 December five fixers took dev to 0.994 (1776 of
// 1786, with the 26 stories of dev/review-15.yaml and dev/bugs-15.yaml):
// the floor 0.98; test 0.947 (142 of 150) unchanged. The review's 38
// regressions (dev/review-16.yaml, 33 fixed): dev 0.992 (1809 of 1824).
// On 3 December that test set was opened (dev/*-17.yaml, 142 of 150):
// dev 0.988 (1951 of 1974), the floor holds; the new test set (helper
// "writer", written the same way) passes 132 of 150 as written (0.880):
// its floor 0.87. The 150 of dev/*-18.yaml (fresh18, written the same
// way, 133 passing as written), the review's 103 regressions
// (dev/review-17.yaml) and fixD's 14 (dev/bugs-18.yaml) joined dev; after
// nine helpers' fixes: dev 0.993 (2225 of 2241), the floor back to 0.98;
// test 0.900 (135 of 150), the floor 0.89.
// On 4 December the 170 of dev/*-19*.yaml (writer19, written the same way,
// 150 passing as written) and helper correct's 40 (dev/correct-19.yaml,
// 21 passing as written) joined dev: 0.980 (2403 of 2451), the floor 0.97
// while they are worked on. After eleven helpers' fixes (and the 72 own
// stories of helper correct, fixO's 20 of old bugs, the review's 10
// regressions, all in dev): dev 0.990 (2489 of 2513), the floor back to
// 0.98; test 0.913 (137 of 150), the floor 0.90.
// On the evening of 4 December the 150 of dev/*-20*.yaml (writer20, written
// the same way, 124 passing as written: 0.827) and the fixers' own stories
// of review bugs (dev/bugs-20d.yaml, dev/bugs-20e.yaml) joined dev: 0.977
// (2635 of 2698), the floor 0.97 while they are worked on. After seventeen
// helpers' fixes (and their own stories of the review's and the lead's
// bugs: dev/bugs-20*.yaml, dev/review-20.yaml): dev 0.992 (2706 of 2727),
// the floor back to 0.98; test 0.913 (137 of 150) unchanged.
// On 6 December the 150 of dev/fresh-21*.yaml (writer21, written the same
// way, 125 passing as written: 0.833; 127 after two scripts were put
// right) joined dev: 0.985 (2833 of 2877), the floor stays 0.98. After
// the night's fixes (sixteen helpers and the lead, with their own stories
// in dev/bugs-21*.yaml and nineteen story files rewritten to three product
// decisions: an article is quantity one, a verdict asks nothing that cannot
// change it, a kind with one product is that product): dev 0.995 (2915 of
// 2931), the floor 0.99; test 0.913 (137 of 150) unchanged (one held-out
// story expects the buyer asked of a purchase past every term, which the
// second decision no longer asks: 136 while it was in alone).
const (
	floorDev  = 0.99
	floorTest = 0.90
)

func TestBattery(t *testing.T) {
	runner, _ := batteryRunner(t)
	all := &story.Summary{}
	for _, set := range []struct {
		name    string
		floor   float64
		details bool
	}{
		{"dev", floorDev, true},
		{"test", floorTest, false},
	} {
		t.Run(set.name, func(t *testing.T) {
			stories, err := story.ParseFiles(os.DirFS("."), filepath.Join("shop", "battery", set.name))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			sum := runner.RunAll(context.Background(), stories)
			all.Results = append(all.Results, sum.Results...)
			var out strings.Builder
			sum.WriteRates(&out)
			if set.details {
				out.WriteString("first failure of each story, by kind:\n")
				sum.WriteKinds(&out, 0, true)
				out.WriteString("every failure, by kind (stories):\n")
				sum.WriteKinds(&out, 0, false)
				if testing.Verbose() {
					out.WriteString("failures:\n")
					sum.WriteFailures(&out, true)
				}
			}
			t.Logf("battery %s: %d stories in %v\n%s", set.name, len(stories), time.Since(start).Round(time.Millisecond), out.String())
			if got := sum.Total().Value(); got < set.floor {
				t.Errorf("battery %s: pass rate %.3f fell below the floor %.2f", set.name, got, set.floor)
			}
		})
	}
	var out strings.Builder
	all.WriteRates(&out)
	t.Logf("battery, both sets:\n%s", out.String())
}

// batteryRunner returns the runner of the battery and the demo shop it
// runs.
func batteryRunner(t *testing.T) (*story.Runner, *flows.Bot) {
	t.Helper()
	b, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		t.Fatalf("the demo shop does not load:\n%v", err)
	}
	// Both sets run as the demo is served and as `sportello test` runs
	// them: with the demo's sample orders, their dates as written (the
	// stories' clock is the file's day). Every dev story that names an
	// order of the file gives its proof (the e-mail or the postcode),
	// which the bot asks before it looks anything up.
	orders, err := orderfile.Load(examples.Shop, examples.ShopOrders, orderfile.Options{})
	if err != nil {
		t.Fatalf("the demo's sample orders do not load:\n%v", err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	rt := flows.NewRuntime(b)
	rt.SetOrders(orders, flows.OrderOptions{Logger: quiet})
	runner := &story.Runner{
		Responder: rt,
		Texts:     b.EngineTexts(),
		Language:  b.DefaultLanguage,
		Teams:     b.EngineTeams(),
		Strict:    true,
	}
	return runner, b
}
