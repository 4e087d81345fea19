package story

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/bot"
)

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
		Strict  bool        `yaml:"strict"`
		Stories []yaml.Node `yaml:"stories"`
	}
	top := root.Content[0]
	if err := top.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s:%d: %s", file, top.Line, cleanYAMLErr(err))
	}
	if len(doc.Stories) == 0 {
		return nil, fmt.Errorf("%s:%d: want a list under \"stories:\"", file, top.Line)
	}
	if err := knownKeys(file, top, "stories", "strict"); err != nil {
		return nil, err
	}
	var out []Story
	var errs []string
	for _, n := range doc.Stories {
		s, err := parseStory(file, &n)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		s.Strict = doc.Strict
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

type rawStory struct {
	Name      string      `yaml:"name"`
	Language  string      `yaml:"language"`
	Now       string      `yaml:"now"`
	Tags      stringList  `yaml:"tags"`
	NeverAsks stringList  `yaml:"never_asks"`
	Expect    yaml.Node   `yaml:"expect"`
	Turns     []yaml.Node `yaml:"turns"`
}

type rawTurn struct {
	Say       *string           `yaml:"say"`
	Press     *string           `yaml:"press"`
	Wait      string            `yaml:"wait"`
	Agent     *rawAgent         `yaml:"agent"`
	Reply     stringList        `yaml:"reply"`
	Not       stringList        `yaml:"not"`
	Buttons   []string          `yaml:"buttons"`
	Flow      *string           `yaml:"flow"`
	Slots     map[string]string `yaml:"slots"`
	Handoff   string            `yaml:"handoff"`
	Mode      string            `yaml:"mode"`
	Intent    string            `yaml:"intent"`
	NotIntent stringList        `yaml:"not_intent"`
	Asks      string            `yaml:"asks"`
	NotAsks   stringList        `yaml:"not_asks"`
	Reask     stringList        `yaml:"reask"`
	Lang      string            `yaml:"lang"`
}

type rawAgent struct {
	Action string `yaml:"action"`
	Name   string `yaml:"name"`
	Text   string `yaml:"text"`
}

type rawExpect struct {
	Team     string            `yaml:"team"`
	Warranty string            `yaml:"warranty"`
	Return   string            `yaml:"return"`
	Case     map[string]string `yaml:"case"`
	FAQ      *stringList       `yaml:"faq"`
	Flows    *stringList       `yaml:"flows"`
	Language string            `yaml:"language"`
}

// The values expect may name for the verdicts of the built-in actions.
var (
	warrantyVerdicts = []string{"covered", "expired", "unknown", "damage", "none"}
	returnDecisions  = []string{"open", "closed", "none"}
)

// stringList is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = []string{n.Value}
		return nil
	}
	s := []string{} // [] is an empty list, not a missing one
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

// strict decodes the mapping n into v, refusing unknown keys (a typo like
// "replly" must not pass silently) with the key's own line.
func strict(file string, n *yaml.Node, v any, known ...string) error {
	if err := knownKeys(file, n, known...); err != nil {
		return err
	}
	if err := n.Decode(v); err != nil {
		return fmt.Errorf("%s:%d: %s", file, n.Line, cleanYAMLErr(err))
	}
	return nil
}

// knownKeys refuses a key of the mapping n that is not one of known.
func knownKeys(file string, n *yaml.Node, known ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: want a mapping", file, n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			return fmt.Errorf("%s:%d: unknown key %q (known: %s)", file, k.Line, k.Value, strings.Join(known, ", "))
		}
	}
	return nil
}

// keyLine returns the line of key in the mapping n, or n's own line.
func keyLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

// nameRe is the form of the names a story refers to: slots, flows,
// teams, FAQ entries, tags (the flow file's own rule).
var nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// langRe is a two-letter language code.
var langRe = regexp.MustCompile(`^[a-z]{2}$`)

func parseStory(file string, n *yaml.Node) (Story, error) {
	pos := Pos{file, n.Line}
	var r rawStory
	if err := strict(file, n, &r, "name", "language", "now", "tags", "never_asks", "expect", "turns"); err != nil {
		return Story{}, err
	}
	s := Story{Name: r.Name, Language: r.Language, Tags: r.Tags, NeverAsks: r.NeverAsks, Pos: pos}
	if s.Name == "" {
		return s, fmt.Errorf("%s: a story needs a name", pos)
	}
	at := func(key string) Pos { return Pos{file, keyLine(n, key)} }
	if s.Language != "" && !langRe.MatchString(s.Language) {
		return s, fmt.Errorf("%s: %s: language: want a two-letter code like it or en", at("language"), s.Name)
	}
	if r.Now != "" {
		t, err := time.Parse(time.RFC3339, r.Now)
		if err != nil {
			return s, fmt.Errorf("%s: %s: now: want a time like 2025-06-01T10:00:00+02:00", pos, s.Name)
		}
		s.Now = t
	}
	for _, tag := range s.Tags {
		if !nameRe.MatchString(tag) {
			return s, fmt.Errorf("%s: %s: tag %q: want a lower-case name", at("tags"), s.Name, tag)
		}
	}
	for _, slot := range s.NeverAsks {
		if !nameRe.MatchString(slot) {
			return s, fmt.Errorf("%s: %s: never_asks: %q is not a name", at("never_asks"), s.Name, slot)
		}
	}
	if len(r.Turns) == 0 {
		return s, fmt.Errorf("%s: %s: no turns", pos, s.Name)
	}
	for _, tn := range r.Turns {
		t, err := parseTurn(file, s.Name, &tn)
		if err != nil {
			return s, err
		}
		s.Turns = append(s.Turns, t)
	}
	if r.Expect.Kind != 0 {
		e, err := parseExpect(file, s.Name, &r.Expect)
		if err != nil {
			return s, err
		}
		s.Expect = e
	}
	return s, nil
}

