package flows

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// base is a small valid flow file; the cases below break one thing each.
const base = `name: Test
languages: [it, en]
texts:
  hi: {it: Ciao, en: Hi}
  ask_p: {it: "Quale?", en: "Which?"}
intents:
  hello:
    reply: hi
    examples: {it: [ciao], en: [hello]}
  start:
    flow: main
    examples: {it: [inizia], en: [start]}
slots:
  product: {type: product}
  code: {type: pattern, pattern: 'A\d+'}
flows:
  main:
    team: support
    steps:
      - ask: product
        prompt: ask_p
      - say: hi
catalogue:
  products:
    p1: {name: P1}
teams:
  support: {name: {it: Assistenza, en: Support}}
`

func TestLoadValidBase(t *testing.T) {
	if _, err := Parse("base.yaml", []byte(base)); err != nil {
		t.Fatalf("base does not load:\n%v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replace old by new in base
		want     string // a line of the error, position included
	}{
		{"typo in a key", "        prompt: ask_p", "        promt: ask_p",
			`base.yaml:21:9: unknown key "promt" in step 1 of flow main (ask) (did you mean "prompt"?)`},
		{"unknown slot", "      - ask: product", "      - ask: prodotto",
			`unknown slot "prodotto" (did you mean "product"?)`},
		{"unknown goto", "      - say: hi\n", "      - say: hi\n      - goto: nowhere\n",
			`base.yaml:23:9: step 3 of flow main: unknown step "nowhere" in flow main`},
		{"missing translation", "hi: {it: Ciao, en: Hi}", "hi: {it: Ciao}",
			`base.yaml:4:7: text hi has no en translation`},
		{"language not declared", "hi: {it: Ciao, en: Hi}", "hi: {it: Ciao, en: Hi, de: Hallo}",
			`text hi has language "de", which is not in languages [it en]`},
		{"bad regex", `pattern: 'A\d+'`, `pattern: 'A(\d+'`,
			`base.yaml:15:34: bad pattern of slot code: missing closing ): "A(\\d+"`},
		{"unknown team", "    team: support", "    team: sales",
			`flow main: unknown team "sales"`},
		{"unknown action", "      - say: hi\n", "      - say: hi\n      - action: warranty_chek\n",
			`unknown action "warranty_chek": the built-in actions are warranty_check, return_check, order_lookup (did you mean "warranty_check"?)`},
		{"duplicate in folder", "", "", ""}, // see TestLoadFolderDuplicates
		{"wrong type", "        prompt: ask_p", "        prompt: ask_p\n        max_retries: many",
			`max_retries of step 1 of flow main should be a whole number, not the text "many"`},
		{"empty flow", "    steps:\n      - ask: product\n        prompt: ask_p\n      - say: hi\n", "    steps: []\n",
			`flow main has no steps`},
		{"unreachable", "      - say: hi\n", "      - say: hi\n      - end\n      - say: hi\n",
			`step 4 of flow main is never reached`},
		{"unknown text", "    reply: hi", "    reply: hullo",
			`unknown text "hullo"`},
		{"text in place of a key", "    reply: hi", "    reply: Ciao a tutti",
			`"Ciao a tutti" is not a key of texts`},
		{"unknown placeholder", "hi: {it: Ciao, en: Hi}", `hi: {it: "Ciao {prodotto}", en: Hi}`,
			`text hi uses {prodotto}, which is not a slot (did you mean "product"?)`},
		{"intent without examples in a language", "examples: {it: [ciao], en: [hello]}", "examples: {it: [ciao]}",
			`intent hello has no en examples`},
		{"same example in two intents", "examples: {it: [inizia], en: [start]}", "examples: {it: [inizia], en: [hello]}",
			`the example "hello" of intent start is also an example of intent hello`},
		{"intent with two targets", "    reply: hi\n", "    reply: hi\n    faq: x\n",
			`intent hello does more than one thing`},
		{"unknown flow of an intent", "    flow: main", "    flow: mian",
			`unknown flow "mian" (did you mean "main"?)`},
		{"bad condition", "      - say: hi\n", "      - branch:\n          - if: product ==\n            goto: '#1'\n      - say: hi\n",
			`bad condition of case 1 of step 2 of flow main: missing value`},
		{"condition on unknown value", "  code: {type: pattern, pattern: 'A\\d+'}", "  code: {type: pattern, pattern: 'A\\d+'}\n  kind: {type: choice, options: {a: {label: {it: A, en: A}}}}",
			``},
		{"no teams", "teams:\n  support: {name: {it: Assistenza, en: Support}}\n", "",
			`the flow file has no teams`},
		{"unknown slot type", "  product: {type: product}", "  product: {type: produkt}",
			`unknown type "produkt" of slot product`},
		{"bad hours", "teams:", "hours:\n  shop: {timezone: Europe/Roma, weekly: {mon: [9-13]}}\nteams:",
			`unknown timezone "Europe/Roma" of hours shop`},
		{"bad weekday", "teams:", "hours:\n  shop: {timezone: Europe/Rome, weekly: {monday: [09:00-13:00]}}\nteams:",
			`unknown key "monday" in weekly of hours shop`},
		{"step with two kinds", "      - say: hi\n", "      - say: hi\n        goto: x\n",
			`step 2 of flow main has say and goto: write one per step`},
		{"duplicate key", "  hi: {it: Ciao, en: Hi}\n", "  hi: {it: Ciao, en: Hi}\n  hi: {it: Ciao, en: Hi}\n",
			`texts has "hi" twice`},
		{"invalid YAML", "name: Test", "name: [Test",
			`invalid YAML`},
		{"unknown top key", "name: Test", "name: Test\nintens: {}",
			`unknown key "intens" in the flow file (did you mean "intents"?)`},
		{"unknown category", "    p1: {name: P1}", "    p1: {name: P1, category: phones}",
			`product p1: unknown category "phones"`},
		{"default language", "languages: [it, en]", "languages: [it, en]\ndefault_language: de",
			`default_language "de" is not one of the languages`},
		{"built-in text missing a language", "languages: [it, en]", "languages: [it, en, de]",
			`the built-in texts have no "de" translation`},
		{"button payload too long", "  code: {type: pattern, pattern: 'A\\d+'}", "  code: {type: pattern, pattern: 'A\\d+'}\n  a_very_long_slot_name_for_the_buttons_x: {type: choice, options: {an_option_value_that_is_long_too_long: {label: {it: A, en: A}}}}",
			`too long for a button`},
		{"empty file", base, "", `the flow file is empty`},
	}
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			src := base
			if tt.old != "" || tt.new != "" {
				if !strings.Contains(base, tt.old) {
					t.Fatalf("base lacks %q", tt.old)
				}
				src = strings.Replace(base, tt.old, tt.new, 1)
			}
			_, err := Parse("base.yaml", []byte(src))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("errors:\n%v\nwant one containing %q", err, tt.want)
			}
			for _, e := range list {
				if e.Pos.File == "" || e.Pos.Line == 0 {
					t.Errorf("error without a position: %v", e)
				}
			}
		})
	}
}

