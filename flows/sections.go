package flows

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

func (l *loader) decodeIntents(d *decoder, n *yaml.Node) {
	d.fields(n, "intents", nil, func(name string, k, v *yaml.Node) {
		if _, ok := d.name(k, "intent name"); !ok || !l.define("intent", name, d.pos(k)) {
			return
		}
		in := &Intent{Name: name, Pos: d.pos(k)}
		what := "intent " + name
		d.fields(v, what, []string{"label", "examples", "cues", "also", "unless", "back", "flow", "faq", "reply", "handoff", "answer", "instead_of"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "cues":
				in.Cues = d.synonyms(v, "the cues of "+what)
				in.cues = cuePhrases(in.Cues)
			case "also":
				in.Also = d.synonyms(v, "the also cues of "+what)
				in.also = cuePhrases(in.Also)
			case "unless":
				in.Unless = d.synonyms(v, "the unless cues of "+what)
				in.unless = cuePhrases(in.Unless)
			case "back":
				in.Back = d.synonyms(v, "the back cues of "+what)
				in.back = cuePhrases(in.Back)
			case "answer":
				if a, ok := d.str(v, "the answer of "+what); ok {
					if a != AnswerDocuments {
						d.errorf(v, "the answer of %s should be %s, not %q", what, AnswerDocuments, clip(a))
					}
					in.Answer = a
				}
			case "instead_of":
				in.instead = true
				d.list(v, "instead_of of "+what, func(_ int, e *yaml.Node) {
					s, ok := d.str(e, "an item of instead_of of "+what)
					switch {
					case !ok:
					case !slices.Contains(insteadOf, s):
						d.errorf(e, "instead_of of %s: unknown %q, want one of %s", what, clip(s), strings.Join(insteadOf, ", "))
					case slices.Contains(in.InsteadOf, s):
						d.errorf(e, "instead_of of %s has %s twice", what, s)
					default:
						in.InsteadOf = append(in.InsteadOf, s)
					}
				})
			case "label":
				in.Label = d.textRef(v, "the label of "+what)
			case "examples":
				d.fields(v, "the examples of "+what, nil, func(lang string, k, v *yaml.Node) {
					d.list(v, fmt.Sprintf("the %s examples of %s", lang, what), func(_ int, e *yaml.Node) {
						if s, ok := d.str(e, "an example of "+what); ok {
							in.Examples = append(in.Examples, Example{Text: s, Lang: lang, Pos: d.pos(e)})
						}
					})
				})
			case "flow":
				in.Flow, _ = d.name(v, "the flow of "+what)
			case "faq":
				in.FAQ, _ = d.name(v, "the faq of "+what)
			case "reply":
				in.Reply = d.textRef(v, "the reply of "+what)
			case "handoff":
				in.Handoff, _ = d.boolean(v, "handoff of "+what)
			}
		})
		l.b.Intents = append(l.b.Intents, in)
		l.b.intents[name] = in
	})
}

