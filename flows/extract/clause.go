package extract

// components are the parts of a product a defect is told of.
var components = map[string]bool{
	"schermo": true, "display": true, "batteria": true, "tasto": true, "tasti": true, "pulsante": true,
	"pulsanti": true, "bottone": true, "altoparlante": true, "altoparlanti": true, "speaker": true,
	"microfono": true, "fotocamera": true, "camera": true, "caricatore": true, "cavo": true, "porta": true,
	"presa": true, "connettore": true, "wifi": true, "bluetooth": true, "audio": true, "suono": true,
	"volume": true, "immagine": true, "tastiera": true, "touchpad": true, "trackpad": true, "mouse": true,
	"ventola": true, "motore": true, "spazzola": true, "filtro": true, "resistenza": true, "vaschetta": true,
	"pompa": true, "macinino": true, "touch": true, "touchscreen": true, "telecomando": true, "scheda": true,
	"sim": true, "cerniera": true, "led": true, "luce": true, "spia": true, "app": true, "software": true,
	"screen": true, "battery": true, "button": true, "buttons": true, "keys": true, "key": true,
	"speakers": true, "mic": true, "microphone": true, "charger": true, "cable": true, "port": true,
	"plug": true, "keyboard": true, "fan": true, "motor": true, "brush": true, "filter": true, "pump": true,
	"grinder": true, "remote": true, "sound": true, "picture": true, "image": true, "hinge": true,
	"light": true, "lcd": true, "usb": true, "ricarica": true, "charging": true, "sensore": true, "sensor": true,
	"lettore": true, "impronta": true, "fingerprint": true, "gps": true, "webcam": true,
}

// IsComponent reports whether the normalised word w names a part of a
// product ("camera", "schermo"), which a kind of product may be too.
func IsComponent(w string) bool { return components[w] }

// determiners stand before a component: "lo schermo", "my screen".
var determiners = map[string]bool{
	"il": true, "lo": true, "la": true, "l": true, "i": true, "gli": true, "le": true, "mio": true, "mia": true,
	"miei": true, "mie": true, "suo": true, "sua": true, "the": true, "my": true, "its": true, "his": true,
	"her": true, "our": true, "this": true, "questo": true, "questa": true, "del": true, "della": true,
	"dello": true, "dell": true, "power": true,
}

// glue stands between a component and its symptom: "lo schermo ha
// iniziato a sfarfallare", "the screen keeps flickering".
var glue = map[string]bool{
	"e": true, "ha": true, "has": true, "is": true, "started": true, "starts": true,
	"suddenly": true, "improvvisamente": true, "continua": true, "a": true, "ad": true, "iniziato": true,
	"cominciato": true, "just": true, "sometimes": true, "always": true, "often": true, "spesso": true,
	"sempre": true, "ogni": true, "tanto": true, "volte": true, "che": true, "now": true, "ora": true,
	"adesso": true, "randomly": true, "ancora": true, "still": true,
}

// negators deny damage before it: "non è caduto", "I never dropped it".
var negators = map[string]bool{
	"non": true, "mai": true, "never": true, "not": true, "didn": true, "didnt": true, "hasn": true,
	"hasnt": true, "haven": true, "havent": true, "wasn": true, "wasnt": true, "isn": true, "nessun": true,
	"nessuna": true, "senza": true, "without": true, "no": true, "neanche": true, "nemmeno": true,
	"nobody": true, "noone": true, "nessuno": true,
}

// extendClauses widens each defect over the part it is told of ("lo
// schermo sfarfalla", "non funziona il wifi"), and marks denied damage.
func (s *scan) extendClauses() {
	for k := range s.vals {
		v := &s.vals[k]
		switch v.Kind {
		case KindDefect:
			s.extendDefect(v)
		case KindDamage:
			v.Negated = s.denied(v) || s.holdsNegator(v)
			if k := s.tokIndex(v.Start); components[s.toks[k].text] {
				for k > 0 && !s.bounds[k] && !s.taken[k-1] && determiners[s.toks[k-1].text] {
					k--
				}
				s.moveStart(v, k)
			}
		case KindBuyer:
			// "non ho la partita iva", "senza partita iva": a private buyer.
			if s.denied(v) {
				v.Confidence = 0.7
				if v.Value == "business" {
					v.Value = "consumer"
				} else {
					v.Value = "business"
				}
			}
		}
	}
}

