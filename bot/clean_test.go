package bot_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

func TestCleanText(t *testing.T) {
	long := strings.Repeat("è", 10)
	for _, tc := range []struct {
		name, in string
		max      int
		text     string // what CleanText returns
		line     string // what CleanLine returns
	}{
		{"plain", "ciao, come va?", 0, "ciao, come va?", "ciao, come va?"},
		{"NUL", "a\x00b", 0, "ab", "ab"},
		{"JSON NUL escape, decoded", "a\u0000b", 0, "ab", "ab"},
		{"C0 and DEL", "a\x01\x07\x1b[31m\x7fb", 0, "a[31mb", "a[31mb"},
		{"C1", "a\u0085\u009bb", 0, "ab", "ab"},
		{"newlines and tabs", "one\ntwo\tthree", 0, "one\ntwo\tthree", "one two three"},
		{"carriage returns", "one\r\ntwo\rthree", 0, "one\ntwothree", "one twothree"},
		{"line separators", "one\u2028two\u2029three", 0, "one\ntwo\nthree", "one two three"},
		{"bidi overrides", "abc\u202edcba\u202c \u2066x\u2069", 0, "abcdcba x", "abcdcba x"},
		{"joiners stay", "👩\u200d💻", 0, "👩\u200d💻", "👩\u200d💻"},
		{"invalid UTF-8, a run is one", "ciao \xff\xfe mondo", 0, "ciao \uFFFD mondo", "ciao \uFFFD mondo"},
		{"a real U+FFFD stays", "a\uFFFD\xffb", 0, "a\uFFFD\uFFFDb", "a\uFFFD\uFFFDb"},
		{"truncated rune", "caff\xc3", 0, "caff\uFFFD", "caff\uFFFD"},
		{"encoded surrogate", "a\xed\xa0\x80b", 0, "a\uFFFDb", "a\uFFFDb"},
		{"at the bound", long, 10, long, long},
		{"over the bound", long + "x", 10, long + bot.CutMarker, long + bot.CutMarker},
		{"bound counts what stays", "\x00\x00" + long + "\x00", 10, long, long},
		{"ASCII over the bound", "abcdef", 3, "abc" + bot.CutMarker, "abc" + bot.CutMarker},
		{"empty", "", 5, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bot.CleanText(tc.in, tc.max); got != tc.text {
				t.Errorf("CleanText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.text)
			}
			if got := bot.CleanLine(tc.in, tc.max); got != tc.line {
				t.Errorf("CleanLine(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.line)
			}
		})
	}
}

// strings visits every string reachable from v, with its path.
func visitStrings(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			visitStrings(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				visitStrings(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			visitStrings(v.Index(i), path+"[]", f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			visitStrings(k, path+"{key}", f)
			visitStrings(v.MapIndex(k), path+"{}", f)
		}
	}
}

// fillStrings sets every string reachable from v to s, making pointers
// and one element of each slice on the way, so that a field added to
// Message later is covered.
func fillStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fillStrings(v.Elem(), s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), s)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2*bot.MaxAttachments, 2*bot.MaxAttachments))
		for i := range v.Len() {
			fillStrings(v.Index(i), s)
		}
	}
}

// cleanProblem says what is wrong with s as recorded text, or "".
func cleanProblem(s string, max int) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "a control character"
		}
	}
	if n := utf8.RuneCountInString(s); n > max+utf8.RuneCountInString(bot.CutMarker) {
		return "over its bound"
	}
	return ""
}

// TestMessageCleanCoversEveryField fills every string of a Message, those
// of fields added later included, with dirt far over any bound: Clean
// leaves none dirty or unbounded.
func TestMessageCleanCoversEveryField(t *testing.T) {
	var m bot.Message
	dirty := "\x00\x1b[2J\xff" + strings.Repeat("word\x00 ", 3*bot.MaxAgentTextLen)
	fillStrings(reflect.ValueOf(&m).Elem(), dirty)
	m.Address = bot.Address{Channel: "test", ChatID: "alice"}
	c := m.Clean()
	visitStrings(reflect.ValueOf(c), "Message", func(path, s string) {
		if strings.Contains(path, ".Address.") {
			return // addresses are checked, never cleaned: see TestBadAddressIsRefused
		}
		if p := cleanProblem(s, bot.MaxAgentTextLen); p != "" {
			t.Errorf("%s: %s", path, p)
		}
	})
	if len(c.Attachments) != bot.MaxAttachments {
		t.Errorf("%d attachments kept, want %d", len(c.Attachments), bot.MaxAttachments)
	}
	if m.Agent.Text != dirty || m.Timer.Data != dirty {
		t.Error("Clean changed the message it was given")
	}
}

