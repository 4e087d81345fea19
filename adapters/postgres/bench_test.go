package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// Texts of the generated conversations, by language.
var phrases = map[string][]string{
	"it": {"Il frullatore non funziona più, è ancora in garanzia?", "Vorrei comprare una macchina da caffè per il mio bar",
		"Ho restituito il tostapane ma non ho ricevuto il rimborso", "A che ora aprite sabato?",
		"Lo scontrino è del marzo scorso, la garanzia copre il motore?", "Posso parlare con una persona?",
		"Quanto costa la spedizione in Sardegna?", "Il codice ordine è 55321, quando arriva?"},
	"en": {"My blender stopped working, is it under warranty?", "I want to buy ten espresso machines for my shop",
		"I returned the toaster and got no refund yet", "What are your opening hours on Saturday?",
		"Does the extended warranty cover the motor?", "Can I talk to a human please?",
		"How much is shipping to Ireland?", "Order 55321 has not arrived, where is it?"},
}

var botReplies = map[string][]string{
	"it": {"La garanzia legale è di 24 mesi dalla consegna.", "Ti passo a un collega del reparto vendite.", "Sabato siamo aperti dalle 9 alle 13."},
	"en": {"The legal guarantee lasts 24 months from delivery.", "I am passing you to a colleague in sales.", "On Saturday we are open from 9 to 1."},
}