// holdsNegator reports whether a word of v itself is a negation: "did
// not fall", a damage phrase told only to deny it.
func (s *scan) holdsNegator(v *Value) bool {
	for k := s.tokIndex(v.Start); k < len(s.toks) && s.toks[k].start < v.End; k++ {
		if negators[s.toks[k].text] {
			return true
		}
	}
	return false
}

// denied reports whether a negation stands before v in its clause: "non
// è caduto", "I never dropped it", but not "non si accende da quando è
// caduto".
func (s *scan) denied(v *Value) bool {
	i := s.tokIndex(v.Start)
	for j := i - 1; j >= max(i-4, 0) && !s.bounds[j+1]; j-- {
		w := s.toks[j].text
		if isOneOf(w, "quando", "since", "after", "dopo", "da", "when", "because", "perche") || s.taken[j] && !negators[w] {
			return false
		}
		if negators[w] {
			return true
		}
	}
	return false
}

func (s *scan) extendDefect(v *Value) {
	i, j := s.tokIndex(v.Start), s.tokIndex(v.End-1)+1
	// Leftwards: [determiner] component [glue...] symptom.
	k := i
	for k > 0 && !s.bounds[k] && !s.taken[k-1] && glue[s.toks[k-1].text] && i-k < 4 {
		k--
	}
	if k > 0 && !s.bounds[k] && !s.taken[k-1] && components[s.toks[k-1].text] {
		k--
		for k > 0 && !s.bounds[k] && !s.taken[k-1] && (determiners[s.toks[k-1].text] || components[s.toks[k-1].text]) {
			k--
		}
		s.moveStart(v, k)
		return
	}
	// Rightwards: symptom [determiner] component, "non funziona il wifi".
	e := j
	for e < len(s.toks) && !s.bounds[e] && !s.taken[e] && determiners[s.toks[e].text] && e-j < 2 {
		e++
	}
	if e < len(s.toks) && !s.bounds[e] && !s.taken[e] && components[s.toks[e].text] {
		for e < len(s.toks) && !s.bounds[e] && !s.taken[e] && components[s.toks[e].text] {
			e++
		}
		s.moveEnd(v, e)
	}
}

// moveStart widens v leftwards to token k, over free tokens.
func (s *scan) moveStart(v *Value, k int) {
	start := s.toks[k].start
	if !s.free(start, v.Start) {
		return
	}
	s.claim(start, v.Start)
	v.Start, v.Text = start, s.text[start:v.End]
}

// moveEnd widens v rightwards to the end of token e-1, over free tokens.
func (s *scan) moveEnd(v *Value, e int) {
	end := s.toks[e-1].end
	if !s.free(v.End, end) {
		return
	}
	s.claim(v.End, end)
	v.End, v.Text = end, s.text[v.Start:end]
}

