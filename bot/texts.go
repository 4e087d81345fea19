package bot

import (
	"strings"
)

// Texts are the engine's own lines, by key and then language. A flow file
// may override any of them; DefaultTexts has Italian and English.
type Texts map[string]map[string]string

// Keys of the engine's texts.
const (
	TextApology       = "apology"       // an internal error: never silence
	TextTooLong       = "too_long"      // a message over MaxTextLen
	TextFlood         = "flood"         // too many messages in a short time
	TextEmpty         = "empty"         // a message with nothing in it
	TextUnsupported   = "unsupported"   // a voice message, a sticker, a location
	TextQueued        = "queued"        // {team}: the case is in a team's queue
	TextLeaveButton   = "leave_queue"   // the button back to the bot, while a case is open
	TextLeaveConfirm  = "leave_confirm" // {team}: going back closes the request; sure?
	TextLeaveYes      = "leave_yes"     // the answer that closes the request
	TextLeaveNo       = "leave_no"      // the answer that keeps it
	TextLeaveKept     = "leave_kept"    // {team}: the request stays open
	TextLeftQueue     = "left_queue"    // {team}: the request is closed, back to the bot
	TextForwarded     = "forwarded"     // a message while queued went to the team
	TextJoined        = "agent_joined"  // {agent} joined
	TextReleased      = "agent_left"    // {agent} left; back in the queue
	TextResolved      = "resolved"      // the agent closed the case
	TextCSAT          = "csat"          // how did we do, 1-5
	TextCSATThanks    = "csat_thanks"
	TextPosition      = "queue_position"  // {position}: the customer's place changed
	TextClosed        = "team_closed"     // {team}, {next}: closed now, opens then
	TextTimeout       = "handoff_timeout" // {team}: nobody claimed in time
	TextContactThanks = "contact_thanks"  // {contact}: we will get back to you
	// TextClosedContact and TextTimeoutContact are TextClosed and
	// TextTimeout for a case that already has the customer's contact:
	// nothing is asked again.
	TextClosedContact  = "team_closed_contact"     // {team}, {next}, {contact}
	TextTimeoutContact = "handoff_timeout_contact" // {team}, {contact}
)

