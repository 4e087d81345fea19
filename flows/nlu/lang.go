package nlu

import (
	"math"
	"strings"
)

// Language detection for short customer messages. Character n-gram models
// need more text than "ciao" or "hi", so the detector weighs three kinds of
// evidence, word by word:
//
//   - lexicons of frequent Italian and English words (function words,
//     greetings, and the words of shop and warranty conversations), strong
//     evidence;
//   - accented letters of Italian (è, à, ù...), strong evidence;
//   - spelling: Italian words end in a vowel and carry "zz", "gli", "zione";
//     English words end in a consonant and carry "th", "w", "k", "y". Weak
//     evidence, for the words no lexicon knows (and for misspellings).
//
// Words of a few other European languages (Spanish, French, German,
// Portuguese) count against both, so a message in a third language gives ""
// rather than a confident wrong answer.

var itWords = strings.Fields(`
ciao salve buongiorno buonasera buonanotte grazie prego scusa scusi scusate arrivederci
il lo la gli le un una uno del dello della dei degli delle al allo alla ai agli alle dal
dalla dai nel nello nella nei nelle sul sulla sui col coi di da tra fra per con non che chi cosa
perche quando dove quanto quanta quanti quante quale quali come sono sei siamo siete
ho hai abbiamo avete hanno ha era erano sarà stato stata essere avere fare faccio fai
fa fanno posso puoi possiamo potete vorrei voglio vuoi volevo vorremmo devo deve dovrei
mio mia miei mie tuo tua suo sua nostro nostra vostro loro questo questa questi queste
quello quella anche ancora gia sempre mai piu meno molto poco tanto troppo tutto tutti
ecco allora pero oppure quindi invece proprio solo subito adesso ora oggi domani ieri
sì si no nessuno niente qualcosa qualcuno ciascuno ogni
telefono cellulare telefonino garanzia ordine ordinato comprare comprato acquisto acquistare
acquistato prezzo prezzi costo costa quanto negozio prodotto prodotti consegna spedizione
reso resi rimborso fattura scontrino riparazione riparare rotto rotta guasto guasta funziona
funzionare schermo batteria caricatore assistenza aiuto aiutami aiutarmi operatore persona
umano parlare vendita venditore sconto offerta offerte disponibile lavatrice frigorifero
computer portatile stampante cuffie auricolari televisore acceso accende spegne carica
problema problemi difettoso difetto numero data mese mesi anno anni giorno giorni settimana
nuovo nuova vecchio vecchia bene male buono grande piccolo bello vero certo esatto
si grazie mille perfetto capito vedere sapere dire detto andare venire
`)

var enWords = strings.Fields(`
hi hello hey thanks thank please sorry bye goodbye morning evening
the an of to for with from at by about into over under and or but not no yes
what why when where who whom which how is are was were be been being am
do does did done have has had having can could will would shall should may might must
i me my mine you your yours he him his she her hers it its we us our they them their
this that these those there here some any all every each other another
just still already always never more less much many very too also only now today tomorrow
yesterday again
phone mobile warranty guarantee order ordered buy bought purchase price prices cost costs shop
store product products delivery shipping return returns refund invoice receipt repair
broken broke break fix working work works screen battery charger support help agent
person human talk speak sale sales seller discount offer deal available washing machine
fridge laptop printer headphones earbuds tv turn turns charge charging issue issues problem
problems faulty defect number date month months year years day days week
new old good bad great small big nice right sure ok okay got get want need like know
tell say see going go come make
`)

// Frequent words of other European languages, and not of Italian or English.
var otherWords = strings.Fields(`
el los las una unos por para pero como esta estas estoy tengo quiero donde cuando que muy
gracias hola buenos buenas tiene pedido telefono
le les des du est sont avec pour dans pas mais vous nous je suis bonjour merci commande
der die das und ist nicht ich sie wir mit auf für eine einen ein mein meine danke hallo
bestellung handy ja nein wie was wo
os as um uma obrigado voce pedido nao sim ola
`)

var lexicon = func() map[string]int8 {
	lex := map[string]int8{}
	add := func(words []string, v int8) {
		for _, w := range words {
			w = Normalize(w)
			if old, ok := lex[w]; ok && old != v {
				lex[w] = 0 // in two languages: no evidence
				continue
			}
			lex[w] = v
		}
	}
	add(itWords, 1)
	add(enWords, -1)
	// Other languages' words that are also Italian or English stay so.
	for _, w := range otherWords {
		if _, ok := lex[w]; !ok {
			lex[w] = 2
		}
	}
	return lex
}()

// DetectLanguage returns "it" or "en" and a confidence in [0.5, 1], or ""
// and 0 when the text gives no clear evidence either way (no words, a third
// language, or as much Italian as English).
func DetectLanguage(text string) (lang string, confidence float64) {
	var it, en, other float64
	accents := strings.ContainsAny(strings.ToLower(text), "àèéìíòóù")
	words := Tokenize(text)
	for _, w := range words {
		v, known := lexicon[w]
		switch v {
		case 1:
			it += 2
			continue
		case -1:
			en += 2
			continue
		case 2:
			other += 2
			continue
		case 0:
			if known {
				continue // a word of both languages
			}
		}
		s := spelling(w)
		if s > 0 {
			it += s
		} else {
			en -= s
		}
	}
	if accents {
		it += 1.5
	}
	diff := it - en
	if other > math.Max(it, en) || math.Abs(diff) < 0.5 {
		return "", 0
	}
	confidence = 1 / (1 + math.Exp(-math.Abs(diff)))
	if diff > 0 {
		return "it", confidence
	}
	return "en", confidence
}

// spelling scores how Italian (positive) or English (negative) a word looks.
func spelling(w string) float64 {
	letters := lettersOf(w)
	if len(w) < 3 || letters&digitBit != 0 {
		return 0
	}
	var s float64
	switch w[len(w)-1] {
	case 'a', 'e', 'i', 'o':
		s += 0.6
	case 'u':
	default:
		s -= 0.6
	}
	for _, g := range italianGroups {
		if letters&g.letters == g.letters && strings.Contains(w, g.text) {
			s += 0.5
		}
	}
	for _, g := range englishGroups {
		if letters&g.letters == g.letters && strings.Contains(w, g.text) {
			s -= 0.5
		}
	}
	return math.Max(-1.5, math.Min(1.5, s))
}

// The letter groups that make a word look Italian or English, in the
// order spelling adds them up.
var (
	italianGroups = letterGroupsOf("zz", "gli", "gn", "cch", "zion", "zia", "ggi", "cci", "sci", "tt", "pp")
	englishGroups = letterGroupsOf("th", "sh", "w", "k", "y", "ck", "ee", "oo", "ing", "tion", "ea", "ou")
)

// A letterGroup is a group of letters and a bit for each letter it holds
// (lettersOf): a word without all of them is not searched for the group,
// which most words are not worth.
type letterGroup struct {
	text    string
	letters uint32
}

func letterGroupsOf(texts ...string) []letterGroup {
	gs := make([]letterGroup, len(texts))
	for i, t := range texts {
		gs[i] = letterGroup{t, lettersOf(t)}
	}
	return gs
}

// digitBit is lettersOf's bit for a digit.
const digitBit = 1 << 26

// lettersOf returns a bit for each letter a-z that w holds, and digitBit
// if it holds a digit.
func lettersOf(w string) uint32 {
	var m uint32
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z':
			m |= 1 << (c - 'a')
		case '0' <= c && c <= '9':
			m |= digitBit
		}
	}
	return m
}
