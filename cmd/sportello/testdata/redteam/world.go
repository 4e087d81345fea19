package main

// The world the attack runs in: the built binary serving as a shop would
// (Redis, PostgreSQL, a review manager, Telegram in webhook mode, Slack
// in HTTP mode), the fake Telegram and Slack it talks to, and the
// attacker's HTTP clients, each from an address of its own.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	goredis "github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/examples"
)

// Identities of the shop's Slack workspace and the attack's secrets.
const (
	salesCh   = "C0SALES"
	supportCh = "C0SUPPORT"
	evilCh    = "C0EVIL" // a channel of the workspace that is no team's
	agentAnna = "U1ANNA"
	agentEvil = "U2EVIL"
	manager   = "anna"
	// proxyIP is the one address the configuration trusts as a reverse
	// proxy: requests from it say who the client is in X-Forwarded-For.
	// Requests from any other address are direct, and their
	// X-Forwarded-For is the client's own word.
	proxyIP = "127.0.0.10"
	// evilName is a Slack agent's display name made to inject markup.
	evilName = "<img src=x onerror=alert(7)>\u202eAgent"
)

// world is the running shop and what the attacker knows of it.
type world struct {
	bin, dir string
	base     string // http://127.0.0.1:PORT
	addr     string // 127.0.0.1:PORT
	cmd      *exec.Cmd
	exited   chan error
	logPath  string
	log      *lockedFile

	redisURL string
	rdb      *goredis.Client
	pgAdmin  string
	dbName   string
	pgURL    string
	pg       *pgxpool.Pool

	tg *telegramfake.Server
	sl *slackfake.Server
	tb *fakeTB

	// Secrets: none of them may appear in the log.
	webchatKey, reviewKey, tgSecret, slackSecret, slackToken, managerPW, pgPassword string

	oldPasswords []string // managers' passwords before a change
	managerHash  string   // the bcrypt hash of managerPW in the configuration

	mu     sync.Mutex
	tokens []string // every visitor token the server issued to us
	cookie []string // every review session cookie the server set

	nextIP atomic.Int32
}

// fakeTB lets the test fakes run outside a test: they only register
// clean-ups and fail on what cannot go on.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
}

func (t *fakeTB) Helper()                           {}
func (t *fakeTB) Cleanup(f func())                  { t.mu.Lock(); t.cleanups = append(t.cleanups, f); t.mu.Unlock() }
func (t *fakeTB) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (t *fakeTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *fakeTB) Logf(format string, args ...any)   {}
func (t *fakeTB) Name() string                      { return "redteam" }
func (t *fakeTB) cleanup() {
	t.mu.Lock()
	fs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lockedFile is the server's log, written by the process and read by the
// checks.
type lockedFile struct {
	mu sync.Mutex
	f  *os.File
}

func (l *lockedFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Write(p)
}

// logText returns the server's log so far.
func (w *world) logText() string {
	b, _ := os.ReadFile(w.logPath)
	return string(b)
}

// setUp starts everything; tearDown undoes it.
func setUp(ctx context.Context, bin, redisURL, pgAdmin string, force bool) (*world, error) {
	dir, err := os.MkdirTemp("", "sportello-redteam-")
	if err != nil {
		return nil, err
	}
	w := &world{bin: bin, dir: dir, redisURL: redisURL, pgAdmin: pgAdmin, tb: &fakeTB{}, exited: make(chan error, 1)}
	w.nextIP.Store(20)
	w.webchatKey, w.reviewKey = randomHex(32), randomHex(32)
	w.tgSecret, w.slackSecret = "tg_"+randomHex(16), "slack-signing-"+randomHex(16)
	w.slackToken, w.managerPW, w.pgPassword = "xoxb-redteam-"+randomHex(12), "pw-"+randomHex(10), "pgpw"+randomHex(8)

	// Redis: a database of our own, empty, so that every key in it is ours.
	opt, err := goredis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	w.rdb = goredis.NewClient(opt)
	n, err := w.rdb.DBSize(ctx).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	if n > 0 && !force {
		return nil, fmt.Errorf("redis %s holds %d keys: give the attack an empty database (-redis redis://127.0.0.1:6379/N) or -force", redisURL, n)
	}

	// PostgreSQL: a database of our own, dropped at the end.
	w.dbName = "redteam_" + randomHex(4)
	admin, err := pgx.Connect(ctx, pgAdmin)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	_, err = admin.Exec(ctx, "CREATE DATABASE "+w.dbName)
	admin.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: create database: %w", err)
	}
	u, _ := url.Parse(pgAdmin)
	u.Path = "/" + w.dbName
	// A password in the URL (trust auth ignores it): it must not reach the log.
	u.User = url.UserPassword(u.User.Username(), w.pgPassword)
	w.pgURL = u.String()
	if w.pg, err = pgxpool.New(ctx, w.pgURL); err != nil {
		return w, fmt.Errorf("postgres: %w", err)
	}

	// The fakes of Telegram and Slack.
	w.tg = telegramfake.New(w.tb)
	w.sl = slackfake.NewServer(w.tb, w.slackToken, "")
	w.sl.AddChannel(salesCh, supportCh, evilCh)
	w.sl.AddUser(agentAnna, "Anna Bianchi")
	w.sl.AddUser(agentEvil, evilName)

	if err := w.writeFiles(); err != nil {
		return w, err
	}
	if err := w.start(ctx); err != nil {
		return w, err
	}
	return w, nil
}