// DefaultTexts returns the engine's texts in Italian and English.
func DefaultTexts() Texts {
	return Texts{
		TextApology: {
			"it": "Mi dispiace, qualcosa non ha funzionato da parte nostra. Riprova tra qualche istante.",
			"en": "Sorry, something went wrong on our side. Please try again in a moment.",
		},
		TextTooLong: {
			"it": "Il messaggio è troppo lungo per me: puoi riassumerlo in meno di 4.000 caratteri?",
			"en": "That message is too long for me: could you sum it up in under 4,000 characters?",
		},
		TextFlood: {
			"it": "Stai scrivendo molto in fretta: rispondo a un messaggio alla volta. Aspetta qualche secondo, per favore.",
			"en": "You're writing faster than I can read: one message at a time, please. Wait a few seconds.",
		},
		TextEmpty: {
			"it": "Non ho ricevuto testo. Scrivimi pure la tua domanda.",
			"en": "I didn't receive any text. Go ahead and type your question.",
		},
		TextUnsupported: {
			"it": "Purtroppo non riesco ad ascoltare messaggi vocali né a leggere sticker o posizioni: scrivimi pure la tua domanda.",
			"en": "Sorry, I can't listen to voice messages or read stickers and locations: please type your question.",
		},
		TextQueued: {
			"it": "Ti ho messo in coda per il team {team}: sei il numero {position}. Un operatore ti risponderà qui.",
			"en": "You're in the queue for our {team} team, number {position}. An agent will answer you here.",
		},
		TextPosition: {
			"it": "Ora sei il numero {position} in coda.",
			"en": "You're now number {position} in the queue.",
		},
		TextClosed: {
			"it": "Il team {team} ora è chiuso: riapre {next}. Lasciami un numero di telefono o un'e-mail e ti ricontattiamo; intanto la tua richiesta è registrata.",
			"en": "Our {team} team is closed now and opens {next}. Leave me a phone number or an e-mail and we'll get back to you; your request is already on file.",
		},
		TextTimeout: {
			"it": "Mi dispiace, gli operatori del team {team} sono tutti occupati. Lasciami un numero di telefono o un'e-mail e ti ricontattiamo al più presto: la tua richiesta resta aperta.",
			"en": "Sorry, everyone on our {team} team is busy. Leave me a phone number or an e-mail and we'll get back to you soon: your request stays open.",
		},
		TextClosedContact: {
			"it": "Il team {team} ora è chiuso: riapre {next} e ti ricontatta a {contact}. La tua richiesta è registrata.",
			"en": "Our {team} team is closed now and opens {next}: they'll get back to you at {contact}. Your request is already on file.",
		},
		TextTimeoutContact: {
			"it": "Mi dispiace, gli operatori del team {team} sono tutti occupati: ti ricontattiamo al più presto a {contact}. La tua richiesta resta aperta.",
			"en": "Sorry, everyone on our {team} team is busy: we'll get back to you at {contact} as soon as we can. Your request stays open.",
		},
		TextContactThanks: {
			"it": "Grazie! Ti ricontattiamo a {contact}.",
			"en": "Thanks! We'll get back to you at {contact}.",
		},
		TextLeaveButton: {"it": "Torna al bot", "en": "Back to the bot"},
		TextLeaveConfirm: {
			"it": "Se torni al bot, la tua richiesta al team {team} viene chiusa e nessun operatore ti risponderà qui. Vuoi chiuderla e tornare al bot?",
			"en": "Going back to the bot closes your request to our {team} team: no agent will answer you here. Close it and go back to the bot?",
		},
		TextLeaveYes: {"it": "Sì, chiudi la richiesta", "en": "Yes, close it"},
		TextLeaveNo:  {"it": "No, resto in attesa", "en": "No, keep it open"},
		TextLeaveKept: {
			"it": "Va bene, la tua richiesta resta aperta: il team {team} ti risponderà qui.",
			"en": "All right, your request stays open: our {team} team will answer you here.",
		},
		TextLeftQueue: {
			"it": "Ho chiuso la tua richiesta al team {team}: sei di nuovo con il bot. Come posso aiutarti?",
			"en": "I've closed your request to our {team} team: you're back with the bot. How can I help?",
		},
		TextForwarded: {
			"it": "Ho inoltrato il tuo messaggio al team.",
			"en": "I've passed your message on to the team.",
		},
		TextJoined: {
			"it": "{agent} si è unito alla conversazione.",
			"en": "{agent} joined the conversation.",
		},
		TextReleased: {
			"it": "{agent} ha lasciato la conversazione: sei di nuovo in coda, ti risponderà presto un collega.",
			"en": "{agent} left the conversation: you're back in the queue and a colleague will answer soon.",
		},
		TextResolved: {
			"it": "La conversazione con l'operatore è chiusa. Sono di nuovo io, il bot.",
			"en": "The conversation with our agent is closed. It's me, the bot, again.",
		},
		TextCSAT: {
			"it": "Come valuti l'aiuto ricevuto, da 1 (pessimo) a 5 (ottimo)?",
			"en": "How would you rate the help you got, from 1 (poor) to 5 (excellent)?",
		},
		TextCSATThanks: {
			"it": "Grazie del voto! Se ti serve altro, scrivimi pure.",
			"en": "Thanks for rating us! If you need anything else, just write.",
		},
	}
}

// Merge returns t with the texts of o added or replacing t's.
func (t Texts) Merge(o Texts) Texts {
	out := make(Texts, len(t)+len(o))
	for k, langs := range t {
		out[k] = make(map[string]string, len(langs))
		for l, s := range langs {
			out[k][l] = s
		}
	}
	for k, langs := range o {
		if out[k] == nil {
			out[k] = make(map[string]string, len(langs))
		}
		for l, s := range langs {
			out[k][l] = s
		}
	}
	return out
}

// Text returns the text of key in lang, falling back to English, then to
// any language, then to the key itself, with {name} placeholders replaced
// from vars (pairs of name, value).
func (t Texts) Text(key, lang string, vars ...string) string {
	langs := t[key]
	s, ok := langs[lang]
	if !ok {
		s, ok = langs["en"]
	}
	if !ok {
		for _, v := range langs {
			s, ok = v, true
			break
		}
	}
	if !ok {
		s = key
	}
	for i := 0; i+1 < len(vars); i += 2 {
		s = strings.ReplaceAll(s, "{"+vars[i]+"}", vars[i+1])
	}
	return s
}

// BaseLanguage returns the primary subtag of a language tag: "it-IT" -> "it".
func BaseLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}
