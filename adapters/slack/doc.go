// Package slack is the agent desk on Slack: a case card per handoff in the
// team's channel, with Claim / Release / Resolve buttons, and the card's
// thread as the conversation with the customer.
//
// A *Desk is the bot.Desk of the engine (Post turns desk notes into cards,
// thread replies and private hints) and the other way round it turns what
// agents do in Slack into bot.Messages of kind bot.KindAgent for the
// engine's Handler:
//
//   - a click on Claim, Release or Resolve is the action of that name;
//   - a reply in a case thread is "reply", sent to the customer under the
//     agent's display name; a reply starting with "//" is "note", kept in
//     the transcript and never sent;
//   - /sportello queue and /sportello stats answer the agent privately.
//
// Slack reaches the desk over Socket Mode (Config.AppToken: Run keeps one
// WebSocket open, no public URL needed) or over HTTP (Config.SigningSecret:
// the handlers of EventsHandler, InteractivityHandler and CommandsHandler
// check every request's signature and timestamp). Either way a request is
// acknowledged at once and handled after, since Slack retries what is not
// acknowledged within 3 seconds; the agent's actions carry Slack's event
// ID (or the click's action_ts) as their message ID, so the engine handles
// a retried event once, on whichever replica it lands.
//
// What replicas share lives in the bot.Directory: the card of each case
// (channel and ts, keyed by case ID) and the case of each thread, so any
// replica can update a card that another posted.
//
// Customer text is escaped before it reaches Slack (&, <, > per Slack's
// rules, broadcast words defused), so a customer cannot ping @channel,
// mention users or slip in links.
package slack
