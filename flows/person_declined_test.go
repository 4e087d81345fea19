package flows

import "testing"

// TestPersonDeclined: at the bot's offer of a person, a no that goes on
// to say no person is needed declines the offer; a no that goes on to
// ask for one still asks for one.
func TestPersonDeclined(t *testing.T) {
	var cases []routingCase
	for _, offer := range []string{offerElse, offerHuman} {
		for _, tc := range []routingCase{
			{name: "non mi serve un operatore", lang: "it", text: "no no, non mi serve un operatore grazie"},
			{name: "nn serve nessuno", lang: "it", text: "no guarda nn serve parlare con qualcuno"},
			{name: "non voglio parlare con una persona", lang: "it", text: "no, non voglio parlare con una persona vera"},
			{name: "nessun bisogno", lang: "it", text: "no, nessun bisogno di un operatore"},
			{name: "dont need", lang: "en", text: "nah, I really dont need to talk to someone"},
			{name: "do not want", lang: "en", text: "no I do not want a human thanks"},
			{name: "no need for", lang: "en", text: "no need to speak with an agent, thank you"},
			{name: "not needed", lang: "en", text: "no, a person is not needed"},
		} {
			tc.name += " at " + offer
			tc.offer = offer
			tc.want = []string{"deny(human"}
			tc.not = []string{"human(", "affirm(human"}
			cases = append(cases, tc)
		}
		for _, tc := range []routingCase{
			{name: "no, voglio un operatore", lang: "it", text: "no, voglio parlare con un operatore"},
			{name: "non il bot, una persona", lang: "it", text: "no, non voglio il bot, voglio una persona"},
			{name: "no, a human please", lang: "en", text: "no, I want to talk to a human please"},
			{name: "not the bot", lang: "en", text: "no, not a bot, I need a real person"},
			{name: "no, passami", lang: "it", text: "no ma passami qualcuno del negozio"},
			{name: "nope, someone", lang: "en", text: "nope, let me talk to somebody now"},
		} {
			tc.name += " at " + offer
			tc.offer = offer
			tc.not = []string{"deny(human"}
			cases = append(cases, tc)
		}
	}
	checkRouting(t, cases)
}
