package flows

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// UND_TEXT, UND_FLOW, UND_SLOT, UND_SLOTS=a=b,c=d, UND_LANG
func TestZZUnderstand(t *testing.T) {
	text := os.Getenv("UND_TEXT")
	if text == "" {
		t.Skip()
	}
	b := mustShop(t)
	slots := map[string]string{}
	for _, kv := range strings.Split(os.Getenv("UND_SLOTS"), ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			slots[k] = v
		}
	}
	lang := os.Getenv("UND_LANG")
	if lang == "" {
		lang = "it"
	}
	fmt.Printf("threshold %.2f margin %.2f\n", b.Threshold, b.Margin)
	for _, part := range strings.Split(text, "|") {
		sc := b.Classify(part)
		fmt.Printf("classify %q:", part)
		for i, s := range sc {
			if i < 4 {
				fmt.Printf(" %s=%.2f", s.Intent, s.Confidence)
			}
		}
		fmt.Println()
	}
	text = strings.ReplaceAll(text, "|", "")
	in := Input{Text: text, Lang: lang, Now: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC),
		State: State{Flow: os.Getenv("UND_FLOW"), Slot: os.Getenv("UND_SLOT"), Offer: os.Getenv("UND_OFFER"), Slots: slots}}
	u := b.newUnderstanding(in)
	for _, f := range u.facts {
		fmt.Printf("fact %+v\n", f)
	}
	cmds, _ := rules{b}.Understand(context.Background(), in)
	for _, c := range cmds {
		fmt.Println("cmd", c.String())
	}
}

func TestZZStems(t *testing.T) {
	text := os.Getenv("STEM_TEXT")
	if text == "" {
		t.Skip()
	}
	b := mustShop(t)
	fmt.Println("intents", len(b.Intents))
	for _, w := range words(text) {
		st, ok := stem(w)
		if !ok {
			continue
		}
		var ins []string
		for _, in := range b.Intents {
			if in.stems[st] {
				ins = append(ins, in.Name)
			}
		}
		fmt.Println(w, st, ins)
	}
}
