package main

// The eleven findings of issue 10, each repeated as described there.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/adapters/telegram/telegramfake"
)

// words returns about n bytes of made-up words, all different, so that
// a search vector of them is as large as it can be.
func words(n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	for b.Len() < n {
		l := 4 + rng.IntN(8)
		for range l {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		b.WriteByte(' ')
	}
	return b.String()[:n]
}

// F1. One anonymous message stopped the transcript archive for good.
func checkPoison(c *C) {
	w := c.w
	dead0, _ := w.metric("sportello_archive_dead_letters")

	v := w.mustVisitor()
	r := v.post("ciao", "a\x00b")
	c.Expect(r.status == 200, "a button payload with a NUL: %s", r)
	c.Logf(`"payload":"a\u0000b": %d`, r.status)
	// NUL, C0 controls, an escape sequence, invalid UTF-8 and a lone
	// surrogate in one text, sent raw.
	raw := []byte(`{"visitor":"` + v.token + `","id":"raw1","text":"caf` + "\xe9 \xff\xfe" + ` nul\u0000 bell\u0007 esc\u001b[31m surrogate \ud800 end","lang":"it"}`)
	r = v.postRaw(raw)
	c.Expect(r.status == 200, "NUL, controls and invalid UTF-8 in a text: %s", r)
	c.Logf("NUL, C0, ESC, invalid UTF-8, a lone surrogate in a text: %d", r.status)

	// Thirty long messages of made-up words in one conversation.
	long := w.mustVisitor()
	ok := 0
	for i := range 30 {
		if r := long.say(words(31_000, uint64(i))); r.status == 200 {
			ok++
		} else {
			c.Expect(false, "long message %d: %s", i, r)
		}
	}
	c.Logf("30 messages of 31 KB of words: %d taken", ok)

	// The same poison from Telegram: NUL in the text, the names, a caption,
	// a file name and a button's data.
	const tgChat = 7001
	from := map[string]any{"id": tgChat, "is_bot": false, "first_name": "Ma\x00rio\x01", "last_name": "Ro\x00ssi", "username": "u\x00x", "language_code": "it\x00"}
	msg := func(fields map[string]any) map[string]any {
		m := w.tg.Message(tgChat, "it", fields)
		m["from"] = from
		return m
	}
	ids := []int64{
		w.tg.Push(map[string]any{"message": msg(map[string]any{"text": "ciao\x00 come va"})}),
		w.tg.Push(map[string]any{"message": msg(map[string]any{"caption": "scontrino\x00 acquisto", "photo": []map[string]any{{"file_id": "AgAD\x00x", "file_unique_id": "u1", "width": 90, "height": 90, "file_size": 100}}})}),
		w.tg.Push(map[string]any{"message": msg(map[string]any{"caption": "fattura", "document": map[string]any{"file_id": "BQAD\x00y", "file_unique_id": "u2", "file_name": "fattura\x00.pdf", "mime_type": "application/pdf\x00"}})}),
		w.tg.Push(map[string]any{"callback_query": map[string]any{"id": "cq\x00", "from": from, "chat_instance": "ci", "data": "a\x00b",
			"message": map[string]any{"message_id": 1, "chat": telegramfake.PrivateChat(tgChat), "date": time.Now().Unix(), "text": "x"}}}),
	}
	// And raw invalid UTF-8, as only a forger with the secret could send.
	rawTG := []byte(fmt.Sprintf(`{"update_id":90001,"message":{"message_id":77,"date":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"caf%s"},"text":"caf%s"}}`, time.Now().Unix(), tgChat, tgChat, "\xe9", "\xe9 \xff"))
	r = w.telegramUpdate(rawTG)
	c.Expect(r.status == 200, "a Telegram update with invalid UTF-8: %s", r)
	waitFor(20*time.Second, func() bool { return w.tg.Pending() == 0 })
	var codes []int
	for _, id := range ids {
		cs := w.tg.WebhookCodes(id)
		if len(cs) > 0 {
			codes = append(codes, cs[len(cs)-1])
		}
	}
	c.Expect(w.tg.Pending() == 0 && len(codes) == len(ids) && !slices.ContainsFunc(codes, func(n int) bool { return n != 200 }),
		"Telegram updates with NUL bytes: webhook answered %v, %d pending", codes, w.tg.Pending())
	c.Logf("4 Telegram updates with NUL in text, names, caption, file name, button data, and one with invalid UTF-8: webhook answered %v and 200", codes)

	// Then a normal conversation must reach PostgreSQL.
	after := w.mustVisitor()
	after.say("quanto costa la spedizione?")
	reached := w.archived(after.address(), "spedizione", 60*time.Second)
	c.Expect(reached, "the normal conversation after the poison never reached PostgreSQL")
	c.Logf("a normal conversation afterwards reached PostgreSQL: %v", reached)
	c.Expect(w.archived(v.address(), "ciao", 10*time.Second), "the NUL conversation is not archived")
	c.Expect(w.archived("telegram:"+strconv.Itoa(tgChat), "ciao", 10*time.Second), "the Telegram conversation with NULs is not archived")
	// The event log is sharded by conversation: another conversation's
	// events may be archived first.
	var n int
	waitFor(30*time.Second, func() bool {
		n = w.pgCount(`SELECT count(*) FROM events e JOIN conversations c ON c.id = e.conversation_id WHERE c.address = $1 AND e.type = 'customer'`, long.address())
		return n >= 30
	})
	maxLen := w.pgCount(`SELECT coalesce(max(char_length(e.text)), 0) FROM events e JOIN conversations c ON c.id = e.conversation_id WHERE c.address = $1`, long.address())
	c.Expect(n == 30, "the long conversation has %d customer events archived, want 30", n)
	c.Expect(maxLen <= 4096+8, "an archived text of %d characters", maxLen)
	c.Logf("the long conversation: %d customer events archived, the longest %d characters", n, maxLen)
	tsv := w.pgCount(`SELECT coalesce(max(pg_column_size(search)), 0) FROM conversations WHERE address = $1`, long.address())
	if tsv >= 0 {
		c.Logf("its search vector: %d bytes", tsv)
	}
	bad := w.pgCount(`SELECT count(*) FROM events WHERE text ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\ufffe]' OR data::text LIKE '%\\u0000%'`)
	c.Expect(bad == 0, "%d archived events hold control characters", bad)
	dead, ok2 := w.metric("sportello_archive_dead_letters")
	c.Expect(ok2 && dead == dead0, "dead letters went from %v to %v", dead0, dead)
	c.Logf("archived events with control characters: %d; dead letters in /metrics: %v", bad, dead)
}

// waitFor polls cond until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}

// F2a. Any 32-hex string was accepted as a visitor.
func checkMadeUpVisitors(c *C) {
	w := c.w
	real := w.mustVisitor()
	flipped := []byte(real.token)
	if flipped[len(flipped)-2] == 'A' {
		flipped[len(flipped)-2] = 'B'
	} else {
		flipped[len(flipped)-2] = 'A'
	}
	madeUp := map[string]string{
		"32 hex (the old form)":                  randomHex(16),
		"v1. and 43 random characters":           "v1." + strings.Repeat("A", 43),
		"an issued token, its MAC changed":       string(flipped),
		"an issued token, one more byte":         real.token + "A",
		"empty":                                  "",
		"the visitor's chat ID (what logs show)": real.chat(),
		"v1. and the chat ID":                    "v1." + real.chat() + "00000000000",
		"a NUL":                                  "v1.\x00",
	}
	hc := client(w.ip())
	for name, tok := range madeUp {
		body, _ := json.Marshal(map[string]string{"visitor": tok, "id": "m1", "text": "ciao"})
		post := do(hc, request("POST", w.base+"/chat/messages", "application/json", body))
		hist := do(hc, request("GET", w.base+"/chat/history?visitor="+url.QueryEscape(tok), "", nil))
		ev := do(hc, request("GET", w.base+"/chat/events?visitor="+url.QueryEscape(tok), "", nil))
		okAll := post.status == 400 && strings.Contains(post.body, "bad_visitor") && hist.status == 400 && ev.status == 400
		c.Expect(okAll, "%s: messages %s, history %s, events %s", name, post, hist, ev)
	}
	c.Logf("%d kinds of made-up visitor (32 hex, random v1., a changed MAC, one byte more, empty, NUL, the chat ID logs show): 400 bad_visitor on messages, history and events", len(madeUp))

	// A flood of made-up IDs creates nothing.
	keys0, _ := w.rdb.DBSize(context.Background()).Result()
	rss0, _ := w.rss()
	var wg sync.WaitGroup
	var refused atomic.Int32
	began := time.Now()
	for g := range 20 {
		wg.Go(func() {
			hc := client(w.ip())
			for i := range 250 {
				body, _ := json.Marshal(map[string]string{"visitor": "v1." + randomB64(43), "id": fmt.Sprintf("m%d_%d", g, i), "text": "flood"})
				if r := do(hc, request("POST", w.base+"/chat/messages", "application/json", body)); r.status == 400 {
					refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	keys1, _ := w.rdb.DBSize(context.Background()).Result()
	rss1, _ := w.rss()
	c.Expect(refused.Load() == 5000, "%d of 5,000 made-up visitors refused", refused.Load())
	c.Expect(keys1-keys0 < 20, "Redis keys went from %d to %d", keys0, keys1)
	c.Expect(rss1-rss0 < 50, "memory went from %.0f to %.0f MiB", rss0, rss1)
	c.Logf("5,000 made-up tokens from 20 addresses in %s: %d refused, Redis keys %d -> %d, RSS %.0f -> %.0f MiB",
		time.Since(began).Round(100*time.Millisecond), refused.Load(), keys0, keys1, rss0, rss1)
}

func randomB64(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(64)]
	}
	return string(b)
}

// F2b. The API accepted any content type from any page.
func checkOriginAndType(c *C) {
	w := c.w
	v := w.mustVisitor()
	body := func() []byte {
		v.n++
		b, _ := json.Marshal(map[string]string{"visitor": v.token, "id": fmt.Sprintf("o%d", v.n), "text": "ciao"})
		return b
	}
	host := strings.TrimPrefix(w.base, "http://")
	cases := []struct {
		name, ctype string
		hdr         []string
		want        int
	}{
		{"text/plain (an HTML form's enctype)", "text/plain", nil, 415},
		{"form-urlencoded", "application/x-www-form-urlencoded", nil, 415},
		{"multipart", "multipart/form-data; boundary=x", nil, 415},
		{"no content type", "", nil, 415},
		{"json with a charset", "application/json; charset=utf-8", nil, 200},
		{"another site's page", "application/json", []string{"Origin", "https://evil.example"}, 403},
		{"a sandboxed frame (null)", "application/json", []string{"Origin", "null"}, 403},
		{"the host with another port", "application/json", []string{"Origin", "http://127.0.0.1:1"}, 403},
		{"https of the same host", "application/json", []string{"Origin", "https://" + host}, 200},
		{"the chat's own page", "application/json", []string{"Origin", "http://" + host}, 200},
	}
	var seen []string
	for _, tc := range cases {
		r := do(v.hc, request("POST", w.base+"/chat/messages", tc.ctype, body(), tc.hdr...))
		c.Expect(r.status == tc.want, "%s: %s, want %d", tc.name, r, tc.want)
		if tc.want == 403 && r.header.Get("Access-Control-Allow-Origin") != "" {
			c.Expect(false, "%s: CORS allowed: %s", tc.name, r.header.Get("Access-Control-Allow-Origin"))
		}
		seen = append(seen, fmt.Sprintf("%s %d", tc.name, r.status))
	}
	// A foreign page's preflight, history and stream.
	pre := do(v.hc, request("OPTIONS", w.base+"/chat/messages", "", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"))
	hist := do(v.hc, request("GET", w.base+"/chat/history?visitor="+v.token, "", nil, "Origin", "https://evil.example"))
	vis := do(v.hc, request("POST", w.base+"/chat/visitors", "application/json", []byte("{}"), "Origin", "https://evil.example"))
	c.Expect(pre.status == 403 && pre.header.Get("Access-Control-Allow-Origin") == "", "a foreign preflight: %s", pre)
	c.Expect(hist.status == 403, "a foreign page reads the history: %s", hist)
	c.Expect(vis.status == 403, "a foreign page takes a visitor: %s", vis)
	seen = append(seen, fmt.Sprintf("foreign preflight %d, history %d, new visitor %d", pre.status, hist.status, vis.status))
	c.Logf("%s", strings.Join(seen, ", "))
}

// F3a. A body sent a byte every 5 s held its connection for ever.
func checkTrickle(c *C) {
	w := c.w
	type result struct {
		path  string
		held  time.Duration
		bytes int
	}
	paths := []string{"/chat/messages", "/slack/events", "/review/signin"}
	res := make([]result, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			conn, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
			if err != nil {
				return
			}
			defer conn.Close()
			ct := "application/json"
			if p == "/review/signin" {
				ct = "application/x-www-form-urlencoded"
			}
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: 1000\r\n\r\n", p, w.addr, ct)
			began := time.Now()
			closed := make(chan struct{})
			go func() { // the server's answer or its closing
				buf := make([]byte, 4096)
				for {
					if _, err := conn.Read(buf); err != nil {
						close(closed)
						return
					}
				}
			}()
			n := 0
			for time.Since(began) < 90*time.Second {
				select {
				case <-closed:
					res[i] = result{p, time.Since(began), n}
					return
				case <-time.After(5 * time.Second):
				}
				if _, err := conn.Write([]byte("x")); err != nil {
					res[i] = result{p, time.Since(began), n}
					return
				}
				n++
			}
			res[i] = result{p, time.Since(began), n}
		})
	}
	// A crowd of trickling connections beside them: another visitor's
	// replies do not wait for them.
	crowd := make([]net.Conn, 0, 300)
	for range 300 {
		conn, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
		if err != nil {
			break
		}
		fmt.Fprintf(conn, "POST /chat/messages HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", w.addr)
		crowd = append(crowd, conn)
	}
	v := w.mustVisitor()
	r := v.say("quanto costa la spedizione?")
	c.Expect(r.status == 200 && r.took < 2*time.Second, "a visitor beside 300 trickling connections: %s in %s", r, r.took)
	c.Logf("a visitor's message beside 300 trickling connections: %d in %s", r.status, r.took.Round(time.Millisecond))
	wg.Wait()
	for _, conn := range crowd {
		conn.Close()
	}
	for _, x := range res {
		c.Expect(x.path != "" && x.held < 40*time.Second, "%s: a trickled body held the connection %s", x.path, x.held.Round(time.Second))
		c.Logf("%s: closed after %s (%d bytes trickled)", x.path, x.held.Round(time.Second), x.bytes)
	}
}

// F3b. An idle keep-alive connection stayed open for ever.
func checkIdle(c *C) {
	w := c.w
	conn, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
	if !c.Expect(err == nil, "dial: %v", err) {
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", w.addr)
	buf := make([]byte, 4096)
	n, _ := conn.Read(buf)
	c.Expect(strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200"), "healthz: %q", buf[:n])
	began := time.Now()
	conn.SetReadDeadline(time.Now().Add(120 * time.Second))
	_, err = conn.Read(buf)
	held := time.Since(began)
	c.Expect(err != nil && held < 75*time.Second, "an idle keep-alive connection held %s (%v)", held.Round(time.Second), err)
	c.Logf("an idle keep-alive connection was closed after %s", held.Round(time.Second))
}

// F3c. Headers sent slowly (the classic slowloris).
func checkSlowHeaders(c *C) {
	w := c.w
	conn, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
	if !c.Expect(err == nil, "dial: %v", err) {
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\n", w.addr)
	began := time.Now()
	closed := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, err := conn.Read(buf); err != nil {
				close(closed)
				return
			}
		}
	}()
	for i := 0; time.Since(began) < 60*time.Second; i++ {
		select {
		case <-closed:
			held := time.Since(began)
			c.Expect(held < 15*time.Second, "slow headers held the connection %s", held.Round(time.Second))
			c.Logf("a header line every 2 s: closed after %s", held.Round(time.Second))
			return
		case <-time.After(2 * time.Second):
		}
		fmt.Fprintf(conn, "X-Slow-%d: x\r\n", i)
	}
	c.Expect(false, "slow headers held the connection for a minute")
}

// F4. Sign-out parsed a 200 MB multipart body before refusing it.
func checkBigSignout(c *C) {
	w := c.w
	b := w.browser(w.ip())
	b.get("/review/signin") // an anonymous cookie
	cookie := b.cookieValue()
	c.Expect(cookie != "", "no anonymous cookie")
	rss0, _ := w.rss()
	cases := []struct {
		name, ctype string
		length      bool
		want        int
	}{
		{"multipart, 200 MB declared", "multipart/form-data; boundary=XyZ", true, 413}, // the listener refuses it first
		{"multipart, chunked", "multipart/form-data; boundary=XyZ", false, 415},
		{"a form, 200 MB declared", "application/x-www-form-urlencoded", true, 413},
		{"a form, chunked", "application/x-www-form-urlencoded", false, 413},
	}
	for _, tc := range cases {
		conn, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
		if !c.Expect(err == nil, "dial: %v", err) {
			return
		}
		const size = 200 << 20
		hdr := fmt.Sprintf("POST /review/signout HTTP/1.1\r\nHost: %s\r\nCookie: sportello_review=%s\r\nContent-Type: %s\r\n", w.addr, cookie, tc.ctype)
		if tc.length {
			hdr += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
		} else {
			hdr += "Transfer-Encoding: chunked\r\n\r\n"
		}
		began := time.Now()
		conn.Write([]byte(hdr))
		status := make(chan string, 1)
		go func() {
			buf := make([]byte, 4096)
			n, _ := conn.Read(buf)
			status <- string(buf[:n])
		}()
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		if strings.HasPrefix(tc.ctype, "multipart") {
			copy(chunk, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"; filename=\"a.bin\"\r\n\r\n")
		}
		sent := 0
		var answer string
	send:
		for sent < size {
			select {
			case answer = <-status:
				break send
			default:
			}
			conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			var err error
			if tc.length {
				_, err = conn.Write(chunk)
			} else {
				_, err = fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
			}
			if err != nil {
				break
			}
			sent += len(chunk)
		}
		if answer == "" {
			select {
			case answer = <-status:
			case <-time.After(10 * time.Second):
			}
		}
		conn.Close()
		took := time.Since(began)
		code := 0
		if f := strings.Fields(answer); len(f) > 1 {
			code, _ = strconv.Atoi(f[1])
		}
		c.Expect(code == tc.want, "%s: answered %q, want %d", tc.name, firstLine(answer), tc.want)
		c.Expect(sent < 32<<20, "%s: the server took %d MiB before answering", tc.name, sent>>20)
		c.Logf("%s: %d after %s, %d MiB sent before the answer", tc.name, code, took.Round(time.Millisecond), sent>>20)
	}
	rss1, peak := w.rss()
	c.Expect(rss1-rss0 < 50, "memory went from %.0f to %.0f MiB", rss0, rss1)
	c.Logf("RSS %.0f -> %.0f MiB (peak %.0f)", rss0, rss1, peak)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\r\n")
	return l
}

// F5. A Slack that hangs stalled every customer in a handoff, and the
// engine's loop with them.
func checkSlackHang(c *C) {
	w := c.w
	quick := func(what string, r reply) {
		c.Expect(r.status == 200 && r.took < 2*time.Second, "%s while Slack hangs: %s in %s", what, r, r.took)
	}
	release := w.sl.Hang()
	defer release()
	began := time.Now()
	anna := w.mustVisitor()
	var took []time.Duration
	step := func(what string, r reply) {
		quick(what, r)
		took = append(took, r.took)
	}
	step("the first message", anna.say("vorrei comprare due portatili per l'ufficio"))
	step("a button", anna.press("Lenovo ThinkPad E14"))
	step("the budget", anna.say("circa 900 euro a pezzo"))
	step("the handoff", anna.say("scrivetemi a giulia.bianchi@example.it"))
	c.Expect(anna.waitLine("bot", "numero 1", 5*time.Second) || anna.waitLine("bot", "in coda", 1*time.Second), "no place in the queue while Slack hangs: %q", anna.lastBot())
	c.Expect(waitFor(15*time.Second, func() bool { return w.sl.Hanging() > 0 }), "the card never reached the hanging Slack")
	step("a message to the desk", anna.say("avete anche la garanzia estesa?"))
	step("another message to the desk", anna.say("e la consegna in ufficio?"))
	bruno := w.mustVisitor()
	step("another customer's message", bruno.say("quanto costa la spedizione?"))
	c.Expect(bruno.waitLine("bot", "24-48", 5*time.Second), "another customer got no answer while Slack hangs")
	c.Logf("while Slack hangs: the customer's 6 messages and another customer's took %s", durations(took))

	// The sales team waits one minute: the timer fires while Slack hangs.
	fired := anna.waitLine("bot", "occupati", 90*time.Second)
	c.Expect(fired, "the handoff's timer did not fire while Slack hung (last line %q)", anna.lastBot())
	c.Logf("the one-minute handoff timer fired %s after the start, Slack still hanging (%d calls held)", time.Since(began).Round(time.Second), w.sl.Hanging())
	step("the contact", anna.say("chiamatemi al 333 123 4567"))
	c.Expect(len(w.sl.Cards(salesCh)) == 0 || !slices.ContainsFunc(w.sl.Cards(salesCh), func(m slackfake.Message) bool {
		return strings.HasSuffix(slackfake.Button(m, "sportello_claim"), anna.address())
	}), "a card was posted by a hanging Slack")

	release()
	card, ok := w.cardOf(salesCh, anna.address(), 30*time.Second)
	if !c.Expect(ok, "no card after Slack came back") {
		return
	}
	want := []string{"avete anche la garanzia estesa?", "e la consegna in ufficio?", "Nobody claimed", "333"}
	caught := waitFor(40*time.Second, func() bool { return inOrder(threadTexts(w, card), want...) })
	c.Expect(caught, "the desk did not catch up in order: %q", threadTexts(w, card))
	c.Logf("Slack back: the card and its thread caught up in order: %v", caught)
}

func durations(ds []time.Duration) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Round(time.Millisecond).String())
	}
	return strings.Join(out, ", ")
}

func threadTexts(w *world, card slackfake.Message) []string {
	var out []string
	for _, m := range w.sl.Thread(card.Channel, card.TS) {
		out = append(out, m.Text+" "+slackfake.BlockText(m))
	}
	return out
}

// inOrder reports whether each of want is in one of got, in order.
func inOrder(got []string, want ...string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && strings.Contains(g, want[i]) {
			i++
		}
	}
	return i == len(want)
}

// F6. Signing out did not end a session; a stolen cookie worked 12 hours.
func checkSessions(c *C) {
	w := c.w
	anna := w.browser(w.ip())
	r := anna.signIn(manager, w.managerPW)
	if !c.Expect(r.status == http.StatusSeeOther, "sign in: %s", r) {
		return
	}
	var setCookie string
	for _, sc := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "sportello_review=") {
			setCookie = sc
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/review/"} {
		c.Expect(strings.Contains(setCookie, attr), "the session cookie lacks %s: %s", attr, setCookie)
	}
	c.Logf("the session cookie: %s", cookieAttrs(setCookie))
	stolen := anna.cookieValue()
	thief := w.browser(w.ip())
	thief.hc.Jar.SetCookies(mustURL(w.base+"/review/"), []*http.Cookie{{Name: "sportello_review", Value: stolen, Path: "/review/"}})
	c.Expect(thief.get("/review/").status == 200, "the stolen cookie does not work before sign-out (the test is wrong)")

	// A tampered cookie opens nothing.
	p, sig, _ := strings.Cut(stolen, ".")
	tampered := p[:len(p)-2] + "xx." + sig
	forger := w.browser(w.ip())
	forger.hc.Jar.SetCookies(mustURL(w.base+"/review/"), []*http.Cookie{{Name: "sportello_review", Value: tampered, Path: "/review/"}})
	c.Expect(forger.get("/review/").status == http.StatusSeeOther, "a tampered cookie opened the pages")

	// The idle timeout and the lifetime, as the store keeps them.
	ctx := context.Background()
	seen, _ := w.rdb.Keys(ctx, "*review:seen:*").Result()
	recs, _ := w.rdb.Keys(ctx, "*review:session:*").Result()
	var idle, life time.Duration
	for _, k := range seen {
		idle = max(idle, w.rdb.TTL(ctx, k).Val())
	}
	for _, k := range recs {
		life = max(life, w.rdb.TTL(ctx, k).Val())
	}
	c.Expect(len(seen) > 0 && idle <= 30*time.Minute, "the idle key lives %s", idle)
	c.Expect(len(recs) > 0 && life <= 12*time.Hour, "the session record lives %s", life)
	c.Logf("in Redis: idle key TTL %s, record TTL %s", idle.Round(time.Minute), life.Round(time.Minute))
	leaked := false
	for _, k := range append(seen, recs...) {
		if strings.Contains(k, p) {
			leaked = true
		}
	}
	c.Expect(!leaked, "the store keys hold the cookie")

	// Sign out: the stolen copy dies with it, on any address.
	tok := anna.csrf("/review/")
	out := anna.postForm("/review/signout", url.Values{"csrf": {tok}})
	c.Expect(out.status == http.StatusSeeOther, "sign out: %s", out)
	after := thief.get("/review/")
	c.Expect(after.status == http.StatusSeeOther && strings.Contains(after.header.Get("Location"), "/review/signin"), "the stolen cookie after sign-out: %s", after)
	api := do(thief.hc, request("GET", w.base+"/review/export?format=json", "", nil))
	c.Expect(api.status == 401, "the stolen cookie on the export after sign-out: %s", api)
	c.Logf("after sign-out the stolen cookie gets %d (pages) and %d (export); a tampered cookie is sent to sign in", after.status, api.status)

	// Signing in again ends the browser's previous session.
	again := w.browser(w.ip())
	again.signIn(manager, w.managerPW)
	first := again.cookieValue()
	// The sign-in form posted again from a signed-in page.
	re := again.postForm("/review/signin", url.Values{"csrf": {again.csrf("/review/")}, "name": {manager}, "password": {w.managerPW}})
	c.Expect(re.status == http.StatusSeeOther, "signing in again: %s", re)
	old := w.browser(w.ip())
	old.hc.Jar.SetCookies(mustURL(w.base+"/review/"), []*http.Cookie{{Name: "sportello_review", Value: first, Path: "/review/"}})
	c.Expect(first != again.cookieValue() && old.get("/review/").status == http.StatusSeeOther, "signing in again left the previous session open")
}

