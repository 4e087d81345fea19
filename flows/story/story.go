// Package story replays scripted conversations (stories) against a bot and
// reports every expectation that does not hold with the story's
// file:line. Stories are how a shop tests its flow file: `sportello test`
// runs them, and `go test ./...` runs the demo shop's.
//
// A story file is YAML:
//
//	stories:
//	  - name: phone under warranty
//	    language: it            # the customer's language hint (optional)
//	    now: 2025-06-01T10:00:00+02:00   # the clock during the story (optional)
//	    turns:
//	      - say: il mio telefono non si accende, è in garanzia?
//	        reply: quale prodotto        # some reply of this turn contains it (case-insensitive)
//	        flow: warranty               # the active flow after the turn
//	      - press: Privato               # press a button of the last reply, by title or number
//	        slots: {buyer: consumer}     # slots set after the turn
//	      - say: marzo 2025
//	        reply: [in garanzia, "24 mesi"]   # every item must appear
//	        not: scaduta                 # no reply of the turn contains it
//	        buttons: [Sì, No]            # the last reply's buttons, in order
//	        handoff: support             # the conversation is queued for this team
//	        mode: queued                 # bot, queued, agent
//	        intent: warranty             # the intent recorded in this turn
//	      - wait: 30m                    # move the clock
//	      - agent: {action: claim, name: Marco}   # an agent acts: claim, reply (text), release, resolve
package story

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
)

// A Story is one scripted conversation.
type Story struct {
	Name     string
	Language string
	Now      time.Time
	Turns    []Turn
	Pos      Pos
}

// A Turn is one customer action and what must follow it.
type Turn struct {
	Say     string
	Press   string
	Wait    time.Duration
	Agent   *bot.AgentAction
	Reply   []string
	Not     []string
	Buttons []string
	Flow    *string // nil: not checked; "": no active flow
	Slots   map[string]string
	Handoff string
	Mode    string
	Intent  string
	Pos     Pos
}

// Pos is a place in a story file.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// A Failure is an expectation that did not hold.
type Failure struct {
	Story string
	Pos   Pos
	Msg   string
}

func (f Failure) String() string { return fmt.Sprintf("%s: %s: %s", f.Pos, f.Story, f.Msg) }

// Parse reads the stories of one file. Errors name file:line.
func Parse(file string, data []byte) ([]Story, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no stories", file)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("%s: no stories", file)
	}
	var doc struct {
		Stories []yaml.Node `yaml:"stories"`
	}
	top := root.Content[0]
	if err := top.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", file, top.Line, err)
	}
	if len(doc.Stories) == 0 {
		return nil, fmt.Errorf("%s:%d: want a list under \"stories:\"", file, top.Line)
	}
	var out []Story
	var errs []string
	for _, n := range doc.Stories {
		s, err := parseStory(file, &n)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

type rawStory struct {
	Name     string      `yaml:"name"`
	Language string      `yaml:"language"`
	Now      string      `yaml:"now"`
	Turns    []yaml.Node `yaml:"turns"`
}

type rawTurn struct {
	Say     *string           `yaml:"say"`
	Press   *string           `yaml:"press"`
	Wait    string            `yaml:"wait"`
	Agent   *rawAgent         `yaml:"agent"`
	Reply   stringList        `yaml:"reply"`
	Not     stringList        `yaml:"not"`
	Buttons []string          `yaml:"buttons"`
	Flow    *string           `yaml:"flow"`
	Slots   map[string]string `yaml:"slots"`
	Handoff string            `yaml:"handoff"`
	Mode    string            `yaml:"mode"`
	Intent  string            `yaml:"intent"`
}

type rawAgent struct {
	Action string `yaml:"action"`
	Name   string `yaml:"name"`
	Text   string `yaml:"text"`
}

// stringList is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = []string{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

// strict decodes the mapping n into v, refusing unknown keys (a typo like
// "replly" must not pass silently) with the key's own line.
func strict(file string, n *yaml.Node, v any, known ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: want a mapping", file, n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			return fmt.Errorf("%s:%d: unknown key %q (known: %s)", file, k.Line, k.Value, strings.Join(known, ", "))
		}
	}
	if err := n.Decode(v); err != nil {
		return fmt.Errorf("%s:%d: %s", file, n.Line, cleanYAMLErr(err))
	}
	return nil
}

