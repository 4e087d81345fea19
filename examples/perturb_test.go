package examples_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/story"
)

// The perturbed battery: the dev stories replayed with every customer
// line written the way another customer would write the same thing
// (without accents, in lower case, without punctuation, with a typo, a
// greeting first, the apostrophes dropped or curled). A story that
// passes as written and fails perturbed shows a rule that fits the
// story's words rather than the customers'. Only the dev set runs: the
// held-out set is never read.
//
//	SPORTELLO_PERTURB=typo go test ./examples -run Perturbed -v -count=1
//	SPORTELLO_PERTURB=all  go test ./examples -run Perturbed -v -count=1
//
// The kinds are those of perturbations; several may be given, comma
// separated. Nothing fails: the test reports.
func TestPerturbed(t *testing.T) {
	env := os.Getenv("SPORTELLO_PERTURB")
	if env == "" {
		t.Skip("set SPORTELLO_PERTURB to a kind (" + strings.Join(perturbKinds(), ", ") + ") or all")
	}
	kinds := strings.Split(env, ",")
	if env == "all" {
		kinds = perturbKinds()
	}
	runner, b := batteryRunner(t)
	stories, err := story.ParseFiles(os.DirFS("."), filepath.Join("shop", "battery", "dev"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	written := runner.RunAll(ctx, stories)
	t.Logf("dev as written: %s", written.Total())
	keep := catalogueWords(b)
	for _, kind := range kinds {
		kind = strings.TrimSpace(kind)
		p, ok := perturbations[kind]
		if !ok {
			t.Fatalf("no perturbation %q; the kinds are %s", kind, strings.Join(perturbKinds(), ", "))
		}
		changed := 0
		perturbed := make([]story.Story, len(stories))
		for i, s := range stories {
			perturbed[i] = perturbStory(s, p, keep)
			changed += len(changedLines(s, perturbed[i]))
		}
		sum := runner.RunAll(ctx, perturbed)
		var out strings.Builder
		brittle, mended := 0, 0
		for i, r := range sum.Results {
			was := written.Results[i].Passed()
			switch {
			case !was && r.Passed():
				mended++
			case was && !r.Passed():
				brittle++
				f := r.Failures[0]
				fmt.Fprintf(&out, "  %s: %s: %s\n", f.Pos, f.Story, f.Msg)
				for _, c := range changedLines(stories[i], perturbed[i]) {
					fmt.Fprintf(&out, "      %q\n", c)
				}
			}
		}
		t.Logf("perturbed %s: %d customer lines changed; dev %s (as written %s); %d passing as written fail, %d failing as written pass:\n%s",
			kind, changed, sum.Total(), written.Total(), brittle, mended, out.String())
	}
}

// A perturbation rewrites one customer line. first is whether it is
// the story's first; lang is the language the customer writes in; keep
// holds the words a typo must spare (the catalogue's names).
type perturbation func(line string, first bool, lang string, keep map[string]bool) string

var perturbations = map[string]perturbation{
	"accents":    func(s string, _ bool, _ string, _ map[string]bool) string { return stripAccents(s) },
	"lower":      func(s string, _ bool, _ string, _ map[string]bool) string { return strings.ToLower(s) },
	"punct":      func(s string, _ bool, _ string, _ map[string]bool) string { return dropPunct(s) },
	"typo":       func(s string, _ bool, _ string, keep map[string]bool) string { return typo(s, keep) },
	"greet":      greet,
	"apostrophe": func(s string, _ bool, lang string, _ map[string]bool) string { return dropApostrophes(s, lang) },
	"curly":      func(s string, _ bool, _ string, _ map[string]bool) string { return strings.ReplaceAll(s, "'", "’") },
}

func perturbKinds() []string {
	var ks []string
	for k := range perturbations {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// perturbStory returns s with every line the customer types perturbed;
// buttons pressed, agents' actions and every expectation stay as they
// are.
func perturbStory(s story.Story, p perturbation, keep map[string]bool) story.Story {
	s.Turns = slices.Clone(s.Turns)
	lang, first := s.Lang(), true
	for i, t := range s.Turns {
		if t.Lang != "" {
			lang = t.Lang
		}
		if t.Say == "" || t.Press != "" || t.Agent != nil {
			continue
		}
		s.Turns[i].Say = p(t.Say, first, lang, keep)
		first = false
	}
	return s
}

// changedLines returns the perturbed lines of b that differ from a's,
// as "before -> after".
func changedLines(a, b story.Story) []string {
	var out []string
	for i := range a.Turns {
		if a.Turns[i].Say != b.Turns[i].Say {
			out = append(out, a.Turns[i].Say+" -> "+b.Turns[i].Say)
		}
	}
	return out
}

// stripAccents writes à as a, è as e, ù as u...: what a keyboard
// without them, or a hurried customer, sends.
func stripAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// dropPunct drops , . ! ? ; : and … unless they sit inside a token
// between two letters or digits: e-mails, dates, prices, times and
// order numbers keep theirs.
func dropPunct(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if strings.ContainsRune(",.!?;:…", r) {
			inside := i > 0 && i+1 < len(rs) && isAlnum(rs[i-1]) && isAlnum(rs[i+1])
			if !inside {
				continue
			}
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// typo swaps two adjacent letters (never the first) in one word of six
// letters or more, chosen by a hash of the line. Words of a token with a
// digit or an @ (order numbers, models, e-mails, phone numbers) and the
// catalogue's words are spared.
func typo(s string, keep map[string]bool) string {
	type span struct{ start, end int } // byte offsets of a run of letters
	var words []span
	for _, field := range fieldSpans(s) {
		tok := s[field.start:field.end]
		if strings.ContainsAny(tok, "@0123456789") {
			continue
		}
		start := -1
		for i, r := range tok + " " {
			switch {
			case unicode.IsLetter(r) && start < 0:
				start = i
			case !unicode.IsLetter(r) && start >= 0:
				w := tok[start:i]
				if utf8.RuneCountInString(w) >= 6 && !keep[strings.ToLower(w)] {
					words = append(words, span{field.start + start, field.start + i})
				}
				start = -1
			}
		}
	}
	if len(words) == 0 {
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	n := h.Sum32()
	w := words[n%uint32(len(words))]
	rs := []rune(s[w.start:w.end])
	// Swap i and i+1 for i in 1..len-2, the first pair of different
	// letters from the hashed place on.
	for k := range len(rs) - 2 {
		i := 1 + (int(n/uint32(len(words)))+k)%(len(rs)-2)
		if rs[i] != rs[i+1] {
			rs[i], rs[i+1] = rs[i+1], rs[i]
			return s[:w.start] + string(rs) + s[w.end:]
		}
	}
	return s
}

// fieldSpans returns the byte spans of s's space-separated fields.
func fieldSpans(s string) []struct{ start, end int } {
	var out []struct{ start, end int }
	start := -1
	for i, r := range s + " " {
		switch {
		case !unicode.IsSpace(r) && start < 0:
			start = i
		case unicode.IsSpace(r) && start >= 0:
			out = append(out, struct{ start, end int }{start, i})
			start = -1
		}
	}
	return out
}

// greet puts "ciao, " or "hi, " before the story's first line, its
// first letter lowered unless the word is written in capitals (TV, SP-)
// or is the English I.
func greet(s string, first bool, lang string, _ map[string]bool) string {
	if !first {
		return s
	}
	hello := "hi, "
	if lang == "it" {
		hello = "ciao, "
	}
	r, size := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[size:])
	pronoun := r == 'I' && !unicode.IsLetter(next) // English "I"
	if unicode.IsUpper(r) && !unicode.IsUpper(next) && !pronoun {
		s = string(unicode.ToLower(r)) + s[size:]
	}
	return hello + s
}

// dropApostrophes writes l'ordine as "l ordine" in Italian and don't as
// "dont" in English, as customers in a hurry do.
func dropApostrophes(s, lang string) string {
	with := " "
	if lang == "en" {
		with = ""
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if (r == '\'' || r == '’') && i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1]) {
			b.WriteString(with)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// catalogueWords returns the lower-case words of the products' names and
// synonyms: a typo in a product's name is a catalogue's problem, not
// the understanding's.
func catalogueWords(b *flows.Bot) map[string]bool {
	keep := map[string]bool{}
	add := func(s string) {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			keep[w] = true
		}
	}
	for _, p := range b.Products {
		add(p.Name)
		for _, syns := range p.Synonyms {
			for _, s := range syns {
				add(s)
			}
		}
	}
	return keep
}

func TestPerturbations(t *testing.T) {
	keep := map[string]bool{"magnifica": true}
	for _, c := range []struct{ kind, lang, in, want string }{
		{"accents", "it", "Perché è già rotto? Più tardi", "Perche e gia rotto? Piu tardi"},
		{"lower", "en", "My TV SP-200101", "my tv sp-200101"},
		{"punct", "it", "Ciao, l'ordine SP-200101 è fermo! Mail a.b@x.it, dal 3.6.2025 alle 12:30.", "Ciao l'ordine SP-200101 è fermo Mail a.b@x.it dal 3.6.2025 alle 12:30"},
		{"punct", "en", "why?? really... ok", "why really ok"},
		{"greet", "it", "Il mio telefono", "ciao, il mio telefono"},
		{"greet", "en", "TV broken", "hi, TV broken"},
		{"apostrophe", "it", "l'ordine dell'aspirapolvere", "l ordine dell aspirapolvere"},
		{"apostrophe", "en", "I don't know, it's 'fine'", "I dont know, its 'fine'"},
		{"curly", "it", "l'ordine", "l’ordine"},
		{"typo", "it", "la magnifica SP-200101 a.rossi@mail.it 3331234567", "la magnifica SP-200101 a.rossi@mail.it 3331234567"},
	} {
		if got := perturbations[c.kind](c.in, true, c.lang, keep); got != c.want {
			t.Errorf("%s %q = %q, want %q", c.kind, c.in, got, c.want)
		}
	}
	// A typo changes one word of six letters or more, the same way each
	// time, by two letters.
	in := "il telefono non si accende"
	got := typo(in, keep)
	if got == in || got != typo(in, keep) || len(got) != len(in) {
		t.Errorf("typo %q = %q: want one deterministic swap", in, got)
	}
	diff := 0
	for i := range in {
		if in[i] != got[i] {
			diff++
		}
	}
	if diff != 2 {
		t.Errorf("typo %q = %q: %d letters differ, want 2", in, got, diff)
	}
}
