package extract

import (
	"testing"
	"time"
)

// now is a Thursday, mid-month, so that "last Monday" and "15 marzo" without a
// year have one right answer.
var now = time.Date(2025, time.June, 19, 15, 30, 0, 0, time.UTC)

func TestDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		text string
		lang string
		want time.Time
		p    Precision
	}{
		// Numeric, day first.
		{"15/03/2025", "it", day(2025, 3, 15), PrecisionDay},
		{"l'ho comprato il 15/03/2025", "", day(2025, 3, 15), PrecisionDay},
		{"15-3-25", "it", day(2025, 3, 15), PrecisionDay},
		{"15.03.2025", "it", day(2025, 3, 15), PrecisionDay},
		{"1/2/24", "", day(2024, 2, 1), PrecisionDay},
		{"03/04/2025", "en", day(2025, 4, 3), PrecisionDay},
		{"2025-03-15", "", day(2025, 3, 15), PrecisionDay},
		{"bought on 2024-12-01", "en", day(2024, 12, 1), PrecisionDay},
		{"03/15/2025", "en", day(2025, 3, 15), PrecisionDay},
		{"03/15/2025", "", day(2025, 3, 15), PrecisionDay},
		{"15/3/98", "it", day(1998, 3, 15), PrecisionDay},
		{"29/02/2024", "it", day(2024, 2, 29), PrecisionDay},
		{"il 15/03", "it", day(2025, 3, 15), PrecisionDay},
		{"il 20/12", "it", day(2024, 12, 20), PrecisionDay},
		{"03/2025", "it", day(2025, 3, 1), PrecisionMonth},
		{"15/09/2030", "it", day(2030, 9, 15), PrecisionDay}, // future: as written
		// Words.
		{"15 marzo 2025", "it", day(2025, 3, 15), PrecisionDay},
		{"il 15 di marzo del 2025", "it", day(2025, 3, 15), PrecisionDay},
		{"il primo marzo 2024", "it", day(2024, 3, 1), PrecisionDay},
		{"1° aprile 2024", "it", day(2024, 4, 1), PrecisionDay},
		{"March 15, 2025", "en", day(2025, 3, 15), PrecisionDay},
		{"on March 15th 2025", "en", day(2025, 3, 15), PrecisionDay},
		{"the 3rd of May 2024", "en", day(2024, 5, 3), PrecisionDay},
		{"15 Mar 2025", "en", day(2025, 3, 15), PrecisionDay},
		{"15 set 2024", "it", day(2024, 9, 15), PrecisionDay},
		{"Sept 2, 2024", "en", day(2024, 9, 2), PrecisionDay},
		{"10 MAGGIO 2023", "it", day(2023, 5, 10), PrecisionDay},
		{"marzo 2024", "it", day(2024, 3, 1), PrecisionMonth},
		{"a marzo del 2024", "it", day(2024, 3, 1), PrecisionMonth},
		{"March 2024", "en", day(2024, 3, 1), PrecisionMonth},
		{"in March of 2024", "en", day(2024, 3, 1), PrecisionMonth},
		{"a gennaio", "it", day(2025, 1, 1), PrecisionMonth},
		{"in January", "en", day(2025, 1, 1), PrecisionMonth},
		{"a settembre", "it", day(2024, 9, 1), PrecisionMonth},
		{"in May", "en", day(2025, 5, 1), PrecisionMonth},
		{"a giugno", "it", day(2025, 6, 1), PrecisionMonth},
		{"lo scorso giugno", "it", day(2024, 6, 1), PrecisionMonth},
		{"last June", "en", day(2024, 6, 1), PrecisionMonth},
		{"il 15 marzo", "it", day(2025, 3, 15), PrecisionDay},
		{"il 25 dicembre", "it", day(2024, 12, 25), PrecisionDay},
		{"December 25th", "en", day(2024, 12, 25), PrecisionDay},
		{"marzo dell'anno scorso", "it", day(2024, 3, 1), PrecisionMonth},
		{"l'anno scorso a ottobre", "it", day(2024, 10, 1), PrecisionMonth},
		{"in October last year", "en", day(2024, 10, 1), PrecisionMonth},
		// An abbreviated month before "this year", "last yr" is a month.
		{"picked it up feb this year", "en", day(2025, 2, 1), PrecisionMonth},
		{"ordered it nov last yr from you", "en", day(2024, 11, 1), PrecisionMonth},
		{"had it since apr this yr", "en", day(2025, 4, 1), PrecisionMonth},
		{"we got it last yr", "en", day(2024, 1, 1), PrecisionYear},
		// Holidays people buy presents on (now is 19 June 2025).
		{"me l'hanno regalato a natale", "it", day(2024, 12, 25), PrecisionDay},
		{"last Christmas", "en", day(2024, 12, 25), PrecisionDay},
		{"natale 2023", "it", day(2023, 12, 25), PrecisionDay},
		{"al black friday", "it", day(2024, 11, 29), PrecisionDay},
		{"black friday 2023", "en", day(2023, 11, 24), PrecisionDay},
		{"a capodanno", "it", day(2025, 1, 1), PrecisionDay},
		{"per san valentino", "it", day(2025, 2, 14), PrecisionDay},
		{"bought it on boxing day of 2022", "en", day(2022, 12, 26), PrecisionDay},
		{"preso a santo stefano", "it", day(2024, 12, 26), PrecisionDay},
		{"l'ho comprato a marzo del 23", "it", day(2023, 3, 1), PrecisionMonth},
		{"bought it in october of 24", "en", day(2024, 10, 1), PrecisionMonth},
		{"got it last oct", "en", day(2024, 10, 1), PrecisionMonth},
		{"bought it in feb", "en", day(2025, 2, 1), PrecisionMonth},
		{"ordered it about 5 months back", "en", day(2025, 1, 1), PrecisionMonth},
		{"two weeks back", "en", day(2025, 6, 5), PrecisionDay},
		{"regalato per la befana", "it", day(2025, 1, 6), PrecisionDay},
		{"comprato a ferragosto del 2023", "it", day(2023, 8, 15), PrecisionDay},
		{"got it for halloween", "en", day(2024, 10, 31), PrecisionDay},
		// Relative.
		{"oggi", "it", day(2025, 6, 19), PrecisionDay},
		{"today", "en", day(2025, 6, 19), PrecisionDay},
		{"ieri", "it", day(2025, 6, 18), PrecisionDay},
		{"yesterday", "en", day(2025, 6, 18), PrecisionDay},
		{"l'altro ieri", "it", day(2025, 6, 17), PrecisionDay},
		{"3 giorni fa", "it", day(2025, 6, 16), PrecisionDay},
		{"tre settimane fa", "it", day(2025, 5, 29), PrecisionDay},
		{"three weeks ago", "en", day(2025, 5, 29), PrecisionDay},
		{"una settimana fa", "it", day(2025, 6, 12), PrecisionDay},
		{"a week ago", "en", day(2025, 6, 12), PrecisionDay},
		{"2 mesi fa", "it", day(2025, 4, 1), PrecisionMonth},
		{"due mesi fa", "it", day(2025, 4, 1), PrecisionMonth},
		{"two months ago", "en", day(2025, 4, 1), PrecisionMonth},
		{"un paio di mesi fa", "it", day(2025, 4, 1), PrecisionMonth},
		{"a couple of months ago", "en", day(2025, 4, 1), PrecisionMonth},
		{"sei mesi fa", "it", day(2024, 12, 1), PrecisionMonth},
		{"un anno fa", "it", day(2024, 6, 1), PrecisionMonth},
		{"2 anni fa", "it", day(2023, 6, 1), PrecisionMonth},
		{"un anno e mezzo fa", "it", day(2023, 12, 1), PrecisionMonth},
		{"a year and a half ago", "en", day(2023, 12, 1), PrecisionMonth},
		{"ce l'ho da due anni", "it", day(2023, 6, 1), PrecisionMonth},
		{"la settimana scorsa", "it", day(2025, 6, 12), PrecisionDay},
		{"last week", "en", day(2025, 6, 12), PrecisionDay},
		{"il mese scorso", "it", day(2025, 5, 1), PrecisionMonth},
		{"last month", "en", day(2025, 5, 1), PrecisionMonth},
		{"l'anno scorso", "it", day(2024, 1, 1), PrecisionYear},
		{"L’anno scorso", "it", day(2024, 1, 1), PrecisionYear},
		{"last year", "en", day(2024, 1, 1), PrecisionYear},
		{"quest'anno", "it", day(2025, 1, 1), PrecisionYear},
		{"lunedì scorso", "it", day(2025, 6, 16), PrecisionDay},
		{"last Monday", "en", day(2025, 6, 16), PrecisionDay},
		{"giovedì", "it", day(2025, 6, 12), PrecisionDay},
		// Years.
		{"nel 2023", "it", day(2023, 1, 1), PrecisionYear},
		{"in 2022", "en", day(2022, 1, 1), PrecisionYear},
		{"2021", "", day(2021, 1, 1), PrecisionYear},
		{"l'ho preso nel lontano 2018 e ha sempre funzionato", "it", day(2018, 1, 1), PrecisionYear},
		{"got it in the distant 2017", "en", day(2017, 1, 1), PrecisionYear},
		{"not sure when, 2023 I think", "en", day(2023, 1, 1), PrecisionYear},
		{"boh, forse 2022 o giù di lì", "it", day(2022, 1, 1), PrecisionYear},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, p, ok := Date(tt.text, tt.lang, now)
			if !ok || !d.Equal(tt.want) || p != tt.p {
				t.Errorf("Date(%q, %q) = %s, %v, %v; want %s, %v", tt.text, tt.lang, d.Format(time.DateOnly), p, ok, tt.want.Format(time.DateOnly), tt.p)
			}
		})
	}
}

