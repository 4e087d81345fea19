package flows

import (
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/bot"
)

// Keys of the flow engine's built-in texts. A flow file overrides any of
// them under texts:, and must translate them into languages other than
// Italian and English.
const (
	TextRephrase        = "rephrase"        // the bot did not understand: once
	TextFallback        = "fallback"        // the bot did not understand: twice in a row
	TextOffTopic        = "off_topic"       // the message is clearly about something else than the shop
	TextClarify         = "clarify"         // {a} or {b}? two intents were close
	TextOfferHuman      = "offer_human"     // after too many invalid answers
	TextRetry           = "retry"           // before the prompt again, when no retry is given
	TextResume          = "resume"          // {flow}: back to an interrupted flow?
	TextResumeAgain     = "resume_again"    // {flow}: asked again after a thanks that answered nothing
	TextResumeNo        = "resume_no"       // the customer did not want to go back
	TextQueued          = "queued"          // {flow}: a second request, on the agenda
	TextQueuedAnother   = "queued_another"  // {item}: the second product of a claim, on the agenda
	TextAgendaNext      = "agenda_next"     // {flow}: the queued request starts
	TextQueuedQuestion  = "queued_question" // a question of the message, answered when the flow ends
	TextAgendaCase      = "agenda_case"     // {flow}, {request}: the case's line for the agents
	TextUnknownButton   = "unknown_button"  // a button the bot does not know
	TextHandoff         = "handoff"         // {team}: before handing over
	TextContinue        = "continue"        // the customer declined a person
	TextButtonHuman     = "button_human"
	TextButtonNoHuman   = "button_no_human"
	TextButtonYes       = "button_yes"
	TextButtonNo        = "button_no"
	TextButtonSkip      = "button_skip"
	TextNotSold         = "not_sold"          // {item}: the shop does not sell what the customer named
	TextNotSoldWarranty = "not_sold_warranty" // {item}: ... and so its warranty is the seller's
	TextMoveOn          = "move_on"           // the bot goes on without an answer it could not get
	TextFutureDate      = "future_date"       // {date}: a date that should be past is in the future
	TextNoted           = "noted"             // {noted}: what the customer gave for later questions, the pending one still open
	TextLacked          = "lacked"            // {label}: the customer has not got a value the flow cannot do without, and told another
	TextReasonAsked     = "reason_asked"      // a case's reason, for the agents: the customer asked for a person
	TextReasonAccepted  = "reason_accepted"   // a case's reason: the customer took the offer of a person
	TextCancelled       = "cancelled"         // the customer dropped what the bot was doing
	TextMoreYes         = "more_yes"          // a bare yes to "anything else?": what, then?
	TextMoreNo          = "more_no"           // a bare no to it: the goodbye
	TextCaseCorrected   = "case_corrected"    // {changes}, {team}: a value of the open case corrected
	TextPause           = "pause"             // the customer asks for time to find the answer: the question stays open
	TextLackedYesNo     = "lacked_yes_no"     // the customer told other things, twice, at a question of yes or no
	TextHelp            = "help"              // the customer asks for help, or what the bot can do, and nothing else
	TextAboutBot        = "about_bot"         // {shop}: the customer asks whether they are talking to a bot
	TextLanguage        = "language"          // the customer asked for one of the bot's languages: the reply's, from now on
	TextLanguageFlow    = "language_flow"     // ... in a flow, whose question follows
	TextLanguageOther   = "language_other"    // {languages}: the customer asked for a language the bot does not write

	// Answers from the shop's documents (knowledge:).
	TextDocumentsSource      = "documents_source"       // {source}: the page's address or title, after an answer
	TextDocumentsHelpful     = "documents_helpful"      // did the answer help? (yes / no / a person)
	TextDocumentsHelped      = "documents_helped"       // the customer said it helped
	TextDocumentsHelpedFlow  = "documents_helped_flow"  // ... in the middle of a flow, whose question follows
	TextDocumentsHelpedAbove = "documents_helped_above" // ... in the middle of a flow, its question just above
	TextDocumentsNotHelp     = "documents_not_help"     // it did not: rephrase, or a person?
	TextDocumentsQuestion    = "documents_question"     // {question}: the case's line for the agents
	TextDocumentsNoAnswer    = "documents_no_answer"    // a question of the customer's in a flow that no page answers
	TextReasonDocuments      = "reason_documents"       // a case's reason: the documents' answer was not enough

	// Explanations of warranty_check, in its output slot warranty_reason.
	TextWarrantyCovered   = "warranty_covered_reason"
	TextWarrantyExpired   = "warranty_expired_reason"
	TextWarrantyBoundary  = "warranty_boundary_reason"
	TextWarrantyNoProduct = "warranty_no_product_reason"
	TextWarrantyNoDate    = "warranty_no_date_reason"
	TextWarrantyFuture    = "warranty_future_reason"
	TextWarrantyDamage    = "warranty_damage_reason"
	TextWarrantyNeedModel = "warranty_need_model_reason"
	TextWarrantyLongest   = "warranty_longest_reason" // expired for any model and buyer not asked
	TextTheProduct        = "the_product"             // a product the customer could not name
	TextReturnOpen        = "return_open_reason"
	TextReturnClosed      = "return_closed_reason"
	TextReturnUnknown     = "return_unknown_reason"
	TextBuyerConsumer     = "buyer_consumer"
	TextBuyerBusiness     = "buyer_business"

	// The sentences of order_lookup's order_note: order_note_STATUS for
	// each status (order_note_shipped...), then these, each when the
	// order says it.
	TextOrderItems    = "order_items_note"
	TextOrderCarrier  = "order_carrier_note"
	TextOrderExpected = "order_expected_note"
	TextOrderLate     = "order_late_note"
	TextOrderTracking = "order_tracking_note"
)