func cookieAttrs(sc string) string {
	_, attrs, _ := strings.Cut(sc, ";")
	return strings.TrimSpace(attrs)
}

// F7. Five wrong passwords locked the manager out everywhere.
func checkSignin(c *C) {
	w := c.w
	guesser, anna := w.ip(), w.ip()
	g := w.browser(guesser, "X-Forwarded-For", anna) // a direct client: its header is its own word
	var codes []int
	for range 5 {
		r := g.signIn(manager, "guess-"+randomHex(3))
		codes = append(codes, r.status)
		if r.status == 429 {
			ra := r.header.Get("Retry-After")
			_, err := strconv.Atoi(ra)
			c.Expect(err == nil, "Retry-After %q", ra)
		}
	}
	c.Expect(codes[0] == 401 && codes[4] == 429, "five wrong passwords from one address: %v", codes)
	c.Logf("five wrong passwords from %s (with X-Forwarded-For: %s): %v", guesser, anna, codes)
	r := w.browser(anna).signIn(manager, w.managerPW)
	c.Expect(r.status == http.StatusSeeOther, "the real manager from another address after five wrong passwords: %s", r)
	c.Logf("the manager from %s, the address the guesser named: %d", anna, r.status)
	r = w.browser(guesser).signIn(manager, w.managerPW)
	c.Logf("the right password from the guesser's own address, during its delay: %d (Retry-After %s)", r.status, r.header.Get("Retry-After"))
	c.Expect(r.status == 429, "the guesser's address signs in during its delay: %s", r)

	// Behind the trusted proxy: the client is the right-most address the
	// proxy appended; what the client wrote to its left is ignored.
	guesserNet, annaNet := "203.0.113.5", "198.51.100.7"
	gp := w.browser(proxyIP, "X-Forwarded-For", annaNet+", "+guesserNet)
	codes = codes[:0]
	for range 5 {
		codes = append(codes, gp.signIn(manager, "guess-"+randomHex(3)).status)
	}
	c.Expect(codes[4] == 429, "five wrong passwords through the proxy: %v", codes)
	r = w.browser(proxyIP, "X-Forwarded-For", annaNet).signIn(manager, w.managerPW)
	c.Expect(r.status == http.StatusSeeOther, "the manager through the proxy after a guesser named her address: %s", r)
	c.Logf("through the trusted proxy: a guesser at %s claiming to be %s: %v; the manager at %s: %d", guesserNet, annaNet, codes, annaNet, r.status)

	// A crowd of guessers, one wrong password each from 24 addresses:
	// the manager waits at most 30 s, never longer.
	var wg sync.WaitGroup
	for range 24 {
		wg.Go(func() { w.browser(w.ip()).signIn(manager, "crowd-"+randomHex(3)) })
	}
	wg.Wait()
	m := w.browser(w.ip())
	began := time.Now()
	var tries []int
	for time.Since(began) < 45*time.Second {
		r = m.signIn(manager, w.managerPW)
		tries = append(tries, r.status)
		if r.status != 429 {
			break
		}
		secs, _ := strconv.Atoi(r.header.Get("Retry-After"))
		c.Expect(secs <= 30, "the manager is told to wait %d s", secs)
		time.Sleep(time.Duration(secs) * time.Second)
	}
	c.Expect(r.status == http.StatusSeeOther, "the manager after a crowd of 24 guessers: %v", tries)
	c.Logf("after 24 guessers from 24 addresses the manager from a new address signed in after %s (%v)", time.Since(began).Round(time.Second), tries)
}