func TestDateAhead(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		text string
		want time.Time
		p    Precision
	}{
		{"il 15 marzo", day(2026, 3, 15), PrecisionDay},
		{"il 20 giugno", day(2025, 6, 20), PrecisionDay},
		{"a gennaio", day(2026, 1, 1), PrecisionMonth},
		{"venerdì", day(2025, 6, 20), PrecisionDay},
		{"tra 2 settimane", day(2025, 7, 3), PrecisionDay},
		{"in two weeks", day(2025, 7, 3), PrecisionDay},
		{"domani", day(2025, 6, 20), PrecisionDay},
		{"15/03/2025", day(2025, 3, 15), PrecisionDay}, // explicit: as written
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, p, ok := DateAhead(tt.text, "", now)
			if !ok || !d.Equal(tt.want) || p != tt.p {
				t.Errorf("DateAhead(%q) = %s, %v, %v; want %s, %v", tt.text, d.Format(time.DateOnly), p, ok, tt.want.Format(time.DateOnly), tt.p)
			}
		})
	}
}

func TestDateNone(t *testing.T) {
	tests := []struct{ text, lang string }{
		{"", ""}, {"ciao", "it"}, {"boh", "it"}, {"il mio telefono", "it"}, {"non lo so", "it"},
		{"31/02/2025", "it"}, {"30/02/2024", ""}, {"29/02/2025", "it"}, {"32/01/2025", "it"},
		{"15/13/2025", "it"}, {"03/15/2025", "it"}, {"00/10/2024", ""}, {"2025-02-30", ""},
		{"31 aprile 2025", "it"}, {"I may have bought it", "en"}, {"set the alarm to 7", "en"},
		{"ordine ORD-123456", "it"}, {"costa 800 euro", "it"}, {"mesi fa", "it"}, {"13/2025", "it"},
		{"my order is 12345", "en"}, {"ho 2 telefoni", "it"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if d, p, ok := Date(tt.text, tt.lang, now); ok {
				t.Errorf("Date(%q) = %s, %v; want no date", tt.text, d.Format(time.DateOnly), p)
			}
		})
	}
}