// cuePhrases returns the phrases of cues per language in the " word
// word " form of the phrase index; an empty one is left to the validator.
func cuePhrases(cues map[string][]string) []string {
	var out []string
	for _, list := range cues {
		for _, c := range list {
			if p := cuePhrase(c); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// cuePhrase is cue normalised: " word word ", or, for a cue with a gap
// ("add ... to my order"), its two parts so written, joined by "...":
// " add ... to my order ". It is "" for a cue of no words, and for a gap
// without words on both sides or with more than one gap.
func cuePhrase(cue string) string {
	parts := strings.Split(cue, "...")
	if len(parts) > 2 {
		return ""
	}
	var out []string
	for _, part := range parts {
		w := words(part)
		if len(w) == 0 {
			return ""
		}
		out = append(out, strings.Join(w, " "))
	}
	return " " + strings.Join(out, " ... ") + " "
}

func (l *loader) decodeSlots(d *decoder, n *yaml.Node) {
	d.fields(n, "slots", nil, func(name string, k, v *yaml.Node) {
		if _, ok := d.name(k, "slot name"); !ok || !l.define("slot", name, d.pos(k)) {
			return
		}
		s := &Slot{Name: name, Pos: d.pos(k)}
		what := "slot " + name
		var typeNode *yaml.Node
		hasPattern := false
		d.fields(v, what, []string{"type", "label", "options", "pattern", "when", "min", "max", "remember", "cue"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "type":
				typeNode = v
				if t, ok := d.str(v, "the type of "+what); ok {
					s.Type = SlotType(t)
				}
			case "label":
				s.Label = d.textRef(v, "the label of "+what)
			case "options":
				d.fields(v, "the options of "+what, nil, func(value string, k, v *yaml.Node) {
					if _, ok := d.name(k, "option"); !ok {
						return
					}
					o := Option{Value: value, Pos: d.pos(k)}
					ow := fmt.Sprintf("option %s of %s", value, what)
					if r := d.resolve(v); r != nil && !(r.Kind == yaml.ScalarNode && r.Tag == "!!null") {
						d.fields(r, ow, []string{"label", "synonyms"}, func(key string, k, v *yaml.Node) {
							if key == "label" {
								o.Label = d.textRef(v, "the label of "+ow)
							} else {
								o.Synonyms = d.synonyms(v, ow)
							}
						})
					}
					s.Options = append(s.Options, o)
				})
			case "pattern":
				hasPattern = true
				if p, ok := d.str(v, "the pattern of "+what); ok {
					re, err := regexp.Compile(p)
					if err != nil {
						var se *syntax.Error
						msg := err.Error()
						if errors.As(err, &se) {
							msg = fmt.Sprintf("%s: %q", se.Code, se.Expr)
						}
						d.errorf(v, "bad pattern of %s: %s", what, msg)
					}
					s.Pattern = re
				}
			case "when":
				if w, ok := d.str(v, "when of "+what); ok {
					if w != "past" && w != "future" && w != "any" {
						d.errorf(v, "when of %s should be past, future or any, not %q", what, clip(w))
					}
					s.When = w
				}
			case "remember":
				if r, ok := d.str(v, "remember of "+what); ok {
					switch r {
					case "conversation":
						s.Remember = true
					case "flow":
					default:
						d.errorf(v, "remember of %s should be conversation or flow, not %q", what, clip(r))
					}
				}
			case "cue":
				if c, ok := d.str(v, "cue of "+what); ok {
					if c != cuePurchase && c != cueDelivery {
						d.errorf(v, "cue of %s should be purchase or delivery, not %q", what, clip(c))
					}
					s.Cue = c
				}
			case "min":
				s.Min, _ = d.integer(v, "min of "+what)
			case "max":
				s.Max, _ = d.integer(v, "max of "+what)
			}
		})
		if typeNode == nil {
			l.errs.add(s.Pos, "%s has no type: want one of %s", what, strings.Join(slotTypes, ", "))
		} else if !containsStr(slotTypes, string(s.Type)) && s.Type != "" {
			d.errorf(typeNode, "unknown type %q of %s: want one of %s%s", s.Type, what, strings.Join(slotTypes, ", "), suggest(string(s.Type), slotTypes))
			s.Type = ""
		}
		if hasPattern && s.Pattern == nil {
			s.Pattern = regexp.MustCompile(`^$`) // reported above
		}
		l.b.Slots[name] = s
	})
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (l *loader) decodeFlows(d *decoder, n *yaml.Node) {
	d.fields(n, "flows", nil, func(name string, k, v *yaml.Node) {
		if _, ok := d.name(k, "flow name"); !ok || !l.define("flow", name, d.pos(k)) {
			return
		}
		f := &Flow{Name: name, Pos: d.pos(k)}
		what := "flow " + name
		hasSteps := false
		d.fields(v, what, []string{"label", "team", "steps"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "label":
				f.Label = d.textRef(v, "the label of "+what)
			case "team":
				f.Team, _ = d.name(v, "the team of "+what)
			case "steps":
				hasSteps = true
				d.list(v, "the steps of "+what, func(i int, v *yaml.Node) {
					if st := l.decodeStep(d, v, fmt.Sprintf("step %d of %s", i+1, what)); st != nil {
						if st.ID == "" {
							st.ID = "#" + strconv.Itoa(i+1)
						}
						f.Steps = append(f.Steps, st)
					}
				})
			}
		})
		if !hasSteps {
			l.errs.add(f.Pos, "%s has no steps", what)
		}
		l.b.Flows[name] = f
	})
}

// stepKeys are the keys each kind of step accepts beside its own.
var stepKeys = map[StepKind][]string{
	StepSay:     {"buttons"},
	StepAsk:     {"prompt", "retry", "max_retries", "prefill", "optional", "unknown"},
	StepBranch:  {},
	StepAction:  {"with"},
	StepHandoff: {"say", "reason", "summary"},
	StepGoto:    {},
	StepFlow:    {},
	StepEnd:     {},
}

func (l *loader) decodeStep(d *decoder, n *yaml.Node, what string) *Step {
	n = d.resolve(n)
	if n == nil {
		return nil
	}
	st := &Step{Pos: d.pos(n), MaxRetries: 1, Prefill: true}
	if n.Kind == yaml.ScalarNode && n.Value == "end" {
		st.Kind = StepEnd
		return st
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s should be a mapping like {say: ...} or {ask: ...}, or end, not %s", what, describe(n))
		return nil
	}
	// The kind is the one key naming a step kind; a handoff may also say.
	var kinds []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; containsStr(stepKinds, k) {
			kinds = append(kinds, k)
		}
	}
	if containsStr(kinds, "handoff") {
		kinds = []string{"handoff"}
	}
	switch len(kinds) {
	case 0:
		d.errorf(n, "%s does nothing: give it one of %s", what, strings.Join(stepKinds, ", "))
		var all []string
		all = append(all, stepKinds...)
		all = append(all, "id")
		d.fields(n, what, all, func(string, *yaml.Node, *yaml.Node) {})
		return nil
	case 1:
	default:
		d.errorf(n, "%s has %s: write one per step", what, strings.Join(kinds, " and "))
		return nil
	}
	st.Kind = StepKind(kinds[0])
	known := append([]string{kinds[0], "id"}, stepKeys[st.Kind]...)
	d.fields(n, fmt.Sprintf("%s (%s)", what, st.Kind), known, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			st.ID, _ = d.name(v, "the id of "+what)
		case "say":
			st.Say = d.textRef(v, "the text of "+what)
		case "buttons":
			st.Buttons = l.decodeButtons(d, v, what)
		case "ask":
			st.Slot, _ = d.name(v, "the slot of "+what)
		case "prompt":
			st.Prompt = d.textRef(v, "the prompt of "+what)
		case "retry":
			st.Retry = d.textRef(v, "the retry of "+what)
		case "max_retries":
			if r, ok := d.integer(v, "max_retries of "+what); ok {
				if r < 0 || r > 10 {
					d.errorf(v, "max_retries of %s should be between 0 and 10", what)
				}
				st.MaxRetries = r
			}
		case "prefill":
			st.Prefill, _ = d.boolean(v, "prefill of "+what)
		case "optional":
			st.Optional, _ = d.boolean(v, "optional of "+what)
		case "unknown":
			if u, ok := d.str(v, "unknown of "+what); ok {
				if u != UnknownSkip && u != UnknownHuman {
					d.errorf(v, "unknown of %s should be skip or human, not %q", what, clip(u))
				}
				st.Unknown = u
			}
		case "branch":
			d.list(v, "the cases of "+what, func(i int, v *yaml.Node) {
				st.Cases = append(st.Cases, l.decodeCase(d, v, fmt.Sprintf("case %d of %s", i+1, what)))
			})
			if len(st.Cases) == 0 {
				d.errorf(v, "%s has no cases", what)
			}
		case "action":
			st.Action, _ = d.name(v, "the action of "+what)
		case "with":
			st.With = map[string]string{}
			d.fields(v, "with of "+what, nil, func(arg string, k, v *yaml.Node) {
				st.With[arg], _ = d.name(v, fmt.Sprintf("argument %s of %s", arg, what))
			})
		case "handoff":
			st.Team, _ = d.name(v, "the team of "+what)
		case "reason":
			if r := d.resolve(v); r != nil && r.Kind == yaml.MappingNode {
				st.Reasons = d.langTexts(r, "the reason of "+what)
			} else {
				st.Reason, _ = d.str(v, "the reason of "+what)
			}
		case "summary":
			if r := d.resolve(v); r != nil && r.Kind == yaml.MappingNode {
				st.Summaries = map[string][]string{}
				d.fields(r, "the summary of "+what, nil, func(lang string, k, v *yaml.Node) {
					st.Summaries[lang] = d.strs(v, fmt.Sprintf("the %s summary of %s", lang, what))
				})
			} else {
				st.Summary = d.strs(v, "the summary of "+what)
			}
		case "goto":
			st.Goto, _ = d.name(v, "the target of "+what)
		case "flow":
			st.Flow, _ = d.name(v, "the flow of "+what)
		case "end":
		}
	})
	if st.Kind == StepAsk {
		if st.Prompt.IsZero() {
			d.errorf(n, "%s asks for %s without a prompt", what, st.Slot)
		}
	}
	if st.Kind == StepSay && st.Say.IsZero() {
		d.errorf(n, "%s says nothing", what)
	}
	return st
}