// builtinTexts are the flow engine's own texts in Italian and English.
var builtinTexts = map[string]Text{
	TextRephrase: {
		"it": "Scusa, non ho capito. Puoi dirmelo con altre parole?",
		"en": "Sorry, I didn't get that. Could you say it in other words?",
	},
	TextFallback: {
		"it": "Mi dispiace, continuo a non capire. Vuoi parlare con una persona del nostro staff?",
		"en": "I'm sorry, I still don't understand. Would you like to talk to a person on our staff?",
	},
	TextOffTopic: {
		"it": "Mi dispiace, con questo non posso aiutarti: sono l'assistente del negozio, per i suoi prodotti, gli ordini e l'assistenza. Cosa posso fare per te?",
		"en": "I'm sorry, I can't help with that: I'm the shop's assistant, for its products, orders and service. What can I do for you?",
	},
	TextClarify: {
		"it": "Vuoi dire {a} o {b}?",
		"en": "Do you mean {a} or {b}?",
	},
	TextOfferHuman: {
		"it": "Sembra che non riesca a capire la tua risposta. Vuoi parlare con una persona?",
		"en": "I can't seem to understand your answer. Would you like to talk to a person?",
	},
	TextRetry: {
		"it": "Non ho capito la risposta.",
		"en": "I didn't understand that answer.",
	},
	TextResume: {
		"it": "Vuoi riprendere da dove eravamo ({flow})?",
		"en": "Shall we pick up where we left off ({flow})?",
	},
	TextResumeAgain: {
		"it": "Figurati! Vuoi riprendere da dove eravamo ({flow})?",
		"en": "You're welcome! Shall we go back to where we left off ({flow})?",
	},
	TextQueued: {
		"it": "Ho preso nota anche dell'altra richiesta ({flow}): ci arriviamo appena finito qui.",
		"en": "I've noted your other request too ({flow}): we'll get to it as soon as we're done here.",
	},
	TextQueuedAnother: {
		"it": "Ho preso nota anche dell'altro prodotto ({item}): partiamo dal primo, e ci arriviamo appena finito qui.",
		"en": "I've noted the other product too ({item}): let's start with the first, and we'll get to it as soon as we're done here.",
	},
	TextQueuedQuestion: {
		"it": "Alla tua domanda rispondo appena finito qui.",
		"en": "I'll answer your question as soon as we're done here.",
	},
	TextAgendaNext: {
		"it": "Ora passiamo all'altra richiesta ({flow}).",
		"en": "Now, your other request ({flow}).",
	},
	TextResumeNo: {
		"it": "Va bene. Posso aiutarti in altro?",
		"en": "All right. Can I help you with anything else?",
	},
	TextUnknownButton: {
		"it": "Scusa, non ho capito questa scelta.",
		"en": "Sorry, I didn't understand that choice.",
	},
	TextHandoff: {
		"it": "Ti metto in contatto con il team {team}.",
		"en": "I'm putting you through to our {team} team.",
	},
	TextContinue: {
		"it": "Va bene, proviamo ancora.",
		"en": "All right, let's try again.",
	},
	TextDocumentsSource:      {"it": "Fonte: {source}", "en": "Source: {source}"},
	TextDocumentsHelpful:     {"it": "Ti è stato utile?", "en": "Did this help?"},
	TextDocumentsHelped:      {"it": "Bene, mi fa piacere! Posso aiutarti in altro?", "en": "Glad it helped! Can I help you with anything else?"},
	TextDocumentsHelpedFlow:  {"it": "Bene, mi fa piacere! Torniamo alla tua richiesta.", "en": "Glad it helped! Now, back to your request."},
	TextDocumentsHelpedAbove: {"it": "Bene, mi fa piacere! Torniamo alla tua richiesta: rispondi pure alla domanda qui sopra.", "en": "Glad it helped! Now, back to your request: just answer the question above."},
	TextDocumentsNotHelp: {
		"it": "Mi dispiace. Puoi riformulare la domanda con altre parole, oppure ti metto in contatto con una persona del nostro staff.",
		"en": "I'm sorry. You can ask me again in other words, or I can put you through to a person on our staff.",
	},
	TextDocumentsQuestion: {"it": "Domanda del cliente: «{question}»", "en": "The customer's question: \"{question}\""},
	TextAgendaCase:        {"it": "Altra richiesta del cliente ({flow}): «{request}»", "en": "The customer's other request ({flow}): \"{request}\""},
	TextDocumentsNoAnswer: {
		"it": "A questa domanda non so rispondere con sicurezza: una persona del nostro staff potrà dirtelo.",
		"en": "I can't answer that question for sure: someone on our staff can tell you.",
	},
	TextReasonDocuments: {
		"it": "la risposta delle pagine di aiuto non è bastata al cliente",
		"en": "the answer from the help pages was not enough for the customer",
	},
	TextLackedYesNo: {
		"it": "Per andare avanti mi basta un sì o un no alla mia domanda; se preferisci, ti passo a una persona del nostro staff.",
		"en": "To go on I just need a yes or a no to my question; or, if you prefer, I can put you through to a person on our staff.",
	},
	TextHelp: {
		"it": "Certo, sono qui per questo: dimmi pure cosa ti serve.",
		"en": "Sure, that's what I'm here for: tell me what you need.",
	},
	TextAboutBot: {
		"it": "Sono l'assistente virtuale di {shop}: un programma, non una persona. Dimmi pure cosa ti serve; se preferisci una persona, scrivimelo e te la passo.",
		"en": "I'm the virtual assistant of {shop}: a program, not a person. Tell me what you need; if you'd rather talk to a person, just say so and I'll put you through.",
	},
	TextLanguage: {
		"it": "Certo, ti scrivo in italiano. Come posso aiutarti?",
		"en": "Sure, I'll write in English. How can I help?",
	},
	TextLanguageFlow: {
		"it": "Certo, ti scrivo in italiano.",
		"en": "Sure, I'll write in English.",
	},
	TextLanguageOther: {
		"it": "Mi dispiace, scrivo solo in {languages}.",
		"en": "Sorry, I can only write in {languages}.",
	},
	TextPause: {
		"it": "Certo, fai pure con calma: quando l'hai trovato, scrivimelo qui.",
		"en": "Sure, take your time: when you have it, just write it here.",
	},
	TextButtonHuman:   {"it": "Parla con una persona", "en": "Talk to a person"},
	TextButtonNoHuman: {"it": "No, continua", "en": "No, go on"},
	TextButtonYes:     {"it": "Sì", "en": "Yes"},
	TextButtonNo:      {"it": "No", "en": "No"},
	TextButtonSkip:    {"it": "Salta", "en": "Skip"},
	TextNotSold: {
		"it": "Mi dispiace, {item} non è tra i prodotti che vendiamo. Posso aiutarti con qualcos'altro, o vuoi parlare con una persona?",
		"en": "I'm sorry, {item} is not among the products we sell. Can I help with something else, or would you like to talk to a person?",
	},
	TextNotSoldWarranty: {
		"it": "Mi dispiace, {item} non è tra i prodotti che vendiamo: la garanzia di un prodotto comprato altrove spetta al negozio che l'ha venduto. Vuoi comunque parlare con una persona?",
		"en": "I'm sorry, {item} is not among the products we sell: the warranty of a product bought elsewhere is with the shop that sold it. Would you like to talk to a person anyway?",
	},
	TextReasonAsked:    {"it": "Il cliente ha chiesto di parlare con una persona", "en": "The customer asked for a person"},
	TextReasonAccepted: {"it": "Il cliente ha accettato di parlare con una persona", "en": "The customer accepted to talk to a person"},
	TextFutureDate: {
		"it": "Il {date} è una data nel futuro: forse c'è un errore di battitura?",
		"en": "{date} is a date in the future: a typo, perhaps?",
	},
	TextNoted: {
		"it": "Grazie, me lo segno ({noted}).",
		"en": "Thanks, noted ({noted}).",
	},
	TextLacked: {
		"it": "Senza {label} non posso andare avanti da solo, ma una persona del nostro staff può aiutarti con quello che mi hai scritto. Vuoi parlare con una persona?",
		"en": "Without the {label} I can't go on by myself, but a person on our staff can help with what you've told me. Would you like to talk to a person?",
	},
	TextMoveOn: {
		"it": "Va bene, andiamo avanti lo stesso.",
		"en": "All right, let's go on without it.",
	},
	TextCancelled: {
		"it": "Va bene, lascio perdere. Posso aiutarti in altro?",
		"en": "All right, I'll drop it. Can I help you with anything else?",
	},
	TextMoreYes: {
		"it": "Certo, dimmi pure: di cosa hai bisogno?",
		"en": "Sure, what can I do for you?",
	},
	TextMoreNo: {
		"it": "Va bene, grazie a te e buona giornata!",
		"en": "All right, thank you and have a nice day!",
	},
	TextCaseCorrected: {
		"it": "Grazie, ho corretto la tua richiesta ({changes}): il team {team} la vede già così.",
		"en": "Thanks, I've corrected your request ({changes}): the {team} team already sees it that way.",
	},
	TextWarrantyCovered: {
		"it": "{product} (data di acquisto: {purchase_date}; acquirente: {buyer}) ha {warranty_months} mesi di garanzia ed è coperto fino al {warranty_until}.",
		"en": "{product} (purchase date: {purchase_date}; buyer: {buyer}) has {warranty_months} months of warranty and is covered until {warranty_until}.",
	},
	TextWarrantyExpired: {
		"it": "{product} (data di acquisto: {purchase_date}; acquirente: {buyer}) aveva {warranty_months} mesi di garanzia, scaduti il {warranty_until}.",
		"en": "{product} (purchase date: {purchase_date}; buyer: {buyer}) had {warranty_months} months of warranty, which ended on {warranty_until}.",
	},
	TextWarrantyLongest: {
		"it": "{product} (data di acquisto: {purchase_date}) non è più coperto: anche la garanzia più lunga che potrebbe valere, di {warranty_months} mesi, è scaduta il {warranty_until}.",
		"en": "{product} (purchase date: {purchase_date}) is no longer covered: even the longest warranty that could apply, {warranty_months} months, ended on {warranty_until}.",
	},
	TextWarrantyBoundary: {
		"it": "{product} ha {warranty_months} mesi di garanzia, che scadono intorno al {warranty_until}: serve la data esatta dello scontrino per decidere.",
		"en": "{product} has {warranty_months} months of warranty, ending around {warranty_until}: we need the exact date on the receipt to decide.",
	},
	TextWarrantyNoProduct: {
		"it": "Non so di quale prodotto si tratta, quindi non posso verificare la garanzia.",
		"en": "I don't know which product it is, so I can't check the warranty.",
	},
	TextWarrantyNoDate: {
		"it": "Senza la data di acquisto non posso verificare la garanzia.",
		"en": "Without the purchase date I can't check the warranty.",
	},
	TextWarrantyFuture: {
		"it": "La data di acquisto ({purchase_date}) è nel futuro: controlla lo scontrino, per favore.",
		"en": "The purchase date ({purchase_date}) is in the future: please check the receipt.",
	},
	TextWarrantyDamage: {
		"it": "La garanzia legale copre i difetti di conformità, non i danni accidentali come cadute, urti, crepe o liquidi: per {product} serve una riparazione a pagamento.",
		"en": "The legal guarantee covers defects of conformity, not accidental damage such as drops, knocks, cracks or liquids: {product} needs a paid repair.",
	},
	TextWarrantyNeedModel: {
		"it": "Con la garanzia di base ({warranty_months} mesi) non sarebbe più coperto, ma alcuni modelli hanno un'estensione: serve il modello, o lo scontrino, per decidere.",
		"en": "With the basic warranty ({warranty_months} months) it would no longer be covered, but some models have an extension: the model, or the receipt, decides.",
	},
	TextTheProduct: {"it": "il prodotto", "en": "the product"},
	TextReturnOpen: {
		"it": "Sei ancora nei {return_days} giorni per il recesso: puoi restituirlo entro il {return_until}.",
		"en": "You are still within the {return_days} days of withdrawal: you can return it until {return_until}.",
	},
	TextReturnClosed: {
		"it": "Il recesso si può esercitare entro {return_days} giorni dalla consegna, ed è scaduto il {return_until}: non posso più aprire un reso. Se il prodotto è difettoso vale invece la garanzia.",
		"en": "A purchase can be returned within {return_days} days of delivery, and that ended on {return_until}: I can no longer open a return. If the product is faulty, the warranty applies instead.",
	},
	TextReturnUnknown: {
		"it": "Il recesso si può esercitare entro {return_days} giorni dalla consegna.",
		"en": "A purchase can be returned within {return_days} days of delivery.",
	},
	"outcome_warranty_covered": {"it": "in garanzia", "en": "covered"},
	"outcome_warranty_expired": {"it": "scaduta", "en": "expired"},
	"outcome_warranty_unknown": {"it": "da verificare", "en": "to be checked"},
	"outcome_warranty_damage":  {"it": "danno accidentale, non coperto", "en": "accidental damage, not covered"},
	"outcome_return_open":      {"it": "reso possibile", "en": "return possible"},
	"outcome_return_closed":    {"it": "recesso scaduto", "en": "withdrawal period over"},
	"outcome_return_unknown":   {"it": "da verificare", "en": "to be checked"},
	TextBuyerConsumer:          {"it": "privato, con la garanzia legale", "en": "consumer, with the legal guarantee"},
	TextBuyerBusiness:          {"it": "azienda", "en": "business"},

	// order_lookup: order_note, sentence by sentence.
	"order_note_pending": {
		"it": "L'ordine {order_number} del {order_placed} è in attesa della conferma del pagamento.",
		"en": "Order {order_number} of {order_placed} is waiting for the payment to be confirmed.",
	},
	"order_note_processing": {
		"it": "L'ordine {order_number} del {order_placed} è in preparazione nel nostro magazzino.",
		"en": "Order {order_number} of {order_placed} is being prepared in our warehouse.",
	},
	"order_note_shipped": {
		"it": "L'ordine {order_number} è partito il {order_shipped}.",
		"en": "Order {order_number} left our warehouse on {order_shipped}.",
	},
	"order_note_delivered": {
		"it": "L'ordine {order_number} risulta consegnato il {order_delivered}.",
		"en": "Order {order_number} was delivered on {order_delivered}.",
	},
	"order_note_cancelled": {
		"it": "L'ordine {order_number} del {order_placed} risulta annullato.",
		"en": "Order {order_number} of {order_placed} was cancelled.",
	},
	"order_note_refunded": {
		"it": "L'ordine {order_number} del {order_placed} è stato rimborsato.",
		"en": "Order {order_number} of {order_placed} has been refunded.",
	},
	"order_note_returned": {
		"it": "L'ordine {order_number} del {order_placed} ci è stato restituito.",
		"en": "Order {order_number} of {order_placed} has been returned to us.",
	},
	"order_note_lost": {
		"it": "Il corriere ci ha segnalato che il pacco dell'ordine {order_number} è andato perso.",
		"en": "The carrier has told us that the parcel of order {order_number} was lost.",
	},
	"order_note_damaged": {
		"it": "Il corriere ci ha segnalato che il pacco dell'ordine {order_number} è stato danneggiato.",
		"en": "The carrier has told us that the parcel of order {order_number} was damaged.",
	},
	TextOrderItems:    {"it": "Contiene: {order_items}.", "en": "It holds: {order_items}."},
	TextOrderCarrier:  {"it": "Corriere: {order_carrier}.", "en": "Carrier: {order_carrier}."},
	TextOrderExpected: {"it": "La consegna è prevista per il {order_expected}.", "en": "It is expected on {order_expected}."},
	TextOrderLate:     {"it": "Doveva arrivare entro il {order_expected}: è in ritardo.", "en": "It was due by {order_expected}: it is late."},
	TextOrderTracking: {"it": "Puoi seguire il pacco qui: {order_tracking}", "en": "You can follow the parcel here: {order_tracking}"},

	// order_lookup's order and order_status, as the agents read them.
	"outcome_order_found":       {"it": "trovato e verificato", "en": "found and verified"},
	"outcome_order_needs_proof": {"it": "in attesa di verifica", "en": "waiting for proof"},
	"outcome_order_mismatch":    {"it": "numero o verifica non corrispondenti", "en": "number or proof did not match"},
	"outcome_order_locked":      {"it": "troppi tentativi di verifica", "en": "too many failed proofs"},
	"outcome_order_unavailable": {"it": "sistema ordini non raggiungibile", "en": "order system unreachable"},
	"outcome_order_off":         {"it": "nessun sistema ordini collegato", "en": "no order system connected"},
	"outcome_order_none":        {"it": "nessun numero d'ordine", "en": "no order number"},
	"order_status_pending":      {"it": "in attesa", "en": "pending"},
	"order_status_processing":   {"it": "in preparazione", "en": "processing"},
	"order_status_shipped":      {"it": "spedito", "en": "shipped"},
	"order_status_delivered":    {"it": "consegnato", "en": "delivered"},
	"order_status_cancelled":    {"it": "annullato", "en": "cancelled"},
	"order_status_refunded":     {"it": "rimborsato", "en": "refunded"},
	"order_status_returned":     {"it": "restituito", "en": "returned"},
	"order_status_lost":         {"it": "perso dal corriere", "en": "lost by the carrier"},
	"order_status_damaged":      {"it": "danneggiato dal corriere", "en": "damaged by the carrier"},
}

