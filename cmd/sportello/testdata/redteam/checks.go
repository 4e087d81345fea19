package main

// checks lists the attack in the order it runs. The slow ones hold
// connections for a minute and run in the background beside the rest.
func checks() []check {
	return []check{
		{id: "F3a", title: "a request body trickled a byte every 5 s is cut off", run: checkTrickle, slow: true},
		{id: "F3b", title: "an idle keep-alive connection is closed", run: checkIdle, slow: true},
		{id: "F3c", title: "headers trickled slowly are cut off", run: checkSlowHeaders, slow: true},
		{id: "F1", title: "a NUL payload and 30 long messages do not stop the archive", run: checkPoison},
		{id: "F8", title: "PII in chat text is redacted in the archive", run: checkPII},
		{id: "F10a", title: "0\uFFFD/10/0000 is no purchase date", run: checkDate},
		{id: "F10b", title: "a 50 MB flow file is refused with a clear message", run: checkBigFlow},
		{id: "F2a", title: "made-up visitor IDs are refused everywhere and create nothing", run: checkMadeUpVisitors},
		{id: "F2b", title: "the web chat takes JSON only, from allowed origins only", run: checkOriginAndType},
		{id: "F9", title: "a signed Slack click is honoured only from its card", run: checkSlackClicks},
		{id: "P-slack", title: "forged, stale and altered Slack signatures are refused", run: checkSlackSignatures},
		{id: "P-telegram", title: "a wrong Telegram secret is refused and nothing is recorded", run: checkTelegramSecret},
		{id: "P-xss", title: "markup in chat text, names, captions and file names is escaped in the review pages and Slack", run: checkXSS},
		{id: "F5", title: "a hanging Slack stalls neither the customer in a handoff, nor others, nor timers", run: checkSlackHang},
		{id: "F4", title: "sign-out does not spool a 200 MB upload", run: checkBigSignout},
		{id: "F6", title: "signing out ends the session; a stolen cookie dies with it", run: checkSessions},
		{id: "P-csrf", title: "every review form refuses a cross-site or token-less post", run: checkCSRF},
		{id: "N-redirect", title: "no open redirect through sign-in's next", run: checkOpenRedirect},
		{id: "N-cache", title: "review pages and exports are never cached", run: checkCacheHeaders},
		{id: "P-traversal", title: "no file outside the embedded assets is served", run: checkTraversal},
		{id: "N-headers", title: "oversized headers and request lines are refused", run: checkBigHeaders},
		{id: "N-json", title: "duplicate keys, huge numbers and deep nesting are refused or harmless", run: checkJSONTricks},
		{id: "N-unicode", title: "RTL overrides and oversized names are cleaned and bounded", run: checkUnicode},
		{id: "F7", title: "wrong passwords slow the guesser, never lock the manager out", run: checkSignin},
		{id: "F11", title: "the cost of a message does not grow with the waiting cases", run: checkWaiting},
		{id: "F2c", title: "a flood of new visitors from one address moves neither memory nor another visitor's replies", run: checkVisitorFlood},
		{id: "N-streams", title: "event streams are bounded per visitor, per address and on the server", run: checkStreams},
		{id: "N-ipv6", title: "IPv6 clients of one /64 network share their limits", run: checkIPv6},
		{id: "F2d", title: "new visitors are bounded server-wide, from any number of addresses", run: checkServerWideVisitors},
		{id: "N-command", title: "the desk's slash command from outside the team channels", run: checkQueueCommand},
		{id: "F6b", title: "a password change or a manager's removal ends their sessions", run: checkPasswordChange},
		{id: "N-host", title: "the origin check and a forged Host", run: checkHostHeader},
	}
}