func (l *loader) decodeCase(d *decoder, n *yaml.Node, what string) BranchCase {
	c := BranchCase{Pos: d.pos(n)}
	var hasIf, hasGoto, hasElse bool
	d.fields(n, what, []string{"if", "goto", "else"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "if":
			hasIf = true
			s, ok := d.str(v, "the condition of "+what)
			if !ok {
				return
			}
			cond, err := ParseCond(s)
			if err != nil {
				pos := d.pos(v)
				var ce *condError
				if errors.As(err, &ce) && v.Line == d.pos(v).Line && (v.Style == 0 || v.Style == yaml.DoubleQuotedStyle || v.Style == yaml.SingleQuotedStyle) {
					pos.Col += ce.off
					if v.Style != 0 {
						pos.Col++
					}
				}
				l.errs.add(pos, "bad condition of %s: %v", what, err)
				return
			}
			c.Cond = cond
		case "goto":
			hasGoto = true
			c.Goto, _ = d.name(v, "the target of "+what)
		case "else":
			hasElse = true
			c.Goto, _ = d.name(v, "the target of "+what)
		}
	})
	switch {
	case hasElse && (hasIf || hasGoto):
		d.errorf(n, "%s mixes else with if/goto: write {else: step} alone", what)
	case hasIf && !hasGoto:
		d.errorf(n, "%s has a condition but no goto", what)
	case hasGoto && !hasIf:
		d.errorf(n, "%s has a goto but no condition: write {else: step} for the default", what)
	}
	return c
}

