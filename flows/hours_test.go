package flows

import (
	"testing"
	"time"
)

func TestOpen(t *testing.T) {
	b := mustShop(t)
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, rome)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name, now string
		open      bool
		next      string
	}{
		{"tuesday morning", "2025-06-10 10:00", true, "2025-06-10 10:00"},
		{"lunch break", "2025-06-10 13:30", false, "2025-06-10 14:00"},
		{"tuesday evening", "2025-06-10 19:00", false, "2025-06-11 09:00"},
		{"saturday afternoon", "2025-06-14 15:00", false, "2025-06-16 09:00"},
		{"republic day", "2025-06-02 10:00", false, "2025-06-03 09:00"},
		{"christmas eve evening", "2025-12-24 20:00", false, "2025-12-27 09:00"},
		{"easter monday 2026", "2026-04-06 10:00", false, "2026-04-07 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			open, next := b.Open("support", at(tt.now))
			if open != tt.open || !next.Equal(at(tt.next)) {
				t.Errorf("Open(%s) = %v, %v; want %v, %s", tt.now, open, next.In(rome), tt.open, tt.next)
			}
		})
	}
	// A time in another zone is read in the shop's.
	if open, _ := b.Open("sales", at("2025-06-10 10:00").UTC()); !open {
		t.Errorf("10:00 in Rome given in UTC reads as closed")
	}
}
