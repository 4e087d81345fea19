package extract

import "testing"

// TestHolidayRestatedByADate: a calendar date beside a holiday that it
// restates is the date of the fact; two facts keep both dates.
func TestHolidayRestatedByADate(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "l'ho comprato verso natale, il 21 dicembre", want: []string{"date|21 dicembre|2024-12-21|cue=purchase"}},
		{text: "bought it just before christmas, on the 20th of december", want: []string{"date|20th of december|2024-12-20|cue=purchase"}},
		{text: "il 18 aprile, prima di pasqua, l'ho preso", want: []string{"date|18 aprile|2025-04-18"}},
		// The second date tells something else.
		{text: "comprato a natale, il 4 gennaio si è spento", want: []string{
			"date|natale|2024-12-25|cue=purchase", "date|4 gennaio|2025-01-04", "defect|si è spento|shutdown"}},
		// Months apart: no restatement.
		{text: "preso a natale, il 3 marzo", want: []string{"date|natale|2024-12-25|cue=purchase", "date|3 marzo|2025-03-03"}},
	})
}
