package slack

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	// Slack's three control characters; see "Escaping text" in Slack's
	// formatting reference.
	escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	// Broadcast words: Slack turns them into mentions when link_names is
	// on, or when a client reformats the text; a word joiner defuses them.
	broadcastRe = regexp.MustCompile(`(?i)([@!])(here|channel|everyone)\b`)
	// Markdown-style links, which newer Slack surfaces render.
	mdLinkRe = regexp.MustCompile(`\]\(`)
)

// escape makes outside text (a customer's words, names, slot values) safe
// in a Slack mrkdwn text: it shows as written and cannot mention anyone,
// broadcast to a channel or make a link with a misleading label.
func escape(s string) string {
	s = escaper.Replace(s)
	s = broadcastRe.ReplaceAllString(s, "$1\u2060$2")
	s = mdLinkRe.ReplaceAllString(s, "]\u200b(")
	return s
}

// escapeLine is escape for text that must stay on one line (names,
// summary lines, field values).
func escapeLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return escape(s)
}

// quote formats outside text as a mrkdwn block quote, line by line.
func quote(s string) string {
	lines := strings.Split(escape(strings.TrimRight(s, "\n")), "\n")
	return "> " + strings.Join(lines, "\n> ")
}

// clip shortens s to at most n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// slackRefRe matches Slack's angle-bracket references: <@U1>, <#C1|name>,
// <!here>, <https://x|label>, <mailto:a@b|a@b>.
var slackRefRe = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// plain turns an agent's Slack text into what the customer reads: links
// written out, mentions as names, Slack's escapes undone.
func plain(s string) string {
	s = slackRefRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackRefRe.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch {
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "#"):
			if label != "" {
				return target[:1] + label
			}
			return target
		case strings.HasPrefix(target, "!"):
			if label != "" {
				return label
			}
			name, _, _ := strings.Cut(target[1:], "^")
			return "@" + name
		case label == "" || label == target:
			return strings.TrimPrefix(target, "mailto:")
		case strings.TrimPrefix(target, "mailto:") == label:
			return label
		default:
			return label + " (" + target + ")"
		}
	})
	return unescaper.Replace(s)
}
