package extract

import (
	"slices"
	"strings"
)

// purposeBuyerDefs say who buys by what the purchase is for: a gift, the
// family, a child, a friend, a gift received, are a private person's; a
// business the customer runs is a business's. They join buyerDefs.
var purposeBuyerDefs = []phraseDef{
	{KindBuyer, "consumer", 0.8, []string{
		"(da|per) regalare", "(vorrei|voglio|volevo|vorremmo|vogliamo|devo|dobbiamo) regalare", "(un|il|come|in) regalo (per|a|di natale|di compleanno|di laurea)", "(e|sara|e per) un regalo",
		"(mi|me l|ce l|me lo|me la) (hanno|ha|avevano|aveva) (regalato|regalata)", "(e stato|e stata|mi e stato|mi e stata) (regalato|regalata)",
		"per (il|la|un|una) (bambino|bambina|piccolo|piccola|nipote|nipotino|nipotina)",
		"per (mia|mio|la mia|il mio) (nipote|cugino|cugina|amico|amica|suocera|suocero|compagno|compagna|nipotina|nipotino|bimbo|bimba|cognata|cognato)",
		"(a|gift for|present for|for) (my|our) (kid|child|boy|girl|little one|grandson|granddaughter|nephew|niece|partner|friend|uncle|aunt|cousin|mother in law|father in law|teenager)",
		"(a|my|our) (birthday|christmas|xmas|graduation|wedding|anniversary) (present|gift)",
		"(it was|it s|its|was) (a)? (gift|present)", "(got|received|given) (it)? (as a) (gift|present)", "(was|were) (given|gifted) (it|to me)",
	}},
	// A gift a business gives ("da regalare ai nostri clienti", "gifts for
	// our staff"), and the company named as the customer's ("i clienti
	// della mia azienda"): a business cue outweighs the gift.
	{KindBuyer, "business", 0.9, []string{
		"(vorrei|voglio|volevo|vorremmo|vogliamo|devo|dobbiamo)? (da regalare|regalare|in regalo|come regalo|un regalo|dei regali|regalo|regali|omaggio|omaggi|omaggiare) (ai|alle|a|per i|per le|per) (nostri|miei|nostre|mie)? (clienti|dipendenti|collaboratori|fornitori|partner|soci)",
		"(gift|gifts|present|presents|giveaway|giveaways) (for|to) (our|my)? (clients|customers|employees|staff|suppliers|partners|team)",
		"(della|dalla|nella|alla|dell|all) (mia|nostra) (azienda|ditta|societa|impresa|attivita)", "(my|our) (company s|firm s|business s)",
	}},
	// A business the customer runs: "ho un ristorante", "we run a hotel".
	{KindBuyer, "business", 0.8, []string{
		// Not "ho un bar sotto casa", "ho una farmacia vicino": near, not owned.
		"(ho|abbiamo) (un|una) (negozio|ristorante|pizzeria|hotel|albergo|officina|azienda|ditta|attivita|agenzia|bed and breakfast)",
		"(gestisco|gestiamo) (un|una) (negozio|bar|ristorante|pizzeria|hotel|albergo|officina|palestra|farmacia|azienda|ditta|attivita|agenzia|bed and breakfast)",
		"(i|we) (own|run|have|manage) (a|an) (shop|store|restaurant|bar|cafe|hotel|salon|clinic|practice|business|company|agency|gym|pharmacy)",
	}},
}

// ownUse reads "per me", "for me" ("x me" in a chat) as a private buyer
// where it ends a clause that buys ("un pixel preso a febbraio x me",
// "I'm looking for a laptop for me") or is the whole clause ("solo per
// me"): "per me va bene" and "that works for me" buy nothing.
func (s *scan) ownUse() {
	for i := 0; i+1 < len(s.toks); i++ {
		if s.fixed[i] != "per" && s.fixed[i] != "for" || s.fixed[i+1] != "me" || s.taken[i] || s.taken[i+1] {
			continue
		}
		lo, hi := s.clauseStart(i), s.clauseEnd(i)
		buys := i-lo <= 1 // "per me", "solo per me"
		for k := lo; k < i && !buys; k++ {
			buys = purchaseCues[s.fixed[k]] || buyingVerbs[s.fixed[k]]
		}
		if !buys && s.o.Expect != KindChoice && s.favourDone(lo, i) {
			// "my son set it up for me", "he fixed it for me": a favour
			// done to the thing, no use it was bought for; neither the
			// buyer nor, unasked, the choice of "for me".
			s.addToks(i, i+2, Value{})
			continue
		}
		if hi != i+2 {
			continue // "per me va bene"
		}
		if buys {
			s.addToks(i, i+2, Value{Kind: KindBuyer, Value: "consumer", Confidence: 0.7})
		}
	}
}