// F8. PII redaction missed numbers.
func checkPII(c *C) {
	w := c.w
	v := w.mustVisitor()
	msgs := []string{
		"chiamatemi al +39 333 1234567 333 7654321",
		"i numeri sono 0039 333 1234568 0039 347 7654322",
		"la carta è 4111.1111.1111.1111 oppure 4111/1111/1111/1111",
		"carta 5500-0000-0000-0004 scadenza 12/27",
		"IBAN IT60 X054 2811 1010 0000 0123 456 grazie",
		"scrivetemi a mario.rossi@example.it",
		"call me on +44 20 7946 0958 or (415) 555-2671",
		"fisso 02 12345678, verde 800 123 456",
		"3331234569",
	}
	for _, m := range msgs {
		v.say(m)
	}
	if !c.Expect(waitFor(30*time.Second, func() bool {
		return w.pgCount(`SELECT count(*) FROM events e JOIN conversations c ON c.id = e.conversation_id WHERE c.address = $1 AND e.type = 'customer'`, v.address()) >= len(msgs)
	}), "the PII conversation did not reach the archive") {
		return
	}
	texts := strings.Join(w.archivedTexts(v.address()), "\n")
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, texts)
	for _, secret := range []string{"1234567", "7654321", "1234568", "7654322", "4111111111111111", "5500000000000004", "IT60X0542811101000000123456", "79460958", "5552671", "12345678", "800123456", "3331234569"} {
		c.Expect(!strings.Contains(digits, secret), "%s is in the archive", secret)
	}
	c.Expect(!strings.Contains(texts, "mario.rossi@example.it"), "an e-mail is in the archive")
	kept := "12/27"
	c.Expect(strings.Contains(texts, kept), "the expiry date %s was redacted too", kept)
	c.Logf("9 messages with 9 phones, 3 cards, an IBAN and an e-mail: none in the archive (%d [phone], %d [card], %d [iban], %d [email])",
		strings.Count(texts, "[phone]"), strings.Count(texts, "[card]"), strings.Count(texts, "[iban]"), strings.Count(texts, "[email]"))
}

