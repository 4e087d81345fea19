package main

// The protections that held in the first attack, tried again.

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/adapters/telegram/telegramfake"
)

// P-slack. Requests that claim to be Slack.
func checkSlackSignatures(c *C) {
	w := c.w
	challenge := []byte(`{"token":"x","challenge":"redteam-challenge","type":"url_verification"}`)
	_, cmdForm := slackfake.Command(agentAnna, supportCh, "stats")
	bodies := map[string][]byte{
		"/slack/events":        challenge,
		"/slack/interactivity": slackfake.InteractionForm(json.RawMessage(`{"type":"block_actions","actions":[]}`)),
		"/slack/commands":      []byte(cmdForm.Encode()),
	}
	sign := func(secret string, body []byte, ts string) string {
		m := hmac.New(sha256.New, []byte(secret))
		fmt.Fprintf(m, "v0:%s:%s", ts, body)
		return "v0=" + hex.EncodeToString(m.Sum(nil))
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	old := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
	future := strconv.FormatInt(time.Now().Add(6*time.Minute).Unix(), 10)
	hc := client(w.ip())
	var seen []string
	for path, body := range bodies {
		ctype := "application/x-www-form-urlencoded"
		if path == "/slack/events" {
			ctype = "application/json"
		}
		cases := []struct {
			name     string
			ts, sig  string
			body     []byte
			want     int
			wantBody string
		}{
			{"unsigned", "", "", body, 401, ""},
			{"signed with another secret", now, sign("guessed-secret", body, now), body, 401, ""},
			{"a signature of another body", now, sign(w.slackSecret, body, now), append([]byte(" "), body...), 401, ""},
			{"6 minutes old", old, sign(w.slackSecret, body, old), body, 401, ""},
			{"6 minutes ahead", future, sign(w.slackSecret, body, future), body, 401, ""},
			{"v1 scheme", now, "v1=" + sign(w.slackSecret, body, now)[3:], body, 401, ""},
			{"a truncated signature", now, sign(w.slackSecret, body, now)[:20], body, 401, ""},
			{"a timestamp that is no number", "abc", sign(w.slackSecret, body, "abc"), body, 401, ""},
			{"rightly signed", now, sign(w.slackSecret, body, now), body, 200, ""},
		}
		var codes []string
		for _, tc := range cases {
			hdr := []string{}
			if tc.ts != "" {
				hdr = append(hdr, "X-Slack-Request-Timestamp", tc.ts)
			}
			if tc.sig != "" {
				hdr = append(hdr, "X-Slack-Signature", tc.sig)
			}
			r := do(hc, request("POST", w.base+path, ctype, tc.body, hdr...))
			c.Expect(r.status == tc.want, "%s %s: %s, want %d", path, tc.name, r, tc.want)
			codes = append(codes, strconv.Itoa(r.status))
		}
		seen = append(seen, path+": "+strings.Join(codes, " "))
	}
	get := do(hc, request("GET", w.base+"/slack/events", "", nil))
	c.Expect(get.status == 405, "GET /slack/events: %s", get)
	c.Logf("unsigned, another secret, another body, 6 min old, 6 min ahead, v1, truncated, bad timestamp, right: %s; GET %d", strings.Join(seen, "; "), get.status)
}

// P-telegram. Requests that claim to be Telegram.
func checkTelegramSecret(c *C) {
	w := c.w
	const chat = 7002
	marker := "forged-" + randomHex(4)
	body := func() []byte {
		b, _ := json.Marshal(map[string]any{"update_id": 80000 + time.Now().UnixNano()%1000, "message": map[string]any{
			"message_id": 5, "date": time.Now().Unix(), "chat": telegramfake.PrivateChat(chat), "from": telegramfake.User(chat, "it"), "text": marker}})
		return b
	}
	hc := client(w.ip())
	var codes []string
	for _, tc := range []struct {
		name, secret string
		set          bool
	}{
		{"no secret", "", false},
		{"an empty secret", "", true},
		{"a wrong secret", "tg_" + randomHex(16), true},
		{"the secret's prefix", w.tgSecret[:len(w.tgSecret)-1], true},
		{"the secret and one more character", w.tgSecret + "x", true},
		{"the secret in capitals", strings.ToUpper(w.tgSecret), true},
		{"the secret with a space inside", w.tgSecret[:4] + " " + w.tgSecret[4:], true},
	} {
		req := request("POST", w.base+"/telegram/webhook", "application/json", body())
		if tc.set {
			req.Header["X-Telegram-Bot-Api-Secret-Token"] = []string{tc.secret}
		}
		r := do(hc, req)
		c.Expect(r.status == 401, "%s: %s", tc.name, r)
		codes = append(codes, strconv.Itoa(r.status))
	}
	// Two headers, the wrong first.
	req := request("POST", w.base+"/telegram/webhook", "application/json", body())
	req.Header["X-Telegram-Bot-Api-Secret-Token"] = []string{"wrong", w.tgSecret}
	r := do(hc, req)
	c.Expect(r.status == 401, "two secret headers, the wrong first: %s", r)
	codes = append(codes, strconv.Itoa(r.status))
	get := do(hc, request("GET", w.base+"/telegram/webhook", "", nil, "X-Telegram-Bot-Api-Secret-Token", w.tgSecret))
	c.Expect(get.status == 405 || get.status == 404, "GET with the secret: %s", get)
	time.Sleep(2 * time.Second)
	c.Expect(!w.archived("telegram:"+strconv.Itoa(chat), marker, time.Second), "a forged update was archived")
	c.Expect(len(w.tg.Sent(chat)) == 0, "the bot answered a forged update")
	c.Logf("no secret, empty, wrong, prefix, one more character, capitals, a space inside, two headers: %s; GET %d; nothing archived, nothing answered", strings.Join(codes, " "), get.status)
}

// xssPayloads are what a hostile customer writes.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(2)>`,
	`<svg/onload=alert(3)>`,
	`javascript:alert(4)`,
	`</textarea><iframe srcdoc="<script>alert(5)</script>">`,
	`{{template "x"}} ${alert(6)}`,
	`<!channel> <!here> <@U1ANNA> <http://evil.example|click here> <#C0SALES>`,
	`=HYPERLINK("http://evil.example","x")`,
}

