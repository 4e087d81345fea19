package flows

import (
	"strconv"
	"time"
)

// The outcomes of return_check, in its output slot return.
const (
	ReturnOpen    = "open"    // within the withdrawal period
	ReturnClosed  = "closed"  // the period is over
	ReturnUnknown = "unknown" // no delivery date, or one too vague to tell
)

// CheckReturn decides whether a purchase delivered on a stored date value
// (2006-01-02, or 2006-01 and 2006 when the customer was vague) may still
// be returned at now, with days of withdrawal (14 in the EU, counted from
// the day after delivery). It returns the outcome and the last day of the
// period (zero when unknown). When the customer gave only a month and the
// period ends within it, the outcome is unknown: the delivery note
// decides.
func CheckReturn(date string, days int, now time.Time) (string, time.Time) {
	first, last, ok := parseDateValue(date, now.Location())
	if !ok {
		return ReturnUnknown, time.Time{}
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	early, late := first.AddDate(0, 0, days), last.AddDate(0, 0, days)
	switch {
	case first.After(today):
		return ReturnUnknown, time.Time{}
	case !today.After(early):
		return ReturnOpen, early
	case today.After(late):
		return ReturnClosed, late
	}
	return ReturnUnknown, early
}

// returnCheck runs the built-in action return_check on the session's
// slots and returns the output slots to set.
func (b *Bot) returnCheck(st *Step, slots map[string]string, lang string, now time.Time) (string, map[string]string) {
	slot := actionArgs["return_check"]["date"]
	if s, ok := st.With["date"]; ok {
		slot = s
	}
	outcome, until := CheckReturn(slots[slot], b.WithdrawalDays, now)
	out := map[string]string{"return": outcome, "return_days": strconv.Itoa(b.WithdrawalDays), "return_until": ""}
	if !until.IsZero() {
		out["return_until"] = until.Format("2006-01-02")
	}
	key := map[string]string{ReturnOpen: TextReturnOpen, ReturnClosed: TextReturnClosed, ReturnUnknown: TextReturnUnknown}[outcome]
	out["return_note"] = b.Text(key, lang, map[string]string{
		"return_days": out["return_days"], "return_until": formatDate(out["return_until"], lang),
	})
	return outcome, out
}

// saysWhatIsWrong reports whether the words of a short clause say what
// is wrong with what came: "wrong colour", "too big", "taglia
// sbagliata". Two such words are a reason for a return, where two words
// are otherwise too few to tell one from a greeting.
func saysWhatIsWrong(part string) bool { return saying(part).has(wrongWords) }

var wrongWords = newPhrases(func(add func(string)) {
	for _, p := range []string{" wrong ", " too ", " sbagliato ", " sbagliata ", " sbagliati ", " sbagliate ",
		" troppo ", " troppa ", " troppi ", " troppe ", " scomodo ", " scomoda ", " uncomfortable "} {
		add(p)
	}
})
