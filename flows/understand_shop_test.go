package flows

import (
	"context"
	"strings"
	"testing"
)

// TestShopUnderstanding reads messages with the demo shop, each in the
// state of a conversation, and checks the commands understanding gives:
// what the dialogue will do with them. The phrasings are the rules'
// own, not the battery's.
func TestShopUnderstanding(t *testing.T) {
	b := mustShop(t)
	type state struct {
		flow, slot string
		slots      map[string]string
		offer      string
	}
	damaged := state{flow: "warranty", slot: "defect", slots: map[string]string{"damage": "drop", "category": "laptop", "product": "thinkpad-e14", "purchase_date": "2025-01", "buyer": "consumer"}}
	returns := state{flow: "returns", slot: "start_return", slots: map[string]string{"order_number": "SP-123456", "delivery_date": "2025-05-30", "return": "open"}}
	for _, tc := range []struct {
		name, lang, text string
		st               state
		want, not        []string
	}{
		// A product with an amount or a counted quantity is a sale, whatever
		// the classifier guessed.
		{name: "budget first", lang: "it", text: "ho 700 euro, quale portatile mi consigliate?",
			want: []string{"start_flow(sales", "set_slot(budget=700 EUR"}},
		{name: "counted models", lang: "it", text: "ci servono 6 macbook per i nuovi assunti",
			want: []string{"start_flow(sales", "set_slot(quantity=6"}},
		// Two words of a symptom beside the product describe the defect.
		{name: "described defect", lang: "it", text: "il mio pixel 8 ha la fotocamera appannata",
			want: []string{"start_flow(warranty", "set_slot(defect="}},
		{name: "no description", lang: "it", text: "ho un problema con il mio pixel 8",
			not: []string{"set_slot(defect="}},
		{name: "no description but haste", lang: "it", text: "vorrei far riparare il mio iphone 15 al più presto",
			want: []string{"start_flow(warranty"}, not: []string{"set_slot(defect="}},
		// A customer who would sell is neither buying nor claiming.
		{name: "selling to the shop", lang: "en", text: "I want to sell my old tv",
			not: []string{"start_flow("}},
		{name: "used ones bought", lang: "it", text: "comprate portatili usati?",
			not: []string{"start_flow("}},
		{name: "a trade-in with a purchase", lang: "it", text: "ritirate l'usato se compro un telefono nuovo?",
			want: []string{"start_flow(sales"}},
		// Not knowing the model, in other words.
		{name: "model forgotten", lang: "en", text: "my laptop from you won't boot, no idea which one it was",
			want: []string{"start_flow(warranty", "set_slot(product= "}},
		{name: "model not known when asked", lang: "en", text: "dunno which one tbh",
			st:   state{flow: "warranty", slot: "product", slots: map[string]string{"category": "laptop"}},
			want: []string{"skip(product"}},
		// A mistyped one-word answer the classifier takes, by its letters,
		// for a word asking for a person still answers the question.
		{name: "mistyped personal", lang: "en", text: "persnoal",
			st:   state{flow: "warranty", slot: "buyer"},
			want: []string{"set_slot(buyer=consumer"}, not: []string{"human("}},
		{name: "mistyped personal, letters swapped", lang: "en", text: "perosnal",
			st:   state{flow: "sales", slot: "buyer"},
			want: []string{"set_slot(buyer=consumer"}, not: []string{"human("}},
		{name: "mistyped personal, last letters swapped", lang: "en", text: "personla",
			st:   state{flow: "warranty", slot: "buyer"},
			want: []string{"set_slot(buyer=consumer"}, not: []string{"human("}},
		{name: "a person asked for at the question", lang: "it", text: "una persona per favore",
			st:   state{flow: "warranty", slot: "buyer"},
			want: []string{"human("}},
		// "Something else, or a person?": a bare "ok" takes the news.
		{name: "ok to the news", lang: "it", text: "ah ok",
			st:   state{offer: offerElse},
			want: []string{"deny(human"}},
		// Two requests: the answer and the flow of a sentence of its own.
		{name: "an order and a question", lang: "it", text: "il mio ordine SP-123456 doveva arrivare ieri, cap 20121. e accettate satispay?",
			want: []string{"faq(payments", "start_flow(order_status"}},
		{name: "an e-mail's dots are no full stops", lang: "en", text: "my parcel SP-123456 is late, mail me at anna.verdi.work@example.co.uk. also do you accept paypal",
			want: []string{"faq(payments", "start_flow(order_status"}},
		{name: "a how-to is no flow", lang: "en", text: "how long is the warranty on the macbook, and how do i update it?",
			not: []string{"start_flow("}},
		{name: "the defect's sentence", lang: "en", text: "my macbook trackpad feels mushy lately. and do you sell usb-c hubs?",
			want: []string{"start_flow(warranty", "set_slot(defect="}},
		// A model and what it does, told: a problem.
		{name: "a problem told", lang: "it", text: "il pavilion 15 si scalda tantissimo dopo dieci minuti di uso",
			want: []string{"start_flow(warranty"}},
		{name: "a model counted is a sale", lang: "en", text: "Office purchase: 3 MacBook Air, budget 1100 each",
			not: []string{"start_flow(warranty"}},
		// Whether a model is covered, or for how long, asks of the terms
		// however the model's name pulls to a sale, in a flow or not.
		{name: "a model covered, in an order", lang: "en", text: "btw is teh pixel 8 covered for 2 years?",
			st:   state{flow: "order_status", slot: "order_proof", slots: map[string]string{"order_number": "SP-123456"}},
			want: []string{"faq(warranty_terms"}, not: []string{"start_flow("}},
		{name: "a model covered", lang: "en", text: "is the macbook covered for two years?",
			want: []string{"faq(warranty_terms"}, not: []string{"start_flow("}},
		{name: "a model covered, in Italian", lang: "it", text: "il galaxy a55 e coperto per 2 anni?",
			want: []string{"faq(warranty_terms"}, not: []string{"start_flow("}},
		{name: "my own covered is a claim's", lang: "en", text: "my pixel 8 screen died, is it covered?",
			not: []string{"faq(warranty_terms"}},
		// A cause of damage asked of is the pages' (what they say of
		// accidental damage), not the FAQ of the warranty's length.
		{name: "a cause covered", lang: "en", text: "is a drop covered by the warranty?",
			want: []string{"documents("}, not: []string{"faq(warranty_terms", "start_flow("}},
		{name: "a cause covered, in Italian", lang: "it", text: "se cade e coperto dalla garanzia?",
			want: []string{"documents("}, not: []string{"faq(warranty_terms", "start_flow("}},
		{name: "spills covered", lang: "en", text: "are liquid spills covered under warranty?",
			want: []string{"documents("}, not: []string{"faq(warranty_terms", "start_flow("}},
		// How long delivery takes to a place, while buying: an order not
		// made yet, for the shipping FAQ.
		{name: "arrival to a city while buying", lang: "it", text: "e a torino in quanto tempo arriva?",
			st:   state{flow: "sales", slot: "quantity", slots: map[string]string{"category": "tv"}},
			want: []string{"faq(shipping"}, not: []string{"start_flow("}},
		{name: "how long to a city while buying", lang: "en", text: "how long to glasgow tho?",
			st:   state{flow: "sales", slot: "budget", slots: map[string]string{"product": "pixel-8", "quantity": "1"}},
			want: []string{"faq(shipping"}, not: []string{"start_flow(", "warranty_terms"}},
		{name: "arrival to a town, no accents", lang: "it", text: "quanti giorni ci vogliono per bari?",
			st:   state{flow: "sales", slot: "quantity", slots: map[string]string{"product": "macbook-air"}},
			want: []string{"faq(shipping"}, not: []string{"start_flow("}},
		{name: "my order is no order to be made", lang: "it", text: "e il mio ordine a napoli quando arriva?",
			st:  state{flow: "sales", slot: "quantity", slots: map[string]string{"category": "tv"}},
			not: []string{"faq(shipping"}},
		// A question close to an FAQ, in the middle of a flow, is answered.
		{name: "an FAQ in a sale", lang: "it", text: "ma la garanzia sui macbook quanto dura?",
			st:   state{flow: "sales", slot: "quantity", slots: map[string]string{"category": "laptop", "product": "macbook-air"}},
			want: []string{"faq(warranty_terms"}},
		{name: "a weak FAQ a word backs", lang: "en", text: "hold on, is klarna a thing with you?",
			st:   state{flow: "sales", slot: "budget", slots: map[string]string{"product": "iphone-15", "quantity": "2"}},
			want: []string{"faq(payments"}},
		// A question of its own naming what only one FAQ names.
		{name: "a word only one FAQ has", lang: "it", text: "vorrei 2 macbook air per lo studio. e accettate satispay?",
			want: []string{"faq(payments", "start_flow(sales"}},
		// Bringing it to the shop is no drop.
		{name: "drop it off", lang: "en", text: "ok, I could drop it off tomorrow",
			st:  state{flow: "warranty", slot: "purchase_date", slots: map[string]string{"product": "pixel-8"}},
			not: []string{"damage="}},
		// A correction's number word corrects the count.
		{name: "a count corrected", lang: "it", text: "anzi no, quattro, viene anche mio cugino",
			st:   state{flow: "sales", slot: "budget", slots: map[string]string{"category": "phone", "quantity": "2"}},
			want: []string{"correct_slot(quantity=4"}},
		// A number word alone between commas counts.
		{name: "one between commas", lang: "it", text: "vorrei un macbook air, uno, per l'università",
			want: []string{"set_slot(quantity=1"}},
		// A thumb up answers a yes-or-no question.
		{name: "thumb up", lang: "en", text: "👍",
			st:   state{flow: "warranty", slot: "repair_quote", slots: map[string]string{"product": "pixel-8", "warranty": "expired"}},
			want: []string{"set_slot(repair_quote=yes"}},
		// The old value named beside the new one corrects it.
		{name: "old beside new", lang: "en", text: "april, not may",
			st:   state{flow: "warranty", slot: "buyer", slots: map[string]string{"purchase_date": "2025-05", "product": "pixel-8"}},
			want: []string{"correct_slot(purchase_date=2025-04"}},
		// A weekday in the customer's question for an FAQ answers nothing.
		{name: "a day in a question", lang: "it", text: "ma la domenica siete aperti?",
			st:   state{flow: "warranty", slot: "purchase_date", slots: map[string]string{"product": "pixel-8"}},
			want: []string{"faq(hours"}, not: []string{"purchase_date="}},
		// The only product of the catalogue with the word among its names.
		{name: "the one air fryer", lang: "en", text: "my air fryer stopped heating up",
			want: []string{"set_slot(product=philips-airfryer"}},
		{name: "a kind of many", lang: "it", text: "il mio telefono non si accende",
			not: []string{"set_slot(product="}},
		// The reason for a return, given before it is asked.
		{name: "reason in the opening", lang: "it", text: "vorrei restituire l'ordine SP-123456, lo uso pochissimo",
			want: []string{"start_flow(returns", "set_slot(return_reason=lo uso pochissimo"}},
		{name: "reason after a but", lang: "en", text: "I'd like to return order SP-123456, it works but the screen is too small for me",
			want: []string{"set_slot(return_reason=the screen is too small for me"}},
		{name: "reason after because", lang: "it", text: "vorrei rendere la friggitrice arrivata ieri perché fa troppo rumore in cucina",
			want: []string{"start_flow(returns", "set_slot(return_reason=fa troppo rumore in cucina"}},
		{name: "reason after the date and", lang: "en", text: "the blender came on monday and the lid does not close properly, can I send it back?",
			want: []string{"set_slot(return_reason=the lid does not close properly"}},
		{name: "more of the request after and", lang: "en", text: "I'd like to return the toaster and get my money back",
			not: []string{"set_slot(return_reason="}},
		{name: "owning up is no reason", lang: "it", text: "no scusa ho sbagliato, la tv mi è arrivata il 30 maggio, non la voglio più",
			not: []string{"return_reason=no scusa"}},
		// The day of an order is no claim: the order's status keeps a
		// clear lead.
		{name: "ordered, when does it leave", lang: "it", text: "buonasera, ho ordinato ieri la friggitrice, numero SP-777777, la mia email è anna.b@example.it, quando arriva?",
			want: []string{"start_flow(order_status"}, not: []string{"start_flow(warranty"}},
		// A return named as a noun ("reso", "return request") is a return.
		{name: "a return by its noun", lang: "it", text: "richiesta di reso SP-123456, la tv non mi convince",
			want: []string{"start_flow(returns"}},
		{name: "a return request", lang: "en", text: "return request, order SP-123456, the kettle is not for me",
			want: []string{"start_flow(returns"}},
		// The value after "non" is the old one, and so is the month of the
		// old day.
		{name: "new day, not the old month", lang: "it", text: "anzi no, era il 3 marzo non febbraio",
			st:   state{flow: "warranty", slot: "buyer", slots: map[string]string{"purchase_date": "2025-02-03", "product": "pixel-8"}},
			want: []string{"correct_slot(purchase_date=2025-03-03"}},
		{name: "not the old month after", lang: "en", text: "my mistake, it was march not february",
			st:   state{flow: "warranty", slot: "buyer", slots: map[string]string{"purchase_date": "2025-02-03", "product": "pixel-8"}},
			want: []string{"correct_slot(purchase_date=2025-03"}},
		// A person asked for in a flow, with a value for it.
		{name: "a person and the number", lang: "en", text: "let me talk to a real person, my number is 333 765 4321",
			st:   state{flow: "sales", slot: "quantity", slots: map[string]string{"product": "pixel-8"}},
			want: []string{"human(", "set_slot(contact=+393337654321"}},
		// A model the list lacks, bought here: the claim goes on without it.
		{name: "an old model bought here", lang: "it", text: "il mio iphone 13 non si carica più, l'ho preso da voi l'anno scorso",
			want: []string{"start_flow(warranty", "set_slot(product= "}, not: []string{"not_sold("}},
		{name: "the same model elsewhere", lang: "it", text: "il mio iphone 13 non si carica più",
			want: []string{"not_sold("}},
		// Two close FAQs: a word only one of them has decides.
		{name: "a card's short name", lang: "en", text: "do you guys take amex?",
			want: []string{"faq(payments"}, not: []string{"clarify("}},
		// An order not made yet has no status to look up; a day in the
		// question owns no FAQ.
		{name: "if I order today", lang: "en", text: "if I order the pixel 8 today, when would it get to Naples?",
			st:  state{flow: "sales", slot: "quantity", slots: map[string]string{"product": "pixel-8"}},
			not: []string{"start_flow(order_status", "faq(hours"}},
		{name: "se ordino domani", lang: "it", text: "se lo ordino domani quando mi arriva in Sicilia?",
			not: []string{"start_flow(order_status", "faq(hours"}},
		// Asking whether the bot is a bot asks for nobody.
		{name: "bot or person", lang: "it", text: "scusa ma sei un bot o una persona vera?",
			st:  state{flow: "warranty", slot: "purchase_date", slots: map[string]string{"product": "pixel-8"}},
			not: []string{"human("}},
		{name: "bot and a person asked", lang: "en", text: "are you a bot? I want a human please",
			want: []string{"human("}},
		// Checking an order is its status.
		{name: "check on an order", lang: "en", text: "hi there, could I check my order please",
			want: []string{"start_flow(order_status"}},
		{name: "the status of a number", lang: "en", text: "hello, what is the status of SP-123456?",
			want: []string{"start_flow(order_status"}},
		{name: "controllare un ordine", lang: "it", text: "salve, devo controllare un ordine",
			want: []string{"start_flow(order_status"}},
		// Values for other questions are no free text.
		{name: "an e-mail at the reason", lang: "en", text: "luca.neri@example.org",
			st:   state{flow: "returns", slot: "return_reason", slots: map[string]string{"order_number": "SP-123456", "start_return": "yes"}},
			want: []string{"set_slot(order_proof="}, not: []string{"set_slot(return_reason="}},
		// An answer that reads like another flow's request is an answer.
		{name: "the order number asked", lang: "it", text: "il numero dell'ordine e SP-424242, il cap 10121",
			st:   state{flow: "returns", slot: "order_number", slots: map[string]string{"delivery_date": "2025-05-30", "start_return": "yes"}},
			want: []string{"set_slot(order_number=SP-424242"}, not: []string{"start_flow("}},
		// A yes with thanks typed in a hurry is a yes.
		{name: "si grz", lang: "it", text: "si grz",
			st:   state{flow: "warranty", slot: "repair_quote", slots: map[string]string{"product": "pixel-8"}},
			want: []string{"set_slot(repair_quote=yes"}},
		{name: "si grazzie", lang: "it", text: "si grazzie!",
			st:   state{flow: "warranty", slot: "repair_quote", slots: map[string]string{"product": "pixel-8"}},
			want: []string{"set_slot(repair_quote=yes"}},
		{name: "yes thx", lang: "en", text: "yes thx",
			st:   state{flow: "warranty", slot: "repair_quote", slots: map[string]string{"product": "pixel-8"}},
			want: []string{"set_slot(repair_quote=yes"}},
		// A product that came and is no longer wanted is a return, with
		// its order number too.
		{name: "non mi serve piu", lang: "it", text: "mi e arrivata la macchina del caffe ieri, ordine SP-123456, ma ormai non mi serve piu",
			want: []string{"start_flow(returns", "set_slot(order_number=SP-123456"}, not: []string{"start_flow(order_status"}},
		{name: "changed my mind", lang: "en", text: "the tv was delivered on tuesday, order SP-123456. changed my mind tbh",
			want: []string{"start_flow(returns"}, not: []string{"start_flow(order_status"}},
		{name: "dont need it", lang: "en", text: "received the headphones yesterday but i dont need it anymore",
			want: []string{"start_flow(returns"}},
		// An English word in Italian asks for the same.
		{name: "il return", lang: "it", text: "volevo fare il return della tv, ordine SP-123456",
			want: []string{"start_flow(returns"}},
		// Who buys, in other words.
		{name: "a startup", lang: "en", text: "we need 3 pixel 8 for our startup",
			want: []string{"set_slot(buyer=business"}},
		{name: "for my biz", lang: "en", text: "looking for 2 thinkpads for my biz",
			want: []string{"set_slot(buyer=business"}},
		{name: "privatamente", lang: "it", text: "vorrei il galaxy a55, lo compro privatamente",
			want: []string{"set_slot(buyer=consumer"}},
		// "The same e-mail": the one the conversation holds is the contact.
		{name: "same email", lang: "en", text: "could i get a quote for 3 pixel 8 too? use the same email",
			st:   state{slots: map[string]string{"order_number": "SP-123456", "order_proof": "LUCA.B@EXAMPLE.ORG"}},
			want: []string{"start_flow(sales", "set_slot(contact=luca.b@example.org"}},
		{name: "stessa mail", lang: "it", text: "vorrei anche 2 macbook air per l'ufficio, scrivetemi alla stessa mail",
			st:   state{slots: map[string]string{"order_proof": "ANNA.R@EXAMPLE.IT"}},
			want: []string{"set_slot(contact=anna.r@example.it"}},
		{name: "stessa mail asked", lang: "it", text: "la mail di prima va benissimo",
			st:   state{flow: "sales", slot: "contact", slots: map[string]string{"product": "pixel-8", "order_proof": "ANNA.R@EXAMPLE.IT"}},
			want: []string{"set_slot(contact=anna.r@example.it"}},
		{name: "no e-mail held", lang: "en", text: "a quote for 2 thinkpads please, same email",
			not: []string{"set_slot(contact="}},
		// A clause that points to the order held asks for nothing.
		{name: "that order", lang: "en", text: "and can i return it? same order as before",
			st:   state{slots: map[string]string{"order_number": "SP-123456", "order_proof": "20121"}},
			want: []string{"start_flow(returns"}, not: []string{"queue_flow(", "set_slot(return_reason="}},
		{name: "quell'ordine", lang: "it", text: "posso restituirlo? proprio quell ordine li",
			st:   state{slots: map[string]string{"order_number": "SP-123456", "order_proof": "20121"}},
			want: []string{"start_flow(returns"}, not: []string{"queue_flow("}},
		// An address that is not the order's (an account's, an e-mail, the
		// shop's) changes no order; the order's still does.
		{name: "an account's address", lang: "it", text: "scusate ho messo l indirizzo sbagliato sul mio account, come lo cambio?",
			not: []string{"start_flow(order_change"}},
		{name: "an address for the account", lang: "en", text: "i typed the wrong address for my account when i signed up",
			not: []string{"start_flow(order_change"}},
		{name: "an e-mail address", lang: "it", text: "ho sbagliato indirizzo email quando mi sono iscritto alla newsletter",
			not: []string{"start_flow(order_change"}},
		{name: "the order's address", lang: "en", text: "i entered the wrong address on order SP-123456",
			want: []string{"start_flow(order_change"}},
		// The rest of a yes to a question the flow asks twice.
		{name: "yes and the reason", lang: "it", text: "sì, preferisco un modello più leggero",
			st:   returns,
			want: []string{"set_slot(start_return=yes", "set_slot(return_reason=preferisco un modello più leggero"},
			not:  []string{"start_flow("}},
		// What a later yes-or-no question offers, asked for before it is
		// asked, says yes to it; a "no" or the flow's own words do not.
		{name: "quote asked early", lang: "it", text: "va bene allora fatemi avere il preventivo",
			st: damaged, want: []string{"set_slot(repair_quote=yes"}},
		{name: "quote asked early en", lang: "en", text: "fine, just send me a quote for it",
			st: damaged, want: []string{"set_slot(repair_quote=yes"}},
		{name: "quote asked early casual", lang: "it", text: "ok mandami pure un preventivo grz",
			st: damaged, want: []string{"set_slot(repair_quote=yes"}},
		{name: "quote refused early", lang: "it", text: "il preventivo non mi interessa",
			st: damaged, not: []string{"set_slot(repair_quote="}},
		{name: "repair is no quote", lang: "en", text: "i need the repair, the screen keeps flickering",
			st: damaged, not: []string{"set_slot(repair_quote="}},
		{name: "quote asked about", lang: "it", text: "volevo sapere se il preventivo si paga",
			st: damaged, not: []string{"set_slot(repair_quote="}},
		{name: "quote cost asked about", lang: "en", text: "i'd like to know whether you charge for a quote",
			st: damaged, not: []string{"set_slot(repair_quote="}},
		{name: "payment is the payments'", lang: "it", text: "vorrei pagare con il bancomat, si puo?",
			st: damaged, not: []string{"set_slot(repair_quote="}},
		// A clause that asks where an order is, beside an FAQ of its own,
		// starts the order's status whatever the values around it do to
		// the classifier.
		{name: "where beside an faq", lang: "en", text: "hello there, need to find out where SP-123456 got to, anna@example.org, and do you take paypal?",
			want: []string{"start_flow(order_status"}},
		{name: "dove beside an faq", lang: "it", text: "ciao volevo sapere dove si trova SP-123456 mario@example.it, e la garanzia del pixel quanto dura?",
			want: []string{"start_flow(order_status", "faq(warranty_terms"}},
		{name: "wheres beside an faq", lang: "en", text: "hey wheres SP-123456 , luca@example.org, and is shipping free?",
			want: []string{"start_flow(order_status", "faq(shipping"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Text: tc.text, Lang: tc.lang, Now: june2025,
				State: State{Flow: tc.st.flow, Slot: tc.st.slot, Slots: tc.st.slots, Offer: tc.st.offer}}
			cmds, err := rules{b}.Understand(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cmds {
				got = append(got, c.String())
			}
			all := strings.Join(got, " ")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q: commands %s, want %s", tc.text, all, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(all, w) {
					t.Errorf("%q: commands %s, want no %s", tc.text, all, w)
				}
			}
		})
	}
}