// F10a. The date extractor read 0\uFFFD/10/0000 as year 0.
func checkDate(c *C) {
	w := c.w
	v := w.mustVisitor()
	v.say("il mio telefono non si accende, è ancora in garanzia?")
	v.press("Samsung Galaxy A55")
	c.Expect(strings.Contains(strings.ToLower(v.lastBot()), "quando"), "the bot did not ask for the purchase date: %q", v.lastBot())
	v.say("0\uFFFD/10/0000")
	got := v.lastBot()
	c.Expect(strings.Contains(got, "data") && !strings.Contains(strings.ToLower(got), "privato o come azienda"), "0\uFFFD/10/0000 was taken as a date: %q", got)
	c.Logf("asked the purchase date, answered 0\uFFFD/10/0000: the bot said %q", short(got, 80))
	v.say("31/12/9999")
	got2 := v.lastBot()
	c.Expect(!strings.Contains(strings.ToLower(got2), "privato o come azienda"), "31/12/9999 was taken as a date: %q", got2)
	c.Logf("and 31/12/9999: %q", short(got2, 80))
}

func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// F10b. A 50 MB flow file took 800 MB before a misleading error.
func checkBigFlow(c *C) {
	w := c.w
	dir := filepath.Join(w.dir, "bigflow")
	os.MkdirAll(dir, 0o755)
	big := filepath.Join(dir, "shop.yaml")
	f, _ := os.Create(big)
	f.WriteString("intents:\n  greet:\n    examples:\n      it:\n")
	line := []byte("        - " + strings.Repeat("ciao ", 20) + "\n")
	for n := 0; n < 50<<20; n += len(line) {
		f.Write(line)
	}
	f.Close()
	// And a folder of five files under the file limit, over the folder's.
	folder := filepath.Join(w.dir, "bigfolder")
	os.MkdirAll(folder, 0o755)
	for i := range 5 {
		f, _ := os.Create(filepath.Join(folder, fmt.Sprintf("part%d.yaml", i)))
		f.WriteString("# filler\n")
		for n := 0; n < 3900<<10; n += len(line) {
			f.Write(line)
		}
		f.Close()
	}
	for _, args := range [][]string{{"validate", big}, {"serve", "--flows", dir, "--addr", "127.0.0.1:0"}, {"validate", folder}} {
		cmd := exec.Command(w.bin, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		began := time.Now()
		cmd.Start()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
			c.Expect(false, "sportello %s ran for 30 s", args[0])
		}
		maxRSS := 0.0
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = float64(ru.Maxrss) / 1024
		}
		msg := strings.TrimSpace(out.String())
		c.Expect(!cmd.ProcessState.Success(), "sportello %s accepted a 50 MB flow file", args[0])
		c.Expect((strings.Contains(msg, "shop.yaml") || strings.Contains(msg, "bigfolder")) && strings.Contains(msg, "MiB"), "sportello %s: the message does not name the file and the limit: %q", args[0], short(msg, 300))
		c.Expect(maxRSS < 100, "sportello %s took %.0f MiB", args[0], maxRSS)
		c.Logf("sportello %s %s: exit %d in %s, peak %.0f MiB, said %q", args[0], filepath.Base(args[len(args)-1]), cmd.ProcessState.ExitCode(), time.Since(began).Round(time.Millisecond), maxRSS, short(firstLine(strings.ReplaceAll(msg, "\n", "\r\n")), 200))
	}
}