func parseTurn(file, story string, n *yaml.Node) (Turn, error) {
	tp := Pos{file, n.Line}
	var rt rawTurn
	if err := strict(file, n, &rt, "say", "press", "wait", "agent", "reply", "not", "buttons", "flow",
		"slots", "handoff", "mode", "intent", "not_intent", "asks", "not_asks", "reask", "lang"); err != nil {
		return Turn{}, fmt.Errorf("%s (story %s)", err, story)
	}
	t := Turn{Reply: rt.Reply, Not: rt.Not, Buttons: rt.Buttons, Flow: rt.Flow, Slots: rt.Slots,
		Handoff: rt.Handoff, Mode: rt.Mode, Intent: rt.Intent, NotIntent: rt.NotIntent,
		Asks: rt.Asks, NotAsks: rt.NotAsks, Reask: rt.Reask, Lang: rt.Lang, Pos: tp}
	at := func(key string) Pos { return Pos{file, keyLine(n, key)} }
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
			return t, fmt.Errorf("%s: %s: wait: want a duration like 30m or 2h", tp, story)
		}
		t.Wait, actions = d, actions+1
	}
	if rt.Agent != nil {
		switch rt.Agent.Action {
		case "claim", "reply", "note", "release", "resolve":
		default:
			return t, fmt.Errorf("%s: %s: agent action %q: want claim, reply, note, release or resolve", tp, story, rt.Agent.Action)
		}
		if rt.Agent.Name == "" {
			return t, fmt.Errorf("%s: %s: the agent needs a name", tp, story)
		}
		t.Agent = &bot.AgentAction{Action: rt.Agent.Action, ID: "agent-" + rt.Agent.Name, Name: rt.Agent.Name, Text: rt.Agent.Text}
		actions++
	}
	if actions != 1 {
		return t, fmt.Errorf("%s: %s: a turn needs exactly one of say, press, wait or agent", tp, story)
	}
	if t.Asks != "" && !nameRe.MatchString(t.Asks) {
		return t, fmt.Errorf("%s: %s: asks: want a slot name or none", at("asks"), story)
	}
	for key, names := range map[string][]string{"not_asks": t.NotAsks, "reask": t.Reask, "not_intent": t.NotIntent} {
		for _, name := range names {
			if !nameRe.MatchString(name) {
				return t, fmt.Errorf("%s: %s: %s: %q is not a name", at(key), story, key, name)
			}
		}
	}
	if t.Lang != "" && !langRe.MatchString(t.Lang) {
		return t, fmt.Errorf("%s: %s: lang: want a two-letter code like it or en", at("lang"), story)
	}
	if (t.Lang != "" || t.Asks != "" || t.NotAsks != nil || t.Reask != nil) && t.Say == "" && t.Press == "" {
		return t, fmt.Errorf("%s: %s: lang, asks, not_asks and reask go with a say or press turn", tp, story)
	}
	return t, nil
}

func parseExpect(file, story string, n *yaml.Node) (*Expect, error) {
	var r rawExpect
	if err := strict(file, n, &r, "team", "warranty", "return", "case", "faq", "flows", "language"); err != nil {
		return nil, fmt.Errorf("%s (story %s)", err, story)
	}
	at := func(key string) Pos { return Pos{file, keyLine(n, key)} }
	e := &Expect{Team: r.Team, Warranty: r.Warranty, Return: r.Return, Case: r.Case, Language: r.Language, Pos: Pos{file, n.Line}}
	if e.Team != "" && !nameRe.MatchString(e.Team) {
		return nil, fmt.Errorf("%s: %s: expect team: want a team's name or none", at("team"), story)
	}
	if e.Warranty != "" && !slices.Contains(warrantyVerdicts, e.Warranty) {
		return nil, fmt.Errorf("%s: %s: expect warranty %q: want %s", at("warranty"), story, e.Warranty, strings.Join(warrantyVerdicts, ", "))
	}
	if e.Return != "" && !slices.Contains(returnDecisions, e.Return) {
		return nil, fmt.Errorf("%s: %s: expect return %q: want %s", at("return"), story, e.Return, strings.Join(returnDecisions, ", "))
	}
	if e.Language != "" && !langRe.MatchString(e.Language) {
		return nil, fmt.Errorf("%s: %s: expect language: want a two-letter code like it or en", at("language"), story)
	}
	for k, v := range e.Case {
		if !nameRe.MatchString(k) || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%s: %s: expect case: want slot: value pairs, got %q: %q", at("case"), story, k, v)
		}
	}
	if r.FAQ != nil {
		e.FAQ = []string(*r.FAQ)
	}
	if r.Flows != nil {
		e.Flows = []string(*r.Flows)
	}
	for key, names := range map[string][]string{"faq": e.FAQ, "flows": e.Flows} {
		for _, name := range names {
			if !nameRe.MatchString(name) {
				return nil, fmt.Errorf("%s: %s: expect %s: %q is not a name", at(key), story, key, name)
			}
		}
	}
	return e, nil
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
