package knowledge

import (
	"slices"
	"strings"
)

// Derivational families: the forms of one word that the Snowball stemmer
// leaves apart, as a customer's question and a page may write them. A
// question asks with a verb where the page has a noun (quando fu
// costruito? / la costruzione), the noun where the page has the verb
// (la nascita di X / X nacque), or the irregular past a page tells its
// story in (mori, vinse, scrisse). Written from the language, not from any
// page or question: the infinitive, the participle and the irregular past,
// the nouns of the action and of its doer, an adjective. A word of one
// family matches the terms of the others at params.derive of its weight
// (a synonym's is 0.9: these are one word's forms, but the noun of an
// action is not always the action).
var familiesIT = families(langIT, `
nascere nasce nascono nato nata nati nate nacque nacquero nascita
morire morto morta morti morte mori morirono muore decesso deceduto
vincere vinto vinse vinsero vittoria vincitore vincitrice
perdere perso perduto perse persero perdita
costruire costruito costrui costruirono costruzione costruttore
fondare fondato fondarono fondazione fondatore fondatrice
scoprire scoperto scopri scoprirono scoperta scopritore
inventare inventato invento invenzione inventore
creare creato creo crearono creazione creatore
scrivere scritto scrisse scrissero scrittura scrittore scrittrice
dirigere diretto diresse direzione direttore direttrice
produrre prodotto produsse produssero produzione produttore
distruggere distrutto distrusse distruzione
conquistare conquistato conquisto conquista conquistatore
invadere invaso invase invasione invasore
attaccare attaccato attacco
difendere difeso difese difesa difensore
governare governato governo governatore
regnare regnato regno regnante
eleggere eletto elesse elessero elezione elettore
votare votato votazione voto
sposare sposato sposo sposata matrimonio
iniziare iniziato inizio inizia cominciare cominciato comincio
finire finito fini finirono fine terminare terminato termino
durare durato duro durata
crescere cresciuto crebbe crescita
aumentare aumentato aumento
diminuire diminuito diminuzione calo calare
cambiare cambiato cambio cambiamento
sviluppare sviluppato sviluppo
usare usato uso utilizzare utilizzato utilizzo
misurare misurato misura misurazione
lanciare lanciato lancio
trasmettere trasmesso trasmise trasmissione
diffondere diffuso diffuse diffusione
pubblicare pubblicato pubblicazione
insegnare insegnato insegnamento insegnante
studiare studiato studio studente studentessa
lavorare lavorato lavoro lavoratore
vivere vissuto visse vita
abitare abitato abitante abitazione
popolare popolato popolazione
dividere diviso divise divisione
decidere deciso decise decisione
descrivere descritto descrisse descrizione
definire definito definizione
riformare riformato riforma
ridurre ridotto ridusse riduzione
risolvere risolto risolse soluzione
migliorare migliorato miglioramento
partecipare partecipato partecipazione partecipante
proteggere protetto protesse protezione
ricevere ricevuto ricevette ricezione
vendere venduto vendette vendita venditore
acquistare acquistato acquisto comprare comprato
pagare pagato pagamento
spedire spedito spedizione
consegnare consegnato consegna
restituire restituito restituzione
rimborsare rimborsato rimborso
riparare riparato riparazione
sostituire sostituito sostituzione
installare installato installazione
collegare collegato collegamento connettere connesso connessione
accendere acceso accese accensione
spegnere spento spense spegnimento
registrare registrato registrazione
aggiornare aggiornato aggiornamento
impostare impostato impostazione
ripristinare ripristinato ripristino
scegliere scelto scelse scelta
mettere messo mise
dire detto disse
venire venuto venne vennero
divenire diventare diventato divenne divennero
rimanere rimasto rimase
tenere tenuto tenne
conoscere conosciuto conobbe conoscenza
leggere lesse lettura lettore
chiedere chiesto chiese richiesta
rispondere risposto rispose risposta
apparire apparso apparve apparizione
condurre condotto condusse conduttore
introdurre introdotto introdusse introduzione
tradurre tradotto tradusse traduzione traduttore
offrire offerto offri offerta
aprire aperto apri apertura
chiudere chiuso chiuse chiusura
nominare nominato nomina
chiamare chiamato chiamata
progettare progettato progetto progettista
dipingere dipinto dipinse pittore
comporre composto compose composizione compositore
esplorare esplorato esplorazione esploratore
navigare navigato navigazione navigatore
osservare osservato osservazione osservatore
ottenere ottenuto ottenne
possedere posseduto possedette proprieta proprietario
occupare occupato occupazione
liberare liberato liberazione
ritirare ritirato ritiro
emigrare emigrato emigrazione immigrato immigrazione
`)

var familiesEN = families(langEN, `
born birth
die died dead death
win won victory winner
lose lost loss
choose chose chosen choice
fly flew flown flight
build built building
begin began begun beginning
speak spoke spoken speech
long length
wide width
high height
deep depth
strong strength
weigh weight
pay paid payment
`)

// families reads one family a line and maps each of its words' terms in
// language l to the other words' terms.
func families(l int, text string) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		var keys []string
		for _, w := range strings.Fields(line) {
			if key := stems(w)[l]; key != "" && !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
		for _, k := range keys {
			for _, o := range keys {
				if o != k && !slices.Contains(m[k], o) {
					m[k] = append(m[k], o)
				}
			}
		}
	}
	return m
}

// derived are the families by language (langIT, langEN).
var derived = [2]map[string][]string{familiesIT, familiesEN}