func (l *loader) decodeButtons(d *decoder, n *yaml.Node, what string) []ButtonSpec {
	var bs []ButtonSpec
	d.list(n, "the buttons of "+what, func(i int, v *yaml.Node) {
		b := ButtonSpec{Pos: d.pos(v)}
		bw := fmt.Sprintf("button %d of %s", i+1, what)
		d.fields(v, bw, []string{"title", "intent"}, func(key string, k, v *yaml.Node) {
			if key == "title" {
				b.Title = d.textRef(v, "the title of "+bw)
			} else {
				b.Intent, _ = d.name(v, "the intent of "+bw)
			}
		})
		if b.Title.IsZero() || b.Intent == "" {
			d.errorf(v, "%s needs a title and an intent", bw)
		}
		bs = append(bs, b)
	})
	return bs
}

func (l *loader) decodeCatalogue(d *decoder, n *yaml.Node) {
	d.fields(n, "catalogue", []string{"warranty", "withdrawal_days", "categories", "products"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "withdrawal_days":
			if l.define("setting", "catalogue withdrawal_days", d.pos(k)) {
				if n, ok := d.integer(v, "withdrawal_days of the catalogue"); ok {
					if n < 1 || n > 365 {
						d.errorf(v, "withdrawal_days of the catalogue should be between 1 and 365 days")
					}
					l.b.WithdrawalDays = n
				}
			}
		case "warranty":
			if l.define("setting", "catalogue warranty", d.pos(k)) {
				l.defaultWarranty = l.decodeWarranty(d, v, "the catalogue's warranty", l.defaultWarranty)
			}
		case "categories":
			d.fields(v, "categories", nil, func(id string, k, v *yaml.Node) {
				if _, ok := d.name(k, "category"); !ok || !l.define("category", id, d.pos(k)) {
					return
				}
				c := &Category{ID: id, Pos: d.pos(k)}
				what := "category " + id
				d.fields(v, what, []string{"name", "synonyms", "kinds"}, func(key string, k, v *yaml.Node) {
					switch key {
					case "name":
						c.Name = d.textRef(v, "the name of "+what)
					case "synonyms":
						c.Synonyms = d.synonyms(v, what)
					case "kinds":
						c.Kinds = map[string]map[string][]string{}
						d.fields(v, "the kinds of "+what, nil, func(kind string, k, v *yaml.Node) {
							if _, ok := d.name(k, "kind"); ok {
								c.Kinds[kind] = d.synonyms(v, "kind "+kind+" of "+what)
							}
						})
					}
				})
				// A kind's words name its category too: written once, the
				// kinds in order, so that two loads of a file are alike.
				for _, kind := range slices.Sorted(maps.Keys(c.Kinds)) {
					for lang, w := range c.Kinds[kind] {
						if c.Synonyms == nil {
							c.Synonyms = map[string][]string{}
						}
						c.Synonyms[lang] = append(c.Synonyms[lang], w...)
					}
				}
				l.b.Categories = append(l.b.Categories, c)
				l.b.categories[id] = c
			})
		case "products":
			d.fields(v, "products", nil, func(id string, k, v *yaml.Node) {
				if _, ok := d.name(k, "product id"); !ok || !l.define("product", id, d.pos(k)) {
					return
				}
				p := &Product{ID: id, Pos: d.pos(k), Warranty: Warranty{-1, -1, -1}}
				what := "product " + id
				d.fields(v, what, []string{"name", "category", "kind", "synonyms", "warranty"}, func(key string, k, v *yaml.Node) {
					switch key {
					case "name":
						p.Name, _ = d.str(v, "the name of "+what)
					case "category":
						p.Category, _ = d.name(v, "the category of "+what)
					case "kind":
						p.Kind, _ = d.name(v, "the kind of "+what)
						p.KindPos = d.pos(v)
					case "synonyms":
						p.Synonyms = d.synonyms(v, what)
					case "warranty":
						p.Warranty = l.decodeWarranty(d, v, "the warranty of "+what, p.Warranty)
					}
				})
				if strings.TrimSpace(p.Name) == "" {
					l.errs.add(p.Pos, "%s has no name", what)
				}
				l.b.Products = append(l.b.Products, p)
				l.b.products[id] = p
			})
		}
	})
}

