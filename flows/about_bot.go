package flows

import "strings"

// askedAboutTheBot reads a message that asks, whole, for help without
// saying with what ("ho bisogno di aiuto", "I have a question", "cosa
// sai fare?") or whether the customer is talking to a program ("sei un
// robot?", "are you a real person?"), after a greeting if one opens it:
// the small talk that answers it (TextHelp, TextAboutBot). A message
// that says more ("I need help with my order") is read for what it says.
func askedAboutTheBot(text string) (Command, bool) {
	w := words(pastGreeting(text))
	for len(w) > 0 && (politeFillers[w[0]] || openingFillers[w[0]]) {
		w = w[1:]
	}
	for len(w) > 0 && politeFillers[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	said := strings.Join(w, " ")
	switch {
	case helpAsks[said]:
		return Command{Kind: CmdSmallTalk, Value: TextHelp, Span: strings.TrimSpace(text), Confidence: 1}, true
	case botAsks[said]:
		return Command{Kind: CmdSmallTalk, Value: TextAboutBot, Span: strings.TrimSpace(text), Confidence: 1}, true
	}
	return Command{}, false
}

// politeFillers are the words around a request for help that add nothing
// to it: "scusa, ho una domanda", "help please", "hey bot".
var politeFillers = map[string]bool{
	"scusa": true, "scusi": true, "scusate": true, "per": true, "favore": true, "cortesia": true, "grazie": true,
	"please": true, "pls": true, "plz": true, "sorry": true, "thanks": true, "ok": true, "allora": true,
	"senti": true, "ascolta": true, "excuse": true, "um": true, "ehm": true,
}

// openingFillers open such a request, and end none: "ma tu sei un bot?",
// "hey bot, help", "excuse me, I have a question".
var openingFillers = map[string]bool{"ma": true, "but": true, "e": true, "and": true, "bot": true, "me": true, "tu": true, "wait": true, "aspetta": true, "oh": true}

// helpAsks are requests for help that name nothing to help with, as
// their words (words) without politeFillers.
var helpAsks = map[string]bool{
	"aiuto": true, "ho bisogno di aiuto": true, "ho bisogno d aiuto": true, "mi serve aiuto": true, "mi serve una mano": true, "mi servirebbe una mano": true, "mi servirebbe aiuto": true,
	"mi potete aiutare": true, "mi puoi aiutare": true, "potete aiutarmi": true, "puoi aiutarmi": true, "avrei bisogno di aiuto": true,
	"ho una domanda": true, "avrei una domanda": true, "una domanda": true, "posso chiedere una cosa": true, "posso farti una domanda": true,
	"cosa sai fare": true, "che cosa sai fare": true, "cosa puoi fare": true, "come mi puoi aiutare": true, "in cosa mi puoi aiutare": true,
	"help": true, "help me": true, "i need help": true, "i need some help": true, "need help": true, "can you help me": true,
	"can you help": true, "could you help me": true, "i have a question": true, "quick question": true, "a question": true,
	"can i ask something": true, "can i ask you something": true, "what can you do": true, "what do you do": true,
	"how can you help": true, "how can you help me": true, "what can you help with": true, "what can you help me with": true,
}

// botAsks are questions whether the customer is talking to a program,
// as helpAsks are written.
var botAsks = map[string]bool{
	"sei un robot": true, "sei un bot": true, "sei una persona": true, "sei una persona vera": true, "sei umano": true,
	"sei un essere umano": true, "parlo con un bot": true, "parlo con un robot": true, "parlo con una persona": true,
	"sto parlando con un bot": true, "sto parlando con un robot": true, "sto parlando con una persona": true,
	"sei un intelligenza artificiale": true, "sei una ia": true, "sei un ai": true, "sei vero": true,
	"chi sei": true, "chi sei tu": true, "con chi parlo": true, "con chi sto parlando": true, "who are you": true,
	"who am i talking to": true, "who is this": true, "what are you": true,
	"are you a bot": true, "are you a robot": true, "are you human": true, "are you a human": true, "are you a person": true,
	"are you a real person": true, "are you real": true, "is this a bot": true, "is this a real person": true,
	"am i talking to a bot": true, "am i talking to a robot": true, "am i talking to a person": true,
	"am i talking to a real person": true, "are you an ai": true, "are you ai": true, "is this ai": true,
}