// TestSpokenWords: keys struck at random are no language to switch to.
func TestSpokenWords(t *testing.T) {
	for text, want := range map[string]int{
		"fjdksl fjdk sldkfj":     0,
		"sorry I don't speak it": 5,
		"qwrt zxcv, ok":          1,
		"perché non si accende?": 4,
	} {
		if got := spokenWords(text); got != want {
			t.Errorf("spokenWords(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestParticipleAfterE: an "e" before a past participle is the verb
// written without its accent, no join of two requests.
func TestParticipleAfterE(t *testing.T) {
	for text, want := range map[string]int{
		"il galaxy e coperto per 2 anni?":          1,
		"lo schermo e rotto da ieri":               1,
		"a che ora aprite e accettate il bancomat": 2,
		"il pacco e la fattura":                    2,
	} {
		if got := len(splitClauses(text)); got != want {
			t.Errorf("%q: %d clauses, want %d", text, got, want)
		}
	}
}

// TestWantedByIsAPurchase: something of the catalogue wanted by a day
// ("a laptop by monday") is a purchase with a deadline, however weakly
// the classifier guesses it; no return, no "say it in other words".
func TestWantedByIsAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "I want a new laptop delivered by monday"},
		{"en", "need a vacuum cleaner here by thursday"},
		{"it", "mi serve un aspirapolvere entro giovedì"},
		{"it", "vorrei una tv nuova consegnata entro sabato"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); !strings.Contains(got, "start_flow(sales") {
				t.Errorf("commands %s start no sale", got)
			}
		})
	}
}