func parseStory(file string, n *yaml.Node) (Story, error) {
	pos := Pos{file, n.Line}
	var r rawStory
	if err := strict(file, n, &r, "name", "language", "now", "turns"); err != nil {
		return Story{}, err
	}
	s := Story{Name: r.Name, Language: r.Language, Pos: pos}
	if s.Name == "" {
		return s, fmt.Errorf("%s: a story needs a name", pos)
	}
	if r.Now != "" {
		t, err := time.Parse(time.RFC3339, r.Now)
		if err != nil {
			return s, fmt.Errorf("%s: %s: now: want a time like 2025-06-01T10:00:00+02:00", pos, s.Name)
		}
		s.Now = t
	}
	if len(r.Turns) == 0 {
		return s, fmt.Errorf("%s: %s: no turns", pos, s.Name)
	}
	for _, tn := range r.Turns {
		tp := Pos{file, tn.Line}
		var rt rawTurn
		if err := strict(file, &tn, &rt, "say", "press", "wait", "agent", "reply", "not", "buttons", "flow",
			"slots", "handoff", "mode", "intent"); err != nil {
			return s, fmt.Errorf("%s (story %s)", err, s.Name)
		}
		t := Turn{Reply: rt.Reply, Not: rt.Not, Buttons: rt.Buttons, Flow: rt.Flow, Slots: rt.Slots,
			Handoff: rt.Handoff, Mode: rt.Mode, Intent: rt.Intent, Pos: tp}
		actions := 0
		if rt.Say != nil {
			t.Say, actions = *rt.Say, actions+1
		}
		if rt.Press != nil {
			t.Press, actions = *rt.Press, actions+1
		}
		if rt.Wait != "" {
			d, err := time.ParseDuration(rt.Wait)
			if err != nil || d <= 0 {
				return s, fmt.Errorf("%s: %s: wait: want a duration like 30m or 2h", tp, s.Name)
			}
			t.Wait, actions = d, actions+1
		}
		if rt.Agent != nil {
			switch rt.Agent.Action {
			case "claim", "reply", "note", "release", "resolve":
			default:
				return s, fmt.Errorf("%s: %s: agent action %q: want claim, reply, note, release or resolve", tp, s.Name, rt.Agent.Action)
			}
			if rt.Agent.Name == "" {
				return s, fmt.Errorf("%s: %s: the agent needs a name", tp, s.Name)
			}
			t.Agent = &bot.AgentAction{Action: rt.Agent.Action, ID: "agent-" + rt.Agent.Name, Name: rt.Agent.Name, Text: rt.Agent.Text}
			actions++
		}
		if actions != 1 {
			return s, fmt.Errorf("%s: %s: a turn needs exactly one of say, press, wait or agent", tp, s.Name)
		}
		s.Turns = append(s.Turns, t)
	}
	return s, nil
}