func lastLine(s string) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return ls[len(ls)-1]
}

// F9. A signed resolve click from another channel resolved the case.
func checkSlackClicks(c *C) {
	w := c.w
	cust := w.mustVisitor()
	other := w.mustVisitor()
	cust.say("voglio parlare con un operatore")
	other.say("voglio parlare con un operatore")
	card, ok := w.cardOf(supportCh, cust.address(), 15*time.Second)
	if !c.Expect(ok, "no card for the handoff") {
		return
	}
	otherCard, _ := w.cardOf(supportCh, other.address(), 15*time.Second)
	for _, m := range w.sl.Cards(supportCh) {
		for _, tok := range w.tokensNow() {
			c.Expect(!strings.Contains(string(m.Blocks)+m.Text, tok), "a visitor token is on a Slack card")
		}
	}
	refused0 := strings.Count(w.logText(), "click refused")
	lines0, _ := cust.history()

	forge := func(name string, mutate func(p map[string]any)) {
		var p map[string]any
		json.Unmarshal(slackfake.Click(agentAnna, card, "sportello_resolve"), &p)
		mutate(p)
		b, _ := json.Marshal(p)
		r := w.signedSlack("/slack/interactivity", slackfake.InteractionForm(b), time.Now())
		c.Expect(r.status == 200, "%s: %s", name, r)
	}
	forge("from another channel", func(p map[string]any) {
		p["channel"] = map[string]any{"id": evilCh, "name": "random"}
		p["container"].(map[string]any)["channel_id"] = evilCh
	})
	forge("on another message of the card's channel", func(p map[string]any) {
		p["container"].(map[string]any)["message_ts"] = "1700000000.999999"
		p["message"].(map[string]any)["ts"] = "1700000000.999999"
	})
	forge("from another workspace", func(p map[string]any) {
		p["team"] = map[string]any{"id": "T0OTHER", "domain": "other"}
		p["user"].(map[string]any)["team_id"] = "T0OTHER"
	})
	forge("on another case's card, naming this conversation", func(p map[string]any) {
		if otherCard.TS == "" {
			return
		}
		p["container"].(map[string]any)["message_ts"] = otherCard.TS
		p["message"].(map[string]any)["ts"] = otherCard.TS
	})
	forge("on the card, naming another conversation", func(p map[string]any) {
		a := p["actions"].([]any)[0].(map[string]any)
		caseID, _, _ := strings.Cut(a["value"].(string), "|")
		a["value"] = caseID + "|" + other.address()
	})
	time.Sleep(3 * time.Second)
	refused := strings.Count(w.logText(), "click refused") - refused0
	lines1, _ := cust.history()
	otherLines, _ := other.history()
	c.Expect(refused >= 5, "%d of 5 forged clicks refused in the log", refused)
	c.Expect(len(lines1) == len(lines0) && !strings.Contains(otherLinesText(lines1), "è chiusa"), "the customer's chat moved after forged clicks: %d -> %d lines (last %q)", len(lines0), len(lines1), cust.lastBot())
	c.Expect(!strings.Contains(otherLinesText(otherLines), "è chiusa"), "the other conversation was resolved")
	c.Logf("5 signed resolve clicks (another channel, another message, another workspace, another case's card, another conversation): all answered 200, %d logged as refused, the customer's chat unchanged", refused)

	// The real click on the card works.
	r := w.click(agentAnna, card, "sportello_claim")
	c.Expect(r.status == 200, "the real claim: %s", r)
	joined := cust.waitLine("system", "Anna", 10*time.Second) || cust.waitLine("bot", "Anna", 1*time.Second)
	c.Expect(joined, "the real claim did not reach the customer: %q", cust.lastBot())
	c.Logf("the real claim from the card: the customer was told (%v)", joined)

	// A replayed, signed agent reply is delivered once.
	ev := slackfake.ThreadReply("EvReplay"+randomHex(4), agentAnna, card.Channel, card.TS, "Buongiorno, sono Anna\x00 come posso aiutarla?")
	r1 := w.signedSlack("/slack/events", ev, time.Now())
	r2 := w.signedSlack("/slack/events", ev, time.Now())
	c.Expect(r1.status == 200 && r2.status == 200, "the agent's reply: %s, %s", r1, r2)
	got := cust.waitLine("agent", "sono Anna", 10*time.Second)
	time.Sleep(2 * time.Second)
	lines, _ := cust.history()
	n := 0
	for _, l := range lines {
		if l.Type == "agent" && strings.Contains(l.Text, "sono Anna") {
			n++
			c.Expect(!strings.ContainsRune(l.Text, 0), "the agent's NUL reached the customer")
		}
	}
	c.Expect(got && n == 1, "a signed agent reply sent twice reached the customer %d times", n)
	c.Logf("a signed agent reply (with a NUL) sent twice: the customer read it %d time(s), cleaned", n)

	// Resolve from the card.
	r = w.click(agentAnna, card, "sportello_resolve")
	c.Expect(r.status == 200 && cust.waitLine("system", "è chiusa", 10*time.Second), "the real resolve did not reach the customer: %s, %q", r, cust.lastBot())
	w.rememberCase("resolved", cust)
}