func TestMessageCleanBounds(t *testing.T) {
	over := func(n int) string { return strings.Repeat("x", n+1) }
	m := bot.Message{
		ID: over(bot.MaxIDLen), Text: over(bot.MaxTextLen), Payload: over(bot.MaxPayloadLen),
		Sender:      bot.Sender{Name: over(bot.MaxNameLen), Username: over(bot.MaxUsernameLen), Language: over(bot.MaxLanguageLen)},
		Attachments: []bot.Attachment{{Kind: over(bot.MaxKindLen), FileID: over(bot.MaxIDLen), Name: over(bot.MaxCaptionLen), URL: over(bot.MaxURLLen), Caption: over(bot.MaxCaptionLen)}},
		Agent:       &bot.AgentAction{Action: over(bot.MaxKindLen), ID: over(bot.MaxIDLen), Name: over(bot.MaxNameLen), Text: over(bot.MaxAgentTextLen), Case: over(bot.MaxIDLen)},
		Timer:       &bot.Timer{ID: over(bot.MaxIDLen), Kind: over(bot.MaxKindLen), Data: over(bot.MaxTimerDataLen)},
	}.Clean()
	a, ag, tm := m.Attachments[0], m.Agent, m.Timer
	for _, f := range []struct {
		name string
		got  string
		max  int
	}{
		{"text", m.Text, bot.MaxTextLen}, {"payload", m.Payload, bot.MaxPayloadLen},
		{"name", m.Sender.Name, bot.MaxNameLen}, {"username", m.Sender.Username, bot.MaxUsernameLen},
		{"language", m.Sender.Language, bot.MaxLanguageLen},
		{"attachment kind", a.Kind, bot.MaxKindLen}, {"file ID", a.FileID, bot.MaxIDLen},
		{"attachment name", a.Name, bot.MaxCaptionLen}, {"URL", a.URL, bot.MaxURLLen}, {"caption", a.Caption, bot.MaxCaptionLen},
		{"action", ag.Action, bot.MaxKindLen}, {"agent name", ag.Name, bot.MaxNameLen},
		{"agent text", ag.Text, bot.MaxAgentTextLen}, {"case", ag.Case, bot.MaxIDLen},
		{"timer kind", tm.Kind, bot.MaxKindLen}, {"timer data", tm.Data, bot.MaxTimerDataLen},
	} {
		if want := strings.Repeat("x", f.max) + bot.CutMarker; f.got != want {
			t.Errorf("%s: %d characters, want %d and the marker", f.name, utf8.RuneCountInString(f.got), f.max)
		}
	}
	// IDs keep their identity: shortened to the bound, with a hash.
	for name, id := range map[string]string{"message ID": m.ID, "agent ID": ag.ID, "timer ID": tm.ID} {
		if n := utf8.RuneCountInString(id); n != bot.MaxIDLen || !strings.Contains(id, "~") {
			t.Errorf("%s: %q (%d characters), want a prefix and a hash in %d", name, id, n, bot.MaxIDLen)
		}
	}
}

func TestCleanIDsStayDistinct(t *testing.T) {
	long := strings.Repeat("x", bot.MaxIDLen)
	for _, tc := range []struct{ name, a, b string }{
		{"cleaned away", "a\x00b", "ab"},
		{"two control characters", "a\x00b", "a\x01b"},
		{"past the bound", long + "1", long + "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := bot.Message{ID: tc.a}.Clean().ID, bot.Message{ID: tc.b}.Clean().ID
			if a == b {
				t.Errorf("%q and %q both became %q", tc.a, tc.b, a)
			}
			if again := (bot.Message{ID: tc.a}).Clean().ID; again != a {
				t.Errorf("the same ID cleaned twice: %q, then %q", a, again)
			}
		})
	}
	if id := (bot.Message{ID: "tg:12345"}).Clean().ID; id != "tg:12345" {
		t.Errorf("a clean ID changed: %q", id)
	}
}