// TestWantedByAfterTheSaleIsNoPurchase: something done by a day to what
// was bought (repaired, replaced, refunded, an invoice) starts no sale.
func TestWantedByAfterTheSaleIsNoPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "I need the vacuum repaired by thursday please"},
		{"en", "can I get a refund for the headphones by next week"},
		{"en", "I want a replacement for my pixel by saturday"},
		{"it", "mi serve lo scontrino del dyson entro giovedì"},
		{"it", "vorrei il thinkpad aggiustato entro sabato"},
		{"it", "devo cambiare la friggitrice entro lunedì"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); strings.Contains(got, "start_flow(sales") {
				t.Errorf("commands %s start a sale", got)
			}
		})
	}
}

// TestCountedOrderIsASale: "order" with so many of something of the
// catalogue, and no order number, asks to buy them: the sale starts
// with the product and the quantity, no "buy or order status?".
func TestCountedOrderIsASale(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "we would like to order three pixel phones", "set_slot(quantity=3"},
		{"en", "can we order five galaxy a55 for the team", "set_slot(quantity=5"},
		{"en", "id like to order 2 macbooks", "set_slot(quantity=2"},
		{"it", "vorrei ordinare quattro thinkpad", "set_slot(quantity=4"},
		{"it", "posso ordinare due iphone 15?", "set_slot(quantity=2"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if !strings.Contains(got, "start_flow(sales") || !strings.Contains(got, tc.want) || !strings.Contains(got, "set_slot(product=") {
				t.Errorf("commands %s, want the sale with the product and %s", got, tc.want)
			}
		})
	}
}