// builtinVars are placeholders any text may use besides slot names.
var builtinVars = []string{"shop", "team", "flow", "a", "b", "agent", "item", "date", "label", "return_days", "return_until", "category",
	"warranty_of", "warranty_consumer_months", "warranty_business_months", "warranty_extended_months", "source", "question", "product", "purchase_date", "buyer", "warranty_months", "warranty_until", "order_number"}

// isBuiltinText reports whether key names a text of the flow engine or of
// the message engine (bot.DefaultTexts).
func isBuiltinText(key string) bool {
	if _, ok := builtinTexts[key]; ok {
		return true
	}
	_, ok := bot.DefaultTexts()[key]
	return ok
}

// builtinLangs returns the languages a built-in text has by default.
func builtinLangs(key string) Text {
	if t, ok := builtinTexts[key]; ok {
		return t
	}
	return bot.DefaultTexts()[key]
}

// text returns the template of key in lang: the file's own, else the
// built-in one, else the default language's.
func (b *Bot) text(key, lang string) string {
	for _, t := range []Text{b.Texts[key], builtinLangs(key)} {
		if s, ok := t[lang]; ok {
			return s
		}
		if s, ok := t[b.DefaultLanguage]; ok {
			return s
		}
	}
	return key
}

// EngineTexts returns the file's texts in the form bot.Config.Texts
// takes, so the message engine's own lines (apology, queued...) use the
// file's overrides.
func (b *Bot) EngineTexts() bot.Texts {
	out := bot.Texts{}
	for k := range bot.DefaultTexts() {
		if t, ok := b.Texts[k]; ok {
			out[k] = maps.Clone(t)
		}
	}
	return out
}

// Text returns the text of key (a key of texts: or a built-in one) in
// lang, with {name} placeholders replaced from vars.
func (b *Bot) Text(key, lang string, vars map[string]string) string {
	return fill(b.text(key, lang), vars)
}

// fill replaces {name} placeholders in s with vars[name]; unknown names
// are left as written.
func fill(s string, vars map[string]string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var out strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+1 : i+j]
		v, ok := vars[name]
		if !ok || !isName(name) {
			out.WriteString(s[:i+j+1])
		} else {
			out.WriteString(s[:i])
			out.WriteString(v)
		}
		s = s[i+j+1:]
	}
	out.WriteString(s)
	return out.String()
}

// placeholders returns the {name} placeholders of s.
func placeholders(s string) []string {
	var names []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return names
		}
		if name := s[i+1 : i+j]; isName(name) && !slices.Contains(names, name) {
			names = append(names, name)
		}
		s = s[i+j+1:]
	}
}
