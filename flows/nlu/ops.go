package nlu

import "strings"

// Operations: what a message asks to be done to the thing it names. A model
// over words learns an intent from its topic ("my to do list", "il mio
// ordine"), so a request about the same thing that asks for something else
// ("erase my to do list" to a bot that only reads it, "annulla l'ordine" to
// one that only tracks it) gets that intent with full confidence: nothing
// in the examples says that the verb changes the request. These few verbs,
// in Italian and English, say it. An intent none of whose examples asks for
// an operation that the message asks for is not what the message means, and
// its confidence is cut by opPenalty (docs/nlu.md).
//
// Only the forms that ask for the operation count: the imperative, the
// infinitive, the present and the gerund. A past form asks about what was
// done ("ho cambiato idea") and is not listed, and neither is a verb that
// follows an English auxiliary of the past ("did I add milk to the list?",
// "have I cancelled it") or an attempt ("I tried updating it", "ho provato
// a riavviare, aggiornare"): what the customer did, not what they ask for. Words that are as often something else ("put", "metti", "drop",
// "lower", "include", "extend") are left out.
type op uint8

const (
	opAdd op = 1 << iota
	opRemove
	opChange
)

var opWords = func() map[string]op {
	m := map[string]op{}
	for o, words := range map[op]string{
		opAdd: "add adding aggiungi aggiungere aggiungo aggiunga aggiungete aggiungimi",
		opRemove: "remove removing delete deleting erase erasing clear clearing wipe cancel cancelling canceling " +
			"rimuovi rimuovere elimina eliminare cancella cancellare cancellami togli togliere svuota svuotare " +
			"annulla annullare annullami disdici disdire",
		opChange: "change changing update updating modify modifying edit editing alter increase increasing raise " +
			"decrease reduce adjust improve improving boost " +
			"cambia cambiare cambiami modifica modificare aggiorna aggiornare aumenta aumentare diminuisci " +
			"diminuire riduci ridurre sposta spostare migliora migliorare",
	} {
		for _, w := range strings.Fields(words) {
			m[w] = o
		}
	}
	return m
}()

// opPenalty is the factor of the confidence of an intent whose examples never
// ask for an operation the message asks for: low enough that the answer is
// out of scope at any threshold the model chooses (0.4 or more), so the
// model abstains rather than handing the message to the intent's second.
// Measured on the clinc_near_oos validation files (docs/nlu.md): 0.25 and 0.1
// decide alike, 0.5 lets the most confident through.
const opPenalty = 0.25

// notAsked are the words that make a verb up to two words after them
// something done rather than asked for: auxiliaries of the past, attempts.
var notAsked = map[string]bool{
	"did": true, "didn": true, "have": true, "has": true, "had": true, "haven": true, "hasn": true,
	"tried": true, "trying": true, "provato": true, "provata": true, "provando": true,
}

// operations returns the operations that tokens (normalised words) ask for.
func operations(tokens []string) op {
	var o op
	for i, t := range tokens {
		w, ok := opWords[t]
		if !ok {
			continue
		}
		// "did i add", "tried to update", "provato a cambiare".
		if i > 0 && notAsked[tokens[i-1]] || i > 1 && notAsked[tokens[i-2]] {
			continue
		}
		o |= w
	}
	return o
}