// rawMarkup are strings that must never appear unescaped in a page.
var rawMarkup = []string{"<script>alert(", "<img src=x", "<svg/onload", "<iframe", "<svg onload"}

// P-xss. Markup in what customers (and a Slack name) write.
func checkXSS(c *C) {
	w := c.w
	// Web chat: text, then a handoff so that Slack shows it.
	v := w.mustVisitor()
	for _, p := range xssPayloads {
		v.say(p)
	}
	v.say("voglio parlare con un operatore")
	v.say("<script>alert('after handoff')</script> <!channel>")
	card, ok := w.cardOf(supportCh, v.address(), 15*time.Second)
	c.Expect(ok, "no card for the web chat handoff")

	// Telegram: names, a caption, a file name.
	const chat = 7003
	from := map[string]any{"id": chat, "is_bot": false, "first_name": `<script>alert(8)</script>`, "last_name": `"><img src=x onerror=alert(9)>`,
		"username": "x<svg onload=alert(10)>", "language_code": "it"}
	msg := func(fields map[string]any) map[string]any {
		m := w.tg.Message(chat, "it", fields)
		m["from"] = from
		return m
	}
	w.tg.Push(map[string]any{"message": msg(map[string]any{"text": "voglio parlare con un operatore"})})
	w.tg.Push(map[string]any{"message": msg(map[string]any{"caption": `<img src=x onerror=alert(11)> <!channel>`, "photo": []map[string]any{{"file_id": "AgAD1", "file_unique_id": "u3", "width": 9, "height": 9}}})})
	w.tg.Push(map[string]any{"message": msg(map[string]any{"caption": "ricevuta", "document": map[string]any{"file_id": "BQAD1", "file_unique_id": "u4", "file_name": `"><svg onload=alert(12)>.pdf`, "mime_type": "application/pdf"}})})
	waitFor(20*time.Second, func() bool { return w.tg.Pending() == 0 })
	tgCard, ok := w.cardOf(supportCh, "telegram:"+strconv.Itoa(chat), 15*time.Second)
	c.Expect(ok, "no card for the Telegram handoff")

	// An agent whose Slack name is markup claims both and replies.
	for _, cd := range []slackfake.Message{card, tgCard} {
		if cd.TS == "" {
			continue
		}
		w.click(agentEvil, cd, "sportello_claim")
		time.Sleep(300 * time.Millisecond)
		w.signedSlack("/slack/events", slackfake.ThreadReply("EvX"+randomHex(4), agentEvil, cd.Channel, cd.TS, `<script>alert(13)</script> salve`), time.Now())
	}
	v.waitLine("agent", "salve", 10*time.Second)
	waitFor(10*time.Second, func() bool {
		for _, s := range w.tg.Sent(chat) {
			if strings.Contains(s.Text, "salve") {
				return true
			}
		}
		return false
	})

	// The web chat gives the name as data, cleaned of the override.
	lines, _ := v.history()
	for _, l := range lines {
		if l.Type == "agent" {
			c.Expect(!strings.ContainsRune(l.From, '\u202e'), "the agent's name reaches the web chat with an RTL override: %q", l.From)
		}
	}
	// Telegram, in HTML mode, gets it escaped.
	for _, s := range w.tg.Sent(chat) {
		if strings.Contains(s.Text, "salve") {
			c.Expect(!strings.Contains(s.Text, "<script>") && !strings.Contains(s.Text, "<img"), "Telegram got markup: %q (%s)", s.Text, s.ParseMode)
			c.Logf("Telegram got the agent's reply as %q (parse mode %s)", short(s.Text, 120), s.ParseMode)
		}
	}

	// Slack: no mention, channel ping or link of the customer's survives.
	var slackRaw []string
	for _, ch := range []string{supportCh, salesCh} {
		for _, m := range w.sl.Cards(ch) {
			all := m.Text + "\n" + slackfake.BlockText(m)
			for _, t := range w.sl.Thread(ch, m.TS) {
				all += "\n" + t.Text + "\n" + slackfake.BlockText(t)
			}
			for _, bad := range []string{"<!channel>", "<!here>", "<http://evil.example|", "<#C0SALES>", "<@U1ANNA> <http"} {
				if strings.Contains(all, bad) {
					slackRaw = append(slackRaw, bad)
				}
			}
		}
	}
	c.Expect(len(slackRaw) == 0, "customer markup reached Slack raw: %v", slackRaw)

	// The review pages.
	time.Sleep(2 * time.Second) // the archive
	w.archived(v.address(), "after handoff", 20*time.Second)
	m := w.browser(w.ip())
	if !c.Expect(m.signIn(manager, w.managerPW).status == http.StatusSeeOther, "sign in") {
		return
	}
	pages := []string{"/review/", "/review/?q=alert", "/review/?q=" + url.QueryEscape(`"><script>alert(1)</script>`),
		"/review/dashboard", "/review/dead-letters", "/review/signin?next=" + url.QueryEscape(`/review/"><script>alert(1)</script>`)}
	for _, addr := range []string{v.address(), "telegram:" + strconv.Itoa(chat)} {
		pages = append(pages, "/review/?address="+url.QueryEscape(addr))
		list := m.get("/review/?address=" + url.QueryEscape(addr)).body
		if i := strings.Index(list, "/review/c?id="); i >= 0 {
			id := list[i+len("/review/c?id="):]
			id = id[:strings.IndexAny(id, `"&`)]
			id, _ = url.QueryUnescape(id)
			pages = append(pages, "/review/c?id="+url.QueryEscape(id), "/review/c?id="+url.QueryEscape(id)+"&print=1")
			csv := m.get("/review/c/export?format=csv&id=" + url.QueryEscape(id))
			for _, l := range strings.Split(csv.body, "\n") {
				for _, f := range strings.Split(l, ",") {
					f = strings.TrimPrefix(f, `"`)
					c.Expect(f == "" || !strings.ContainsRune("=+-@", rune(f[0])) || strings.HasPrefix(f, "-0") || f == "-", "a CSV cell starts a formula: %q", short(f, 60))
				}
			}
			c.Expect(csv.header.Get("Content-Disposition") != "" && strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv"), "the CSV export's headers: %v", csv.header)
		} else {
			c.Expect(false, "no conversation listed for %s", addr)
		}
	}
	var checked int
	for _, p := range pages {
		r := m.get(p)
		checked++
		for _, bad := range rawMarkup {
			c.Expect(!strings.Contains(r.body, bad), "%s holds %q unescaped", p, bad)
		}
		c.Expect(!strings.ContainsRune(r.body, '\u202e'), "%s holds an RTL override", p)
		if r.status == 200 {
			c.Expect(strings.Contains(r.header.Get("Content-Security-Policy"), "script-src 'self'"), "%s without a CSP", p)
		}
	}
	c.Logf("%d hostile texts, names, a caption and a file name (web chat, Telegram, a Slack display name): none raw in %d review pages, the CSV export neutralises formulas, Slack got no live mention, ping or link, Telegram got the agent's name escaped", len(xssPayloads)+6, checked)
}

// P-csrf. Every form of the review pages.
func checkCSRF(c *C) {
	w := c.w
	mgr := w.browser(w.ip())
	mgr.signIn(manager, w.managerPW)
	token := mgr.csrf("/review/")
	other := w.browser(w.ip())
	otherToken := other.csrf("/review/signin")
	host := strings.TrimPrefix(w.base, "http://")
	type tc struct {
		name string
		b    *browser
		path string
		form url.Values
		hdr  []string
		want int
	}
	cases := []tc{
		{"sign-out without a token", mgr, "/review/signout", url.Values{}, nil, 403},
		{"sign-out with another session's token", mgr, "/review/signout", url.Values{"csrf": {otherToken}}, nil, 403},
		{"sign-out from another site", mgr, "/review/signout", url.Values{"csrf": {token}}, []string{"Origin", "https://evil.example"}, 403},
		{"sign-out from a sandboxed frame", mgr, "/review/signout", url.Values{"csrf": {token}}, []string{"Origin", "null"}, 403},
		{"sign-in without a token", other, "/review/signin", url.Values{"name": {manager}, "password": {w.managerPW}}, nil, 403},
		{"sign-in with the manager's token", other, "/review/signin", url.Values{"csrf": {token}, "name": {manager}, "password": {w.managerPW}}, nil, 403},
		{"sign-in from another site", other, "/review/signin", url.Values{"csrf": {otherToken}, "name": {manager}, "password": {w.managerPW}}, []string{"Origin", "https://evil.example"}, 403},
		{"sign-in without a cookie", w.browser(w.ip()), "/review/signin", url.Values{"csrf": {otherToken}, "name": {manager}, "password": {w.managerPW}}, nil, 403},
	}
	var codes []string
	for _, x := range cases {
		r := x.b.postForm(x.path, x.form, x.hdr...)
		c.Expect(r.status == x.want, "%s: %s, want %d", x.name, r, x.want)
		codes = append(codes, strconv.Itoa(r.status))
	}
	// A text/plain form (what a cross-site <form enctype=text/plain> sends).
	r := do(mgr.hc, request("POST", w.base+"/review/signout", "text/plain", []byte("csrf="+token)))
	c.Expect(r.status == 415, "a text/plain form: %s", r)
	codes = append(codes, strconv.Itoa(r.status))
	g := do(mgr.hc, request("GET", w.base+"/review/signout", "", nil))
	c.Expect(g.status == 405, "GET /review/signout: %s", g)
	c.Expect(mgr.get("/review/").status == 200, "the manager was signed out by a forged form")
	ok := mgr.postForm("/review/signout", url.Values{"csrf": {token}}, "Origin", "http://"+host)
	c.Expect(ok.status == http.StatusSeeOther, "the real sign-out from the page: %s", ok)
	c.Logf("no token, another session's, another site, null, sign-in without a token, with the manager's, another site, no cookie, text/plain: %s; GET sign-out %d; the manager stayed signed in until the real form", strings.Join(codes, " "), g.status)
}

// P-traversal. Paths that climb out of the assets.
func checkTraversal(c *C) {
	w := c.w
	mgr := w.browser(w.ip())
	mgr.signIn(manager, w.managerPW)
	cookie := mgr.cookieValue()
	paths := []string{
		"/review/assets/../../../../etc/passwd",
		"/review/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
		"/review/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
		"/review/assets/..%5c..%5ctemplates%5clayout.html",
		"/review/assets/../templates/layout.html",
		"/review/assets/%2e%2e%2ftemplates%2flayout.html",
		"/review/assets/review.css%00.html",
		"/review/assets//etc/passwd",
		"/chat/assets/../../../etc/passwd",
		"/chat/assets/..%2f..%2fapi.go",
		"/chat/assets/%2e%2e%2fassets.go",
		"/chat/assets/chat.js/../../../../etc/passwd",
		"//etc/passwd",
		"/..%2f..%2f..%2fetc%2fpasswd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/review/c?id=../../../etc/passwd",
		"/review/c/export?format=csv&id=..%2f..%2fetc%2fpasswd",
		"/widget.js/../../etc/passwd",
	}
	var codes []string
	for _, p := range paths {
		status, body := rawGet(w.addr, p, "sportello_review="+cookie)
		leaked := strings.Contains(body, "root:x:0:0") || strings.Contains(body, "{{define") || strings.Contains(body, "{{template") || strings.Contains(body, "package ")
		c.Expect(!leaked, "%s leaked a file (%d)", p, status)
		codes = append(codes, strconv.Itoa(status))
	}
	c.Logf("%d climbing paths sent raw (dot segments, encoded slashes and backslashes, NUL, doubled slashes) on the review and chat assets and the transcript ID: answers %s; no file outside the assets", len(paths), strings.Join(codes, " "))
}

// rawGet sends a request line as written, with no client cleaning the path.
func rawGet(addr, path, cookie string) (int, string) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, ""
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nAccept: text/html\r\nConnection: close\r\n\r\n", path, addr, cookie)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, ""
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for b.Len() < 1<<20 {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

// P-secrets. What the server logged at debug level during the whole attack.
func checkSecretsInLog(c *C) {
	w := c.w
	log := w.logText()
	secrets := map[string]string{
		"the Telegram token":                 telegramfake.Token,
		"the Telegram token's secret part":   telegramfake.Token[strings.IndexByte(telegramfake.Token, ':')+1:],
		"the Telegram webhook secret":        w.tgSecret,
		"the Slack bot token":                w.slackToken,
		"the Slack signing secret":           w.slackSecret,
		"the web chat key":                   w.webchatKey,
		"the review key":                     w.reviewKey,
		"the manager's password":             w.managerPW,
		"the PostgreSQL password in the URL": w.pgPassword,
	}
	for i, pw := range w.oldPasswords {
		secrets[fmt.Sprintf("the manager's password before change %d", i+1)] = pw
	}
	for what, s := range secrets {
		c.Expect(!strings.Contains(log, s), "%s is in the log", what)
	}
	w.mu.Lock()
	tokens, cookies := append([]string(nil), w.tokens...), append([]string(nil), w.cookie...)
	w.mu.Unlock()
	leakedTokens := 0
	for _, t := range tokens {
		if strings.Contains(log, t) || strings.Contains(log, t[3:]) {
			leakedTokens++
		}
	}
	c.Expect(leakedTokens == 0, "%d of %d visitor tokens are in the log", leakedTokens, len(tokens))
	leakedCookies := 0
	for _, ck := range cookies {
		p, _, _ := strings.Cut(ck, ".")
		if strings.Contains(log, ck) || strings.Contains(log, p) {
			leakedCookies++
		}
	}
	c.Expect(leakedCookies == 0, "%d review cookies are in the log", leakedCookies)
	// Nor on Slack, nor Telegram.
	var slackText strings.Builder
	for _, ch := range []string{salesCh, supportCh} {
		for _, m := range w.sl.Cards(ch) {
			slackText.WriteString(m.Text + string(m.Blocks))
			for _, t := range w.sl.Thread(ch, m.TS) {
				slackText.WriteString(t.Text + string(t.Blocks))
			}
		}
	}
	inSlack := 0
	for _, t := range tokens {
		if strings.Contains(slackText.String(), t[3:]) {
			inSlack++
		}
	}
	c.Expect(inSlack == 0, "%d visitor tokens on Slack", inSlack)
	debug := strings.Count(log, `"level":"DEBUG"`)
	c.Logf("a %d KB log (%d lines at DEBUG) holds none of the 9 secrets, none of %d visitor tokens, none of %d review cookies; Slack's cards and threads hold no visitor token",
		len(log)>>10, debug, len(tokens), len(cookies))
}