func otherLinesText(ls []line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func (w *world) tokensNow() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.tokens...)
}

func (w *world) rememberCase(string, *visitor) {}

// F11. The cost of a message grew with the number of waiting cases.
var waitingCases = 500

func checkWaiting(c *C) {
	w := c.w
	measure := func(label string) (bot, queued []time.Duration) {
		// Messages in bot mode, from three visitors within their limits.
		var vs []*visitor
		for range 3 {
			vs = append(vs, w.mustVisitor())
		}
		for i := range 30 {
			r := vs[i%3].say("quanto costa la spedizione?")
			bot = append(bot, r.took)
			time.Sleep(120 * time.Millisecond)
		}
		// Messages of a customer waiting in the queue.
		q := w.mustVisitor()
		q.say("voglio parlare con un operatore")
		for i := range 15 {
			r := q.say(fmt.Sprintf("ci siete? %d", i))
			queued = append(queued, r.took)
			time.Sleep(400 * time.Millisecond)
		}
		return bot, queued
	}
	bot0, q0 := measure("before")
	queue0 := w.queueLen()

	// Fill the support queue: visitors through the proxy, a hundred per
	// forwarded address, within the server's limit of new visitors.
	began := time.Now()
	var wg sync.WaitGroup
	var made, queued atomic.Int32
	sem := make(chan struct{}, 8)
	for i := range waitingCases {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			xff := fmt.Sprintf("198.18.%d.%d", i/100/250, i/100%250+1)
			hc := clientPool(i % 8)
			var v *visitor
			for range 20 {
				var r reply
				v, r = w.newVisitor(hc, "X-Forwarded-For", xff)
				if v != nil || r.status != 429 {
					break
				}
				time.Sleep(3 * time.Second) // the server-wide limit: 1,200 a minute
			}
			if v == nil {
				return
			}
			made.Add(1)
			if r := v.say("voglio parlare con un operatore"); r.status == 200 {
				queued.Add(1)
			}
		})
	}
	wg.Wait()
	fill := time.Since(began)
	queue1 := w.queueLen()
	c.Logf("%d visitors asked for a person in %s; the support queue went from %d to %d cases", queued.Load(), fill.Round(time.Second), queue0, queue1)
	c.Expect(queue1 >= queue0+int(queued.Load())*9/10, "the queue holds %d cases after %d handoffs", queue1, queued.Load())

	// The queue is a sorted set, read by rank.
	keys, _ := w.rdb.Keys(context.Background(), "*queue*support*").Result()
	var types []string
	for _, k := range keys {
		types = append(types, k+"="+w.rdb.Type(context.Background(), k).Val())
	}
	c.Logf("Redis keys of the queue: %s", strings.Join(types, ", "))

	bot1, q1 := measure("after")
	p := func(ds []time.Duration, q float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(q*float64(len(s))))].Round(100 * time.Microsecond)
	}
	c.Logf("Handle as the visitor sees it (POST /chat/messages), bot mode p50/p99: %s/%s with %d waiting, %s/%s with %d; a waiting customer's message: %s/%s, then %s/%s",
		p(bot0, .5), p(bot0, .99), queue0, p(bot1, .5), p(bot1, .99), queue1, p(q0, .5), p(q0, .99), p(q1, .5), p(q1, .99))
	c.Expect(p(bot1, .99) < max(3*p(bot0, .99), p(bot0, .99)+50*time.Millisecond), "bot-mode p99 went from %s to %s", p(bot0, .99), p(bot1, .99))
	c.Expect(p(q1, .99) < max(3*p(q0, .99), p(q0, .99)+50*time.Millisecond), "queued p99 went from %s to %s", p(q0, .99), p(q1, .99))

	// With nobody writing, the process rests and the archive drains.
	last := w.mustVisitor()
	last.say("ultima domanda: quanto costa la spedizione?")
	t0 := time.Now()
	drained := w.archived(last.address(), "ultima domanda", 60*time.Second)
	c.Expect(drained, "the archive did not catch up within a minute of the load")
	c.Logf("the archive held the last message %s after it was sent", time.Since(t0).Round(100*time.Millisecond))
	time.Sleep(5 * time.Second)
	cpu0 := w.cpu()
	time.Sleep(20 * time.Second)
	idle := w.cpu() - cpu0
	c.Expect(idle < 2*time.Second, "with %d cases waiting and nobody writing the server used %s of CPU in 20 s", queue1, idle)
	c.Logf("with %d waiting and nobody writing: %s of CPU in 20 s", queue1, idle.Round(10*time.Millisecond))
}

