package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot/botfake"
)

// chatScript runs the demo shop in the terminal at now with script as the
// customer's lines, and returns what was printed.
func chatScript(t *testing.T, now time.Time, script string) string {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(script), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if err := chat(context.Background(), e, shopBot(t, false), chatOptions{clock: botfake.NewClock(now)}); err != nil {
		t.Fatalf("chat: %v\n%s", err, errb.String())
	}
	return out.String()
}

// TestChatIgnoredTheTeamsHours: the terminal built its engine without the
// teams, so a case opened on a Sunday evening was "number 1 in the queue"
// there while serve said the team was closed. It says what serve says.
func TestChatIgnoredTheTeamsHours(t *testing.T) {
	loc := rome(t)
	const sale = "vorrei comprare due portatili per l'ufficio\nLenovo ThinkPad E14\ncirca 900 euro a pezzo\nscrivetemi a giulia.bianchi@example.it\n"
	for _, tc := range []struct {
		name      string
		now       time.Time
		want, not string
	}{
		{"closed on a Sunday evening", time.Date(2025, 6, 8, 21, 0, 0, 0, loc), "ora è chiuso: riapre domani alle 09:00", "sei il numero 1"},
		{"open on a Tuesday morning", time.Date(2025, 6, 3, 10, 0, 0, 0, loc), "sei il numero 1", "chiuso"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := chatScript(t, tc.now, sale)
			if !strings.Contains(out, tc.want) || strings.Contains(out, tc.not) {
				t.Fatalf("the terminal said:\n%s\nwant %q and not %q", out, tc.want, tc.not)
			}
			// The case's name for the team comes from the teams too.
			if !strings.Contains(out, "[desk] Caso C-") || !strings.Contains(out, "team Vendite") {
				t.Errorf("no desk line of the case for the sales team:\n%s", out)
			}
		})
	}
}

// TestChatNumberPressedAStaleButton: in the demo, a number typed after a
// reply without buttons pressed a button of an earlier reply: "2" as the
// purchase date pressed the second model of the question before. It is the
// customer's text now. The desk's line, which follows the reply with the
// Torna al bot button, keeps that button.
func TestChatNumberPressedAStaleButton(t *testing.T) {
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, rome(t))
	out := chatScript(t, now, "il mio telefono non si accende\niphone 15\n2\n")
	_, after, _ := strings.Cut(out, "you> 2\n")
	if !strings.HasPrefix(after, "bot> Non ho capito la data") {
		t.Fatalf("2, typed as the purchase date, was not read as text:\n%s", out)
	}
	out = chatScript(t, now, "voglio parlare con un operatore\n1\n")
	if !strings.Contains(out, "1) Torna al bot") || !strings.Contains(out, "Vuoi chiuderla e tornare al bot?") {
		t.Fatalf("after the handoff and its desk line, 1 did not press Torna al bot:\n%s", out)
	}
}

// TestChatAnswersTheReadmeQuestionsFromTheHelpCentre: the README's demo
// questions are answered from the demo's help pages, with the page cited.
func TestChatAnswersTheReadmeQuestionsFromTheHelpCentre(t *testing.T) {
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, rome(t))
	for _, tc := range []struct {
		say  string
		want []string
	}{
		{"posso pagare con PayPal?", []string{"PayPal", "Fonte: https://shop.example/help/it/pagamenti"}},
		{"how do I reset the TV to factory settings?", []string{"Reset to Initial Settings", "Source: https://shop.example/help/en/lg-oled-c3-factory-reset", "Did this help?"}},
	} {
		t.Run(tc.say, func(t *testing.T) {
			out := chatScript(t, now, tc.say+"\n")
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("the terminal said:\n%s\nwant %q", out, w)
				}
			}
		})
	}
}

// TestChatDaysAreTheShopsNotTheMachines: the terminal read the customer's
// days in the machine's time zone, where serve reads them in the shop's
// (timezone, SPORTELLO_TIMEZONE): at 00:30 in Rome on 3 June, on a
// machine in California (15:30 on 2 June), "yesterday" was 1 June.
func TestChatDaysAreTheShopsNotTheMachines(t *testing.T) {
	machine, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	was := time.Local
	time.Local = machine // as TZ=America/Los_Angeles would
	t.Cleanup(func() { time.Local = was })
	now := time.Date(2025, 6, 3, 0, 30, 0, 0, rome(t)).In(time.Local)
	const script = "il mio telefono non si accende\niphone 15\nl'ho comprato ieri\nprivato\n"
	for _, tc := range []struct {
		name, zone, want string
	}{
		{"the default zone, Europe/Rome", "", "data di acquisto: 02/06/2025"},
		{"the zone set", "America/Los_Angeles", "data di acquisto: 01/06/2025"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdin: strings.NewReader(script), stdout: &out, stderr: &errb, getenv: func(k string) string {
				if k == "SPORTELLO_TIMEZONE" {
					return tc.zone
				}
				return ""
			}}
			if err := chat(context.Background(), e, shopBot(t, false), chatOptions{clock: botfake.NewClock(now)}); err != nil {
				t.Fatalf("chat: %v\n%s", err, errb.String())
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("the terminal said:\n%s\nwant %q", out.String(), tc.want)
			}
		})
	}
	e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{},
		getenv: func(k string) string { return map[string]string{"SPORTELLO_TIMEZONE": "Local"}[k] }}
	if err := chat(context.Background(), e, shopBot(t, false), chatOptions{}); err == nil || !strings.Contains(err.Error(), "SPORTELLO_TIMEZONE") {
		t.Errorf("chat with SPORTELLO_TIMEZONE=Local: %v, want an error naming it", err)
	}
}