// TestItalianMobileIsNoPhone: "mobile" is a phone in English, a piece of
// furniture in Italian: no phone is read from it there.
func TestItalianMobileIsNoPhone(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		phone      bool
	}{
		{"it", "avete un mobile basso per il soggiorno?", false},
		{"it", "mi serve un mobile per la cucina", false},
		{"it", "cerco dei mobili per l'ufficio", false},
		{"en", "my mobile keeps rebooting", true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); strings.Contains(got, "category=phone") != tc.phone {
				t.Errorf("commands %s, want a phone: %v", got, tc.phone)
			}
		})
	}
}

// A product praised as working, with its age or the date it was bought,
// is no claim, whatever the classifier guesses from the product and the
// date; a praise with a "but" and a fault, or a denied one, still is.
func TestPraiseIsNoClaim(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		claim      bool
	}{
		{"en", "the thinkpad still runs great after 2 yrs", false},
		{"en", "my airfryer works like a charm, bought it last christmas", false},
		{"it", "il mio frullatore funziona ancora alla grande dopo 3 anni", false},
		{"it", "la tv lg va sempre benissimo, comprata nel 2023", false},
		{"it", "il pixel funziona ancora benissimo, grazie mille", false},
		{"en", "the pixel works fine but the screen flickers sometimes", true},
		{"it", "il portatile funziona bene, pero la batteria si scarica subito", true},
		{"en", "my macbook no longer works well, bought it in march", true},
		// A praise for a while, or sometimes, tells of a problem.
		{"en", "my macbook works perfectly for an hour and then shuts down", true},
		{"it", "la tv funziona bene solo a volte", true},
		{"it", "funziona benissimo finche non lo carico, poi muore", true},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if strings.Contains(got, "start_flow(warranty") != tc.claim {
			t.Errorf("%q: commands %s, want a claim started: %v", tc.text, got, tc.claim)
		}
	}
}

