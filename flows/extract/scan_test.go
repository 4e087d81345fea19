package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// A scanCase is a message and every value Scan must find in it, each
// written "kind|text|value" with optional "|key=value,key=value" checks: cue,
// future, approx, notsold, model, category, each, negated, slot, dur,
// prec, others.
type scanCase struct {
	text   string
	expect Kind // Options.Expect
	want   []string
}

func runScanCases(t *testing.T, cases []scanCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got := Scan(tc.text, Options{Now: now, Shop: demoShop, Expect: tc.expect})
			checkSpans(t, tc.text, got)
			var gs []string
			for _, v := range got {
				gs = append(gs, fmt.Sprintf("%s|%s|%s", v.Kind, v.Text, v.Value))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Scan(%q) =\n  %s\nwant\n  %s", tc.text, strings.Join(gs, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for i, w := range tc.want {
				parts := strings.SplitN(w, "|", 4)
				spec, checks := strings.Join(parts[:3], "|"), ""
				if len(parts) == 4 {
					checks = parts[3]
				}
				if gs[i] != spec {
					t.Errorf("value %d = %s, want %s (all: %v)", i, gs[i], spec, gs)
					continue
				}
				if checks == "" {
					continue
				}
				for _, c := range strings.Split(checks, ",") {
					k, v, _ := strings.Cut(c, "=")
					if g := field(got[i], k); g != v {
						t.Errorf("value %d (%s): %s = %q, want %q", i, spec, k, g, v)
					}
				}
			}
		})
	}
}

// field returns one of v's details as text, for the checks of a scanCase.
func field(v Value, k string) string {
	switch k {
	case "cue":
		return string(v.Cue)
	case "future":
		return fmt.Sprint(v.Future)
	case "approx":
		return fmt.Sprint(v.Approx)
	case "notsold":
		return fmt.Sprint(v.NotSold)
	case "model":
		return v.Model
	case "category":
		return v.Category
	case "each":
		return fmt.Sprint(v.Each)
	case "negated":
		return fmt.Sprint(v.Negated)
	case "slot":
		return v.Slot
	case "dur":
		return v.Duration
	case "prec":
		return v.Precision.String()
	case "others":
		return strings.Join(v.Others, " ")
	case "conf":
		return fmt.Sprintf("%.1f", v.Confidence)
	}
	return "unknown field " + k
}

// checkSpans asserts what every Scan must keep: spans inside the text, in
// order, not overlapping, each quoting the text.
func checkSpans(t testing.TB, text string, vs []Value) {
	t.Helper()
	end := 0
	for _, v := range vs {
		if v.Start < end || v.End > len(text) || v.Start >= v.End {
			t.Fatalf("Scan(%q): span %d-%d of %s overlaps or lies outside (previous end %d)", text, v.Start, v.End, v.Kind, end)
		}
		if v.Text != text[v.Start:v.End] {
			t.Fatalf("Scan(%q): Text %q is not text[%d:%d] %q", text, v.Text, v.Start, v.End, text[v.Start:v.End])
		}
		if v.Kind == "" || v.Value == "" || v.Confidence <= 0 || v.Confidence > 1 {
			t.Fatalf("Scan(%q): value %+v", text, v)
		}
		end = v.End
	}
}

// The failures seen in issue 11, each named as such.

func TestDefectDurationIsNotAPurchaseDate(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "da tre giorni lo schermo sfarfalla", want: []string{
			"date|da tre giorni|2025-06-16|cue=since,dur=P3D", "defect|lo schermo sfarfalla|flicker"}},
		{text: "for a week now it makes a strange noise", want: []string{
			"date|for a week now|2025-06-12|cue=since,dur=P1W", "defect|makes a strange noise|noise"}},
		{text: "ho questo problema da due settimane", want: []string{"date|da due settimane|2025-06-05|cue=since,dur=P2W"}},
		{text: "non si accende da ieri", want: []string{"defect|non si accende|no_power", "date|da ieri|2025-06-18|cue=since"}},
		{text: "la macchinetta non eroga più", want: []string{"defect|non eroga più|no_coffee"}},
		{text: "it's been doing this since Monday", want: []string{"date|since Monday|2025-06-16|cue=since"}},
		// Owning it for two years dates the purchase.
		{text: "ce l'ho da due anni e ora non carica", want: []string{
			"date|da due anni|2023-06|cue=purchase,dur=P2Y", "defect|non carica|no_charge"}},
		{text: "I've had it for a year", want: []string{"date|for a year|2024-06|cue=purchase,dur=P1Y"}},
		{text: "the mixer grinds, had it 30 months", want: []string{"defect|grinds|noise", "date|30 months|2022-12|cue=purchase,dur=P30M"}},
		{text: "owned it two years and now it is dead", want: []string{"date|two years|2023-06|cue=purchase,dur=P2Y", "defect|is dead|no_power"}},
		// A rough word inside: still how long, roughly.
		{text: "we've owned it for nearly two years", want: []string{"date|for nearly two years|2023-06|cue=purchase,approx=true"}},
		{text: "da circa una settimana il display lampeggia", want: []string{
			"date|da circa una settimana|2025-06-12|cue=since,approx=true", "defect|il display lampeggia|flicker"}},
		// "fa" the verb after the length: "da due giorni fa un rumore".
		{text: "preso a gennaio, da due giorni fa un ronzio", want: []string{
			"date|gennaio|2025-01|cue=purchase", "date|da due giorni|2025-06-17|cue=since,dur=P2D", "defect|fa un ronzio|noise"}},
	})
}

// A date the problem started on is no purchase date: "it started", "è
// iniziato", "noticed it" tell the onset, as "da tre giorni" does.
func TestProblemOnsetIsNotAPurchaseDate(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "the speaker began crackling two weeks ago", want: []string{
			"defect|crackling|audio", "date|two weeks ago|2025-06-05|cue=since"}},
		{text: "è iniziato tre giorni fa, lo schermo si spegne", want: []string{
			"date|tre giorni fa|2025-06-16|cue=since", "defect|lo schermo si spegne|shutdown"}},
		{text: "I noticed it yesterday, the fan is loud", want: []string{
			"date|yesterday|2025-06-18|cue=since", "defect|the fan is loud|noise"}},
		{text: "bought it in March, it started rattling last week", want: []string{
			"date|March|2025-03|cue=purchase", "defect|rattling|noise", "date|last week|2025-06-12|cue=since"}},
		{text: "the problem showed up two days ago", want: []string{"date|two days ago|2025-06-17|cue=since"}},
		// A part or an accessory bought dates itself, not the product.
		{text: "the cable I bought in April works", want: []string{"date|April|2025-04|cue="}},
		// A product that showed up was delivered.
		{text: "the speakers finally showed up on 12 June", want: []string{"date|12 June|2025-06-12|cue=delivery"}},
		{text: "fino a lunedì andava benissimo", want: []string{"date|lunedì|2025-06-16|cue=since"}},
		// What was spent on it dates the purchase.
		{text: "ci ho speso 400 euro a febbraio", want: []string{"money|400 euro|400 EUR", "date|febbraio|2025-02|cue=purchase"}},
		// Starting to use it dates owning it.
		{text: "I started using it in March", want: []string{"date|March|2025-03|cue="}},
	})
}

// How old the product is tells when it was bought; a person's age and a
// warranty's length do not.
func TestProductAgeDatesThePurchase(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "the blender is only 4 months old", want: []string{"date|4 months|2025-02|cue=purchase,dur=P4M"}},
		{text: "il frullatore ha appena un anno", want: []string{"date|un anno|2024-06|cue=purchase,dur=P1Y"}},
		{text: "mio nonno ha 81 anni", want: []string{"duration|81 anni|P81Y"}},
		{text: "ha 3 anni di garanzia?", want: []string{"duration|3 anni|P3Y"}},
	})
}

// Dates as chats write them: units shortened or fond, a day of last
// month, this season when it has passed.
func TestChatDates(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "ordered it 3 yrs ago", want: []string{"date|3 yrs ago|2022-06|cue=purchase"}},
		{text: "l'ho ordinato un mesetto fa", want: []string{"date|un mesetto fa|2025-05|cue=purchase"}},
		{text: "comprata un paio d'anni fa", want: []string{"date|un paio d'anni fa|2023-06|cue=purchase"}},
		{text: "ordered on the 12th of last month", want: []string{"date|the 12th of last month|2025-05-12|cue=purchase"}},
		{text: "arrivato il 7 del mese scorso", want: []string{"date|il 7 del mese scorso|2025-05-07|cue=delivery"}},
		{text: "comprato quest'inverno", want: []string{"date|quest'inverno|2025-01|cue=purchase"}},
	})
}

