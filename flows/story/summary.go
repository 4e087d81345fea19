package story

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// A Result is one story replayed and what failed in it.
type Result struct {
	Story    Story
	Failures []Failure
}

// Passed reports whether every expectation of the story held.
func (r Result) Passed() bool { return len(r.Failures) == 0 }

// A Summary is what a battery of stories came to: how many passed,
// overall, per language and per tag, and what failed.
type Summary struct {
	Results []Result
}

// RunAll replays every story and sums them up.
func (r *Runner) RunAll(ctx context.Context, stories []Story) *Summary {
	sum := &Summary{}
	for _, s := range stories {
		sum.Results = append(sum.Results, Result{Story: s, Failures: r.Run(ctx, s)})
	}
	return sum
}

// A Rate is how many stories of a group passed.
type Rate struct {
	Name            string // the group: a language, a tag, a kind of failure
	Passed, Stories int
}

// Value is the pass rate, 0 to 1 (1 for no stories).
func (r Rate) Value() float64 {
	if r.Stories == 0 {
		return 1
	}
	return float64(r.Passed) / float64(r.Stories)
}

func (r Rate) String() string {
	return fmt.Sprintf("%d/%d (%.1f%%)", r.Passed, r.Stories, 100*r.Value())
}

// Total is the rate over all stories.
func (s *Summary) Total() Rate {
	r := Rate{Name: "all"}
	for _, res := range s.Results {
		r.Stories++
		if res.Passed() {
			r.Passed++
		}
	}
	return r
}

// ByLanguage is the rate per language the customer starts in (see
// Story.Lang; "?" when the story does not say), by language.
func (s *Summary) ByLanguage() []Rate {
	return s.group(func(st Story) []string {
		if l := st.Lang(); l != "" {
			return []string{l}
		}
		return []string{"?"}
	})
}

// ByTag is the rate per tag, by tag; a story counts in each of its tags.
func (s *Summary) ByTag() []Rate {
	return s.group(func(st Story) []string { return st.Tags })
}

func (s *Summary) group(keys func(Story) []string) []Rate {
	m := map[string]*Rate{}
	for _, res := range s.Results {
		for _, k := range slices.Compact(slices.Sorted(slices.Values(keys(res.Story)))) {
			r := m[k]
			if r == nil {
				r = &Rate{Name: k}
				m[k] = r
			}
			r.Stories++
			if res.Passed() {
				r.Passed++
			}
		}
	}
	var out []Rate
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// A Kind is a kind of failure and the stories it happened in.
type Kind struct {
	Kind    string
	Stories int
	// First is the first failure of the kind, as an example.
	First Failure
}

// Kinds are the kinds of failure, the most frequent first: how many
// stories failed each way (a story counts once per kind). With first,
// only each story's first failure counts: the cause, where the later
// ones are often its consequences (a question asked again, then the
// wrong verdict).
func (s *Summary) Kinds(first bool) []Kind {
	m := map[string]*Kind{}
	var order []string
	for _, res := range s.Results {
		seen := map[string]bool{}
		for i, f := range res.Failures {
			if first && i > 0 {
				break
			}
			if seen[f.Kind] {
				continue
			}
			seen[f.Kind] = true
			k := m[f.Kind]
			if k == nil {
				k = &Kind{Kind: f.Kind, First: f}
				m[f.Kind] = k
				order = append(order, f.Kind)
			}
			k.Stories++
		}
	}
	var out []Kind
	for _, name := range order {
		out = append(out, *m[name])
	}
	slices.SortStableFunc(out, func(a, b Kind) int { return cmp.Compare(b.Stories, a.Stories) })
	return out
}

// WriteRates reports the pass rates: overall, per language, per tag.
func (s *Summary) WriteRates(w io.Writer) {
	fmt.Fprintf(w, "pass rate: %s\n", s.Total())
	for _, r := range s.ByLanguage() {
		fmt.Fprintf(w, "  language %-14s %s\n", r.Name, r)
	}
	for _, r := range s.ByTag() {
		fmt.Fprintf(w, "  tag %-19s %s\n", r.Name, r)
	}
}

// WriteKinds reports the n most frequent kinds of failure (all for n <=
// 0; each story's first failure only, with first), each with the place
// of an example.
func (s *Summary) WriteKinds(w io.Writer, n int, first bool) {
	kinds := s.Kinds(first)
	if n > 0 && len(kinds) > n {
		kinds = kinds[:n]
	}
	for _, k := range kinds {
		fmt.Fprintf(w, "  %4d x %-26s e.g. %s\n", k.Stories, k.Kind, k.First.Pos)
	}
}

// WriteFailures reports every failure with its file:line; brief keeps
// the first line of each (without what the bot said).
func (s *Summary) WriteFailures(w io.Writer, brief bool) {
	for _, res := range s.Results {
		for _, f := range res.Failures {
			msg := f.Msg
			if brief {
				msg, _, _ = strings.Cut(msg, "\n")
			}
			fmt.Fprintf(w, "  %s: %s: %s\n", f.Pos, f.Story, msg)
		}
	}
}
