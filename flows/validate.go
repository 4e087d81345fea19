package flows

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/bot"
)

// Output slots of the built-in actions: set by the action, never asked.
var actionOutputs = map[string][]string{
	"warranty_check": {"warranty", "warranty_until", "warranty_months", "warranty_reason"},
	"return_check":   {"return", "return_until", "return_days", "return_note"},
	"order_lookup": {"order", "order_status", "order_placed", "order_shipped", "order_expected", "order_delivered",
		"order_delivered_days", "order_late", "order_carrier", "order_tracking", "order_items", "order_product",
		"order_total", "order_note"},
}

// actionArgs are the arguments each action takes in with:, and the slot
// each reads when with: leaves it out.
var actionArgs = map[string]map[string]string{
	"warranty_check": {"product": "product", "date": "purchase_date", "buyer": "buyer", "category": "category", "damage": "damage"},
	"return_check":   {"date": "delivery_date"},
	// order_lookup reads number and proof; it fills product,
	// purchase_date and delivery_date from the order, and reads category
	// to tell whether the order is about the customer's product.
	"order_lookup": {"number": "order_number", "proof": "order_proof", "product": "product", "category": "category",
		"purchase_date": "purchase_date", "delivery_date": "delivery_date"},
}

// optionalArgs are the arguments an action does without when the flow
// file has no such slot.
var optionalArgs = map[string][]string{
	"warranty_check": {"category", "damage"},
	"order_lookup":   {"product", "category", "purchase_date", "delivery_date"},
}

var actionNames = []string{"warranty_check", "return_check", "order_lookup"}

// finish validates the whole bot once every file is decoded, and trains
// its classifier.
func (l *loader) finish() (*Bot, error) {
	b := l.b
	if !l.seen && len(l.errs) == 0 {
		l.errs.add(Pos{File: "flow file", Line: 1, Col: 1}, "the flow file is empty")
	}
	if len(l.errs) == 0 || l.seen {
		l.validate()
	}
	if len(l.errs) > 0 {
		return nil, l.errs.sort()
	}
	b.prepare()
	b.cueIndex = b.indexCues()
	b.sortedSlots = keysOf(b.Slots)
	b.buildKnowledge(l.knowledge)
	if err := b.train(); err != nil {
		return nil, fmt.Errorf("flows: train the intent classifier: %w", err)
	}
	b.speller = b.indexSpelling()
	return b, nil
}

func (l *loader) validate() {
	b := l.b
	v := &validator{l: l, b: b}
	v.settings()
	v.outputs()
	v.texts()
	v.catalogue()
	v.slots()
	v.teams()
	v.flows()
	v.faq()
	v.intents()
	v.reachable()
}

type validator struct {
	l *loader
	b *Bot
}

func (v *validator) errorf(pos Pos, format string, args ...any) { v.l.errs.add(pos, format, args...) }