// "stopped <doing>" and "ha smesso di <fare>" tell a fault whatever the
// verb; what people stopped doing tells none.
func TestStoppedDoingIsAFault(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "the drum stopped rotating", want: []string{"defect|stopped rotating|not_working"}},
		{text: "la ventola ha smesso di girare", want: []string{"defect|la ventola ha smesso di girare|not_working"}},
		{text: "the scroll wheel stops responding after a minute", want: []string{"defect|stops responding|not_working"}},
		{text: "I stopped using it in winter", want: []string{"date|winter|2025-01|cue="}},
		{text: "ho smesso di usarlo", want: nil},
		{text: "you stopped selling the blue one", want: nil},
	})
}

// A model number with an English plural "s" after a count is the model,
// counted: "two iPhone 15s" are iPhone 15s, no iPhone "15s".
func TestPluralOfAModel(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "can I get 2 Pixel 8s", want: []string{"quantity|2|2", "product|Pixel 8s|pixel-8"}},
		{text: "una coppia di iphone 15", want: []string{"quantity|una coppia di|2", "product|iphone 15|iphone-15"}},
		{text: "looking for three iphone 15s", want: []string{"quantity|three|3", "product|iphone 15s|iphone-15"}},
		// Without a count, the "s" names another model.
		{text: "my iphone 15s", want: []string{"brand|iphone 15s|apple|notsold=true"}},
	})
}

// Damage needs a cause: a strong word for "it died" is a defect.
func TestSlangForDeadIsNoDamage(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "mi si è fuso il portatile", want: []string{"defect|mi si è fuso|not_working", "category|portatile|laptop"}},
		{text: "my laptop is totally fried", want: []string{"category|laptop|laptop", "defect|totally fried|not_working"}},
		{text: "the phone got bricked after the update", want: []string{"category|phone|phone", "defect|got bricked|not_working"}},
		{text: "il telefono è defunto", want: []string{"category|telefono|phone", "defect|è defunto|not_working"}},
		{text: "my laptop is toast", want: []string{"category|laptop|laptop", "defect|is toast|not_working"}},
		{text: "the kettle caught fire", want: []string{"category|kettle|kettle", "defect|caught fire|smell"}},
		{text: "mi si è impallato il telefono", want: []string{"defect|si è impallato|freeze", "category|telefono|phone"}},
		// With the heat that did it, damage.
		{text: "il portatile si è fuso dal calore", want: []string{"category|portatile|laptop", "damage|si è fuso dal calore|heat"}},
	})
}

func TestBudgetIsNotAQuantity(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "a monitor for about 300 euros", want: []string{
			"category|monitor|monitor|notsold=true", "money|300 euros|300 EUR|approx=true"}},
		{text: "cerco un portatile, budget 800", want: []string{"category|portatile|laptop", "money|800|800 EUR|conf=0.8"}},
		{text: "vorrei 2 portatili con budget 800 a pezzo", want: []string{
			"quantity|2|2", "category|portatili|laptop", "money|800 a pezzo|800 EUR|each=true"}},
		{text: "max mille euro", want: []string{"money|mille euro|1000 EUR"}},
		{text: "spendo al massimo 1.200", want: []string{"money|1.200|1200 EUR"}},
		{text: "something around 500", want: []string{"money|500|500 EUR|approx=true"}},
		{text: "tra 500 e 800 euro", want: []string{"money|tra 500 e 800 euro|800 EUR"}},
		{text: "duemila e trecento euro", want: []string{"money|duemila e trecento euro|2300 EUR"}},
		{text: "tra mille e duemila euro", want: []string{"money|tra mille e duemila euro|2000 EUR"}},
		{text: "dai 400 ai 600 euro", want: []string{"money|dai 400 ai 600 euro|600 EUR"}},
		{text: "fra i 700 e i 900 €", want: []string{"money|fra i 700 e i 900 €|900 EUR"}},
		{text: "about 2 grand tops", want: []string{"money|2 grand|2000 EUR|approx=true"}},
		{text: "three laptops, max 600 each", want: []string{
			"quantity|three|3", "category|laptops|laptop", "money|600 each|600 EUR|each=true"}},
	})
}

func TestPhoneInsideEnglishSentence(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "you can call me on +44 7700 900123 after 5pm", want: []string{"phone|+44 7700 900123|+447700900123"}},
		{text: "il mio numero è 333 1234567", want: []string{"phone|333 1234567|+393331234567"}},
		{text: "my number is 0039 02 1234567, thanks", want: []string{"phone|0039 02 1234567|+39021234567"}},
		{text: "chiamatemi al 333-123-4567 oppure scrivete a anna.rossi@example.it", want: []string{
			"phone|333-123-4567|+393331234567", "email|anna.rossi@example.it|anna.rossi@example.it"}},
		{text: "text me at (+39) 347 765 4321 please", want: []string{"phone|(+39) 347 765 4321|+393477654321"}},
		// A phone's word that labels the number is no kind of product.
		{text: "my mobile number is 347 765 4321", want: []string{"phone|347 765 4321|+393477654321"}},
		{text: "cellulare: 3477654321, grazie", want: []string{"phone|3477654321|+393477654321"}},
		{text: "the phone is dead, call me on 3477654321", want: []string{
			"category|phone|phone", "defect|is dead|no_power", "phone|3477654321|+393477654321"}},
		// To phone someone is no phone.
		{text: "please phone me back at 3477654321", want: []string{"phone|3477654321|+393477654321"}},
	})
}

func TestModelNumberIsNotAQuantity(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "iPhone 15", want: []string{"product|iPhone 15|iphone-15"}},
		{text: "il mio pixel 8 è morto", want: []string{"product|pixel 8|pixel-8", "defect|è morto|no_power"}},
		{text: "galaxy a55 che non si carica", want: []string{"product|galaxy a55|galaxy-a55", "defect|non si carica|no_charge"}},
		{text: "la mia dyson v8 non aspira più", want: []string{"product|dyson v8|dyson-v8", "defect|non aspira più|suction"}},
		{text: "v8", want: []string{"product|v8|dyson-v8"}},
		{text: "ho 2 iphone 15", want: []string{"quantity|2|2", "product|iphone 15|iphone-15"}},
		{text: "Samsung QLED 55 che sfarfalla", want: []string{"product|Samsung QLED 55|samsung-qled-55", "defect|sfarfalla|flicker"}},
	})
}

func TestPriceIsNotAPhone(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "l'ho pagato 1.299,00 €", want: []string{"money|1.299,00 €|1299 EUR"}},
		{text: "ordine SP-482001 del 15/03/2025", want: []string{"order|SP-482001|SP-482001", "date|15/03/2025|2025-03-15|cue=purchase"}},
		{text: "ho 2 telefoni", want: []string{"quantity|2|2", "category|telefoni|phone"}},
	})
}

func TestProductTheShopDoesNotSell(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "un huawei p30 lo riparate?", want: []string{"brand|huawei p30|huawei|notsold=true,model=p30"}},
		// A model's English plural is the model.
		{text: "two Galaxy A55s", want: []string{"quantity|two|2", "product|Galaxy A55s|galaxy-a55"}},
		{text: "sistemate i monopattini elettrici?", want: []string{"category|monopattini|ebike|notsold=true"}},
		{text: "my Philips TV has dead pixels", want: []string{
			"brand|Philips|philips|notsold=true,category=tv", "category|TV|tv", "defect|dead pixels|screen"}},
		{text: "la friggitrice philips non scalda", want: []string{
			"product|friggitrice philips|philips-airfryer", "defect|non scalda|no_heat"}},
		{text: "ho un galaxy s23", want: []string{"brand|galaxy s23|samsung|notsold=true,model=galaxy s23,others=galaxy-a55"}},
		{text: "iphone 13", want: []string{"brand|iphone 13|apple|notsold=true,model=iphone 13"}},
		{text: "vendete il pixel 8 pro?", want: []string{"brand|pixel 8 pro|google|notsold=true"}},
		{text: "un frigorifero samsung", want: []string{
			"category|frigorifero|fridge|notsold=true", "brand|samsung|samsung|notsold=true,category=fridge"}},
		{text: "vorrei un tablet", want: []string{"category|tablet|tablet|notsold=true"}},
		// Kinds the shop does not sell, asked for in the English plural.
		{text: "do u sell drones", want: []string{"category|drones|drone|notsold=true"}},
		{text: "any projectors in stock?", want: []string{"category|projectors|projector|notsold=true"}},
		{text: "looking at dishwashers for the new flat", want: []string{"category|dishwashers|dishwasher|notsold=true"}},
		{text: "cuffie sony", want: []string{"category|cuffie|headphones|notsold=true", "brand|sony|sony|notsold=true"}},
		{text: "ho un samsung", want: []string{"brand|samsung|samsung|notsold=false,others=galaxy-a55 samsung-qled-55"}},
		{text: "una tv samsung", want: []string{"category|tv|tv", "brand|samsung|samsung|notsold=false,category=tv,others=samsung-qled-55"}},
		{text: "a xiaomi redmi note 12", want: []string{"brand|xiaomi redmi note 12|xiaomi|notsold=true,model=redmi note 12"}},
	})
}

