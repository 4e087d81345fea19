package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// A short soak (15 visitors over HTTP, a few seconds, a share of them
// left waiting) on the Redis of the tests and a PostgreSQL database of
// its own: every customer message the server accepted is in the archive
// exactly once, every one was answered on its visitor's stream, and
// cases are left waiting. Once with the archiver running beside the
// visitors, as serve runs it, and once held until they are done, so
// that the whole soak drains after.
func TestSoakLosesNoMessage(t *testing.T) {
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	for _, tc := range []struct {
		name  string
		after bool
	}{{"archiver live", false}, {"archiver after", true}} {
		t.Run(tc.name, func(t *testing.T) {
			o := soakOptions{visitors: 15, duration: 4 * time.Second, redisURL: url, archiveURL: testDatabase(t),
				waitingShare: 0.3, pace: 150 * time.Millisecond, pause: 300 * time.Millisecond, ramp: 300 * time.Millisecond,
				archiveAfter: tc.after, replyWait: 5 * time.Second, log: testLog(t)}
			res, err := soak(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			res.print(&out)
			t.Log("\n" + out.String())
			sent := res.sent()
			if sent < 50 {
				t.Fatalf("only %d messages sent: the soak proves nothing", sent)
			}
			if res.checked != sent || len(res.lost) > 0 || len(res.twice) > 0 {
				t.Errorf("%d of %d messages checked; missing from the archive: %q; stored twice: %q", res.checked, sent, res.lost, res.twice)
			}
			if len(res.samples) != sent {
				t.Errorf("%d replies seen for %d messages", len(res.samples), sent)
			}
			if len(res.errs) > 0 {
				t.Errorf("errors: %v", res.errs)
			}
			if res.waiting == 0 {
				t.Error("no case was left waiting")
			}
			if tc.after && (res.drained == 0 || res.drainTime <= 0) {
				t.Errorf("the drain after the visitors archived %d events in %v", res.drained, res.drainTime)
			}
			if !strings.Contains(out.String(), "0 missing, 0 stored more than once") {
				t.Errorf("the report does not say nothing was lost:\n%s", out.String())
			}
		})
	}
}

func TestSoakRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--visitors", "0"}, {"--waiting-share", "1.5"}, {"--duration", "0s"}, {"extra"}} {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		if code := run(context.Background(), e, append([]string{"bench", "soak"}, args...)); code != 2 {
			t.Errorf("bench soak %v: exit %d, want 2 (usage)\n%s", args, code, errb.String())
		}
	}
}