// cleanYAMLErr drops the decoder's own line numbers, which count lines of
// the re-encoded node, not of the file.
func cleanYAMLErr(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	var parts []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.Index(l, ": "); strings.HasPrefix(l, "line ") && i > 0 {
			l = l[i+2:]
		}
		if l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

// ParseFiles reads every story file under the paths (files, or folders
// searched for *.yaml and *.yml).
func ParseFiles(fsys fs.FS, paths ...string) ([]Story, error) {
	var files []string
	for _, p := range paths {
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = fs.WalkDir(fsys, p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
	}
	var all []Story
	var errs []string
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		ss, err := Parse(f, data)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		all = append(all, ss...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return all, nil
}

// OSFS returns the file system for paths given on a command line: the
// root for absolute paths, the working directory otherwise.
func OSFS(path string) (fs.FS, string) {
	if filepath.IsAbs(path) {
		return os.DirFS("/"), strings.TrimPrefix(filepath.Clean(path), "/")
	}
	return os.DirFS("."), filepath.Clean(path)
}

// A Runner replays stories against a responder, each story in a fresh
// store and engine.
type Runner struct {
	Responder bot.Responder
	Texts     bot.Texts
	Language  string // the bot's default language
	// Teams tell the engine the teams' hours and timeouts.
	Teams bot.Teams
	// NewStore returns an empty store for one story.
	NewStore func(now func() time.Time) bot.Store
}

// Run replays s and returns its failures; none means it passed.
func (r *Runner) Run(ctx context.Context, s Story) []Failure {
	now := s.Now
	if now.IsZero() {
		now = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC) // a Monday morning
	}
	clk := bottest.NewClock(now)
	store := r.NewStore(clk.Now)
	queues, _ := store.(bot.Queues)
	e, err := bot.NewEngine(bot.Config{Store: store, Responder: r.Responder, Texts: r.Texts,
		Language: r.Language, Clock: clk, FloodLimit: 1 << 20, Teams: r.Teams, Queues: queues})
	if err != nil {
		return []Failure{{s.Name, s.Pos, err.Error()}}
	}
	const channel = "story"
	rec := &bottest.Channel{}
	e.SetChannel(channel, rec)
	e.SetDesk(bot.NewLocalDesk(e))
	addr := bot.Address{Channel: channel, ChatID: "customer"}

	var fails []Failure
	fail := func(t Turn, format string, args ...any) {
		fails = append(fails, Failure{s.Name, t.Pos, fmt.Sprintf(format, args...)})
	}
	var last []bot.Button
	for i, t := range s.Turns {
		switch {
		case t.Wait > 0:
			clk.Advance(t.Wait)
			e.FireTimers(ctx)
		case t.Agent != nil:
			clk.Advance(time.Second)
			m := bot.Message{ID: fmt.Sprintf("story-%d", i), Kind: bot.KindAgent, Address: addr, Time: clk.Now(), Agent: t.Agent}
			if err := e.Handle(ctx, m); err != nil {
				fail(t, "the engine failed: %v", err)
				return fails
			}
		default:
			clk.Advance(time.Second)
			m := bot.Message{ID: fmt.Sprintf("story-%d", i), Address: addr, Time: clk.Now(),
				Sender: bot.Sender{Name: "Story Customer", Language: s.Language}, Text: t.Say}
			if t.Press != "" {
				b, ok := pick(last, t.Press)
				if !ok {
					fail(t, "no button %q to press; the last buttons were %s", t.Press, titles(last))
					return fails
				}
				m.Text, m.Payload = b.Title, b.Payload
			}
			if err := e.Handle(ctx, m); err != nil {
				fail(t, "the engine failed: %v", err)
				return fails
			}
		}
		_ = e.Flush(ctx) // the desk's lines of this turn, sent in the background
		replies := rec.Replies()
		rec.Reset()
		for _, rp := range replies {
			if len(rp.Buttons) > 0 {
				last = rp.Buttons
			} else if !rp.System {
				last = nil
			}
		}
		before := len(fails)
		r.check(ctx, store, addr, t, replies, fail)
		if len(fails) > before {
			fails[len(fails)-1].Msg += "\n    the bot said:\n" + quote(replies)
		}
	}
	return fails
}

func (r *Runner) check(ctx context.Context, store bot.Store, addr bot.Address, t Turn, replies []bot.Reply, fail func(Turn, string, ...any)) {
	var all []string
	for _, rp := range replies {
		all = append(all, strings.ToLower(rp.Text))
	}
	joined := strings.Join(all, "\n")
	for _, want := range t.Reply {
		if !strings.Contains(joined, strings.ToLower(want)) {
			fail(t, "no reply contains %q", want)
		}
	}
	for _, not := range t.Not {
		if strings.Contains(joined, strings.ToLower(not)) {
			fail(t, "a reply contains %q, which it must not", not)
		}
	}
	if t.Buttons != nil {
		var got []string
		for i := len(replies) - 1; i >= 0; i-- {
			if len(replies[i].Buttons) > 0 {
				for _, b := range replies[i].Buttons {
					got = append(got, b.Title)
				}
				break
			}
		}
		if !slices.Equal(got, t.Buttons) {
			fail(t, "buttons are %s, want %s", titles2(got), titles2(t.Buttons))
		}
	}
	if t.Flow == nil && t.Slots == nil && t.Handoff == "" && t.Mode == "" && t.Intent == "" {
		return
	}
	s, err := store.Load(ctx, addr, "")
	if err != nil || s == nil {
		fail(t, "no session after the turn: %v", err)
		return
	}
	if t.Flow != nil && s.Flow != *t.Flow {
		fail(t, "the active flow is %q, want %q", s.Flow, *t.Flow)
	}
	for k, v := range t.Slots {
		if s.Slots[k] != v {
			fail(t, "slot %s = %q, want %q", k, s.Slots[k], v)
		}
	}
	if t.Mode != "" && string(s.EffectiveMode()) != t.Mode {
		fail(t, "mode is %s, want %s", s.EffectiveMode(), t.Mode)
	}
	if t.Handoff != "" {
		if s.Case == nil || s.EffectiveMode() == bot.ModeBot {
			fail(t, "no handoff, want one to %s", t.Handoff)
		} else if s.Case.Team != t.Handoff {
			fail(t, "handed off to %s, want %s", s.Case.Team, t.Handoff)
		}
	}
	if t.Intent != "" {
		ev, _ := store.Transcript(ctx, addr, 50)
		var got []string
		for i := len(ev) - 1; i >= 0 && ev[i].Type != bot.EventCustomer; i-- {
			if ev[i].Type == bot.EventIntent {
				got = append(got, ev[i].Intent)
			}
		}
		if !slices.Contains(got, t.Intent) {
			fail(t, "intent recorded %v, want %s", got, t.Intent)
		}
	}
}

// pick finds a button by title (case-insensitive) or by its number.
func pick(buttons []bot.Button, which string) (bot.Button, bool) {
	for _, b := range buttons {
		if strings.EqualFold(b.Title, which) {
			return b, true
		}
	}
	var n int
	if _, err := fmt.Sscanf(which, "%d", &n); err == nil && n >= 1 && n <= len(buttons) {
		return buttons[n-1], true
	}
	return bot.Button{}, false
}

func titles(bs []bot.Button) string {
	var t []string
	for _, b := range bs {
		t = append(t, b.Title)
	}
	return titles2(t)
}

func titles2(t []string) string {
	if len(t) == 0 {
		return "none"
	}
	return "[" + strings.Join(t, ", ") + "]"
}

func quote(replies []bot.Reply) string {
	if len(replies) == 0 {
		return "      (nothing)"
	}
	var b strings.Builder
	for _, r := range replies {
		fmt.Fprintf(&b, "      > %s", strings.ReplaceAll(r.Text, "\n", "\n        "))
		if len(r.Buttons) > 0 {
			b.WriteString("  " + titles(r.Buttons))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