// generate returns the events of n conversations over the days before
// end, ten events each on average, of every outcome.
func generate(n int, end time.Time, seed uint64) [][]bot.Event {
	r := rand.New(rand.NewPCG(seed, seed))
	intents := []string{"warranty", "buy", "return", "opening_hours", "human", "shipping", "order_status"}
	out := make([][]bot.Event, n)
	for i := range n {
		addr := bot.Address{Channel: []string{"telegram", "web"}[r.IntN(2)], ChatID: strconv.Itoa(100000 + i)}
		lang := []string{"it", "en"}[r.IntN(2)]
		at := end.Add(-time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
		var evs []bot.Event
		add := func(e bot.Event) {
			e.ID, e.Address, e.Time, e.Language = fmt.Sprintf("%s|m%d|0", addr, len(evs)), addr, at, lang
			evs = append(evs, e)
			at = at.Add(time.Duration(5+r.IntN(60)) * time.Second)
		}
		say := func(typ bot.EventType, texts []string) { add(bot.Event{Type: typ, Text: texts[r.IntN(len(texts))]}) }
		say(bot.EventCustomer, phrases[lang])
		add(bot.Event{Type: bot.EventIntent, Intent: intents[r.IntN(len(intents))], Confidence: 0.5 + r.Float64()/2})
		switch k := r.IntN(10); {
		case k < 5: // solved by the bot
			add(bot.Event{Type: bot.EventFlowStarted, Flow: "faq"})
			say(bot.EventBot, botReplies[lang])
			say(bot.EventCustomer, phrases[lang])
			add(bot.Event{Type: bot.EventIntent, Intent: intents[r.IntN(len(intents))], Confidence: 0.9})
			say(bot.EventBot, botReplies[lang])
			add(bot.Event{Type: bot.EventFlowEnded, Flow: "faq"})
			say(bot.EventBot, botReplies[lang])
			say(bot.EventCustomer, phrases[lang])
			say(bot.EventBot, botReplies[lang])
		case k < 8: // handed over
			team := []string{"sales", "support"}[r.IntN(2)]
			agent := []string{"Giulia", "Marco", "Sara", "Luca"}[r.IntN(4)]
			add(bot.Event{Type: bot.EventHandoff, Team: team, Case: "c" + strconv.Itoa(i)})
			say(bot.EventBot, botReplies[lang])
			at = at.Add(time.Duration(r.IntN(600)) * time.Second)
			add(bot.Event{Type: bot.EventClaimed, Team: team, Agent: agent})
			add(bot.Event{Type: bot.EventAgent, Agent: agent, Text: "Buongiorno, mi dica pure. Hello, how can I help?"})
			say(bot.EventCustomer, phrases[lang])
			add(bot.Event{Type: bot.EventAgent, Agent: agent, Text: "Fatto, grazie. Done, thank you."})
			add(bot.Event{Type: bot.EventResolved, Team: team, Agent: agent})
			add(bot.Event{Type: bot.EventCSAT, Score: 1 + r.IntN(5)})
		default: // abandoned
			say(bot.EventBot, botReplies[lang])
			say(bot.EventCustomer, phrases[lang])
			add(bot.Event{Type: bot.EventFallback, Text: "not understood"})
			say(bot.EventBot, botReplies[lang])
			say(bot.EventCustomer, phrases[lang])
			add(bot.Event{Type: bot.EventFallback, Text: "not understood"})
			say(bot.EventBot, botReplies[lang])
		}
		out[i] = evs
	}
	return out
}

// BenchmarkArchiver measures the archiver from a memory store's event log
// into PostgreSQL, in events per second: as serve runs it, keeping the
// dashboard's roll-up of Rome's days, and without the roll-up, for its
// cost.
//
//	go test ./adapters/postgres -run '^$' -bench Archiver -benchtime 1x
func BenchmarkArchiver(b *testing.B) {
	b.Run("roll-up", func(b *testing.B) { benchmarkArchiver(b, mustOpenIn(b, mustZone(b, "Europe/Rome"))) })
	b.Run("no-roll-up", func(b *testing.B) { benchmarkArchiver(b, mustOpen(b)) })
}

func benchmarkArchiver(b *testing.B, a *postgres.Archive) {
	const conversations = 5000
	convs := generate(conversations, time.Now(), 1)
	total := 0
	for _, c := range convs {
		total += len(c)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := memory.NewStore()
		// Interleave the conversations, as live traffic does.
		for round := 0; ; round++ {
			any := false
			for i, c := range convs {
				if round < len(c) {
					any = true
					commitOne(b, s, c[round], i)
				}
			}
			if !any {
				break
			}
		}
		truncate(b)
		arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a})
		pg0, self0 := backendsCPU(b), selfCPU()
		b.StartTimer()
		start := time.Now()
		// As Run does: two workers, so reading, preparing and writing overlap.
		var wg sync.WaitGroup
		var archived atomic.Int64
		for range 2 {
			wg.Go(func() { archived.Add(int64(drain(b, arc))) })
		}
		wg.Wait()
		if n := int(archived.Load()); n != total {
			b.Fatalf("archived %d of %d", n, total)
		}
		b.ReportMetric(float64(total)/time.Since(start).Seconds(), "events/s")
		reportCPU(b, pg0, self0, total)
	}
}

// generateLong returns n conversations of length events each, ending
// before end: a customer who asks one question after another in the same
// hour, the bot answering, with fallbacks, flows and a handoff now and then.
func generateLong(n, length int, end time.Time, seed uint64) [][]bot.Event {
	r := rand.New(rand.NewPCG(seed, seed))
	intents := []string{"warranty", "buy", "return", "opening_hours", "human", "shipping", "order_status"}
	out := make([][]bot.Event, n)
	for i := range n {
		addr := bot.Address{Channel: "web", ChatID: "long" + strconv.Itoa(i)}
		lang := []string{"it", "en"}[r.IntN(2)]
		at := end.Add(-time.Duration(1+r.IntN(24*60)) * time.Hour)
		evs := make([]bot.Event, 0, length)
		for j := range length {
			e := bot.Event{ID: fmt.Sprintf("%s|m%d|0", addr, j), Address: addr, Time: at, Language: lang}
			switch k := r.IntN(20); {
			case k < 7:
				e.Type, e.Text = bot.EventCustomer, phrases[lang][r.IntN(len(phrases[lang]))]
			case k < 13:
				e.Type, e.Text = bot.EventBot, botReplies[lang][r.IntN(len(botReplies[lang]))]
			case k < 16:
				e.Type, e.Intent, e.Confidence = bot.EventIntent, intents[r.IntN(len(intents))], 0.9
			case k == 16:
				e.Type, e.Flow = bot.EventFlowStarted, "faq"
			case k == 17:
				e.Type, e.Flow = bot.EventFlowEnded, "faq"
			case k == 18:
				e.Type, e.Text = bot.EventFallback, "not understood"
			default:
				e.Type, e.Team, e.Case = bot.EventHandoff, "support", "c"+strconv.Itoa(i)
			}
			evs = append(evs, e)
			at = at.Add(time.Duration(2+r.IntN(20)) * time.Second)
		}
		out[i] = evs
	}
	return out
}

