package slack

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/sportello/sportello/bot"
)

// Action IDs of the card's buttons.
const (
	actionClaim   = "sportello_claim"
	actionRelease = "sportello_release"
	actionResolve = "sportello_resolve"
)

var actions = map[string]string{actionClaim: "claim", actionRelease: "release", actionResolve: "resolve"}

// userIDRe matches Slack user IDs, which are safe to write as mentions.
var userIDRe = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// buttonValue is the value of the card's buttons: the case and its
// conversation, so a click maps back to it on any replica.
func buttonValue(c bot.Case) string { return c.ID + "|" + c.Address.String() }

func parseButtonValue(v string) (caseID string, addr bot.Address, err error) {
	caseID, a, ok := strings.Cut(v, "|")
	if !ok || caseID == "" {
		return "", bot.Address{}, fmt.Errorf("button value %q: want case|address", v)
	}
	addr, err = bot.ParseAddress(a)
	return caseID, addr, err
}

// Limits of Block Kit, with room to spare.
const (
	maxSectionText = 2900
	maxFieldText   = 1900
	maxLine        = 300
	maxLines       = 20
)

var channelNames = map[string]string{"telegram": "Telegram", "web": "Web chat", "console": "Console"}

// renderCard draws the card of n's case as it stands after n, and the
// plain text of the notification.
func renderCard(n bot.DeskNote) ([]slack.Block, string) {
	c := n.Case
	who := customerName(c)
	title := fmt.Sprintf("%s %s · %s", teamEmoji(c.Team), teamTitle(c), c.ID)
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, clip(title, 150), true, false)),
	}

	channel := channelNames[c.Address.Channel]
	if channel == "" {
		channel = c.Address.Channel
	}
	fields := []*slack.TextBlockObject{
		mrkdwn("*Customer*\n" + clip(escapeLine(who), maxLine)),
		mrkdwn("*Channel*\n" + escapeLine(channel)),
	}
	if c.Language != "" {
		fields = append(fields, mrkdwn("*Language*\n"+escapeLine(c.Language)))
	}
	if c.Intent != "" {
		fields = append(fields, mrkdwn("*Intent*\n"+clip(escapeLine(c.Intent), maxLine)))
	}
	if c.Reason != "" {
		fields = append(fields, mrkdwn("*Reason*\n"+clip(escapeLine(c.Reason), maxLine)))
	}
	if contact := c.Slots["contact"]; contact != "" && !mentions(c.Summary, contact) {
		fields = append(fields, mrkdwn("*Contact*\n"+clip(escapeLine(contact), maxLine)))
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))

	if lines := summaryLines(c); len(lines) > 0 {
		blocks = append(blocks, section("*What we know*\n"+strings.Join(lines, "\n")))
	}
	if len(c.Last) > 0 {
		var q []string
		for _, m := range c.Last {
			q = append(q, quote(clip(m, maxLine)))
		}
		blocks = append(blocks, section("*Last messages*\n"+strings.Join(q, "\n")))
	}

	status, closed := cardStatus(n)
	context := status
	if !c.Opened.IsZero() {
		context += fmt.Sprintf(" · opened <!date^%d^{date_short_pretty} {time}|%s>", c.Opened.Unix(), c.Opened.UTC().Format("2006-01-02 15:04 UTC"))
	}
	blocks = append(blocks, slack.NewContextBlock("status", mrkdwn(context)))

	if !closed {
		var buttons []slack.BlockElement
		value := buttonValue(c)
		if c.Agent == "" {
			claim := slack.NewButtonBlockElement(actionClaim, value, plainText("Claim"))
			claim.Style = slack.StylePrimary
			buttons = append(buttons, claim)
		} else {
			buttons = append(buttons, slack.NewButtonBlockElement(actionRelease, value, plainText("Release")))
		}
		resolve := slack.NewButtonBlockElement(actionResolve, value, plainText("Resolve"))
		resolve.Style = slack.StyleDanger
		resolve.Confirm = slack.NewConfirmationBlockObject(plainText("Resolve this case?"),
			plainText("The customer goes back to the bot and is asked to rate the conversation."),
			plainText("Resolve"), plainText("Cancel"))
		buttons = append(buttons, resolve)
		blocks = append(blocks, slack.NewActionBlock("case_actions", buttons...))
	}

	text := fmt.Sprintf("%s %s: %s · %s", teamTitle(c), c.ID, escapeLine(who), plainStatus(status))
	return blocks, clip(text, maxLine)
}

// cardStatus says where the case stands after n, and whether it is over.
func cardStatus(n bot.DeskNote) (status string, closed bool) {
	c := n.Case
	switch n.Kind {
	case bot.DeskClosed:
		switch n.Text {
		case "resolved":
			return ":white_check_mark: Resolved by " + agentRef(c), true
		case "left":
			return ":leftwards_arrow_with_hook: Closed: the customer went back to the bot", true
		}
		return ":white_check_mark: Closed", true
	case bot.DeskTimedOut:
		return ":alarm_clock: Waiting: nobody claimed it in time, the customer was asked for a contact", false
	case bot.DeskOpened:
		if n.Text == "closed" {
			return ":crescent_moon: Arrived while the team is closed: the customer was asked for a contact", false
		}
		if n.Position > 0 {
			return fmt.Sprintf(":hourglass_flowing_sand: Waiting: number %d in the queue", n.Position), false
		}
	}
	if c.Agent != "" {
		return ":raising_hand: Claimed by " + agentRef(c), false
	}
	return ":hourglass_flowing_sand: Waiting for an agent", false
}

// plainStatus drops the emoji and mentions of a status for the
// notification text.
func plainStatus(s string) string {
	if strings.HasPrefix(s, ":") {
		if i := strings.Index(s[1:], ": "); i >= 0 {
			s = s[i+3:]
		}
	}
	return s
}

// summaryLines are the facts the bot collected: the flow's summary lines,
// or else the slots.
func summaryLines(c bot.Case) []string {
	src := c.Summary
	if len(src) == 0 {
		for _, k := range slices.Sorted(maps.Keys(c.Slots)) {
			if k == "contact" {
				continue // a field of its own
			}
			src = append(src, k+": "+c.Slots[k])
		}
	}
	var lines []string
	for _, l := range src {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(lines) == maxLines {
			lines = append(lines, "• …")
			break
		}
		lines = append(lines, "• "+clip(escapeLine(l), maxLine))
	}
	// Keep within a section's limit.
	for len(lines) > 1 && len(strings.Join(lines, "\n")) > maxSectionText {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func mentions(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func teamEmoji(team string) string {
	switch team {
	case "sales":
		return "🛒"
	case "support":
		return "🛠️"
	}
	return "💬"
}

func teamTitle(c bot.Case) string {
	switch c.Team {
	case "sales":
		return "Sales lead"
	case "support":
		return "Support case"
	}
	if c.TeamName != "" {
		return c.TeamName + " case"
	}
	return "Case"
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clip(s, maxFieldText), false, false)
}

func section(s string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, clip(s, maxSectionText), false, false), nil, nil)
}

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}