func TestDateKeepsLocation(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Skip("no time zone database")
	}
	// Just after midnight in Rome it is still the day before in UTC.
	n := time.Date(2025, 3, 1, 0, 30, 0, 0, rome)
	d, _, ok := Date("ieri", "it", n)
	if !ok || d.Location() != rome || d.Day() != 28 || d.Month() != 2 {
		t.Errorf("Date(ieri) at %s = %s", n, d)
	}
}

// The fuzzer found "0\uFFFD/10/0000" read as October of year 0. A year
// outside MinYear..MaxYear is no date, whatever form it is written in.
func TestYearZeroIsNoDate(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"fuzzer's find", "0\uFFFD/10/0000"},
		{"month of year 0", "10/0000"},
		{"day of year 0", "01/10/0000"},
		{"all zeros", "00/00/0000"},
		{"ISO year 0", "0000-01-01"},
		{"ISO year 9999", "9999-12-31"},
		{"far future", "31/12/9999"},
		{"before 1900", "1/1/1899"},
		{"after 2100", "1/1/2101"},
		{"month after 2100", "03/2101"},
		{"words year 1", "15 marzo 0001"},
		{"words year 3000", "March 15, 3000"},
		{"year alone", "nel 0000"},
		{"centuries ago", "500 anni fa"},
		{"thousands of years ago", "2000 years ago"},
		{"month 13", "13/2025"},
		{"day 32", "32/01/2025"},
		{"replacement characters", "\uFFFD/\uFFFD/\uFFFD"},
		{"slashes only", "//"},
		{"digits run", "99999999/99/99"},
		{"invalid UTF-8", "\xff10/0000\xfe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d, p, ok := Date(tc.text, "", now); ok {
				t.Errorf("Date(%q) = %s (%v), want no date", tc.text, d.Format("2006-01-02"), p)
			}
			if d, p, ok := DateAhead(tc.text, "", now); ok {
				t.Errorf("DateAhead(%q) = %s (%v), want no date", tc.text, d.Format("2006-01-02"), p)
			}
		})
	}
	// The bounds themselves are dates.
	for _, text := range []string{"1/1/1900", "31/12/2100", "01/1900", "nel 2100"} {
		if _, _, ok := Date(text, "", now); !ok {
			t.Errorf("Date(%q): no date, want one (the range is %d to %d)", text, MinYear, MaxYear)
		}
	}
}

