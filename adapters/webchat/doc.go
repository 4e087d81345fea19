// Package webchat is the web chat channel: a chat page served by the
// binary, an embeddable widget for a shop's own site, and a small JSON and
// server-sent-events API between them. It needs no configuration, no
// token and no external CDN: the page, its CSS and JS are embedded.
//
// A *Chat is both a bot.Channel (Send pushes replies to the visitor's open
// pages) and an http.Handler that serves:
//
//	GET  /                   the chat page; ?embed=1 is the widget's iframe
//	GET  /widget.js          the widget: one <script> tag on any site
//	GET  /chat/assets/NAME   the page's script and style sheet
//	POST /chat/visitors      201 {"visitor":"v1.<43 characters>"}: a new visitor token
//	POST /chat/messages      {"visitor","id","text","payload","lang"}: one customer message
//	GET  /chat/history       ?visitor=V: {"lines":[...]}, the conversation so far
//	GET  /chat/events        ?visitor=V: server-sent events, one "reply" per line
//
// A visitor is a token the server issued: random bytes and their
// HMAC-SHA256 under Config.Key (see visitor.go), kept by the page in
// localStorage, so a reload keeps the conversation. Anyone holding the
// token can read the conversation, as with a session cookie; any string
// the server did not issue is refused with 400 "bad_visitor" on every
// endpoint, and the page asks for a new visitor. The address of the
// conversation is bot.Address{Channel: "web", ChatID: chat}, where chat is
// a one-way digest of the token: what logs and Slack show cannot be used
// as a token.
//
// Each posted message carries an ID made by the page (1 to 64 letters,
// digits, '-' or '_'); the engine receives it as Message.ID
// "web:CHAT:ID", so a POST retried after a timeout or a 503 is handled
// once. The POST returns when the engine has committed the message:
//
//	200 {"ok":true}                       committed (or committed before)
//	400 {"error":...,"code":...}          invalid JSON, visitor or ID, or nothing to send
//	403 code "origin"                     sent by a page of a site not allowed
//	413                                   body over Config.MaxBody
//	415 code "content_type"               not Content-Type: application/json
//	429 + Retry-After                     over the flood limits (per visitor, per address)
//	503 + Retry-After                     the engine failed: retry with the same ID
//
// Every API request passes an Origin check first: the chat's own pages,
// Config.AllowedOrigins (answered with CORS headers) and requests without
// Origin (not a browser's cross-site request) are let through, others get
// 403. New visitors, messages and streams are bounded per client (its
// IPv4 address or IPv6 /64: guard.Proxies.ClientNet) and server-wide.
//
// Replies travel as lines, the same shape in history and on the stream:
//
//	{"type":"bot"|"agent"|"system"|"desk"|"customer","text":...,"buttons":[{"title","payload"}],"from":"Anna","time":...}
//
// A "desk" line is a system line of the demo's in-process desk
// (bot.DeskLinePrefix), which the page shows apart.
//
// The stream starts with an event "ready" once the connection is
// registered; the page loads the history after it, so no reply falls
// between the two. A visitor may hold Config.MaxStreams streams at once
// (tabs), a client address MaxAddressStreams, the server MaxOpenStreams;
// one more gets 429 (503 when the server is full). A stream that cannot keep up is closed, and
// the page reconnects and reloads the history. When the visitor has no
// open stream, Send returns nil: the reply is in the transcript, and the
// page shows it when it reconnects.
//
// The page is served with a Content-Security-Policy that allows scripts
// and styles from this origin only (no inline script), and with
// frame-ancestors * by default: the widget shows the page in an iframe on
// the shop's site, which is the point of it. The page holds nothing a
// framing site could abuse (a visitor's anonymous conversation); listing
// Config.AllowedOrigins restricts it to those sites, and
// Config.FrameAncestors sets it outright. See docs/webchat.md.
package webchat
