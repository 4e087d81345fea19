package knowledge

import (
	"strings"

	"github.com/sportello/sportello/flows/nlu"
)

// Analysis: a text becomes a sequence of words (nlu's normalisation and
// tokenisation: lower case, no accents, apostrophes split elisions), each
// word a term per language: its Snowball stem in that language, or none
// when it is a stop word there. A page in Italian is indexed with its
// Italian terms, one in English with its English terms; a page whose
// language is not known with both. A query is read in both languages: each
// word matches a page through the term of the page's language.

// lang is an index into the per-language arrays: Italian or English.
const (
	langIT = 0
	langEN = 1
)

// langIndex maps a document's language to the languages its words are
// indexed in.
func langIndex(lang string) []int {
	switch lang {
	case "it":
		return []int{langIT}
	case "en":
		return []int{langEN}
	}
	return []int{langIT, langEN}
}

// termKey is a word's term in one language: the stem, prefixed by the
// language so that an Italian and an English stem never meet.
func termKey(lang int, stem string) string {
	if lang == langIT {
		return "i:" + stem
	}
	return "e:" + stem
}

// words returns the normalised words of text, all of them.
func words(text string) []string {
	return nlu.AppendWords(nil, nlu.Normalize(text))
}

// stems returns the terms of word in Italian and English ("" where the
// word is a stop word of that language).
func stems(word string) [2]string {
	en, it := nlu.Stems(word)
	var t [2]string
	if !stopIT[word] {
		t[langIT] = termKey(langIT, it)
	}
	if !stopEN[word] {
		t[langEN] = termKey(langEN, en)
	}
	return t
}

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// stopIT are Italian stop words, normalised (no accents): articles,
// prepositions and their contractions, pronouns, auxiliaries and the
// commonest verbs' forms, question words, greetings, the words that only
// fill ("ah", "di preciso": "ah dove siete di preciso?" asks where the
// shop is). They carry no topic.
var stopIT = set(`
a ad al allo ai agli all alla alle agl c ci col coi con da dal dallo dai dagli dall dalla dalle
di del dello dei degli dell della delle e ed in nel nello nei negli nell nella nelle su sul
sullo sui sugli sull sulla sulle per tra fra il lo la i gli le l un uno una un d s m t v n
io tu lui lei noi voi loro mi ti si vi ne me te se ce ve glielo gliela gli
mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra
vostri vostre questo questa questi queste quello quella quelli quelle quel quei
che chi cui come dove quando quanto quanta quanti quante quale quali cosa perche
non ma o od anche pure se poi piu meno molto molti molta molte tanto poco cosi gia ancora
sono sei e siamo siete era erano ero fu furono sara saranno stato stata stati state essere
ho hai ha abbiamo avete hanno avevo aveva avevano ebbe avuto avere
fa fare fatto puo posso possono potete devo deve devono vorrei voglio
c e ci sia siano sto sta stanno tutto tutti tutta tutte altro altri altra altre
contro li dov
sarei sarebbe saremmo sarebbero sarai sarete fossi fosse fossero
abbia abbiano avrei avrebbe avremmo avrebbero avra avranno avevi avevamo avevate avendo avuta avuti
faccio fai facciamo fanno faccia facciano faro fara farei farebbe facevo faceva facevano
fece fecero facendo fatta fatti fatte stai stiamo stia stavo stava stando
va vai vado vanno ogni qualche qualcuno qualcosa
ciao salve buongiorno buonasera ehi ehila
ah oh eh beh boh mah uh allora esattamente precisamente preciso
`)

// stopEN are English stop words, normalised.
var stopEN = set(`
a an the and or but if then than so of in on at to for from by with about as into onto over
under after before between through during without within up down out off
i me my mine we us our ours you your yours he him his she her hers it its they them their
this that these those there here
is are was were be been being am do does did done doing have has had having
can could will would shall should may might must
what which who whom whose when where why how
not no nor only just also too very s t d ll m re ve
all any both each few more most other some such own same
myself ourselves yourself yourselves himself herself itself themselves theirs
because until while against above below again further once
much many someone something anyone anything
hi hello hey hiya
ah oh uh um er exactly
`)