// TestFormatDate checks the written-out layouts against time.Format.
func TestFormatDate(t *testing.T) {
	for _, day := range []time.Time{
		time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC), time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(999, 10, 10, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 11, 9, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		for p, layout := range map[Precision]string{PrecisionDay: "2006-01-02", PrecisionMonth: "2006-01", PrecisionYear: "2006"} {
			if got, want := formatDate(day, p), day.Format(layout); got != want {
				t.Errorf("formatDate(%v, %v) = %q, want %q", day, p, got, want)
			}
		}
	}
}

// The evening of today is after now until it comes: "stasera",
// "tonight" said in the afternoon name a date in the future, which no
// purchase or delivery is; said at night they are today.
func TestEveningLaterToday(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "passo a prenderlo stasera dopo il lavoro", want: []string{"date|stasera|2025-06-19|future=true"}},
		{text: "i can collect it tonight", want: []string{"date|tonight|2025-06-19|future=true"}},
		{text: "vengo a ritirarlo questa sera verso le sette", want: []string{"date|questa sera|2025-06-19|future=true"}},
		{text: "it came this morning", want: []string{"date|this morning|2025-06-19|cue=delivery,future=false"}},
	})
	night := time.Date(2025, time.June, 19, 22, 0, 0, 0, time.UTC)
	for _, text := range []string{"e arrivato stasera", "it was delivered tonight"} {
		if got, _, ok := Date(text, "", night); !ok || !got.Equal(time.Date(2025, time.June, 19, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("Date(%q) at 22:00 = %v, %v, want the 19th", text, got, ok)
		}
	}
}

// Relative dates with their unit shortened as chats write it read as
// the words: "la sett scorsa", "last wk"; "sett" alone is still
// September.
func TestShortenedRelativeDates(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "preso la sett scorsa da voi", want: []string{"date|la sett scorsa|2025-06-12|cue=purchase"}},
		{text: "arrivato la sett. passata", want: []string{"date|la sett. passata|2025-06-12|cue=delivery"}},
		{text: "bought it last wk and it already broke", want: []string{"date|last wk|2025-06-12|cue=purchase", "defect|broke|broken"}},
		{text: "ordered it last mth", want: []string{"date|last mth|2025-05|cue=purchase"}},
		{text: "bought in sept 2024", want: []string{"date|sept 2024|2024-09|cue=purchase"}},
	})
}

// Date words mistyped by one letter read as the words: holidays, the
// relative dates, seasons, weekdays and units, not only months.
func TestDateWordTypos(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "me lo hanno regalato a naatle", want: []string{"buyer|me lo hanno regalato|consumer", "date|naatle|2024-12-25|cue=purchase"}},
		{text: "got it for chrsitmas", want: []string{"date|chrsitmas|2024-12-25"}},
		{text: "preso il mese scoros", want: []string{"date|il mese scoros|2025-05|cue=purchase"}},
		{text: "bought it a coulpe of weeks ago", want: []string{"date|a coulpe of weeks ago|2025-06-05|cue=purchase"}},
		{text: "comprato la scorsa settiamna", want: []string{"date|scorsa settiamna|2025-06-12|cue=purchase"}},
		// Words of their own one letter from a date word stay themselves.
		{text: "prende la scossa", want: nil},
		{text: "le misure esatte", want: nil},
	})
}