func TestOrderNumbersInLooseForms(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "SP-482001", want: []string{"order|SP-482001|SP-482001|conf=1.0"}},
		{text: "il mio ordine è sp 482001", want: []string{"order|sp 482001|SP-482001"}},
		{text: "sp482001", want: []string{"order|sp482001|SP-482001"}},
		{text: "#SP-482001 non è ancora arrivato", want: []string{"order|#SP-482001|SP-482001"}},
		{text: "ordine 482001", want: []string{"order|482001|SP-482001|conf=0.9"}},
		{text: "order no. 482001", want: []string{"order|482001|SP-482001|conf=0.9"}},
		{text: "#482001", want: []string{"order|#482001|SP-482001|conf=0.9"}},
		{text: "482001", want: []string{"order|482001|SP-482001|conf=0.5"}},
		{text: "482001", expect: KindOrder, want: []string{"order|482001|SP-482001|conf=0.9"}},
		{text: "SPX-482001", want: []string{}},
		// A phone's dash; the digits in two groups.
		{text: "the order is SP—730115", want: []string{"order|SP—730115|SP-730115"}},
		{text: "ordine sp 730 115 del mese scorso", want: []string{"order|sp 730 115|SP-730115", "date|mese scorso|2025-05|cue=purchase"}},
		{text: "sp 730 1150", want: []string{"number|730|730", "number|1150|1150"}},
	})
}

func TestDateClasses(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "bought it last summer", want: []string{"date|last summer|2024-07|cue=purchase,approx=true,prec=month"}},
		{text: "l'ho preso l'estate scorsa", want: []string{"date|estate scorsa|2024-07|cue=purchase,approx=true"}},
		// A deadline is read forward and dates nothing done: "entro
		// venerdì" is the next Friday (now is Thursday 19 June 2025).
		{text: "la riparazione mi serve entro venerdi", want: []string{"date|venerdi|2025-06-20|cue=deadline,future=true"}},
		{text: "can u get it to me by the 25th of june", want: []string{"date|25th of june|2025-06-25|cue=deadline,future=true"}},
		{text: "consegnatelo non oltre lunedì", want: []string{"date|lunedì|2025-06-23|cue=deadline,future=true"}},
		{text: "I bought it on monday", want: []string{"date|monday|2025-06-16|cue=purchase,future=false"}},
		// A year's beginning, middle or end is a rough month, as a season is.
		{text: "lo abbiamo preso all'inizio del 2024", want: []string{"date|all'inizio del 2024|2024-02|cue=purchase,approx=true,prec=month"}},
		// The year's end is December; "late" is rougher, November.
		{text: "got it towards the end of last year", want: []string{"date|towards the end of last year|2024-12|cue=purchase,approx=true,prec=month"}},
		{text: "l ho presa a fine anno scorso", want: []string{"date|a fine anno scorso|2024-12|cue=purchase,approx=true,prec=month"}},
		{text: "comprato alla fine del 2023 credo", want: []string{"date|alla fine del 2023|2023-12|cue=purchase,approx=true,prec=month"}},
		{text: "bought it late last year", want: []string{"date|late last year|2024-11|cue=purchase,approx=true,prec=month"}},
		{text: "l ho preso prima della fine del 2024", want: []string{"date|fine del 2024|2024-11|cue=purchase,approx=true,prec=month"}},
		{text: "comprata a meta 2023 credo", want: []string{"date|a meta 2023|2023-06|cue=purchase,approx=true,prec=month"}},
		{text: "ordered in early 2025", want: []string{"date|in early 2025|2025-02|cue=purchase,approx=true,prec=month"}},
		{text: "preso l'anno scorso", want: []string{"date|l'anno scorso|2024|cue=purchase,prec=year"}},
		{text: "l'ho comprato verso Pasqua", want: []string{"date|verso Pasqua|2025-04-20|cue=purchase,approx=true,prec=day"}},
		{text: "around Easter last year", want: []string{"date|around Easter last year|2024-03-31|approx=true"}},
		{text: "pasqua 2024", want: []string{"date|pasqua 2024|2024-03-31"}},
		{text: "me l'hanno regalato a Natale", want: []string{"buyer|me l'hanno regalato|consumer", "date|Natale|2024-12-25|cue=purchase"}},
		{text: "got it at Christmas", want: []string{"date|Christmas|2024-12-25|cue=purchase"}},
		{text: "comprato a januray", want: []string{"date|januray|2025-01|cue=purchase,conf=0.8"}},
		{text: "preso a setembre", want: []string{"date|setembre|2024-09|cue=purchase"}},
		{text: "il 3 febraio", want: []string{"date|3 febraio|2025-02-03"}},
		{text: "a ottobr", want: []string{"date|ottobr|2024-10"}},
		{text: "10 dicenbre 2024", want: []string{"date|10 dicenbre 2024|2024-12-10"}},
		// A misspelt month alone answers "when?"; in a sentence it needs a
		// word that says it is a month.
		{text: "setembre", want: []string{"date|setembre|2024-09|conf=0.8"}},
		{text: "Agsoto", want: []string{"date|Agsoto|2024-08"}},
		{text: "octobre", want: []string{"date|octobre|2024-10"}},
		{text: "marco", want: []string{}},
		{text: "ottimo grazie", want: []string{}},
		{text: "the 3rd of march", want: []string{"date|3rd of march|2025-03-03"}},
		{text: "comprato il 3/3", want: []string{"date|3/3|2025-03-03|cue=purchase,conf=0.8"}},
		{text: "consegnato 5 giorni fa", want: []string{"date|5 giorni fa|2025-06-14|cue=delivery"}},
		{text: "it arrived yesterday", want: []string{"date|yesterday|2025-06-18|cue=delivery"}},
		{text: "l'ho ordinato il 20/06/2025", want: []string{"date|20/06/2025|2025-06-20|cue=purchase,future=true"}},
		{text: "comprato il 15 settembre 2025", want: []string{"date|15 settembre 2025|2025-09-15|future=true"}},
		{text: "tra due settimane", want: []string{"date|tra due settimane|2025-07-03|future=true"}},
		{text: "si è rotto dopo 3 giorni", want: []string{"defect|si è rotto|broken", "duration|3 giorni|P3D"}},
		// The year said before the month; a weekend named by which one.
		{text: "l'ho ordinato nel 2024, a dicembre", want: []string{"date|nel 2024, a dicembre|2024-12|cue=purchase,prec=month"}},
		{text: "got it in 2023 around october", want: []string{"date|in 2023 around october|2023-10|cue=purchase"}},
		{text: "picked it up last weekend", want: []string{"date|last weekend|2025-06-14|prec=day"}},
		{text: "consegnato lo scorso weekend", want: []string{"date|scorso weekend|2025-06-14|cue=delivery"}},
		{text: "siete aperti nel weekend?", want: []string{}},
		// A month of some years ago; a year of two digits; a day in words.
		{text: "l'ho preso tre anni fa a settembre", want: []string{"date|tre anni fa a settembre|2022-09|cue=purchase,prec=month"}},
		{text: "in october, two years ago", want: []string{"date|october, two years ago|2023-10"}},
		{text: "a giugno '24", want: []string{"date|giugno '24|2024-06|prec=month"}},
		{text: "bought in sept ’23", want: []string{"date|sept ’23|2023-09|cue=purchase"}},
		{text: "il ventidue gennaio", want: []string{"date|ventidue gennaio|2025-01-22|prec=day"}},
		{text: "on the fifth of may", want: []string{"date|fifth of may|2025-05-05"}},
		// A bare year answers "when?"; in a sentence a word says so.
		{text: "it was 2022 I think", want: []string{"date|2022|2022|prec=year"}},
		// A day of the month alone, after a word of buying or delivering.
		{text: "mi è arrivato il 28", want: []string{"date|il 28|2025-05-28|cue=delivery,prec=day"}},
		{text: "it was delivered on the 3rd", want: []string{"date|the 3rd|2025-06-03|cue=delivery"}},
		{text: "il 3 non funziona", want: []string{"number|3|3", "defect|non funziona|not_working"}},
		{text: "ricevuto una ventina di giorni fa", want: []string{"date|una ventina di giorni fa|2025-05-30|cue=delivery"}},
		{text: "bought it a fortnight ago", want: []string{"date|a fortnight ago|2025-06-05|cue=purchase"}},
		{text: "preso du mesi fa", want: []string{"date|du mesi fa|2025-04|cue=purchase"}},
		{text: "comprata l'ano scorso", want: []string{"date|ano scorso|2024|cue=purchase"}},
		{text: "got it in 2023 june", want: []string{"date|in 2023 june|2023-06|cue=purchase"}},
		{text: "preso 2024 ottobre", want: []string{"date|2024 ottobre|2024-10|cue=purchase"}},
		{text: "it was four and a half years ago", want: []string{"date|four and a half years ago|2020-12"}},
		{text: "ordered in janury this year", want: []string{"date|janury this year|2025-01|cue=purchase"}},
		{text: "consegnato ad aprile, il 3", want: []string{"date|aprile, il 3|2025-04-03|cue=delivery"}},
		{text: "autumn of last year probably", want: []string{"date|autumn of last year|2024-10|approx=true"}},
		{text: "nell'estate del 2023", want: []string{"date|estate del 2023|2023-07|approx=true"}},
		{text: "era il 2023", want: []string{"date|2023|2023"}},
		{text: "il 2022 è stato un anno difficile", want: []string{"number|2022|2022", "duration|un anno|P1Y"}},
		// Not dates.
		{text: "non riesco ad aprire l'app", want: []string{}},
		{text: "l'ho regalato a Marco", want: []string{}},
		{text: "I may have dropped it", want: []string{"damage|dropped it|drop"}},
		{text: "0/10/0000", want: []string{}},
		{text: "0\uFFFD/10/0000", want: []string{}},
		{text: "comprato il 15 marzo 0001", want: []string{}},
		{text: "500 anni fa", want: []string{}},
		{text: "nel 2101", want: []string{"number|2101|2101"}},
		{text: "assistenza 24/7?", want: []string{}},
		{text: "31/02/2025", want: []string{}},
	})
}