// A praise holds for its clause: another clause of its sentence that
// tells of a part, asks a question of its own or holds the praise to a
// case is more than a compliment; a date, an age or thanks beside it
// are none.
func TestPraiseSaysNoMore(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		mere       bool
	}{
		{"en", "the samsung works great, the stand that came with it wobbles like crazy, bought in april", false},
		{"it", "la tv va benissimo, il telecomando invece fa i capricci", false},
		{"en", "my pixel runs fine, wanted to ask if i can buy extra years of coverage", false},
		{"it", "la friggitrice funziona benissimo, vorrei sapere se si puo allungare la copertura", false},
		{"en", "the airfryer works fine only on the lowest setting, bought december 2024", false},
		{"it", "il frullatore funziona bene solo se lo tengo premuto, comprato a novembre", false},
		{"en", "the oled looks amazing, bought it in january, thanks a lot", true},
		{"it", "il pixel funziona da dio, preso a marzo, grazie ancora", true},
		{"en", "the tv works perfectly, got it 2 months ago", true},
		{"it", "il portatile va alla grande da quando l ho aggiornato, preso a gennaio", true},
		// Two things praised, or how long it has been, say no more.
		{"en", "the new headphones work great and the tv looks amazing, bought both in may", true},
		{"en", "the oled looks great and the soundbar sounds amazing, got them in april", true},
		{"en", "my pixel works great, it's been 2 years now", true},
		{"it", "il portatile funziona alla grande, ormai sono 3 anni", true},
	} {
		u := b.newUnderstanding(Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if got := u.praisedNoFault(); got != tc.mere {
			t.Errorf("%q: praisedNoFault = %v, want %v", tc.text, got, tc.mere)
		}
	}
	// The claim starts then, as the classifier reads it.
	for _, tc := range []struct{ lang, text string }{
		{"it", "la friggitrice funziona benissimo, vorrei sapere se si puo allungare la copertura, presa a gennaio 2025"},
		{"it", "il frullatore funziona bene solo se lo tengo premuto, comprato a novembre"},
		{"en", "the airfryer works fine only on the lowest setting, bought december 2024"},
	} {
		if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.Contains(got, "start_flow(warranty") {
			t.Errorf("%q: commands %s, want a claim started", tc.text, got)
		}
	}
}