func (l *loader) decodeWarranty(d *decoder, n *yaml.Node, what string, w Warranty) Warranty {
	d.fields(n, what, []string{"consumer", "business", "extended"}, func(key string, k, v *yaml.Node) {
		m, ok := d.integer(v, fmt.Sprintf("%s months of %s", key, what))
		if !ok {
			return
		}
		if m < 0 || m > 240 {
			d.errorf(v, "%s months of %s should be between 0 and 240", key, what)
			return
		}
		switch key {
		case "consumer":
			w.Consumer = m
		case "business":
			w.Business = m
		case "extended":
			w.Extended = m
		}
	})
	return w
}

func (l *loader) decodeFAQ(d *decoder, n *yaml.Node) {
	d.fields(n, "faq", nil, func(id string, k, v *yaml.Node) {
		if _, ok := d.name(k, "faq id"); !ok || !l.define("faq", id, d.pos(k)) {
			return
		}
		f := &FAQ{ID: id, Pos: d.pos(k)}
		what := "faq " + id
		d.fields(v, what, []string{"answer", "buttons"}, func(key string, k, v *yaml.Node) {
			if key == "answer" {
				f.Answer = d.textRef(v, "the answer of "+what)
			} else {
				f.Buttons = l.decodeButtons(d, v, what)
			}
		})
		if f.Answer.IsZero() {
			l.errs.add(f.Pos, "%s has no answer", what)
		}
		l.b.FAQ[id] = f
	})
}