var pool struct {
	once sync.Once
	hcs  []*http.Client
}

// clientPool returns one of 8 clients from the trusted proxy's address.
func clientPool(i int) *http.Client {
	pool.once.Do(func() {
		for range 8 {
			pool.hcs = append(pool.hcs, client(proxyIP))
		}
	})
	return pool.hcs[i%len(pool.hcs)]
}

// queueLen asks the desk, as an agent would, how many cases wait for
// support.
func (w *world) queueLen() int {
	_, form := slackfake.Command(agentAnna, supportCh, "queue")
	r := w.signedSlack("/slack/commands", []byte(form.Encode()), time.Now())
	var resp struct{ Text string }
	json.Unmarshal([]byte(r.body), &resp)
	for _, l := range strings.Split(resp.Text, "\n") {
		if strings.HasPrefix(l, "*support*") {
			if strings.Contains(l, "nobody waiting") {
				return 0
			}
			f := strings.Fields(l[strings.Index(l, ":")+1:])
			if len(f) > 0 {
				n, _ := strconv.Atoi(f[0])
				return n
			}
		}
	}
	return -1
}

// F2c. A flood of new visitors from one address took the process from
// 25 MB to 1.4 GB and slowed other visitors 18x.
func checkVisitorFlood(c *C) {
	w := c.w
	other := w.mustVisitor()
	// lat sends the other visitor's messages, within its own limit, until
	// stop is closed (or n are sent when stop is nil).
	lat := func(n int, stop chan struct{}) []time.Duration {
		var out []time.Duration
		for i := 0; stop != nil || i < n; i++ {
			if stop != nil {
				select {
				case <-stop:
					return out
				default:
				}
			}
			r := other.say("quanto costa la spedizione?")
			out = append(out, r.took)
			time.Sleep(550 * time.Millisecond)
		}
		return out
	}
	p := func(ds []time.Duration, q float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(q*float64(len(s))))].Round(100 * time.Microsecond)
	}
	before := lat(15, nil)
	rss0, _ := w.rss()

	// The same open-loop load, 800 requests a second from one address,
	// alternately on new visitors and on /healthz (which does nothing), in
	// rounds, so that what the machine's other work does to the timings
	// falls on both alike.
	const rate, workers, phase = 800, 16, 5 * time.Second
	floodIP := w.ip()
	var created, limited, badRA, msgs, msgLimited, healthz atomic.Int32
	load := func(visitors bool) []time.Duration {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				hc := client(floodIP)
				tick := time.NewTicker(time.Second * workers / rate)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					if !visitors {
						if do(hc, request("GET", w.base+"/healthz", "", nil)).err == nil {
							healthz.Add(1)
						}
						continue
					}
					v, r := w.newVisitor(hc)
					switch {
					case v != nil:
						created.Add(1)
						for i := range 3 { // each new visitor writes too
							switch v.post(fmt.Sprintf("flood %d", i), "").status {
							case 429:
								msgLimited.Add(1)
							case 200:
								msgs.Add(1)
							}
						}
					case r.status == 429:
						limited.Add(1)
						if _, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil {
							badRA.Add(1)
						}
					}
				}
			})
		}
		time.AfterFunc(phase, func() { close(stop) })
		out := lat(0, stop)
		wg.Wait()
		return out
	}
	var during, idle []time.Duration
	began := time.Now()
	for range 3 {
		during = append(during, load(true)...)
		idle = append(idle, load(false)...)
	}
	rss1, peak := w.rss()
	c.Logf("one address asking for new visitors at %d a second, 3 rounds of %s: %d created, %d refused 429 (Retry-After always a number: %v); their messages: %d taken, %d refused",
		rate, phase, created.Load(), limited.Load(), badRA.Load() == 0, msgs.Load(), msgLimited.Load())
	// 120 at once, then one every 5 s.
	bound := 120 + int(time.Since(began)/(5*time.Second)) + 1
	c.Expect(int(created.Load()) <= bound, "%d new visitors from one address, want at most %d", created.Load(), bound)
	c.Expect(badRA.Load() == 0, "%d refusals without a numeric Retry-After", badRA.Load())
	c.Logf("another visitor's message p50/p99: %s/%s with no load, %s/%s under the flood of new visitors, %s/%s under the same load on /healthz (%d requests); RSS %.0f -> %.0f MiB (peak %.0f)",
		p(before, .5), p(before, .99), p(during, .5), p(during, .99), p(idle, .5), p(idle, .99), healthz.Load(), rss0, rss1, peak)
	c.Expect(p(during, .5) < max(2*p(idle, .5), p(idle, .5)+10*time.Millisecond),
		"another visitor's p50 under the flood of new visitors %s, under the same load on /healthz %s", p(during, .5), p(idle, .5))
	c.Expect(rss1-rss0 < 100, "memory went from %.0f to %.0f MiB", rss0, rss1)
}

// F2d. The limit of new visitors on the whole server.
func checkServerWideVisitors(c *C) {
	w := c.w
	// The server-wide limit, from many forwarded addresses at once.
	var busy, made atomic.Int32
	var wg2 sync.WaitGroup
	began := time.Now()
	for g := range 16 {
		wg2.Go(func() {
			for i := 0; busy.Load() == 0 && time.Since(began) < 60*time.Second; i++ {
				_, r := w.newVisitor(clientPool(g), "X-Forwarded-For", fmt.Sprintf("198.19.%d.%d", g, i%250+1))
				switch {
				case r.status == 201:
					made.Add(1)
				case r.status == 429 && strings.Contains(r.body, "busy"):
					busy.Add(1)
				}
			}
		})
	}
	wg2.Wait()
	c.Expect(busy.Load() > 0 && made.Load() <= 1300, "from 4,000 forwarded addresses: %d new visitors before the server said busy", made.Load())
	c.Logf("from thousands of forwarded addresses: %d new visitors in %s, then 429 busy", made.Load(), time.Since(began).Round(time.Second))
}