func TestDefectsAndDamage(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "l'ho fatto cadere e lo schermo è crepato", want: []string{"damage|l'ho fatto cadere|drop", "damage|lo schermo è crepato|crack"}},
		{text: "mi è caduto in acqua", want: []string{"damage|mi è caduto in acqua|liquid"}},
		{text: "I dropped it and now the screen is cracked", want: []string{"damage|I dropped it|drop", "damage|the screen is cracked|crack"}},
		{text: "spilled coffee on it", want: []string{"damage|spilled coffee on it|liquid"}},
		{text: "cracked screen", want: []string{"damage|cracked screen|crack"}},
		// Someone hit it; a crack told as a thing it has.
		{text: "my son hit it with a football and now it has a crack near the edge", want: []string{"damage|my son hit it with|impact", "damage|it has a crack|crack"}},
		{text: "il gatto l'ha sbattuto giù dal tavolo", want: []string{"damage|il gatto l'ha sbattuto|impact"}},
		{text: "c'è una crepa sul bordo", want: []string{"damage|c'è una crepa sul bordo|crack"}},
		{text: "il monitor fa delle righe", want: []string{"category|monitor|monitor|notsold=true", "defect|fa delle righe|screen"}},
		{text: "left it out in the rain overnight", want: []string{"damage|in the rain|liquid"}},
		{text: "my phone got drenched", want: []string{"category|phone|phone", "damage|drenched|liquid"}},
		{text: "l'ho appoggiato sul termosifone e si è deformato", want: []string{"damage|sul termosifone|heat", "damage|si è deformato|heat"}},
		{text: "the case melted near the heater", want: []string{"damage|melted|heat", "damage|near the heater|heat"}},
		{text: "lo so, è colpa mia", want: []string{"damage|è colpa mia|other"}},
		{text: "I'll drop it off tomorrow", want: []string{"date|tomorrow|2025-06-20|future=true"}},
		{text: "can I drop it at the shop myself?", want: []string{}},
		{text: "the headphones are super noisy", want: []string{"category|headphones|headphones|notsold=true", "defect|are super noisy|noise"}},
		// More symptoms, as customers name them.
		{text: "the display has a pink tint", want: []string{"defect|the display has a pink tint|screen"}},
		{text: "il lettore si ferma dopo pochi secondi", want: []string{"defect|il lettore si ferma dopo|shutdown"}},
		{text: "the lid hinge snapped", want: []string{"defect|hinge snapped|broken"}},
		{text: "the usb port is loose", want: []string{"defect|the usb port is loose|broken"}},
		{text: "it trips the breaker every time", want: []string{"defect|trips the breaker|shutdown"}},
		{text: "il caffè sa di bruciato", want: []string{"defect|caffè sa di bruciato|no_coffee"}},
		{text: "leave me alone", want: []string{}},
		{text: "it isnt working anymore", want: []string{"defect|isnt working anymore|not_working"}},
		{text: "my kettle has packed up", want: []string{"category|kettle|kettle", "defect|has packed up|not_working"}},
		{text: "the left button doesn't click anymore", want: []string{"defect|button doesn't click anymore|not_working"}},
		{text: "il tasto del mouse non clicca più", want: []string{"defect|il tasto del mouse non clicca più|not_working"}},
		{text: "the telly conked out on me", want: []string{"category|telly|tv", "defect|conked out on me|not_working"}},
		{text: "it's totally gone kaput", want: []string{"defect|totally gone kaput|not_working"}},
		{text: "the crackling sound again", want: []string{"defect|crackling sound|audio"}},
		// A part that no longer does its job, whatever the verb.
		{text: "lo sportello della lavatrice non si apre più", want: []string{"category|lavatrice|washing_machine", "defect|non si apre più|not_working|conf=0.6"}},
		{text: "il cassetto non si sfila", want: []string{"defect|non si sfila|not_working"}},
		{text: "non si sa mai", want: []string{}},
		{text: "il tracking non si aggiorna", want: []string{}},
		{text: "the tray won't eject", want: []string{"defect|won't eject|stuck"}},
		{text: "l'espresso esce tiepido", want: []string{"defect|espresso esce tiepido|no_heat"}},
		{text: "it makes lukewarm coffee", want: []string{"defect|makes lukewarm coffee|no_heat"}},
		{text: "ci ho rovesciato il caffè sopra", want: []string{"damage|ci ho rovesciato il caffè sopra|liquid"}},
		{text: "non l'ho mai fatto cadere, si è spento da solo", want: []string{
			"damage|fatto cadere|drop|negated=true", "defect|si è spento da solo|shutdown"}},
		{text: "I never dropped it, it just stopped working", want: []string{
			"damage|dropped it|drop|negated=true", "defect|stopped working|not_working"}},
		{text: "non si accende da quando è caduto", want: []string{"defect|non si accende|no_power", "damage|è caduto|drop|negated=false"}},
		{text: "won't charge", want: []string{"defect|won't charge|no_charge"}},
		{text: "la batteria non tiene la carica", want: []string{"defect|la batteria non tiene la carica|no_charge"}},
		{text: "the screen keeps flickering", want: []string{"defect|the screen keeps flickering|flicker"}},
		{text: "il telefono non legge piu la sim", want: []string{"category|telefono|phone", "defect|non legge piu la sim|connectivity"}},
		{text: "it doesn't detect the sim card", want: []string{"defect|it doesn't detect the sim card|connectivity"}},
		{text: "l'immagine è tutta verde", want: []string{"defect|immagine è tutta verde|screen"}},
		{text: "non riconosce più il caricatore", want: []string{"defect|non riconosce più il caricatore|no_charge"}},
		{text: "it doesn't recognize the charger", want: []string{"defect|it doesn't recognize the charger|no_charge"}},
		{text: "a dead pixel line in the middle", want: []string{"defect|a dead pixel line|screen"}},
		{text: "ha un pixel morto", want: []string{"defect|un pixel morto|screen"}},
		{text: "one of them has developed a fault", want: []string{"quantity|one|1", "defect|has developed a fault|not_working"}},
		{text: "the picture keeps going black", want: []string{"defect|picture keeps going black|screen"}},
		{text: "in basso c'è una banda nera orizzontale", want: []string{"defect|banda nera|screen"}},
		{text: "fa un rumore strano quando centrifuga", want: []string{"defect|fa un rumore strano|noise"}},
		{text: "non funziona il wifi", want: []string{"defect|non funziona il wifi|not_working"}},
		{text: "la macchina del caffè perde acqua", want: []string{"category|macchina del caffè|appliance", "defect|perde acqua|leak"}},
		{text: "nn si acende piu", want: []string{"defect|nn si acende piu|no_power"}},
		{text: "ho dei pixel morti", want: []string{"defect|pixel morti|screen"}},
		{text: "è caduta la linea", want: []string{"defect|è caduta la linea|connectivity"}},
		{text: "my laptop fan is very loud", want: []string{"category|laptop|laptop", "defect|fan is very loud|noise"}},
		{text: "the touchscreen doesn't respond", want: []string{"defect|the touchscreen doesn't respond|screen"}},
		{text: "la batteria si è gonfiata", want: []string{"defect|la batteria si è gonfiata|swollen_battery"}},
		{text: "phone got really hot while charging and now it's dead", want: []string{
			"category|phone|phone", "defect|got really hot|overheat", "defect|it's dead|no_power"}},
		{text: "il display ha delle righe verticali", want: []string{"defect|il display ha delle righe verticali|screen"}},
		{text: "water got inside", want: []string{"damage|water got inside|liquid"}},
		{text: "mi è scivolato di mano", want: []string{"damage|mi è scivolato di mano|drop"}},
		{text: "c'è una crepa sullo schermo", want: []string{"damage|una crepa sullo schermo|crack"}},
		{text: "l'aspirapolvere fa un odore di bruciato", want: []string{"category|aspirapolvere|appliance", "defect|odore di bruciato|smell"}},
		{text: "la macchina del caffè non fa più il caffè", want: []string{"category|macchina del caffè|appliance", "defect|non fa più il caffè|no_coffee"}},
		{text: "the printer doesn't print properly", want: []string{"category|printer|printer|notsold=true", "defect|doesn't print properly|no_print"}},
		{text: "my phone keeps turning itself off", want: []string{"category|phone|phone", "defect|keeps turning itself off|shutdown"}},
	})
}