// TestNULPayloadIsRecordedClean: the web chat's "a\u0000b" payload, the
// finding's first poison, reaches neither the transcript nor the session.
func TestNULPayloadIsRecordedClean(t *testing.T) {
	recorder := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.Record(bot.Event{Type: bot.EventIntent, Intent: "button:" + t.Message.Payload})
		return nil
	})
	r := newRig(t, recorder)
	r.mustHandle(t, bot.Message{ID: "m\x001", Address: alice, Text: "Sì\x00", Payload: "a\u0000b",
		Sender:      bot.Sender{Name: "Anna\x00\nRossi", Language: "it\x00"},
		Attachments: []bot.Attachment{{Kind: "photo", FileID: "F\x00", Caption: "rotto\x00"}}})
	tr := r.transcript(t, alice)
	if len(tr) != 2 || tr[0].Text != "Sì" || tr[0].Attachments[0].Caption != "rotto" || tr[1].Intent != "button:ab" {
		t.Fatalf("transcript %+v", tr)
	}
	if c := r.session(t, alice).Customer; c.Name != "Anna Rossi" || c.Language != "it" {
		t.Errorf("customer %+v", c)
	}
	for _, e := range tr {
		visitStrings(reflect.ValueOf(e), "Event", func(path, s string) {
			if strings.ContainsRune(s, 0) {
				t.Errorf("%s holds a NUL: %q", path, s)
			}
		})
	}
}

// TestTooLongTextIsNotRecordedInFull: the finding's second poison came
// with the whole 31 KB text recorded before the refusal.
func TestTooLongTextIsNotRecordedInFull(t *testing.T) {
	r := newRig(t, botfake.Echo{})
	r.mustHandle(t, botfake.Message(alice, "m1", strings.Repeat("parola ", 31*1024/7)))
	tr := r.transcript(t, alice)
	if len(tr) < 2 || tr[0].Type != bot.EventCustomer || tr[1].Type != bot.EventRefused || tr[1].Text != "too long" {
		t.Fatalf("transcript %+v, want the customer's text, then the refusal", tr)
	}
	if got := tr[0].Text; utf8.RuneCountInString(got) != bot.MaxTextLen+utf8.RuneCountInString(bot.CutMarker) || !strings.HasSuffix(got, bot.CutMarker) {
		t.Errorf("recorded %d characters, want %d and the marker", utf8.RuneCountInString(got), bot.MaxTextLen)
	}
	if got := r.ch.Texts(alice); len(got) != 1 || !strings.HasPrefix(got[0], "That message is too long") {
		t.Errorf("replies %q", got)
	}
}

func TestBadAddressIsRefused(t *testing.T) {
	for _, a := range []bot.Address{
		{Channel: "web", ChatID: ""},
		{Channel: "", ChatID: "1"},
		{Channel: "web", ChatID: "v\x001"},
		{Channel: "we:b", ChatID: "1"},
		{Channel: "web", ChatID: "v\xff"},
		{Channel: "web", ChatID: strings.Repeat("v", bot.MaxIDLen+1)},
	} {
		r := newRig(t, botfake.Echo{})
		err := r.engine.Handle(context.Background(), botfake.Message(a, "m1", "hi"))
		if err == nil {
			t.Errorf("address %q taken", a)
		}
	}
}