// An FAQ the classifier guesses from words another FAQ's examples share
// ("how long is" of the warranty's terms) gives way to the FAQ whose own
// word the message holds ("delivery": shipping); the guess stays when a
// word of its own is there too.
func TestSharperFAQ(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "how long is delivry to sicily", "faq(shipping"},
		{"en", "how long is delivery usually?", "faq(shipping"},
		{"en", "how long is the delivery time to bari pls", "faq(shipping"},
		{"it", "quanto dura la consegna x palermo?", "faq(shipping"},
		{"en", "how long is the guarantee?", "faq(warranty_terms"},
		{"it", "quanto dura la garanzia sui portatili?", "faq(warranty_terms"},
	} {
		if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.Contains(got, tc.want) {
			t.Errorf("%q: commands %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestDefectOfTheCorrectedProduct: an opening message that names one
// product in a sentence of its own and corrects it in the next ("my old
// galaxy. sorry, I mean my pixel 8: the screen has green lines") takes
// the description of that next sentence for the defect; without one,
// none is set, and a question there asks.
func TestDefectOfTheCorrectedProduct(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		defect     bool
	}{
		{"en", "my old galaxy. sorry, I mean my pixel 8: the screen has green lines, bought in august 2024, private", true},
		{"en", "the macbook... no wait, the thinkpad e14, the keyboard types double letters", true},
		{"it", "il mio iphone... scusa, il galaxy a55, la fotocamera fa foto tutte mosse", true},
		// Near misses: the correction tells nothing, or asks.
		{"it", "il mio galaxy... no scusa il pixel 8", false},
		{"en", "my old iphone... sorry, the pixel 8. is it still covered?", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if has := strings.Contains(got, "set_slot(defect="); has != tc.defect {
				t.Errorf("commands %s: defect set %v, want %v", got, has, tc.defect)
			}
		})
	}
}

// TestActuallyInItalian: "a dire il vero" corrects as "actually" does:
// the count the sale holds, asked the budget ("a dire il vero ne bastano
// 3"); the same words with no new value correct nothing.
func TestActuallyInItalian(t *testing.T) {
	b := mustShop(t)
	state := State{Flow: "sales", Slot: "budget", Slots: map[string]string{"product": "pixel-8", "quantity": "5", "buyer": "business"}}
	for _, tc := range []struct{ text, want string }{
		{"a dire il vero ne bastano 3", "correct_slot(quantity=3"},
		{"a dir la verità ne prendo solo 2", "correct_slot(quantity=2"},
		{"a dire la verità, ne servono 4", "correct_slot(quantity=4"},
		// Near misses.
		{"a dire il vero non ho un budget", "quantity"},
		{"ne bastano 5, a dire il vero", "quantity"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "it", Now: june3, State: state})
			got := commandsText(cmds)
			if tc.want == "quantity" {
				if strings.Contains(got, "correct_slot(quantity") {
					t.Errorf("commands %s correct the quantity", got)
				}
				return
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("commands %s lack %s", got, tc.want)
			}
		})
	}
}