func TestBuyerAndChoices(t *testing.T) {
	runScanCases(t, []scanCase{
		// A business named by its kind.
		// Bought for the home or the family: a private buyer.
		{text: "lo prendo x casa", want: []string{"buyer|x casa|consumer"}},
		{text: "è per mio papà", want: []string{"buyer|per mio papà|consumer"}},
		{text: "it's for my grandma", want: []string{"buyer|for my grandma|consumer"}},
		{text: "siamo una cooperativa sociale", want: []string{"buyer|siamo una cooperativa|business"}},
		{text: "è per la nostra pizzeria", want: []string{"buyer|per la nostra pizzeria|business"}},
		// Who one is, or what one runs, or has not.
		{text: "I'm just a normal person", want: []string{"buyer|just a normal person|consumer"}},
		{text: "lo compro privatamente", want: []string{"buyer|privatamente|consumer"}},
		{text: "we don't own a business", want: []string{"buyer|we don't own a business|consumer"}},
		{text: "non abbiamo una ditta", want: []string{"buyer|non abbiamo una ditta|consumer"}},
		{text: "we run a little cafe", want: []string{"buyer|we run a little cafe|business"}},
		{text: "gestisco una palestra", want: []string{"buyer|gestisco una palestra|business"}},
		{text: "we need them for our clinic", want: []string{"buyer|for our clinic|business"}},
		{text: "una decina di telefoni per la mia azienda", want: []string{
			"quantity|una decina|10|approx=true", "category|telefoni|phone", "buyer|per la mia azienda|business"}},
		{text: "three of them please, for my company", want: []string{"quantity|three|3", "buyer|for my company|business"}},
		{text: "sono un privato", want: []string{"buyer|sono un privato|consumer"}},
		{text: "I'm buying as a private person", want: []string{"buyer|as a private person|consumer"}},
		{text: "non ho la partita iva", want: []string{"buyer|ho la partita iva|consumer|conf=0.7"}},
		{text: "uso personale", want: []string{"buyer|uso personale|consumer"}},
		{text: "just me, personally", want: []string{"buyer|just me|consumer"}},
		{text: "io personalmente", want: []string{"buyer|io personalmente|consumer"}},
		// Bought personally, with one's own money; brought or spoken to
		// in person is no buyer.
		{text: "i got it personally, not thru work", want: []string{"buyer|got it personally|consumer"}},
		{text: "I personally bought it", want: []string{"buyer|personally bought|consumer"}},
		{text: "l ho presa io personalmente", want: []string{"buyer|presa io personalmente|consumer"}},
		{text: "pagato di tasca mia", want: []string{"buyer|pagato di tasca mia|consumer"}},
		{text: "bought it with my own money", want: []string{"buyer|bought it with my own money|consumer"}},
		{text: "can i bring it in personally", want: []string{}},
		{text: "personally i think the colour is ugly", want: []string{}},
		{text: "lo consegno personalmente al corriere", want: []string{}},
		{text: "ne parlo personalmente col tecnico", want: []string{}},
		{text: "I want to speak to someone personally", want: []string{}},
		{text: "sono per i miei collaboratori", want: []string{"buyer|per i miei collaboratori|business"}},
		{text: "sono per i miei", want: []string{"buyer|per i miei|consumer"}},
		{text: "scrivo per conto della Bianchi srl", want: []string{"buyer|srl|business"}},
		{text: "they are for our design department", want: []string{"buyer|for our design department|business"}},
		// Where in the home it goes: a private buyer.
		{text: "cerco un portatile da usare a casa", want: []string{"category|portatile|laptop", "buyer|da usare a casa|consumer"}},
		{text: "una tv per il salotto, grande", want: []string{"category|tv|tv", "buyer|per il salotto|consumer"}},
		{text: "a tv for the bedroom pls", want: []string{"category|tv|tv", "buyer|for the bedroom|consumer"}},
		{text: "a laptop to use at home", want: []string{"category|laptop|laptop", "buyer|to use at home|consumer"}},
		// The customer's own flat: a private buyer; a flat screen is no flat.
		{text: "need a hoover for my flat, nothing fancy", want: []string{"category|hoover|appliance", "buyer|for my flat|consumer"}},
		{text: "cerco una friggitrice per il mio appartamento", want: []string{"category|friggitrice|appliance", "buyer|per il mio appartamento|consumer"}},
		{text: "a tv for our new apartment", want: []string{"category|tv|tv", "buyer|for our new apartment|consumer"}},
		{text: "is the flat screen one cheaper", want: nil},
		{text: "azienda", want: []string{"choice|azienda|business|slot=buyer,conf=0.7"}},
		{text: "azienda", expect: KindChoice, want: []string{"choice|azienda|business|slot=buyer,conf=1.0"}},
	})
}