// FuzzEngineRecordsCleanText: whatever a Message holds, what the engine
// records (the transcript, the session, the case) is valid UTF-8, has no
// control characters but newlines and tabs, and keeps within the bounds.
// A customer message hands off, an agent claims, replies and notes, a
// timer fires: every kind of message, every field from the fuzzer.
func FuzzEngineRecordsCleanText(f *testing.F) {
	f.Add("m1", "ciao", "", "Anna", "anna", "it", "photo", "F1", "a.jpg", "https://x/a.jpg", "rotto", "U1", "Marco", "Buongiorno", "C-1")
	f.Add("m\x00", "a\x00b", "a\u0000b", "\xff\xfe", "\x1b[2J", "it\x00", "\x00", "\x00", "\u202e", "\x7f", "\r\n", "\x00", "\x00", "\x00\x01", "\xc3")
	f.Add("m2", strings.Repeat("w ", bot.MaxTextLen), strings.Repeat("p", 300), strings.Repeat("n", 200), "", "", "", "", "", "", strings.Repeat("c", 2000), "", "", strings.Repeat("r", 9000), "")
	f.Fuzz(func(t *testing.T, id, text, payload, name, username, lang, kind, fileID, attName, url, caption, agentID, agentName, agentText, data string) {
		ctx := context.Background()
		st := memory.NewStore()
		handoff := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
			m := t.Message
			t.Session.SetSlot("payload", m.Payload)
			t.Record(bot.Event{Type: bot.EventIntent, Intent: "button:" + m.Payload})
			t.HandOff(bot.Case{Team: "sales", Intent: m.Payload, Reason: m.Text})
			return nil
		})
		e, err := bot.NewEngine(bot.Config{Store: st, Responder: handoff, Desk: &botfake.Desk{}})
		if err != nil {
			t.Fatal(err)
		}
		e.SetChannel("test", &botfake.Channel{})
		addr := bot.Address{Channel: "test", ChatID: "fuzz"}
		agent := func(action, text string) bot.Message {
			return bot.Message{ID: id + action, Kind: bot.KindAgent, Address: addr,
				Agent: &bot.AgentAction{Action: action, ID: agentID, Name: agentName, Text: text}}
		}
		for _, m := range []bot.Message{
			{ID: id, Address: addr, Text: text, Payload: payload,
				Sender:      bot.Sender{Name: name, Username: username, Language: lang},
				Attachments: []bot.Attachment{{Kind: kind, FileID: fileID, Name: attName, URL: url, Caption: caption}}},
			// The first may be refused (too long, empty): this one hands off.
			{ID: id + "h", Address: addr, Text: "a person, please"},
			agent("claim", ""), agent("reply", agentText), agent("note", agentText),
			{ID: id + "t", Kind: bot.KindTimer, Address: addr, Timer: &bot.Timer{ID: id, Kind: kind, Data: data}},
		} {
			if err := e.Handle(ctx, m); err != nil {
				t.Fatalf("Handle: %v", err)
			}
		}
		evs, err := st.Transcript(ctx, addr, 1000)
		if err != nil {
			t.Fatal(err)
		}
		s, err := st.Load(ctx, addr, "")
		if err != nil || s == nil {
			t.Fatalf("session: %v %v", s, err)
		}
		check := func(what string, v any) {
			visitStrings(reflect.ValueOf(v), what, func(path, s string) {
				// A recorded text may carry an engine line around it
				// ("button:", a template): bounded all the same.
				if p := cleanProblem(s, bot.MaxAgentTextLen+200); p != "" {
					t.Errorf("%s: %s: %q", path, p, short(s))
				}
			})
		}
		var replies int
		for _, ev := range evs {
			if ev.Type == bot.EventAgent {
				replies++
			}
		}
		if replies != 1 {
			t.Fatalf("%d agent replies recorded, want 1: the fuzzer missed the agent's path", replies)
		}
		check("Event", evs)
		check("Session", s)
		for _, ev := range evs {
			bounded := map[string][2]any{
				// An agent without a name is recorded by their ID.
				"agent": {ev.Agent, max(bot.MaxNameLen, bot.MaxIDLen)}, "intent": {ev.Intent, bot.MaxPayloadLen + len("button:")},
			}
			if ev.Type == bot.EventCustomer {
				bounded["text"] = [2]any{ev.Text, bot.MaxTextLen}
			}
			for _, a := range ev.Attachments {
				bounded["caption"] = [2]any{a.Caption, bot.MaxCaptionLen}
				bounded["url"] = [2]any{a.URL, bot.MaxURLLen}
			}
			for field, b := range bounded {
				if p := cleanProblem(b[0].(string), b[1].(int)); p != "" {
					t.Errorf("%s event, %s: %s", ev.Type, field, p)
				}
			}
		}
		for field, b := range map[string][2]any{"name": {s.Customer.Name, bot.MaxNameLen},
			"username": {s.Customer.Username, bot.MaxUsernameLen}, "language": {s.Customer.Language, bot.MaxLanguageLen}} {
			if p := cleanProblem(b[0].(string), b[1].(int)); p != "" {
				t.Errorf("session customer %s: %s", field, p)
			}
		}
	})
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