// favourDone reports whether an object pronoun of the thing ("it",
// "them") comes in the three tokens before token end, from lo: something
// was done to the thing for the customer, not "it's for me". The Italian "lo", "la", "l"
// are articles too ("la tv per me"), never read so.
func (s *scan) favourDone(lo, end int) bool {
	for k := max(lo, end-3); k < end; k++ {
		// "it's for me", "it is for me": the subject, what the thing is for.
		if isOneOf(s.fixed[k], "it", "them") && !isOneOf(at(s.fixed, k+1), "s", "is", "was", "ll", "will", "would", "d", "are", "were") {
			return true
		}
	}
	return false
}

// buyingVerbs are the words of a customer looking for something to buy,
// beside purchaseCues (of one bought).
var buyingVerbs = map[string]bool{
	"cerco": true, "cercavo": true, "vorrei": true, "voglio": true, "serve": true, "servirebbe": true,
	"prendo": true, "prenderei": true, "compro": true, "comprare": true, "prendere": true, "acquistare": true,
	"looking": true, "want": true, "need": true, "get": true, "buying": true, "getting": true, "like": true,
}

// homeDevice reads a device named as the home's or the family's ("il mio
// pc di casa", "il portatile di famiglia", "our family laptop", "the
// home tv") as a private buyer's. The device stays what the catalogue
// read it as; only the words beside it are the buyer. A phone "of the
// home" is a landline ("il telefono di casa", "my home phone"), no buyer.
// Where the message tells who bought it otherwise ("la tv di casa, presa
// con la partita iva della ditta", "the family laptop, bought by my
// company"), whose home it is in says nothing of the buyer.
func (s *scan) homeDevice() {
	if slices.ContainsFunc(s.vals, func(v Value) bool {
		return v.Kind == KindBuyer || v.Kind == KindChoice && (v.Value == "business" || v.Value == "consumer")
	}) {
		return
	}
	for i := range s.toks {
		if s.taken[i] {
			continue
		}
		switch {
		case s.fixed[i] == "di" && i+1 < len(s.toks) && !s.taken[i+1] && !s.bounds[i] && !s.bounds[i+1] &&
			(s.fixed[i+1] == "casa" || s.fixed[i+1] == "famiglia"):
			if s.deviceEndingAt(i - 1) {
				s.addToks(i, i+2, Value{Kind: KindBuyer, Value: "consumer", Confidence: 0.8})
			}
		case (s.fixed[i] == "home" || s.fixed[i] == "family" || s.fixed[i] == "household") && i+1 < len(s.toks) && !s.bounds[i+1]:
			if s.deviceStartingAt(i + 1) {
				s.addToks(i, i+1, Value{Kind: KindBuyer, Value: "consumer", Confidence: 0.8})
			}
		}
	}
}

// deviceEndingAt reports whether a product, a kind or a brand other than
// a phone ends at token i; deviceStartingAt, whether one starts there.
func (s *scan) deviceEndingAt(i int) bool {
	return i >= 0 && s.device(func(v Value) bool { return v.End == s.toks[i].end })
}

func (s *scan) deviceStartingAt(i int) bool {
	return i < len(s.toks) && s.device(func(v Value) bool { return v.Start == s.toks[i].start })
}

func (s *scan) device(at func(Value) bool) bool {
	for _, v := range s.vals {
		if (v.Kind == KindProduct || v.Kind == KindCategory || v.Kind == KindBrand) && at(v) {
			return !landlineWords[strings.ToLower(s.text[v.Start:v.End])] && v.Value != "phone"
		}
	}
	return false
}

// landlineWords are the devices that, of the home, are its landline.
var landlineWords = map[string]bool{"telefono": true, "phone": true, "telephone": true, "numero": true, "number": true, "fisso": true}