// BenchmarkArchiveLongConversations appends 100 conversations of 200
// events each, five events of each at a time, as the archiver does when
// the events come as they happen: every batch carries the next five
// events of 20 conversations (100 events), so each conversation is
// summarised 40 times over its life. With the dashboard's roll-up of
// Rome's days, as serve runs it.
//
//	go test ./adapters/postgres -run '^$' -bench LongConversations -benchtime 1x -count 3
func BenchmarkArchiveLongConversations(b *testing.B) {
	const conversations, length, step, perBatch = 100, 200, 5, 20
	ctx := context.Background()
	convs := generateLong(conversations, length, time.Now(), 3)
	a := mustOpenIn(b, mustZone(b, "Europe/Rome"))
	for range b.N {
		b.StopTimer()
		truncate(b)
		pg0, self0 := backendsCPU(b), selfCPU()
		b.StartTimer()
		start := time.Now()
		for from := 0; from < length; from += step {
			for g := 0; g < conversations; g += perBatch {
				var batch []bot.Event
				for _, c := range convs[g : g+perBatch] {
					batch = append(batch, c[from:from+step]...)
				}
				if err := a.Append(ctx, batch...); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(conversations*length)/time.Since(start).Seconds(), "events/s")
		reportCPU(b, pg0, self0, conversations*length)
	}
}

// reportCPU reports the CPU time per event since pg0 and self0, which a
// busy machine inflates far less than wall time: PostgreSQL's (the
// backends of the test database) and this process's.
func reportCPU(b *testing.B, pg0 map[int]time.Duration, self0 time.Duration, events int) {
	pg := time.Duration(0)
	for pid, d := range backendsCPU(b) {
		pg += d - pg0[pid]
	}
	b.ReportMetric(float64(pg.Microseconds())/float64(events), "pg-µs/event")
	b.ReportMetric(float64((selfCPU()-self0).Microseconds())/float64(events), "go-µs/event")
}

// backendsCPU returns the CPU time (user and system) that each PostgreSQL
// backend serving a client of the test database has used so far, from
// /proc: the server runs on this machine. Autovacuum's workers are left
// out: they come and go, and one counted whole at the end of a run would
// count what it did before.
func backendsCPU(b testing.TB) map[int]time.Duration {
	conn, err := pgx.Connect(context.Background(), testURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), `SELECT pid FROM pg_stat_activity
		WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`)
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		b.Fatal(err)
	}
	cpu := map[int]time.Duration{}
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The fields after the command's closing parenthesis: utime and
		// stime are the 12th and 13th, in clock ticks of 10 ms.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		u, _ := strconv.Atoi(f[11])
		k, _ := strconv.Atoi(f[12])
		cpu[int(pid)] = time.Duration(u+k) * 10 * time.Millisecond
	}
	return cpu
}

// selfCPU returns the CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func commitOne(b testing.TB, s *memory.Store, e bot.Event, i int) {
	sess, _ := s.Load(context.Background(), e.Address, "")
	if sess == nil {
		sess = bot.NewSession(e.Address, e.Time)
	}
	if err := s.Commit(context.Background(), &bot.Commit{Session: sess, Events: []bot.Event{e}}); err != nil {
		b.Fatal(err)
	}
}