func TestQuantities(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "2 portatili", want: []string{"quantity|2|2", "category|portatili|laptop"}},
		{text: "ne vorrei 3", want: []string{"quantity|3|3"}},
		{text: "ne vorremmo ordinare 4", want: []string{"quantity|4|4"}},
		{text: "we need three for the office", want: []string{"quantity|three|3", "buyer|for the office|business"}},
		{text: "I want two weeks off", want: []string{"duration|two weeks|P2W"}},
		{text: "me ne servono 2 o 3", want: []string{"quantity|2 o 3|3|approx=true"}},
		{text: "5 pezzi", want: []string{"quantity|5|5"}},
		// A name counted in the English plural, though the plural alone
		// is a common word: "dead pixels" is no phone.
		{text: "we'd like three pixels for the team", want: []string{"quantity|three|3", "product|pixels|pixel-8", "buyer|for the team|business"}},
		{text: "2 pixels pls", want: []string{"quantity|2|2", "product|pixels|pixel-8"}},
		{text: "my tv has 3 pixels dead", want: []string{"category|tv|tv", "number|3|3", "defect|dead|no_power"}},
		{text: "my tv has dead pixels", want: []string{"category|tv|tv", "defect|dead pixels|screen"}},
		// The English plural of a model after a word of buying: "looking
		// for Pixel 8s"; "my iPhone 15s" alone is another model.
		{text: "looking for pixel 8s for my staff", want: []string{"product|pixel 8s|pixel-8", "buyer|for my staff|business"}},
		{text: "we need some iphone 15s", want: []string{"product|iphone 15s|iphone-15"}},
		{text: "my iphone 15s is dead", want: []string{"brand|iphone 15s|apple|notsold=true", "defect|is dead|no_power"}},
		// "da 13" after a product or a category is its size, no count.
		{text: "avete il macbook air da 13?", want: []string{"product|macbook air|macbook-air"}},
		{text: "cerco una tv da 55 sotto i 600 euro", want: []string{"category|tv|tv", "money|600 euro|600 EUR"}},
		{text: "un portatile da 15 per lavoro", want: []string{"category|portatile|laptop"}},
		{text: "2", want: []string{"number|2|2"}},
		{text: "2", expect: KindQuantity, want: []string{"quantity|2|2"}},
		{text: "uno", expect: KindQuantity, want: []string{"quantity|uno|1"}},
		{text: "800", expect: KindMoney, want: []string{"money|800|800 EUR|conf=0.7"}},
		{text: "make it 5", expect: KindMoney, want: []string{"number|5|5"}},
		{text: "un macbook air, uno, per l'ufficio", want: []string{"product|macbook air|macbook-air", "quantity|uno|1", "buyer|per l'ufficio|business"}},
		// A bound or a price per unit makes an amount money without a currency.
		{text: "non oltre 900 per favore", want: []string{"money|900|900 EUR|conf=0.8"}},
		{text: "nothing more than 450", want: []string{"money|450|450 EUR"}},
		{text: "tre tablet, 250 a pezzo", want: []string{"quantity|tre|3", "category|tablet|tablet|notsold=true", "money|250 a pezzo|250 EUR|each=true"}},
		{text: "ne servono più di 5", want: []string{"number|5|5"}},
		{text: "ne prendiamo 4 a testa", want: []string{"quantity|4|4"}},
		{text: "un portatile", want: []string{"category|portatile|laptop"}},
		// Counts written as multiplications, or "of the" before the thing.
		{text: "galaxy a55 x3", want: []string{"product|galaxy a55|galaxy-a55", "quantity|x3|3"}},
		{text: "4x macbook air", want: []string{"quantity|4x|4", "product|macbook air|macbook-air"}},
		{text: "2 x pavilion 15", want: []string{"quantity|2|2", "product|pavilion 15|pavilion-15"}},
		{text: "three of the pixel 8", want: []string{"quantity|three|3", "product|pixel 8|pixel-8"}},
		{text: "la bravia x75", want: []string{"product|bravia x75|sony-bravia-43"}},
		// "just", "solo", "sola" make a number a count, whatever was asked.
		{text: "just one thanks", want: []string{"quantity|one|1"}},
		{text: "me ne basta una sola", want: []string{"quantity|una|1"}},
		{text: "solo tre per adesso", want: []string{"quantity|tre|3"}},
		// "uno" before s and a consonant, z, gn, ps is the article.
		{text: "cerco uno smartphone economico", want: []string{"category|smartphone|phone"}},
		{text: "uno scanner per l'ufficio", want: []string{"category|scanner|printer|notsold=true", "buyer|per l'ufficio|business"}},
		{text: "me ne basta uno solo", want: []string{"quantity|uno|1"}},
		{text: "sei gentile", want: []string{}},
		{text: "un tv da 55 pollici", want: []string{"category|tv|tv"}},
		{text: "64 GB", want: []string{}},
	})
}

// A screen size is no count, and an "x" before an ordinary word is the
// chat spelling of "per": "15 x lavoro" counts nothing; "3 x pixel 8"
// and "5 x pezzi" do.
func TestScreenSizeIsNotAQuantity(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "cerco un notebook da 14 x l universita", want: []string{"category|notebook|laptop"}},
		{text: "cerco un portatile da 16 pollici x mio figlio", want: []string{"category|portatile|laptop", "buyer|x mio figlio|consumer"}},
		{text: "looking for a 15 inch laptop for my daughter", want: []string{"category|laptop|laptop", "buyer|for my daughter|consumer"}},
		{text: "avete tv da 43 x la camera?", want: []string{"category|tv|tv"}},
		{text: "vorrei 3 x pixel 8", want: []string{"quantity|3|3", "product|pixel 8|pixel-8"}},
		{text: "5 x pezzi di iphone 15", want: []string{"quantity|5|5", "product|iphone 15|iphone-15"}},
		{text: "ne prendiamo 6 x i nuovi macbook air", want: []string{"quantity|6|6", "product|macbook air|macbook-air"}},
		{text: "3 x the lg oled please", want: []string{"quantity|3|3", "product|lg oled|lg-oled-55"}},
	})
}

// TestScanIsOnePass checks long messages as customers write them, with
// several facts each.
func TestScanLongMessages(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "Buongiorno, ho comprato un MacBook Air a marzo dell'anno scorso e da qualche giorno non si accende più. Posso mandarlo in assistenza? Mario, 347 1234567",
			want: []string{
				"product|MacBook Air|macbook-air", "date|marzo dell'anno scorso|2024-03|cue=purchase",
				"date|da qualche giorno|2025-06-16|cue=since", "defect|non si accende più|no_power", "phone|347 1234567|+393471234567"}},
		{text: "Hi, I bought a Samsung Galaxy A55 from you last summer, order SP-482001, and since yesterday it won't charge at all. My email is john.smith@example.co.uk",
			want: []string{
				"product|Samsung Galaxy A55|galaxy-a55", "date|last summer|2024-07|cue=purchase", "order|SP-482001|SP-482001",
				"date|since yesterday|2025-06-18|cue=since", "defect|it won't charge at all|no_charge",
				"email|john.smith@example.co.uk|john.smith@example.co.uk"}},
		{text: "vorrei un preventivo per 10 portatili per la mia azienda, budget massimo 800 euro a pezzo",
			want: []string{"quantity|10|10", "category|portatili|laptop", "buyer|per la mia azienda|business", "money|800 euro a pezzo|800 EUR|each=true"}},
		{text: "we need 15 laptops for our office, around 700 euros each, please send a quote to procurement@acme-corp.com",
			want: []string{"quantity|15|15", "category|laptops|laptop", "buyer|for our office|business",
				"money|700 euros each|700 EUR|each=true,approx=true", "email|procurement@acme-corp.com|procurement@acme-corp.com"}},
		{text: "il telefono mi è caduto dalle mani e ora lo schermo non si vede piu",
			want: []string{"category|telefono|phone", "damage|mi è caduto dalle mani|drop", "defect|lo schermo non si vede piu|screen"}},
		{text: "I'd like to buy 2 Galaxy A55 for my employees, budget is 400 per phone",
			want: []string{"quantity|2|2", "product|Galaxy A55|galaxy-a55", "buyer|for my employees|business", "money|400|400 EUR|each=true", "category|phone|phone"}},
		{text: "ciao!! la mia friggitrice ad aria non si accende piu da ieri sera, l'ho presa a black friday",
			want: []string{"category|friggitrice|appliance", "defect|non si accende piu|no_power", "date|da ieri|2025-06-18|cue=since", "date|black friday|2024-11-29|cue=purchase"}},
		{text: "l'anno scorso a settembre ho preso un hp pavilion 15",
			want: []string{"date|anno scorso a settembre|2024-09|cue=purchase", "product|hp pavilion 15|pavilion-15"}},
		{text: "comprato nel 2022, garanzia di 2 anni, è scaduta?", want: []string{"date|2022|2022|cue=purchase,prec=year", "duration|2 anni|P2Y"}},
		{text: "Can I pay in 3 installments?", want: []string{}},
		{text: "costa 300€? ho un budget di 300eur, max £450", want: []string{"money|300€|300 EUR", "money|300eur|300 EUR", "money|£450|450 GBP"}},
		{text: "l'ho pagato 1299,99€", want: []string{"money|1299,99€|1299.99 EUR"}},
		{text: "ho comprato 2 iphone il 3 marzo a 900 euro l'uno", want: []string{
			"quantity|2|2", "product|iphone|iphone-15", "date|3 marzo|2025-03-03|cue=purchase", "money|900 euro l'uno|900 EUR|each=true"}},
		{text: "2 weeks ago I ordered a thinkpad", want: []string{"date|2 weeks ago|2025-06-05|cue=purchase", "product|thinkpad|thinkpad-e14"}},
		{text: "samsumg galaxy a55", want: []string{"product|samsumg galaxy a55|galaxy-a55"}},
		{text: "salve la macchina del caffè delonghi perde acqua da una settimana, l'ho presa a natale",
			want: []string{"category|macchina del caffè|appliance", "product|delonghi|delonghi-magnifica", "defect|perde acqua|leak",
				"date|da una settimana|2025-06-12|cue=since", "date|natale|2024-12-25|cue=purchase"}},
	})
}