func (l *loader) decodeTeams(d *decoder, n *yaml.Node) {
	d.fields(n, "teams", nil, func(id string, k, v *yaml.Node) {
		if _, ok := d.name(k, "team"); !ok || !l.define("team", id, d.pos(k)) {
			return
		}
		t := &Team{ID: id, Pos: d.pos(k)}
		what := "team " + id
		d.fields(v, what, []string{"name", "hours", "timeout", "language"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "language":
				t.Language, _ = d.str(v, "the language of "+what)
				t.languagePos = d.pos(v)
			case "name":
				t.Name = d.textRef(v, "the name of "+what)
			case "hours":
				t.Hours, _ = d.name(v, "the hours of "+what)
			case "timeout":
				if m, ok := d.integer(v, "the timeout of "+what+" in minutes"); ok {
					if m < 0 {
						d.errorf(v, "the timeout of %s should not be negative", what)
					}
					t.Timeout = time.Duration(m) * time.Minute
				}
			}
		})
		l.b.Teams[id] = t
		l.teamOrder = append(l.teamOrder, id)
	})
}

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func (l *loader) decodeHours(d *decoder, n *yaml.Node) {
	d.fields(n, "hours", nil, func(id string, k, v *yaml.Node) {
		if _, ok := d.name(k, "hours name"); !ok || !l.define("hours", id, d.pos(k)) {
			return
		}
		h := &Hours{ID: id, Pos: d.pos(k), Location: time.UTC}
		what := "hours " + id
		hasTZ := false
		d.fields(v, what, []string{"timezone", "weekly", "holidays"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "timezone":
				hasTZ = true
				if tz, ok := d.str(v, "the timezone of "+what); ok {
					loc, err := time.LoadLocation(tz)
					if err != nil || tz == "" || tz == "Local" {
						d.errorf(v, "unknown timezone %q of %s: write a name like Europe/Rome", clip(tz), what)
						return
					}
					h.Location = loc
				}
			case "weekly":
				d.fields(v, "weekly of "+what, weekdays, func(day string, k, v *yaml.Node) {
					wd := indexOf(weekdays, day)
					for _, r := range d.strs(v, fmt.Sprintf("the %s hours of %s", day, what)) {
						if r == "closed" {
							continue
						}
						sp, ok := parseSpan(r)
						if !ok {
							d.errorf(v, "bad range %q on %s of %s: write it like 09:00-13:00", clip(r), day, what)
							continue
						}
						h.Weekly[wd] = append(h.Weekly[wd], sp)
					}
				})
			case "holidays":
				for _, s := range d.strs(v, "the holidays of "+what) {
					hd, ok := parseHoliday(s)
					if !ok {
						d.errorf(v, "bad holiday %q of %s: write 2025-04-21 for one day or 12-25 for every year", clip(s), what)
						continue
					}
					h.Holidays = append(h.Holidays, hd)
				}
			}
		})
		if !hasTZ {
			l.errs.add(h.Pos, "%s has no timezone (like Europe/Rome)", what)
		}
		l.b.Hours[id] = h
	})
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// parseSpan parses "09:00-13:00"; "24:00" ends a day.
func parseSpan(s string) (span, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return span{}, false
	}
	from, ok1 := parseClock(a)
	to, ok2 := parseClock(b)
	if !ok1 || !ok2 || to <= from {
		return span{}, false
	}
	return span{from, to}, true
}

func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(m) != 2 || len(h) == 0 || len(h) > 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// parseHoliday parses "2025-04-21" (one day) or "12-25" (every year).
func parseHoliday(s string) (holiday, bool) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return holiday{t.Year(), int(t.Month()), t.Day()}, true
	}
	if t, err := time.Parse("01-02", s); err == nil {
		return holiday{0, int(t.Month()), t.Day()}, true
	}
	return holiday{}, false
}
