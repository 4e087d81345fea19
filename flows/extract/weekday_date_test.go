package extract

import "testing"

// A weekday named before a calendar date only restates it: "lunedì 19
// maggio" is the 19th of May, not last Monday. A weekday alone is the
// last one, and a weekday beside a date of another clause stays its own.
func TestWeekdayBeforeADateRestatesIt(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "me l'hanno consegnato lunedì 19 maggio", want: []string{"date|lunedì 19 maggio|2025-05-19|cue=delivery"}},
		{text: "delivered on Monday, May 19", want: []string{"date|Monday, May 19|2025-05-19|cue=delivery"}},
		{text: "arrivato venerdì il 13 giugno", want: []string{"date|venerdì il 13 giugno|2025-06-13|cue=delivery"}},
		{text: "consegnato martedì 10/06", want: []string{"date|martedì 10/06|2025-06-10|cue=delivery"}},
		// Near misses: no calendar date right after the weekday.
		{text: "consegnato lunedì", want: []string{"date|lunedì|2025-06-16|cue=delivery"}},
		{text: "delivered on monday, ordered on the 2nd of june", want: []string{
			"date|monday|2025-06-16|cue=delivery", "date|2nd of june|2025-06-02|cue=purchase"}},
	})
}