func TestLoadReportsEveryError(t *testing.T) {
	src := strings.NewReplacer("        prompt: ask_p", "        promt: ask_p", "    team: support", "    team: sales", "reply: hi", "reply: hullo").Replace(base)
	_, err := Parse("base.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) < 3 {
		t.Fatalf("got %v, want at least 3 errors", err)
	}
	for i := 1; i < len(list); i++ {
		if list[i].Pos.Line < list[i-1].Pos.Line {
			t.Errorf("errors out of line order:\n%v", err)
		}
	}
}

func TestLoadFolderDuplicates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(dir+"/"+name, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", base)
	write("b.yaml", "texts:\n  hi: {it: Ciao, en: Hi}\nname: Again\n")
	_, err := LoadPath(dir)
	if err == nil {
		t.Fatal("no error for duplicates across files")
	}
	for _, want := range []string{"b.yaml:2:3: text \"hi\" is defined twice (first at " + dir + "/a.yaml:4:3)", "b.yaml:3:1: setting \"name\" is defined twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors:\n%v\nwant %q", err, want)
		}
	}
}

func TestLoadFolderMerges(t *testing.T) {
	dir := t.TempDir()
	i := strings.Index(base, "flows:")
	if err := os.WriteFile(dir+"/1.yaml", []byte(base[:i]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/2.yml", []byte(base[i:]), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := LoadPath(dir)
	if err != nil {
		t.Fatalf("split base does not load:\n%v", err)
	}
	if b.Flows["main"] == nil || b.Texts["hi"] == nil {
		t.Errorf("merged bot lacks parts")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte("name: x\nlanguages: [it]\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("flows: {f: {steps: [{branch: [{if: 'a == (b', goto: x}]}]}}"))
	if data, err := os.ReadFile("testdata/mini.yaml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse("fuzz.yaml", data)
		if err == nil && (b == nil || len(b.Languages) == 0 || len(b.Teams) == 0) {
			t.Fatalf("a valid bot without languages or teams: %+v", b)
		}
		if err != nil && b != nil {
			t.Fatalf("both a bot and an error")
		}
	})
}
