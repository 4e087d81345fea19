package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
)

// openingGreetings are the greetings a customer puts before a request,
// longest first. A mark must follow them ("ciao, ...", "hi! ..."): with
// none, the words are read with the request's, as written.
var openingGreetings = []string{
	"good morning", "good afternoon", "good evening", "hello everyone", "hello there", "hi there", "hey there",
	"ciao a tutti", "salve a tutti", "buon pomeriggio", "buona sera", "buon giorno",
	"buongiorno", "buonasera", "salve", "ciao", "ehila", "ehilà", "ehi", "hiya", "hello", "hey", "hi",
	"morning", "evening", "afternoon",
}

// pastOpeningGreeting returns text without the greetings it opens with
// ("ciao, ", "hi, hello, ", "buongiorno! "), or "" when it opens with
// none or holds nothing else; last is text from its last greeting on
// ("ciao, ciao! spero stiate bene": "ciao! spero stiate bene").
func pastOpeningGreeting(text string) (rest, last string) {
	rest = text
	for {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",.!;:-", r) })
		g, ok := greetingAt(rest)
		if !ok {
			break
		}
		last, rest = rest, rest[len(g):]
	}
	if last == "" || !strings.ContainsFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "", ""
	}
	return rest, last
}

// pastGreeting returns text without the greeting it opens with, with a
// mark after it or none ("hi, English please", "hi could you write in
// italian"), or the whole text when it opens with none or is one.
func pastGreeting(text string) string {
	if rest, _ := pastOpeningGreeting(text); rest != "" {
		return rest
	}
	if rest := pastBareGreeting(text); rest != "" {
		return rest
	}
	return text
}

// bareGreetings are the opening greetings that are no word of a
// request ("morning delivery?" asks of the morning).
var bareGreetings = []string{"hello there", "hi there", "hey there", "good morning", "good afternoon", "good evening",
	"buongiorno", "buonasera", "salve", "ciao", "hello", "hiya", "hey", "hi"}

// pastBareGreeting returns text without the greeting it opens with and
// no mark after ("hello wheres SP-135790"), or "" when it opens with
// none or holds nothing else.
func pastBareGreeting(text string) string {
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	for _, g := range bareGreetings {
		if len(text) <= len(g)+1 || !strings.EqualFold(text[:len(g)], g) || text[len(g)] != ' ' {
			continue
		}
		rest := strings.TrimSpace(text[len(g):])
		if !strings.ContainsFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return ""
		}
		return rest
	}
	return ""
}

// greetingAt returns the greeting text opens with, as written, when a
// mark follows it.
func greetingAt(text string) (string, bool) {
	for _, g := range openingGreetings {
		if len(text) <= len(g) || !strings.EqualFold(text[:len(g)], g) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(text[len(g):]); strings.ContainsRune(",.!;:", next) {
			return text[:len(g)], true
		}
	}
	return "", false
}

// gibberish reports whether no word of text is one the bot knows: no
// word of its intents' examples nor of the extraction's lists
// ("asdfgh", "bla bla", "hmmmm").
func (b *Bot) gibberish(text string) bool {
	for _, w := range words(text) {
		if _, ok := b.wordOwner[w]; ok || extract.RealWord(w) {
			return false
		}
	}
	return true
}