// writeFiles writes the configuration (a manager with a bcrypt hash, the
// trusted proxy) and a copy of the demo shop whose teams are always open
// and whose sales team waits one minute, so that a handoff's timer fires
// during the attack.
func (w *world) writeFiles() error {
	hash, err := bcrypt.GenerateFromPassword([]byte(w.managerPW), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	w.managerHash = string(hash)
	if err := w.writeConfig(manager, w.managerHash); err != nil {
		return err
	}
	flowsDir := filepath.Join(w.dir, "shop")
	if err := os.MkdirAll(flowsDir, 0o755); err != nil {
		return err
	}
	entries, err := fs.ReadDir(examples.Shop, "shop")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, err := fs.ReadFile(examples.Shop, "shop/"+e.Name())
		if err != nil {
			return err
		}
		s := string(b)
		if e.Name() == "shop.yaml" {
			s = strings.Replace(s, "    hours: shop\n    timeout: 10\n", "    timeout: 1\n", 1)
			s = strings.Replace(s, "    hours: shop\n    timeout: 15\n", "    timeout: 15\n", 1)
			if strings.Contains(s, "    hours: shop\n") {
				return errors.New("the demo shop's teams changed: update writeFiles")
			}
		}
		if err := os.WriteFile(filepath.Join(flowsDir, e.Name()), []byte(s), 0o644); err != nil {
			return err
		}
	}
	// The help centre the shop's knowledge: key names.
	return fs.WalkDir(examples.Shop, "shop/knowledge", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(flowsDir, filepath.FromSlash(strings.TrimPrefix(p, "shop/")))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := fs.ReadFile(examples.Shop, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// writeConfig writes the configuration with one manager.
func (w *world) writeConfig(name, hash string) error {
	cfg := fmt.Sprintf("log: json\nlog_level: debug\ntrusted_proxies: [%s]\nreview:\n  managers:\n    - name: %s\n      password_hash: %q\n",
		proxyIP, name, hash)
	return os.WriteFile(filepath.Join(w.dir, "config.yaml"), []byte(cfg), 0o600)
}

// restart stops the server gracefully and starts it again on the same
// address with the current manager's password (the same hash while the
// password is the same), or with the manager named in only instead.
func (w *world) restart(only []string) error {
	w.cmd.Process.Signal(os.Interrupt)
	select {
	case <-w.exited:
	case <-time.After(15 * time.Second):
		return errors.New("the server did not stop within 15 s of SIGINT")
	}
	w.log.f.Close()
	if bcrypt.CompareHashAndPassword([]byte(w.managerHash), []byte(w.managerPW)) != nil {
		hash, _ := bcrypt.GenerateFromPassword([]byte(w.managerPW), bcrypt.DefaultCost)
		w.managerHash = string(hash)
	}
	name := manager
	if len(only) > 0 {
		name = only[0]
	}
	if err := w.writeConfig(name, w.managerHash); err != nil {
		return err
	}
	calls := len(w.tg.Calls("setWebhook"))
	return w.startOn(context.Background(), calls)
}

func (w *world) env() []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir,
		"SPORTELLO_ADDR=" + w.addr,
		"SPORTELLO_CONFIG=" + filepath.Join(w.dir, "config.yaml"),
		"SPORTELLO_FLOWS=" + filepath.Join(w.dir, "shop"),
		"REDIS_URL=" + w.redisURL,
		"DATABASE_URL=" + w.pgURL,
		"SPORTELLO_WEBCHAT_KEY=" + w.webchatKey,
		"SPORTELLO_REVIEW_KEY=" + w.reviewKey,
		"TELEGRAM_TOKEN=" + telegramfake.Token,
		"TELEGRAM_MODE=webhook",
		"TELEGRAM_WEBHOOK_URL=" + w.base + "/telegram/webhook",
		"TELEGRAM_SECRET=" + w.tgSecret,
		"TELEGRAM_API_URL=" + w.tg.URL(),
		"SLACK_BOT_TOKEN=" + w.slackToken,
		"SLACK_SIGNING_SECRET=" + w.slackSecret,
		"SLACK_API_URL=" + w.sl.APIURL(),
		"SLACK_SALES_CHANNEL=" + salesCh,
		"SLACK_SUPPORT_CHANNEL=" + supportCh,
	}
	return env
}

// start runs `sportello serve` on a free port and waits until it is
// ready, has set its Telegram webhook and met Slack.
func (w *world) start(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	w.addr = ln.Addr().String()
	ln.Close()
	w.base = "http://" + w.addr
	w.logPath = filepath.Join(w.dir, "server.log")
	return w.startOn(ctx, 0)
}

// startOn starts the server on w.addr and waits until it is ready and has
// set its webhook more than webhooks times.
func (w *world) startOn(ctx context.Context, webhooks int) error {
	f, err := os.OpenFile(w.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w.log = &lockedFile{f: f}
	w.exited = make(chan error, 1)
	w.cmd = exec.Command(w.bin, "serve")
	w.cmd.Env = w.env()
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", w.bin, err)
	}
	go func() { w.exited <- w.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-w.exited:
			w.exited <- err
			return fmt.Errorf("the server exited at start: %v\n%s", err, tail(w.logText(), 3000))
		default:
		}
		res, err := http.Get(w.base + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == 200 && strings.HasPrefix(string(b), "ready") && len(w.tg.Calls("setWebhook")) > webhooks && w.sl.Calls("auth.test") > 0 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server was not ready in 60 s:\n%s", tail(w.logText(), 3000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// alive reports whether the server still runs.
func (w *world) alive() bool {
	select {
	case err := <-w.exited:
		w.exited <- err
		return false
	default:
		return true
	}
}

// pid is the server's process ID.
func (w *world) pid() int { return w.cmd.Process.Pid }

// rss returns the server's resident memory in MiB, and its peak.
func (w *world) rss() (now, peak float64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(w.pid()) + "/status")
	if err != nil {
		return 0, 0
	}
	read := func(key string) float64 {
		for _, l := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(l, key+":"); ok {
				kb, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
				return kb / 1024
			}
		}
		return 0
	}
	return read("VmRSS"), read("VmHWM")
}

// cpu returns the server's CPU time so far.
func (w *world) cpu() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(w.pid()) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

func (w *world) tearDown(keep bool) {
	if w.cmd != nil && w.cmd.Process != nil && w.alive() {
		w.cmd.Process.Signal(os.Interrupt)
		select {
		case <-w.exited:
		case <-time.After(15 * time.Second):
			w.cmd.Process.Kill()
		}
	}
	w.tb.cleanup()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if w.pg != nil {
		w.pg.Close()
	}
	if w.dbName != "" && !keep {
		if admin, err := pgx.Connect(ctx, w.pgAdmin); err == nil {
			admin.Exec(ctx, "DROP DATABASE IF EXISTS "+w.dbName+" WITH (FORCE)")
			admin.Close(ctx)
		}
	}
	if w.rdb != nil && !keep {
		// Only the keys of our own database, one by one: never FLUSHDB.
		iter := w.rdb.Scan(ctx, 0, "*", 1000).Iterator()
		var batch []string
		for iter.Next(ctx) {
			if batch = append(batch, iter.Val()); len(batch) == 500 {
				w.rdb.Del(ctx, batch...)
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			w.rdb.Del(ctx, batch...)
		}
		w.rdb.Close()
	}
	if !keep {
		os.RemoveAll(w.dir)
	}
}

// ip returns a loopback address no other check uses: each check is a
// client of its own, with limits per address of its own.
func (w *world) ip() string {
	n := w.nextIP.Add(1)
	return fmt.Sprintf("127.0.%d.%d", n/250, n%250+1)
}

// client returns an HTTP client whose connections come from ip. It does
// not follow redirects: the attacker reads them.
func client(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// browserClient is client with a cookie jar.
func browserClient(ip string) *http.Client {
	c := client(ip)
	c.Jar, _ = cookiejar.New(nil)
	return c
}

// A reply is an HTTP answer read whole.
type reply struct {
	status int
	header http.Header
	body   string
	took   time.Duration
	err    error
}

func (r reply) String() string {
	if r.err != nil {
		return "error: " + r.err.Error()
	}
	b := r.body
	if len(b) > 200 {
		b = b[:200] + "…"
	}
	return fmt.Sprintf("%d %s", r.status, strings.TrimSpace(b))
}

// do sends req with hc and reads the answer.
func do(hc *http.Client, req *http.Request) reply {
	began := time.Now()
	res, err := hc.Do(req)
	if err != nil {
		return reply{err: err, took: time.Since(began)}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	return reply{status: res.StatusCode, header: res.Header, body: string(b), took: time.Since(began), err: err}
}

func request(method, url, contentType string, body []byte, hdr ...string) *http.Request {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	if body == nil {
		req.Body = nil
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Host") {
			req.Host = hdr[i+1]
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	return req
}

// A visitor is a customer of the web chat.
type visitor struct {
	w     *world
	hc    *http.Client
	hdr   []string // extra headers on every request (X-Forwarded-For)
	token string
	n     int
}

// newVisitor asks for a visitor token, as the page does.
func (w *world) newVisitor(hc *http.Client, hdr ...string) (*visitor, reply) {
	r := do(hc, request("POST", w.base+"/chat/visitors", "application/json", []byte("{}"), hdr...))
	if r.status != http.StatusCreated {
		return nil, r
	}
	var v struct{ Visitor string }
	if err := json.Unmarshal([]byte(r.body), &v); err != nil || v.Visitor == "" {
		return nil, r
	}
	w.mu.Lock()
	w.tokens = append(w.tokens, v.Visitor)
	w.mu.Unlock()
	return &visitor{w: w, hc: hc, hdr: hdr, token: v.Visitor}, r
}

// mustVisitor is newVisitor from a fresh address, or a panic. It waits
// out the server-wide limit on new visitors, which other checks fill.
func (w *world) mustVisitor() *visitor {
	hc := client(w.ip())
	for range 30 {
		v, r := w.newVisitor(hc)
		if v != nil {
			return v
		}
		if r.status != http.StatusTooManyRequests {
			panic("new visitor: " + r.String())
		}
		time.Sleep(2 * time.Second)
	}
	panic("new visitor: refused for a minute")
}

// chat is the visitor's chat ID, as the logs and the archive name it.
func (v *visitor) chat() string {
	id, _ := webchat.ChatID(v.token)
	return id
}

func (v *visitor) address() string { return "web:" + v.chat() }

// post sends a message as the page does.
func (v *visitor) post(text, payload string) reply {
	v.n++
	body, _ := json.Marshal(map[string]string{"visitor": v.token, "id": fmt.Sprintf("m%d", v.n), "text": text, "payload": payload, "lang": "it-IT"})
	return v.postRaw(body)
}

func (v *visitor) postRaw(body []byte) reply {
	return do(v.hc, request("POST", v.w.base+"/chat/messages", "application/json", body, v.hdr...))
}

// say posts text and waits for it to be taken, politely waiting out a
// flood answer.
func (v *visitor) say(text string) reply {
	for {
		r := v.post(text, "")
		if r.status != http.StatusTooManyRequests {
			return r
		}
		v.n-- // the same message again
		secs, _ := strconv.Atoi(r.header.Get("Retry-After"))
		time.Sleep(time.Duration(max(secs, 1)) * time.Second)
	}
}

// A line is a line of the web chat's history.
type line struct {
	Type    string `json:"type"`
	Text    string `json:"text"`
	From    string `json:"from"`
	Buttons []struct {
		Title   string `json:"title"`
		Payload string `json:"payload"`
	} `json:"buttons"`
}

func (v *visitor) history() ([]line, reply) {
	r := do(v.hc, request("GET", v.w.base+"/chat/history?visitor="+url.QueryEscape(v.token), "", nil, v.hdr...))
	var h struct{ Lines []line }
	json.Unmarshal([]byte(r.body), &h)
	return h.Lines, r
}

// lastBot returns the text of the last bot (or system) line.
func (v *visitor) lastBot() string {
	lines, _ := v.history()
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].Type != "customer" {
			return lines[i].Text
		}
	}
	return ""
}

// press sends the payload of the button titled title in the history.
func (v *visitor) press(title string) reply {
	lines, _ := v.history()
	for i := len(lines) - 1; i >= 0; i-- {
		for _, b := range lines[i].Buttons {
			if b.Title == title {
				return v.post(b.Title, b.Payload)
			}
		}
	}
	return reply{err: fmt.Errorf("no button %q", title)}
}

// waitLine waits up to d for a line of typ containing text.
func (v *visitor) waitLine(typ, text string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		lines, _ := v.history()
		for _, l := range lines {
			if l.Type == typ && strings.Contains(strings.ToLower(l.Text), strings.ToLower(text)) {
				return true
			}
		}
		time.Sleep(150 * time.Millisecond)
	}
	return false
}

// stream opens the visitor's event stream and waits for "ready"; the
// answer's status, and a closer.
func (v *visitor) stream(hc *http.Client) (int, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	req := request("GET", v.w.base+"/chat/events?visitor="+url.QueryEscape(v.token), "", nil, v.hdr...)
	req = req.WithContext(ctx)
	res, err := hc.Do(req)
	if err != nil {
		cancel()
		return 0, func() {}
	}
	if res.StatusCode != 200 {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		cancel()
		return res.StatusCode, func() {}
	}
	br := bufio.NewReader(res.Body)
	for {
		l, err := br.ReadString('\n')
		if err != nil || strings.HasPrefix(l, "event: ready") {
			break
		}
	}
	go io.Copy(io.Discard, br)
	return 200, func() { cancel(); res.Body.Close() }
}

// manager signs in to the review pages.
type browser struct {
	w   *world
	hc  *http.Client
	hdr []string
}

func (w *world) browser(ip string, hdr ...string) *browser {
	return &browser{w: w, hc: browserClient(ip), hdr: hdr}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches a review path.
func (b *browser) get(path string) reply {
	return do(b.hc, request("GET", b.w.base+path, "", nil, append([]string{"Accept", "text/html"}, b.hdr...)...))
}

// csrf reads the CSRF token of the forms of page.
func (b *browser) csrf(page string) string {
	m := csrfRE.FindStringSubmatch(b.get(page).body)
	if m == nil {
		return ""
	}
	return m[1]
}

// signIn posts the sign-in form with the token of a fresh sign-in page.
func (b *browser) signIn(name, password string) reply {
	tok := b.csrf("/review/signin")
	form := url.Values{"csrf": {tok}, "name": {name}, "password": {password}, "next": {"/review/"}}
	r := b.postForm("/review/signin", form)
	if r.status == http.StatusSeeOther {
		b.w.mu.Lock()
		for _, c := range b.hc.Jar.Cookies(mustURL(b.w.base + "/review/")) {
			b.w.cookie = append(b.w.cookie, c.Value)
		}
		b.w.mu.Unlock()
	}
	return r
}

func (b *browser) postForm(path string, form url.Values, hdr ...string) reply {
	return do(b.hc, request("POST", b.w.base+path, "application/x-www-form-urlencoded", []byte(form.Encode()), append(b.hdr, hdr...)...))
}

// cookieValue is the browser's review cookie.
func (b *browser) cookieValue() string {
	for _, c := range b.hc.Jar.Cookies(mustURL(b.w.base + "/review/")) {
		if c.Name == "sportello_review" {
			return c.Value
		}
	}
	return ""
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// signedSlack posts body to a Slack endpoint as Slack would, signed as of at.
func (w *world) signedSlack(path string, body []byte, at time.Time) reply {
	req := slackfake.SignedRequest(w.base+path, w.slackSecret, body, at)
	return do(client(w.ip()), req)
}

// click is an agent's click on a card's button, sent signed.
func (w *world) click(user string, card slackfake.Message, action string) reply {
	return w.signedSlack("/slack/interactivity", slackfake.InteractionForm(slackfake.Click(user, card, action)), time.Now())
}

// cardOf waits up to d for the card of the conversation addr in channel.
func (w *world) cardOf(channel, addr string, d time.Duration) (slackfake.Message, bool) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		for _, c := range w.sl.Cards(channel) {
			if strings.HasSuffix(slackfake.Button(c, "sportello_claim"), "|"+addr) || strings.HasSuffix(slackfake.Button(c, "sportello_resolve"), "|"+addr) {
				return c, true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return slackfake.Message{}, false
}

// pgCount runs a count query on the archive.
func (w *world) pgCount(query string, args ...any) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int
	if err := w.pg.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return -1
	}
	return n
}

// archived waits up to d until the archive holds an event of addr whose
// text contains text, and reports whether it does.
func (w *world) archived(addr, text string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		n := w.pgCount(`SELECT count(*) FROM events e JOIN conversations c ON c.id = e.conversation_id
			WHERE c.address = $1 AND e.text LIKE '%' || $2 || '%'`, addr, text)
		if n > 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// archivedTexts returns the texts of addr's events in the archive.
func (w *world) archivedTexts(addr string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := w.pg.Query(ctx, `SELECT e.text FROM events e JOIN conversations c ON c.id = e.conversation_id
		WHERE c.address = $1 ORDER BY e.at, e.idx`, addr)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// metric reads a value of /metrics.
func (w *world) metric(name string) (float64, bool) {
	r := do(client(w.ip()), request("GET", w.base+"/metrics", "", nil))
	for _, l := range strings.Split(r.body, "\n") {
		if rest, ok := strings.CutPrefix(l, name+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// telegramUpdate posts a raw update to the webhook as Telegram would,
// with the secret.
func (w *world) telegramUpdate(body []byte) reply {
	return do(client(w.ip()), request("POST", w.base+"/telegram/webhook", "application/json", body,
		"X-Telegram-Bot-Api-Secret-Token", w.tgSecret))
}