// TestSpokenYear reads a year said in words, as dictation writes it.
func TestSpokenYear(t *testing.T) {
	tests := []struct {
		text, lang string
		want       time.Time
		p          Precision
	}{
		{"got it in july twenty twenty three, the fan is noisy", "en", time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth},
		{"bought in october twenty nineteen i think", "en", time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth},
		{"the 3rd of may two thousand and twenty two", "en", time.Date(2022, 5, 3, 0, 0, 0, 0, time.UTC), PrecisionDay},
		{"preso a novembre duemilaventitre da voi", "it", time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth},
		{"lo presi a febbraio duemila ventiquattro", "it", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth},
		{"preso nel duemila e ventitre a ottobre, fa rumore", "it", time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC), PrecisionMonth},
	}
	for _, tt := range tests {
		got, p, ok := Date(tt.text, tt.lang, now)
		if !ok || !got.Equal(tt.want) || p != tt.p {
			t.Errorf("Date(%q) = %v %v %v, want %v %v", tt.text, got, p, ok, tt.want, tt.p)
		}
	}
	// Numbers that are no year stay numbers: a count or an amount after
	// them, a comma between them, a year alone.
	for _, text := range []string{"i need twenty four of them", "ne vorrei duemila", "march twenty", "got it in april two thousand dollars it cost",
		"since june twenty, twenty hours of use", "arrivato a maggio duemila e venti pezzi", "october twenty twenty days ago", "it was in twenty twenty one"} {
		if got, p, ok := Date(text, "", now); ok && (p == PrecisionYear || got.Year() < 2024) {
			t.Errorf("Date(%q) = %v %v, want no year of words", text, got, p)
		}
	}
}

// Carnival and Shrove Tuesday move with Easter (47 days before it);
// New Year's Eve is the last day of the year (now is 19 June 2025).
func TestCarnivalAndNewYearsEve(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		text, lang string
		want       time.Time
	}{
		{"l ho preso a carnevale", "it", day(2025, 3, 4)},
		{"comprato il martedi grasso", "it", day(2025, 3, 4)},
		{"regalato a carnevale del 2024", "it", day(2024, 2, 13)},
		{"got it on shrove tuesday", "en", day(2025, 3, 4)},
		{"bought it on pancake day", "en", day(2025, 3, 4)},
		{"preso a san silvestro", "it", day(2024, 12, 31)},
		{"ordered on new years eve", "en", day(2024, 12, 31)},
	} {
		d, _, ok := Date(c.text, c.lang, now)
		if !ok || !d.Equal(c.want) {
			t.Errorf("Date(%q) = %v %v, want %v", c.text, d, ok, c.want)
		}
	}
}

// TestSpokenYearOfAPurchase reads a year in words alone as the year of
// the purchase the words before it tell; alone elsewhere it is none.
func TestSpokenYearOfAPurchase(t *testing.T) {
	for _, tt := range []struct {
		text, lang string
		year       int
	}{
		{"l'ho comprato nel duemilaventitre", "it", 2023},
		{"preso nel duemila e ventidue, ora non si accende", "it", 2022},
		{"lho acquistato dal duemilaventiquattro", "it", 2024},
		{"bought it in twenty twenty two and it died", "en", 2022},
		{"got mine in twenty twenty three", "en", 2023},
	} {
		got, p, ok := Date(tt.text, tt.lang, now)
		if !ok || got.Year() != tt.year || p != PrecisionYear {
			t.Errorf("Date(%q) = %v %v %v, want the year %d", tt.text, got, p, ok, tt.year)
		}
	}
	for _, text := range []string{"nato nel duemilaventitre", "born in two thousand and ten", "ne ho comprati duemila",
		"bought twenty twenty inch frames", "comprato in duemila pezzi", "il modello del duemilaventitre"} {
		if got, p, ok := Date(text, "", now); ok && p == PrecisionYear {
			t.Errorf("Date(%q) = %v %v, want no year", text, got, p)
		}
	}
}

// TestYearBeforeTheMonth reads a recent year told before its month,
// after a preposition ("no sorry, 2023, in october", "2022 a marzo") as
// that month of that year. Near misses keep their reading: an old year
// or a number of euros is no year of the month after it.
func TestYearBeforeTheMonth(t *testing.T) {
	for _, tc := range []struct {
		text, lang, want string
	}{
		{"no sorry, 2023, in october", "en", "2023-10"},
		{"l'ho preso 2022 a marzo", "it", "2022-03"},
		{"pardon, 2024, ad agosto", "it", "2024-08"},
		{"2021 in july if I remember well", "en", "2021-07"},
		// Near misses: the month of its most recent year, or the year alone.
		{"budget 2000 a ottobre", "it", "2024-10"},
		{"1998 in march", "en", "1998"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			for _, v := range Scan(tc.text, Options{Lang: tc.lang, Now: now}) {
				if v.Kind != KindDate {
					continue
				}
				if v.Value != tc.want {
					t.Errorf("%q reads the date %s (%q), want %s", tc.text, v.Value, v.Text, tc.want)
				}
				return
			}
			t.Errorf("%q reads no date, want %s", tc.text, tc.want)
		})
	}
}