func truncate(b testing.TB) {
	conn, err := pgx.Connect(context.Background(), testURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	conn.Exec(context.Background(), "TRUNCATE conversations, events, stats_days")
}

// TestBigArchive loads 100,000 conversations (about a million events)
// with COPY and times the review pages over them. It runs only when
// SPORTELLO_BIG=1:
//
//	SPORTELLO_BIG=1 go test ./adapters/postgres -run BigArchive -v -timeout 30m
func TestBigArchive(t *testing.T) {
	if os.Getenv("SPORTELLO_BIG") == "" {
		t.Skip("set SPORTELLO_BIG=1 to load 100,000 conversations")
	}
	n := 100_000
	if s := os.Getenv("SPORTELLO_BIG_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	// The shop is in Rome, as the demo's: the pages and the dashboard's
	// roll-up count its days.
	rome := mustZone(t, "Europe/Rome")
	a := mustOpenIn(t, rome)
	end := time.Now().UTC()
	start := time.Now()
	convs := generate(n, end, 7)
	conn, err := pgx.Connect(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var convRows, evRows [][]any
	for _, evs := range convs {
		id := report.ConversationID(evs[0].Address, evs[0].Time)
		c := report.Summarize(id, evs)
		var claim, reply any
		if c.TimeToClaim > 0 {
			claim = c.TimeToClaim.Milliseconds()
		}
		if c.TimeToFirstReply > 0 {
			reply = c.TimeToFirstReply.Milliseconds()
		}
		intents := c.Intents
		if intents == nil {
			intents = []string{}
		}
		convRows = append(convRows, []any{c.ID, c.Address.String(), c.Address.Channel, c.Address.ChatID, c.Started, c.Last,
			c.Language, c.Team, string(c.Outcome), c.Open, intents, c.CSAT, c.Agent, c.Preview, c.Messages,
			c.CustomerMessages, c.BotMessages, c.AgentMessages, c.Fallbacks, claim, reply})
		for _, e := range evs {
			data, _ := json.Marshal(e)
			evRows = append(evRows, []any{e.ID, id, e.Time, 0, string(e.Type), e.Language, e.Text, string(data)})
		}
	}
	t.Logf("generated %d conversations, %d events in %v", len(convRows), len(evRows), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"conversations"}, []string{"id", "address", "channel", "chat_id",
		"started_at", "last_at", "lang", "team", "outcome", "open", "intents", "csat", "agent", "preview", "messages",
		"customer_messages", "bot_messages", "agent_messages", "fallbacks", "claim_ms", "first_reply_ms"},
		pgx.CopyFromRows(convRows)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"id", "conversation_id", "at", "idx", "type",
		"lang", "text", "data"}, pgx.CopyFromRows(evRows)); err != nil {
		t.Fatal(err)
	}
	// What the archiver does per batch, for all at once.
	if _, err := conn.Exec(ctx, `UPDATE conversations c SET tsv = s.tsv
		FROM (SELECT conversation_id, sportello_tsvector_agg(tsv ORDER BY at, idx) AS tsv
		      FROM events WHERE tsv IS NOT NULL GROUP BY conversation_id) s
		WHERE c.id = s.conversation_id`); err != nil {
		t.Fatal(err)
	}
	// Loaded behind the archive's back: its roll-up counts them again.
	began := time.Now()
	if err := a.CountDays(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("CountDays: %v", time.Since(began).Round(time.Millisecond))
	for _, sql := range []string{"VACUUM ANALYZE conversations", "VACUUM ANALYZE events", "VACUUM ANALYZE stats_days"} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("COPY and ANALYZE: %v", time.Since(start).Round(time.Millisecond))

	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	h, err := review.New(review.Config{Archive: a, Managers: []review.Manager{{Name: "m", PasswordHash: string(hash)}},
		SessionKey: []byte(strings.Repeat("k", 32)), Sessions: memory.NewStore(), Zone: rome})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	cookie := signIn(t, srv)
	from := end.AddDate(0, 0, -30).Format(time.DateOnly)
	for _, q := range []string{"", "page=100", "outcome=sales", "lang=it&csat=5", "intent=warranty&channel=web",
		"from=" + from, "q=garanzia", "q=returns", "q=rimborso&outcome=abandoned", "q=" + url.QueryEscape(`"espresso machines"`),
		"q=motore&from=" + from} {
		var times []time.Duration
		for range 5 {
			req, _ := http.NewRequest("GET", srv.URL+"/review/?"+q, nil)
			req.AddCookie(cookie)
			t0 := time.Now()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			times = append(times, time.Since(t0))
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %s", q, resp.Status)
			}
		}
		slices.Sort(times)
		_, total, _ := a.List(ctx, mustFilter(q, rome))
		t.Logf("list ?%-40s %7d matches  median %6.1f ms  max %6.1f ms", q, total,
			float64(times[2].Microseconds())/1000, float64(times[4].Microseconds())/1000)
		if times[2] > 200*time.Millisecond {
			t.Errorf("?%s: median %v, want under 200 ms", q, times[2])
		}
	}
	// The dashboard: the page through the handler, and the archive's
	// Stats alone, five times each.
	for _, days := range []int{7, 30, 90} {
		var page, stats []time.Duration
		for range 5 {
			req, _ := http.NewRequest("GET", srv.URL+"/review/dashboard?days="+strconv.Itoa(days), nil)
			req.AddCookie(cookie)
			t0 := time.Now()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			page = append(page, time.Since(t0))
			if resp.StatusCode != 200 {
				t.Fatalf("dashboard: %s", resp.Status)
			}
			today := report.DayOf(end, rome)
			t0 = time.Now()
			if _, err := a.Stats(ctx, report.Period{From: today.AddDate(0, 0, 1-days), To: report.NextDay(today, rome), Zone: rome}); err != nil {
				t.Fatal(err)
			}
			stats = append(stats, time.Since(t0))
		}
		slices.Sort(page)
		slices.Sort(stats)
		t.Logf("dashboard %2d days: page median %6.1f ms  max %6.1f ms; Stats median %6.1f ms  max %6.1f ms", days,
			ms(page[2]), ms(page[4]), ms(stats[2]), ms(stats[4]))
		if page[2] > 200*time.Millisecond {
			t.Errorf("dashboard %d days: median %v, want under 200 ms", days, page[2])
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func mustFilter(q string, zone *time.Location) report.Filter {
	v, _ := url.ParseQuery(q)
	f := report.Filter{Channel: v.Get("channel"), Team: v.Get("team"), Outcome: report.Outcome(v.Get("outcome")),
		Language: v.Get("lang"), Intent: v.Get("intent"), Query: v.Get("q")}
	if d, err := time.ParseInLocation(time.DateOnly, v.Get("from"), zone); err == nil {
		f.From = d
	}
	if s := v.Get("csat"); s != "" {
		f.CSAT, _ = strconv.Atoi(s)
	}
	return f
}

// signIn signs in as m through the form and returns the session cookie.
func signIn(t *testing.T, srv *httptest.Server) *http.Cookie {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/review/signin")
	if err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 64<<10)
	nb, _ := resp.Body.Read(body)
	resp.Body.Close()
	anon := resp.Cookies()[0]
	_, rest, _ := strings.Cut(string(body[:nb]), `name="csrf" value="`)
	token, _, _ := strings.Cut(rest, `"`)
	req, _ := http.NewRequest("POST", srv.URL+"/review/signin", strings.NewReader(url.Values{"csrf": {token},
		"name": {"m"}, "password": {"pw"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(anon)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "sportello_review" {
			return ck
		}
	}
	t.Fatalf("sign-in: %s", resp.Status)
	return nil
}