func TestOrderFormatOf(t *testing.T) {
	tests := []struct {
		pattern string
		want    OrderFormat
		ok      bool
	}{
		{`(?i)\b(sp-?\d{6})\b`, OrderFormat{Prefix: "SP", Digits: 6, Sep: "-"}, true},
		{`(?i)ord-\d{6}`, OrderFormat{Prefix: "ORD", Digits: 6, Sep: "-"}, true},
		{`(?i)\bBB\d{4}\b`, OrderFormat{Prefix: "BB", Digits: 4}, true},
		{`\d{6}`, OrderFormat{}, false},
		{`(?i)sp-?\d+`, OrderFormat{}, false},
		{`(?i)(sp|xx)-\d{6}`, OrderFormat{}, false},
		{`(`, OrderFormat{}, false},
	}
	for _, tt := range tests {
		got, ok := OrderFormatOf(tt.pattern)
		if ok != tt.ok || got != tt.want {
			t.Errorf("OrderFormatOf(%q) = %+v, %v; want %+v, %v", tt.pattern, got, ok, tt.want, tt.ok)
		}
	}
}

// TestScanWithoutShop reads what needs no catalogue, and says nothing of
// what a shop sells.
func TestScanWithoutShop(t *testing.T) {
	got := Scan("il mio huawei p30 da tre giorni non si accende, chiamatemi al 333 1234567", Options{Now: now})
	checkSpans(t, "", nil)
	var kinds []string
	for _, v := range got {
		kinds = append(kinds, fmt.Sprintf("%s|%s|%s|%v", v.Kind, v.Text, v.Value, v.NotSold))
	}
	want := []string{"brand|huawei p30|huawei|false", "date|da tre giorni|2025-06-16|false", "defect|non si accende|no_power|false", "phone|333 1234567|+393331234567|false"}
	if strings.Join(kinds, "\n") != strings.Join(want, "\n") {
		t.Errorf("Scan without a shop =\n%s\nwant\n%s", strings.Join(kinds, "\n"), strings.Join(want, "\n"))
	}
}

// TestShopBrands reads a product's brand from its Brand, and brands the
// shop names beyond its products' names.
func TestShopBrands(t *testing.T) {
	sh := NewShop(Catalogue{
		Products:   []Product{{ID: "x1", Name: "Carbon X1", Brand: "Lenovo", Category: "laptop"}},
		Categories: []Option{{Value: "laptop", Synonyms: []string{"portatile"}}},
		Brands:     []string{"Acme Audio"},
	})
	for _, tc := range []struct {
		text, want string
	}{
		{"un portatile lenovo", "category|portatile|laptop|false brand|lenovo|lenovo|false"},
		{"acme audio", "brand|acme audio|acmeaudio|false"},
		{"un lenovo yoga 7", "brand|lenovo yoga 7|lenovo|true"},
		{"un huawei", "brand|huawei|huawei|true"},
	} {
		var got []string
		for _, v := range Scan(tc.text, Options{Now: now, Shop: sh}) {
			got = append(got, fmt.Sprintf("%s|%s|%s|%v", v.Kind, v.Text, v.Value, v.NotSold))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Scan(%q) = %s, want %s", tc.text, strings.Join(got, " "), tc.want)
		}
	}
}

// TestElisionIsNoBrand: "il portatile dell'ufficio" names no Dell.
func TestElisionIsNoBrand(t *testing.T) {
	for _, text := range []string{"il portatile dell'ufficio fa un rumore strano", "la fattura dell’azienda", "è quello dell'anno scorso"} {
		for _, v := range Scan(text, Options{Lang: "it", Now: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)}) {
			if v.Kind == KindBrand {
				t.Errorf("Scan(%q) read the brand %q in %q", text, v.Value, v.Text)
			}
		}
	}
	for _, v := range Scan("il mio pc dell si spegne", Options{Lang: "it"}) {
		if v.Kind == KindBrand && v.Value == "dell" {
			return
		}
	}
	t.Error(`"il mio pc dell" lost its brand`)
}

// TestElisionWithoutApostrophe: customers in a hurry write "dell
// ufficio" for "dell'ufficio"; a Dell's product line after it stays a
// Dell.
func TestElisionWithoutApostrophe(t *testing.T) {
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	for _, text := range []string{"lo schermo dell ufficio e tutto nero", "il reso dell ordine di ieri", "il cavo dell alimentatore si e rotto"} {
		for _, v := range Scan(text, Options{Lang: "it", Now: now}) {
			if v.Kind == KindBrand {
				t.Errorf("Scan(%q) read the brand %q in %q", text, v.Value, v.Text)
			}
		}
	}
	for _, text := range []string{"ho un dell inspiron che non parte", "il mio dell xps scalda"} {
		if !slices.ContainsFunc(Scan(text, Options{Lang: "it", Now: now}), func(v Value) bool { return v.Kind == KindBrand && v.Value == "dell" }) {
			t.Errorf("Scan(%q) lost its Dell", text)
		}
	}
}

// TestLunoIsEachNotALitre: "budget 400 l'uno" is 400 euros each, not 400
// litres and one euro.
// Without the apostrophe ("l uno", "l una"), as customers in a hurry
// write, it is the same.
func TestLunoIsEachNotALitre(t *testing.T) {
	for text, want := range map[string]string{
		"budget 400 l'uno":             "400 EUR",
		"sui 650 l uno":                "650 EUR",
		"tre tv da 480 l una":          "480 EUR",
		"massimo 1200 euro l una":      "1200 EUR",
		"ne prendo 4 a circa 90 l uno": "90 EUR",
	} {
		var money []Value
		for _, v := range Scan(text, Options{Lang: "it"}) {
			if v.Kind == KindMoney {
				money = append(money, v)
			}
		}
		if len(money) != 1 || money[0].Value != want || !money[0].Each {
			t.Errorf("Scan(%q) money = %+v, want %s each", text, money, want)
		}
	}
}

// TestLinesOnTheScreenAreADefect: a TV's classic fault, said as customers say it.
func TestLinesOnTheScreenAreADefect(t *testing.T) {
	for _, text := range []string{"the lg oled has a green line across the screen", "lo schermo ha delle righe verdi che vanno e vengono"} {
		found := false
		for _, v := range Scan(text, Options{}) {
			found = found || v.Kind == KindDefect
		}
		if !found {
			t.Errorf("Scan(%q) read no defect", text)
		}
	}
}

// TestOverlappingAmountsDoNotPanic: found by FuzzDialogue, "0000@00$00000 00"
// gave two amounts that overlap, and reading a range between them panicked.
func TestOverlappingAmountsDoNotPanic(t *testing.T) {
	for _, e := range []Kind{"", KindQuantity, KindMoney, KindOrder, KindPhone, KindDate} {
		Scan("0000@00$00000 00", Options{Lang: "it", Expect: e})
	}
}

func TestErrorMessageIsADefect(t *testing.T) {
	for _, c := range []struct{ text, lang string }{
		{"all'accensione mi da un errore strano", "it"},
		{"esce sempre il messaggio di errore E04", "it"},
		{"the printer keeps showing an error code", "en"},
		{"it gives me this error: disk not found", "en"},
	} {
		found := false
		for _, v := range Scan(c.text, Options{Lang: c.lang}) {
			found = found || v.Kind == KindDefect
		}
		if !found {
			t.Errorf("%q: no defect read", c.text)
		}
	}
}

func TestStoppedDoingIsADefect(t *testing.T) {
	for _, text := range []string{"the kettle stopped heating", "my vacuum stopped sucking", "the machine stopped brewing last week"} {
		found := false
		for _, v := range Scan(text, Options{Lang: "en"}) {
			found = found || v.Kind == KindDefect
		}
		if !found {
			t.Errorf("%q: no defect read", text)
		}
	}
}

func TestCameraAndPressureDefects(t *testing.T) {
	for _, c := range []struct{ text, lang string }{
		{"le foto escono tutte sfocate", "it"},
		{"la fotocamera non mette a fuoco", "it"},
		{"la macchinetta ha poca pressione, il caffe esce acquoso", "it"},
		{"pictures come out all blurry", "en"},
		{"the espresso machine lost pressure", "en"},
	} {
		found := false
		for _, v := range Scan(c.text, Options{Lang: c.lang}) {
			found = found || v.Kind == KindDefect
		}
		if !found {
			t.Errorf("%q: no defect read", c.text)
		}
	}
}