// Cue words: what tells a date's meaning.
var (
	purchaseCues = map[string]bool{
		"comprato": true, "comprata": true, "comprati": true, "comprate": true, "comprai": true, "acquistato": true,
		"acquistata": true, "acquistati": true, "acquistai": true, "acquisto": true, "preso": true, "presa": true,
		"presi": true, "ordinato": true, "ordinata": true, "ordinati": true, "ordine": true, "regalato": true,
		"regalata": true, "regalati": true, "regalo": true, "pagato": true, "pagata": true, "bought": true,
		"buy": true, "purchased": true, "purchase": true, "ordered": true, "order": true, "got": true,
		"gift": true, "gifted": true, "paid": true, "acquired": true, "scontrino": true, "receipt": true,
		"fattura": true, "invoice": true, "speso": true, "spent": true,
	}
	deliveryCues = map[string]bool{
		"arrivato": true, "arrivata": true, "arrivati": true, "arrivate": true, "arrivo": true, "consegnato": true,
		"consegnata": true, "consegnati": true, "consegna": true, "ricevuto": true, "ricevuta": true,
		"ricevuti": true, "recapitato": true, "delivered": true, "delivery": true, "arrived": true,
		"received": true, "came": true,
		// A delivery expected: "doveva arrivare mercoledì", "should have
		// arrived", "expected on Monday" date no purchase.
		"arrivare": true, "arrivasse": true, "arrivera": true, "consegnare": true,
		"arrive": true, "arriving": true, "deliver": true, "expected": true,
	}
	// repairCues date a repair: "me l'hanno riparato a marzo", "it was
	// fixed in april".
	repairCues = map[string]bool{
		"riparato": true, "riparata": true, "riparati": true, "riparazione": true, "sistemato": true, "sistemata": true,
		"aggiustato": true, "aggiustata": true, "repaired": true, "repair": true, "fixed": true, "serviced": true,
		"mended": true,
	}
	// onsetCues date when a problem began, not when the product came:
	// "è iniziato due giorni fa", "it started a few days ago".
	onsetCues = map[string]bool{
		"iniziato": true, "iniziata": true, "cominciato": true, "cominciata": true, "comparso": true,
		"comparsa": true, "apparso": true, "apparsa": true, "started": true, "starting": true,
		"began": true, "begun": true, "appeared": true, "noticed": true, "notato": true,
		"showed": true, "happened": true, "successo": true, "capitato": true, "accaduto": true,
		// The last day it worked: "fino a ieri funzionava", "fine until Monday".
		"until": true, "till": true, "fino": true,
	}
	ownVerbs = map[string]bool{
		"ho": true, "abbiamo": true, "hai": true, "ha": true, "hanno": true, "uso": true, "usiamo": true,
		"possiedo": true, "possediamo": true, "had": true, "owned": true, "own": true, "using": true,
		"used": true, "use": true, "have": true, "ve": true,
	}
	// problemWords make "ho ... da tre giorni" a problem's length, not ownership.
	problemWords = map[string]bool{
		"problema": true, "problemi": true, "problem": true, "problems": true, "issue": true, "issues": true,
		"difetto": true, "guasto": true, "errore": true, "error": true, "questo": true, "this": true,
		"notato": true, "noticed": true, "succede": true, "happens": true, "happening": true, "doing": true,
		"fa": true, "does": true, "cosi": true, "like": true,
	}
)

// dateCues tells what each date is the date of, from the words of its
// clause: a purchase ("l'ho preso a marzo"), a delivery ("consegnato 5
// giorni fa"), or the start of a problem ("da tre giorni lo schermo
// sfarfalla", "it started a week ago"); "ce l'ho da due anni" dates the
// purchase.
func (s *scan) dateCues() {
	gifts := map[int]bool{} // the dates whose purchase cue is a gift's
	for k := range s.vals {
		v := &s.vals[k]
		if v.Kind != KindDate {
			continue
		}
		first, last := s.tokIndex(v.Start), s.tokIndex(v.End-1)
		if v.Cue == CueSince {
			if s.owned(first, last) {
				v.Cue = CuePurchase
			}
			continue
		}
		if deadlineBefore(s.words(), first) {
			// "l'ho comprato entro la fine dell'anno scorso", "bought it
			// by the end of last year": a purchase, roughly by that date.
			if !s.boughtJustBefore(s.clauseStart(first), first) {
				v.Cue = CueDeadline
				continue
			}
			v.Approx = true
		}
		lo, hi := s.clauseStart(first), s.clauseEnd(last)
		best, dist := CueNone, 99
		gift := false
		look := func(j, d int) {
			w := s.toks[j].text
			if d >= dist || s.inPhrase(j) && !onsetCues[w] {
				return // "started" glued to a defect still tells its start
			}
			switch {
			case w == "showed" && !s.tellsProblem(lo, hi):
				best, dist = CueDelivery, d // "they showed up on 28 May"
			case onsetCues[w] && !s.startedUsing(j):
				best, dist = CueSince, d
			case repairCues[w]:
				best, dist = CueRepair, d
			case purchaseCues[w]:
				best, dist, gift = CuePurchase, d, giftCues[w]
			case deliveryCues[w]:
				best, dist = CueDelivery, d
			}
		}
		for j := first - 1; j >= lo && first-j <= 8; j-- {
			look(j, first-j)
		}
		for j := last + 1; j < hi && j-last <= 8; j++ {
			look(j, j-last+1) // after: a little farther than the same distance before
		}
		if best == CuePurchase && s.boughtPart(lo, first) {
			best = CueNone
		}
		v.Cue = best
		gifts[k] = best == CuePurchase && gift
	}
	// "a natale me l'hanno regalato, l'avevano preso il 20 dicembre": the
	// day of the gift dates the purchase only when no other date does;
	// the warranty runs from the purchase.
	bought := false
	for k := range s.vals {
		bought = bought || s.vals[k].Kind == KindDate && s.vals[k].Cue == CuePurchase && !gifts[k]
	}
	for k := range gifts {
		if bought && gifts[k] {
			s.vals[k].Cue = CueNone
		}
	}
}

