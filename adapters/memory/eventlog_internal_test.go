package memory

import (
	"strconv"
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestEventLogTrimsToTheLatest fills the log past its cap in commits of
// different sizes: it keeps the latest maxLog events, numbered as they
// were appended, and every one of them is found by its number.
func TestEventLogTrimsToTheLatest(t *testing.T) {
	var l eventLog
	total := 0
	for size := 1; total < maxLog+maxLog/4+maxLog/2; size = size%997 + 7 {
		evs := make([]bot.Event, size)
		for i := range evs {
			evs[i].Text = strconv.Itoa(total + i)
		}
		l.append(evs)
		total += size
		if l.base+int64(l.n) != int64(total) {
			t.Fatalf("after %d events: the log ends at %d", total, l.base+int64(l.n))
		}
	}
	if l.base == 0 || l.n > maxLog+maxLog/4 || l.n < maxLog {
		t.Fatalf("base %d, %d events kept: not trimmed to the latest %d", l.base, l.n, maxLog)
	}
	for seq := l.base; seq < int64(total); seq += 37 {
		if got := l.event(seq).Text; got != strconv.FormatInt(seq, 10) {
			t.Fatalf("event %d = %q", seq, got)
		}
	}
	if got := l.event(int64(total) - 1).Text; got != strconv.Itoa(total-1) {
		t.Fatalf("the last event = %q, want %d", got, total-1)
	}
	if got := l.event(l.base).Text; got != strconv.FormatInt(l.base, 10) {
		t.Fatalf("the first event kept = %q, want %d", got, l.base)
	}
}