func TestDeniedBusinessIsAConsumer(t *testing.T) {
	for _, c := range []struct{ text, lang string }{
		{"it's mine, not a company phone", "en"},
		{"non è aziendale, è il mio", "it"},
	} {
		var got []string
		for _, v := range Scan(c.text, Options{Lang: c.lang}) {
			if v.Kind == KindBuyer || v.Kind == KindChoice {
				got = append(got, v.Value)
			}
		}
		if len(got) == 0 || slices.ContainsFunc(got, func(v string) bool { return v != "consumer" }) {
			t.Errorf("%q: buyer %v, want consumer only", c.text, got)
		}
	}
}

func TestExpectedDeliveryIsNoPurchaseDate(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "il mio oled doveva arrivare mercoledi scorso e ancora niente", want: []string{
			"product|oled|lg-oled-55", "date|mercoledi scorso|2025-06-18|cue=delivery"}},
		{text: "it was expected on monday and never came", want: []string{"date|monday|2025-06-16|cue=delivery"}},
	})
}

// "Nothing" as the subject of a fault: "nothing works anymore" tells a
// fault, it is no goodbye.
func TestNothingWorksIsAFault(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "honestly nothing works any more on it", want: []string{"defect|nothing works any more|not_working"}},
		{text: "since the update nothing is working at all", want: []string{"defect|nothing is working at all|not_working"}},
		{text: "purtroppo nulla funziona più", want: []string{"defect|nulla funziona più|not_working"}},
		{text: "sul tablet niente va", want: []string{"category|tablet|tablet", "defect|niente va|not_working"}},
	})
}

// Real words one letter from a word of the phrases are never respelt
// into it: "di scorta" is no "scotta" (overheating), "spares" no
// "sparks", "warning" no "warming".
func TestRealWordsAreNoTypos(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "mi serve un caricatore di scorta", want: []string{"quantity|un|1"}},
		{text: "la batteria di scorta del portatile", want: []string{"category|portatile|laptop"}},
		{text: "do you sell spares for the vacuum?", want: []string{}},
		{text: "there was no warning before it happened", want: []string{}},
	})
}

// A comparison that praises ("nothing works better than...") and "va"
// with a past participle ("must be": "nulla va aggiunto") start like a
// defect and tell none; "no better than before" still does, and so does
// "non va" before a participle of what was done ("pagato", "fatto").
func TestPraiseAndMustBeAreNoDefect(t *testing.T) {
	for _, text := range []string{
		"honestly nothing works better than ur app for tracking orders",
		"nothing has ever worked better than this blender, thx",
		"niente funziona meglio di questa friggitrice, complimenti",
		"nulla va meglio del vostro servizio clienti",
		"per me niente va cambiato, grazie mille",
		"non va aggiunto altro, e tutto a posto",
		"nulla va modificato nell ordine",
	} {
		for _, v := range Scan(text, Options{Now: now, Shop: demoShop}) {
			if v.Kind == KindDefect || v.Kind == KindDamage {
				t.Errorf("%q: %s %q read", text, v.Kind, v.Text)
			}
		}
	}
	for _, text := range []string{
		"after the repair nothing works better than before",
		"dopo l aggiornamento niente funziona meglio di prima",
		"nothing works anymore on my laptop",
		"niente va piu sul telefono",
		"il telefono non va",
		// A participle that starts the next clause, no comma written.
		"il tablet non va pagato 300 euro a aprile",
		"la stampante non va fatto il reset e niente",
	} {
		found := false
		for _, v := range Scan(text, Options{Now: now, Shop: demoShop}) {
			found = found || v.Kind == KindDefect
		}
		if !found {
			t.Errorf("%q: no defect read", text)
		}
	}
}

// A gift's day dates the purchase only when no other date does: the
// warranty runs from the day it was bought.
func TestGiftDayYieldsToThePurchaseDay(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "me l hanno regalato a pasqua ma mio zio l aveva comprato il 2 marzo", want: []string{
			"buyer|me l hanno regalato|consumer", "date|pasqua|2025-04-20|cue=", "date|2 marzo|2025-03-02|cue=purchase"}},
		{text: "got it as a gift in may, my sister bought it on the 20th of april", want: []string{
			"buyer|got it as a gift|consumer", "date|may|2025-05|cue=", "date|20th of april|2025-04-20|cue=purchase"}},
		{text: "lo zio mi ha fatto un regalo a luglio, preso da voi il 3 giugno", want: []string{
			"buyer|un regalo a|consumer", "date|luglio|2024-07|cue=", "date|3 giugno|2025-06-03|cue=purchase"}},
		// Alone, the gift's day is the purchase's.
		{text: "regalato a febbraio, non va piu", want: []string{
			"date|febbraio|2025-02|cue=purchase", "defect|non va piu|not_working"}},
	})
}

// TestKeysThatDoNotRespond: keys named, then what they fail to do, also
// through "che", "that".
func TestKeysThatDoNotRespond(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "ha dei tasti che nn rispondono", want: []string{"defect|tasti che nn rispondono|buttons"}},
		{text: "due pulsanti che non vanno", want: []string{"defect|pulsanti che non vanno|buttons"}},
		{text: "some keys that dont respond", want: []string{"defect|keys that dont respond|buttons"}},
		{text: "the keyboard isnt responding", want: []string{"defect|keyboard isnt responding|buttons"}},
		// Keys that work, a keyboard not liked, a question to the shop.
		{text: "i tasti rispondono bene", want: []string{}},
		{text: "la tastiera che ho comprato e bella", want: []string{}},
		{text: "the keys respond fine", want: []string{}},
		{text: "mi rispondete?", want: []string{}},
		{text: "keyboard that i ordered", want: []string{}},
	})
}

// valuesOf returns "kind=value" of each value Scan reads in text with
// the test shop.
func valuesOf(t *testing.T, text, lang string) []string {
	t.Helper()
	var out []string
	for _, v := range Scan(text, Options{Now: now, Lang: lang, Shop: demoShop}) {
		out = append(out, string(v.Kind)+"="+v.Value)
	}
	return out
}

// checkValue checks that each text of with reads want ("kind=value") and
// each of without reads no value of want's kind.
func checkValue(t *testing.T, want string, with, without []string) {
	t.Helper()
	kind := want[:strings.Index(want, "=")+1]
	for _, text := range with {
		if got := valuesOf(t, text, ""); !slices.Contains(got, want) {
			t.Errorf("Scan(%q) = %v, want %s", text, got, want)
		}
	}
	for _, text := range without {
		for _, v := range valuesOf(t, text, "") {
			if strings.HasPrefix(v, kind) {
				t.Errorf("Scan(%q) read %s, want none", text, v)
			}
		}
	}
}

// Breakdown idioms are defects: "fa cilecca", "it's playing up", "on
// the fritz". Words that sound like them but tell no fault are none.
func TestBreakdownIdiomsAreDefects(t *testing.T) {
	checkValue(t, "defect=not_working", []string{
		"la stampante mi fa le bizze da ieri",
		"il portatile fa cilecca quando lo accendo",
		"sto telefono da i numeri",
		"my laptop keeps playing up",
		"the hoover is on the fritz again",
		"the tv went haywire yesterday",
	}, []string{
		"il telefono nuovo non mi da problemi",
		"mio figlio fa i capricci per un tablet",
		"prices went crazy on black friday",
		"sto impazzendo a scegliere",
		"after a while I'll decide",
	})
}

// A screen that turns striped or black, and keys that do not answer
// written with "che", "that", are defects.
func TestScreenTurnsAndKeysThatDoNotRespond(t *testing.T) {
	checkValue(t, "defect=screen", []string{
		"lo schermo diventa tutto nero ogni tanto",
		"il display e diventato a strisce",
	}, []string{
		"lo schermo diventa piu luminoso di sera?",
		"lo schermo e grande abbastanza?",
	})
	checkValue(t, "defect=buttons", []string{
		"ha due tasti che nn rispondono",
		"the keys that dont respond anymore",
		"some buttons that don't work",
	}, []string{
		"i tasti che preferisco sono quelli retroilluminati",
		"the keys that came with the box",
		"a keyboard that responds fast",
	})
}

// A name of five letters typed with one dropped, before a model number
// the catalogue has, is the model: "pixl 8". Without the number a short
// word is read exactly.
func TestModelNameWithADroppedLetter(t *testing.T) {
	checkValue(t, "product=pixel-8", []string{
		"the pixl 8 wont charge",
		"vorrei un pxel 8",
		"il pixe 8 di mia moglie",
	}, []string{
		"the pixl is slow",
		"have 8 of them",
		"tipo 8 euro",
		"sono 8 mesi che ce l ho",
		"una tele 55 pollici",
	})
}