// giftCues are the purchase cues that tell a gift: the day of a gift is
// not always the day of the purchase.
var giftCues = map[string]bool{
	"regalato": true, "regalata": true, "regalati": true, "regalo": true, "gift": true, "gifted": true,
}

// boughtJustBefore reports whether a purchase cue stands within the few
// words [lo, first) before a date: "comprato entro", "bought it by".
func (s *scan) boughtJustBefore(lo, first int) bool {
	for j := first - 1; j >= lo && first-j <= 5; j-- {
		if purchaseCues[s.toks[j].text] {
			return true
		}
	}
	return false
}

// boughtPart reports whether the words [lo, first) before a date name a
// part or an accessory as what was bought: "the charger I bought in May",
// "il caricatore che ho comprato a maggio" date the charger, not the
// product of the conversation.
func (s *scan) boughtPart(lo, first int) bool {
	for j := first - 1; j >= lo && first-j <= 8; j-- {
		if purchaseCues[s.toks[j].text] {
			for k := j - 1; k >= lo && j-k <= 3; k-- {
				if w := s.toks[k].text; components[w] || accessories[w] {
					return true
				}
			}
			return false
		}
	}
	return false
}

// accessories are sold with a product or for it, and bought apart.
var accessories = map[string]bool{
	"caricabatterie": true, "alimentatore": true, "custodia": true, "cover": true, "case": true, "pellicola": true,
	"cuffie": true, "auricolari": true, "adattatore": true, "adapter": true, "headphones": true, "earbuds": true,
	"sleeve": true, "bag": true, "borsa": true, "stand": true, "supporto": true, "protector": true,
}

// tellsProblem reports whether tokens [lo, hi) name a problem: a
// defect's phrase or a word of one ("the problem showed up on Monday"
// dates its start; "they showed up on 28 May" dates the delivery).
func (s *scan) tellsProblem(lo, hi int) bool {
	for j := lo; j < hi; j++ {
		if s.inPhrase(j) || problemWords[s.toks[j].text] && !isOneOf(s.toks[j].text, "fa", "like", "cosi", "doing", "does", "this", "questo") {
			return true
		}
	}
	return false
}

// startedUsing reports whether the onset word at token j begins to use
// the product, which dates owning it: "I started using it in March", "ho
// iniziato a usarlo a marzo".
func (s *scan) startedUsing(j int) bool {
	for k := j + 1; k < len(s.toks) && k <= j+2; k++ {
		if w := s.toks[k].text; ownVerbs[w] || isOneOf(w, "usarlo", "usarla", "usare", "usando") {
			return true
		}
	}
	return false
}

// owned reports whether a since-date on tokens [first, last] tells how long
// the customer has had the product: "ce l'ho da due anni", "I've had it
// for a year", not "ho questo problema da tre giorni".
func (s *scan) owned(first, last int) bool {
	if last+1 < len(s.toks) && s.toks[last+1].text == "old" {
		return true // "it's only 3 months old"
	}
	lo := s.clauseStart(first)
	own := false
	for j := first - 1; j >= lo && first-j <= 4; j-- {
		w := s.toks[j].text
		if problemWords[w] || s.inPhrase(j) {
			return false
		}
		if ownVerbs[w] {
			own = true
			break
		}
	}
	if !own {
		return false
	}
	// "ho da tre giorni lo schermo nero": the defect follows.
	for j := last + 1; j < len(s.toks) && j <= last+1 && !s.bounds[j]; j++ {
		if s.inPhrase(j) {
			return false
		}
	}
	return true
}

// inPhrase reports whether token j lies in a defect or damage value.
func (s *scan) inPhrase(j int) bool {
	t := s.toks[j]
	for _, v := range s.vals {
		if (v.Kind == KindDefect || v.Kind == KindDamage) && v.Start <= t.start && t.end <= v.End {
			return true
		}
	}
	return false
}