func (v *validator) settings() {
	b := v.b
	first := Pos{File: "flow file", Line: 1, Col: 1}
	for _, p := range v.l.defined {
		if first.File == "flow file" || p.File < first.File {
			first = Pos{File: p.File, Line: 1, Col: 1}
		}
	}
	if b.Name == "" {
		v.errorf(first, "the flow file has no name: add name: with the shop's name")
	}
	if len(b.Languages) == 0 {
		v.errorf(first, "the flow file has no languages: add languages: [it, en]")
		b.Languages = []string{"en"}
	}
	if b.DefaultLanguage == "" {
		b.DefaultLanguage = b.Languages[0]
	} else if !slices.Contains(b.Languages, b.DefaultLanguage) {
		v.errorf(v.l.defined["pos\x00default_language"], "default_language %q is not one of the languages %v", b.DefaultLanguage, b.Languages)
	}
	if b.Threshold == 0 {
		b.Threshold = 0
	}
	if b.Margin == 0 {
		b.Margin = DefaultMargin
	}
	// Built-in texts must speak every language of the bot.
	for _, lang := range b.Languages {
		var missing []string
		for key := range builtinTexts {
			if _, ok := builtinTexts[key][lang]; ok {
				continue
			}
			if _, ok := b.Texts[key][lang]; !ok {
				missing = append(missing, key)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			v.errorf(v.l.langsPos, "the built-in texts have no %q translation: add it under texts: for %s", lang, strings.Join(missing, ", "))
		}
	}
}

// outputs adds the output slots of the actions the flows use.
func (v *validator) outputs() {
	for _, f := range v.b.Flows {
		for _, st := range f.Steps {
			if st.Kind != StepAction {
				continue
			}
			for _, name := range actionOutputs[st.Action] {
				if s, ok := v.b.Slots[name]; ok && s.Type != slotOutput {
					v.errorf(s.Pos, "slot %q is set by action %s: give your slot another name", name, st.Action)
					continue
				}
				s := &Slot{Name: name, Type: slotOutput}
				switch name {
				case "warranty":
					s.values = []string{WarrantyCovered, WarrantyExpired, WarrantyUnknown, WarrantyDamage}
				case "return":
					s.values = []string{ReturnOpen, ReturnClosed, ReturnUnknown}
				case "order":
					s.values = orderOutcomes
				case "order_status":
					s.values = make([]string, len(bot.OrderStatuses))
					for i, st := range bot.OrderStatuses {
						s.values[i] = string(st)
					}
				case "order_late":
					s.values = []string{"yes", "no"}
				}
				v.b.Slots[name] = s
			}
		}
	}
}

// known reports whether name may appear in {placeholders}.
func (v *validator) known(name string) bool {
	if _, ok := v.b.Slots[name]; ok {
		return true
	}
	for _, outs := range actionOutputs {
		if slices.Contains(outs, name) {
			return true
		}
	}
	return slices.Contains(builtinVars, name)
}

func (v *validator) texts() {
	for key, t := range v.b.Texts {
		v.translations(t, v.l.langTextPos[key], "text "+key)
	}
}

// translations checks that t speaks exactly the bot's languages and uses
// only known placeholders.
func (v *validator) translations(t Text, pos Pos, what string) {
	for _, lang := range v.b.Languages {
		if s, ok := t[lang]; !ok || strings.TrimSpace(s) == "" {
			v.errorf(pos, "%s has no %s translation", what, lang)
		}
	}
	langs := make([]string, 0, len(t))
	for lang := range t {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		if !slices.Contains(v.b.Languages, lang) {
			v.errorf(pos, "%s has language %q, which is not in languages %v", what, lang, v.b.Languages)
		}
		for _, p := range placeholders(t[lang]) {
			if !v.known(p) {
				v.errorf(pos, "%s uses {%s}, which is not a slot%s", what, p, suggest(p, v.slotNames()))
			}
		}
	}
}

func (v *validator) slotNames() []string {
	names := make([]string, 0, len(v.b.Slots))
	for n := range v.b.Slots {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ref resolves a text reference: a key of texts: or a built-in text, a
// text in place, or (for a one-language bot) a plain sentence.
func (v *validator) ref(r *TextRef, what string) {
	if r.IsZero() {
		return
	}
	if r.Text != nil {
		v.translations(r.Text, r.Pos, what)
		return
	}
	if t, ok := v.b.Texts[r.Key]; ok {
		r.Text = t
		return
	}
	if isBuiltinText(r.Key) {
		r.Text = Text{}
		for _, lang := range v.b.Languages {
			r.Text[lang] = v.b.text(r.Key, lang)
		}
		return
	}
	if len(v.b.Languages) == 1 && !isName(r.Key) {
		r.Text = Text{v.b.Languages[0]: r.Key}
		v.translations(r.Text, r.Pos, what)
		return
	}
	keys := make([]string, 0, len(v.b.Texts))
	for k := range v.b.Texts {
		keys = append(keys, k)
	}
	if isName(r.Key) {
		v.errorf(r.Pos, "%s: unknown text %q%s", what, r.Key, suggest(r.Key, keys))
	} else {
		v.errorf(r.Pos, "%s: %q is not a key of texts: write the text in every language, like {%s: ...}", what, clip(r.Key), strings.Join(v.b.Languages, ": ..., "))
	}
}

// words checks a {lang: [words]} mapping's languages.
func (v *validator) words(m map[string][]string, pos Pos, what string) {
	for lang := range m {
		if !slices.Contains(v.b.Languages, lang) {
			v.errorf(pos, "%s has synonyms in %q, which is not in languages %v", what, lang, v.b.Languages)
		}
	}
}

func (v *validator) catalogue() {
	for _, c := range v.b.Categories {
		if c.Name.IsZero() {
			v.errorf(c.Pos, "category %s has no name", c.ID)
		}
		v.ref(&c.Name, "the name of category "+c.ID)
		v.words(c.Synonyms, c.Pos, "category "+c.ID)
		for _, id := range slices.Sorted(maps.Keys(c.Kinds)) {
			v.words(c.Kinds[id], c.Pos, "kind "+id+" of category "+c.ID)
			if len(allWords(c.Kinds[id])) == 0 {
				v.errorf(c.Pos, "kind %s of category %s has no words", id, c.ID)
			}
		}
	}
	v.b.Warranty = v.l.defaultWarranty
	if v.b.WithdrawalDays == 0 {
		v.b.WithdrawalDays = 14 // the EU's right of withdrawal
	}
	for _, p := range v.b.Products {
		if p.Category != "" {
			if _, ok := v.b.categories[p.Category]; !ok {
				v.errorf(p.Pos, "product %s: unknown category %q%s", p.ID, p.Category, suggest(p.Category, v.categoryIDs()))
			}
		}
		if p.Kind != "" {
			switch c := v.b.categories[p.Category]; {
			case p.Category == "":
				v.errorf(p.KindPos, "product %s has a kind but no category: kinds belong to a category", p.ID)
			case c == nil:
			case c.Kinds[p.Kind] == nil:
				v.errorf(p.KindPos, "product %s: category %s has no kind %q%s", p.ID, p.Category, p.Kind, suggest(p.Kind, slices.Sorted(maps.Keys(c.Kinds))))
			}
		}
		v.words(p.Synonyms, p.Pos, "product "+p.ID)
		d := v.b.Warranty
		if p.Warranty.Consumer < 0 {
			p.Warranty.Consumer = d.Consumer
		}
		if p.Warranty.Business < 0 {
			p.Warranty.Business = d.Business
		}
		if p.Warranty.Extended < 0 {
			p.Warranty.Extended = d.Extended
		}
	}
}

func (v *validator) categoryIDs() []string {
	var ids []string
	for _, c := range v.b.Categories {
		ids = append(ids, c.ID)
	}
	return ids
}

func (v *validator) slots() {
	for _, s := range v.b.Slots {
		what := "slot " + s.Name
		v.ref(&s.Label, "the label of "+what)
		if len(s.Options) > 0 && s.Type != SlotChoice {
			v.errorf(s.Pos, "%s has options but its type is %s, not choice", what, s.Type)
		}
		if s.Pattern != nil && s.Type != SlotPattern {
			v.errorf(s.Pos, "%s has a pattern but its type is %s, not pattern", what, s.Type)
		}
		switch s.Type {
		case SlotChoice:
			if len(s.Options) == 0 {
				v.errorf(s.Pos, "%s is a choice without options", what)
			}
			for i := range s.Options {
				o := &s.Options[i]
				ow := fmt.Sprintf("option %s of %s", o.Value, what)
				v.words(o.Synonyms, o.Pos, ow)
				if o.Label.IsZero() {
					for _, lang := range v.b.Languages {
						if len(o.Synonyms[lang]) == 0 {
							v.errorf(o.Pos, "%s has no label and no %s synonyms to name it", ow, lang)
						}
					}
				}
				v.ref(&o.Label, "the label of "+ow)
				if p := slotPayload(s.Name, o.Value); len(p) > maxPayload {
					v.errorf(o.Pos, "%s: slot and option names are too long for a button (%d bytes, at most %d)", ow, len(p), maxPayload)
				}
				s.values = append(s.values, o.Value)
			}
		case SlotPattern:
			if s.Pattern == nil {
				v.errorf(s.Pos, "%s is a pattern without a pattern: (a regular expression)", what)
			}
		case SlotProduct:
			if len(v.b.Products) == 0 {
				v.errorf(s.Pos, "%s picks a product, but the catalogue has no products", what)
			}
			for _, p := range v.b.Products {
				s.values = append(s.values, p.ID)
			}
		case SlotCategory:
			if len(v.b.Categories) == 0 {
				v.errorf(s.Pos, "%s picks a category, but the catalogue has no categories", what)
			}
			s.values = v.categoryIDs()
		case SlotYesNo:
			s.values = []string{"yes", "no"}
		case SlotNumber:
			if s.Max != 0 && s.Min > s.Max {
				v.errorf(s.Pos, "%s: min %d is above max %d", what, s.Min, s.Max)
			}
		}
		if s.Type != SlotDate && s.When != "" {
			v.errorf(s.Pos, "%s: when: applies to dates only", what)
		}
	}
}

func (v *validator) teams() {
	b := v.b
	for _, id := range v.l.teamOrder {
		t := b.Teams[id]
		if t.Name.IsZero() {
			v.errorf(t.Pos, "team %s has no name", id)
		}
		v.ref(&t.Name, "the name of team "+id)
		if t.Language != "" && !slices.Contains(b.Languages, t.Language) {
			v.errorf(t.languagePos, "team %s: language %q is not one of the languages %v", id, t.Language, b.Languages)
		}
		if t.Language == "" {
			t.Language = b.DefaultLanguage
		}
		if t.Hours != "" {
			if _, ok := b.Hours[t.Hours]; !ok {
				v.errorf(t.Pos, "team %s: unknown hours %q%s", id, t.Hours, suggest(t.Hours, keysOf(b.Hours)))
			}
		}
	}
	switch {
	case len(b.Teams) == 0:
		v.errorf(v.firstPos(), "the flow file has no teams: the bot hands a conversation to a team when the customer asks for a person")
	case b.DefaultTeam != "":
		if _, ok := b.Teams[b.DefaultTeam]; !ok {
			v.errorf(v.l.defined["pos\x00default_team"], "default_team: unknown team %q%s", b.DefaultTeam, suggest(b.DefaultTeam, keysOf(b.Teams)))
		}
	case b.Teams["support"] != nil:
		b.DefaultTeam = "support"
	default:
		b.DefaultTeam = v.l.teamOrder[0]
	}
}

func (v *validator) firstPos() Pos {
	if v.l.langsPos.File != "" {
		return Pos{File: v.l.langsPos.File, Line: 1, Col: 1}
	}
	for _, p := range v.l.defined {
		return Pos{File: p.File, Line: 1, Col: 1}
	}
	return Pos{File: "flow file", Line: 1, Col: 1}
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (v *validator) team(id string, pos Pos, what string) {
	if _, ok := v.b.Teams[id]; !ok && id != "" {
		v.errorf(pos, "%s: unknown team %q%s", what, id, suggest(id, keysOf(v.b.Teams)))
	}
}

func (v *validator) flows() {
	for _, name := range keysOf(v.b.Flows) {
		f := v.b.Flows[name]
		what := "flow " + name
		v.ref(&f.Label, "the label of "+what)
		v.team(f.Team, f.Pos, what)
		f.index = map[string]int{}
		for i, st := range f.Steps {
			if j, dup := f.index[st.ID]; dup {
				v.errorf(st.Pos, "%s: step id %q is used twice (first at %s)", what, st.ID, f.Steps[j].Pos)
				continue
			}
			f.index[st.ID] = i
		}
		if len(f.Steps) == 0 {
			v.errorf(f.Pos, "%s has no steps", what)
		}
		for i, st := range f.Steps {
			v.step(f, st, fmt.Sprintf("step %d of %s", i+1, what))
		}
	}
}

func (v *validator) slotRef(name string, pos Pos, what string) *Slot {
	s, ok := v.b.Slots[name]
	if !ok {
		v.errorf(pos, "%s: unknown slot %q%s", what, name, suggest(name, v.slotNames()))
		return nil
	}
	return s
}

func (v *validator) stepRef(f *Flow, id string, pos Pos, what string) {
	if _, ok := f.index[id]; !ok {
		v.errorf(pos, "%s: unknown step %q in flow %s%s", what, id, f.Name, suggest(id, keysOf(f.index)))
	}
}

func (v *validator) step(f *Flow, st *Step, what string) {
	v.ref(&st.Say, "the text of "+what)
	v.ref(&st.Prompt, "the prompt of "+what)
	v.ref(&st.Retry, "the retry of "+what)
	v.buttons(st.Buttons, what)
	switch st.Kind {
	case StepAsk:
		if s := v.slotRef(st.Slot, st.Pos, what); s != nil && s.Type == slotOutput {
			v.errorf(st.Pos, "%s asks for %s, which an action sets", what, st.Slot)
		} else if s != nil && s.Type == SlotQuestion {
			v.errorf(st.Pos, "%s asks for %s, a question slot: the customer's question before buying fills it, never an answer", what, st.Slot)
		}
	case StepBranch:
		for _, c := range st.Cases {
			v.stepRef(f, c.Goto, c.Pos, what)
			if c.Cond == nil {
				continue
			}
			c.Cond.atoms(func(a *Cond) {
				s := v.slotRef(a.Slot, c.Pos, "the condition of "+what)
				if s == nil || s.values == nil {
					return
				}
				for _, val := range a.Values {
					if !slices.Contains(s.values, val) {
						v.errorf(c.Pos, "the condition of %s: %q is not a value of slot %s (%s)%s", what, val, s.Name, strings.Join(s.values, ", "), suggest(val, s.values))
					}
				}
			})
		}
	case StepAction:
		args, ok := actionArgs[st.Action]
		if !ok {
			v.errorf(st.Pos, "%s: unknown action %q: the built-in actions are %s%s", what, st.Action, strings.Join(actionNames, ", "), suggest(st.Action, actionNames))
			return
		}
		for arg, slot := range st.With {
			if _, ok := args[arg]; !ok {
				v.errorf(st.Pos, "%s: action %s has no argument %q%s", what, st.Action, arg, suggest(arg, keysOf(args)))
				continue
			}
			v.slotRef(slot, st.Pos, what)
		}
		for arg, slot := range args {
			if _, ok := st.With[arg]; !ok && !slices.Contains(optionalArgs[st.Action], arg) {
				if _, ok := v.b.Slots[slot]; !ok {
					v.errorf(st.Pos, "%s: action %s reads slot %q for its %s: declare that slot or name another with with: {%s: ...}", what, st.Action, slot, arg, arg)
				}
			}
		}
	case StepHandoff:
		v.team(st.Team, st.Pos, what)
		lines := slices.Clone(st.Summary)
		for _, lang := range keysOf(st.Summaries) {
			if !slices.Contains(v.b.Languages, lang) {
				v.errorf(st.Pos, "the summary of %s is in %q, which is not one of the languages %v", what, lang, v.b.Languages)
			}
			lines = append(lines, st.Summaries[lang]...)
		}
		for lang := range st.Reasons {
			if !slices.Contains(v.b.Languages, lang) {
				v.errorf(st.Pos, "the reason of %s is in %q, which is not one of the languages %v", what, lang, v.b.Languages)
			}
		}
		for _, line := range lines {
			for _, p := range placeholders(line) {
				if !v.known(p) {
					v.errorf(st.Pos, "the summary of %s uses {%s}, which is not a slot%s", what, p, suggest(p, v.slotNames()))
				}
			}
		}
	case StepGoto:
		v.stepRef(f, st.Goto, st.Pos, what)
	case StepFlow:
		if _, ok := v.b.Flows[st.Flow]; !ok {
			v.errorf(st.Pos, "%s: unknown flow %q%s", what, st.Flow, suggest(st.Flow, keysOf(v.b.Flows)))
		}
	}
}

func (v *validator) buttons(bs []ButtonSpec, what string) {
	for i := range bs {
		bt := &bs[i]
		v.ref(&bt.Title, fmt.Sprintf("the title of button %d of %s", i+1, what))
		if _, ok := v.b.intents[bt.Intent]; !ok && bt.Intent != "" {
			v.errorf(bt.Pos, "button %d of %s: unknown intent %q%s", i+1, what, bt.Intent, suggest(bt.Intent, keysOf(v.b.intents)))
		}
	}
}

func (v *validator) faq() {
	for _, id := range keysOf(v.b.FAQ) {
		f := v.b.FAQ[id]
		v.ref(&f.Answer, "the answer of faq "+id)
		v.buttons(f.Buttons, "faq "+id)
	}
}

func (v *validator) intents() {
	b := v.b
	if len(b.Intents) == 0 {
		v.errorf(v.firstPos(), "the flow file has no intents: the bot needs examples of what customers say")
	}
	seen := map[string]Example{}
	seenBy := map[string]string{}
	for _, in := range b.Intents {
		what := "intent " + in.Name
		v.ref(&in.Label, "the label of "+what)
		v.ref(&in.Reply, "the reply of "+what)
		targets := 0
		for _, set := range []bool{in.Flow != "", in.FAQ != "", !in.Reply.IsZero(), in.Handoff, in.Answer != ""} {
			if set {
				targets++
			}
		}
		switch {
		case in.Name == "oos" && targets > 0:
			v.errorf(in.Pos, "intent oos holds out-of-scope examples: it cannot start anything")
		case in.Name != "oos" && targets == 0:
			v.errorf(in.Pos, "%s does nothing: give it a flow, faq, reply, handoff: true or answer: documents", what)
		case targets > 1:
			v.errorf(in.Pos, "%s does more than one thing: give it one of flow, faq, reply, handoff, answer", what)
		}
		if in.Flow != "" {
			if _, ok := b.Flows[in.Flow]; !ok {
				v.errorf(in.Pos, "%s: unknown flow %q%s", what, in.Flow, suggest(in.Flow, keysOf(b.Flows)))
			}
		}
		if in.FAQ != "" {
			if _, ok := b.FAQ[in.FAQ]; !ok {
				v.errorf(in.Pos, "%s: unknown faq %q%s", what, in.FAQ, suggest(in.FAQ, keysOf(b.FAQ)))
			}
		}
		v.cues(in, in.Cues, "cues")
		v.cues(in, in.Also, "also cues")
		v.cues(in, in.Unless, "unless cues")
		v.cues(in, in.Back, "back cues")
		if len(in.Back) > 0 && in.Flow == "" {
			v.errorf(in.Pos, "%s has back cues but starts no flow: a back cue points at a value its flow asks for", what)
		}
		if len(in.Cues) > 0 && in.Flow == "" && in.Answer == "" {
			v.errorf(in.Pos, "%s has cues but starts no flow and has no answer: documents: cues choose a flow or the documents", what)
		}
		if len(in.Also) > 0 && len(in.Cues) == 0 {
			v.errorf(in.Pos, "%s has also cues but no cues: also only narrows a cue", what)
		}
		if len(in.Unless) > 0 && len(in.Cues) == 0 {
			v.errorf(in.Pos, "%s has unless cues but no cues: unless only stops a cue", what)
		}
		v.documentsIntent(in)
		count := map[string]int{}
		for _, e := range in.Examples {
			if !slices.Contains(b.Languages, e.Lang) {
				v.errorf(e.Pos, "%s has examples in %q, which is not in languages %v", what, e.Lang, b.Languages)
				continue
			}
			key := strings.ToLower(strings.Join(strings.Fields(e.Text), " "))
			if key == "" {
				v.errorf(e.Pos, "%s has an empty example", what)
				continue
			}
			count[e.Lang]++
			if first, dup := seen[key]; dup {
				if seenBy[key] == in.Name {
					v.errorf(e.Pos, "%s has the example %q twice (first at %s)", what, clip(e.Text), first.Pos)
				} else {
					v.errorf(e.Pos, "the example %q of %s is also an example of intent %s (%s)", clip(e.Text), what, seenBy[key], first.Pos)
				}
				continue
			}
			seen[key], seenBy[key] = e, in.Name
		}
		for _, lang := range b.Languages {
			// A flow intent may be known by its cues alone: the classifier
			// never guesses it, and the others keep their calibration.
			if count[lang] == 0 && !(in.Flow != "" && len(in.Cues[lang]) > 0) && in.Answer == "" {
				v.errorf(in.Pos, "%s has no %s examples", what, lang)
			}
		}
	}
}

// cues reports the cues (or also cues) of in in a language the bot does
// not speak, and the empty ones.
func (v *validator) cues(in *Intent, cues map[string][]string, what string) {
	for _, lang := range slices.Sorted(maps.Keys(cues)) {
		if !slices.Contains(v.b.Languages, lang) {
			v.errorf(in.Pos, "intent %s has %s in %q, which is not in languages %v", in.Name, what, lang, v.b.Languages)
		}
		for _, c := range cues[lang] {
			switch {
			case len(words(c)) == 0:
				v.errorf(in.Pos, "intent %s has an empty %s", in.Name, strings.TrimSuffix(what, "s"))
			case cuePhrase(c) == "":
				v.errorf(in.Pos, "intent %s has the %s %q: a gap (...) needs words on both sides, and a cue has one gap at most", in.Name, strings.TrimSuffix(what, "s"), clip(c))
			}
		}
	}
}

// documentsIntent reports the mistakes of an intent the documents
// answer: it is known by its cues alone, and says what it replaces.
func (v *validator) documentsIntent(in *Intent) {
	what := "intent " + in.Name
	if in.Answer == "" {
		if in.instead {
			v.errorf(in.Pos, "%s has instead_of but no answer: documents: only the documents' answer replaces a guess", what)
		}
		return
	}
	if len(in.Cues) == 0 {
		v.errorf(in.Pos, "%s answers from the documents but has no cues: the documents' answer is known by its cues", what)
	}
	if len(in.Examples) > 0 {
		v.errorf(in.Examples[0].Pos, "%s answers from the documents by its cues and takes no examples: the classifier would guess it", what)
	}
	if !in.instead {
		v.errorf(in.Pos, "%s answers from the documents in place of nothing: give it instead_of, some of %s", what, strings.Join(insteadOf, ", "))
	}
}

// reachable reports steps no path reaches, and flows and FAQ entries no
// intent or step leads to.
func (v *validator) reachable() {
	b := v.b
	usedFlow, usedFAQ := map[string]bool{}, map[string]bool{}
	for _, in := range b.Intents {
		usedFlow[in.Flow], usedFAQ[in.FAQ] = true, true
	}
	for _, name := range keysOf(b.Flows) {
		f := b.Flows[name]
		seen := make([]bool, len(f.Steps))
		var walk func(i int)
		walk = func(i int) {
			for i >= 0 && i < len(f.Steps) && !seen[i] {
				seen[i] = true
				st := f.Steps[i]
				next := i + 1
				switch st.Kind {
				case StepBranch:
					for _, c := range st.Cases {
						if j, ok := f.index[c.Goto]; ok {
							walk(j)
						}
						if c.Cond == nil {
							next = -1
						}
					}
				case StepGoto:
					next = -1
					if j, ok := f.index[st.Goto]; ok {
						next = j
					}
				case StepFlow:
					usedFlow[st.Flow] = true
					next = -1
				case StepHandoff, StepEnd:
					next = -1
				}
				i = next
			}
		}
		walk(0)
		for i, st := range f.Steps {
			if !seen[i] {
				v.errorf(st.Pos, "step %d of flow %s is never reached: no step before it goes on to it or jumps to it", i+1, name)
			}
		}
	}
	for _, name := range keysOf(b.Flows) {
		if !usedFlow[name] {
			v.errorf(b.Flows[name].Pos, "flow %s is never started: no intent or flow step leads to it", name)
		}
	}
	for _, id := range keysOf(b.FAQ) {
		if !usedFAQ[id] {
			v.errorf(b.FAQ[id].Pos, "faq %s is never answered: no intent names it", id)
		}
	}
}
