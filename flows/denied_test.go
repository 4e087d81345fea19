package flows

import (
	"context"
	"strings"
	"testing"
)

// TestPraiseTurnedOrDenied: praise that turns to a problem ("solo che",
// "only thing is") or is denied ("no longer works well") tells a defect.
func TestPraiseTurnedOrDenied(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"funziona benissimo, grazie!", true},
		{"the new headphones work great and the tv looks amazing", true},
		{"la friggitrice è fantastica, solo che il cestello si graffia", false},
		{"è perfetto, peccato che lo schermo si spenga da solo", false},
		{"it's great, only thing is the remote won't pair", false},
		{"the laptop is amazing, except that the fan is noisy", false},
		{"my speaker no longer works well after the update", false},
		{"il frullatore non funziona bene da ieri", false},
		{"the printer never works well with my wifi", false},
		// A praise held to a case tells the other case is the problem.
		{"il frullatore funziona bene solo se lo tengo premuto", false},
		{"the airfryer works fine only on the lowest setting", false},
		{"it only works well if i restart it first", false},
		{"se funziona bene la tengo, senno la riporto", false},
		{"macbook works great when its cold, in summer it crawls", false},
		{"my airfryer works great since the update", true},
		{"il portatile va alla grande da quando l ho aggiornato", true},
	} {
		if got := praises(tc.text); got != tc.want {
			t.Errorf("praises(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestReceivedDenied: "non è arrivato", "hasn't arrived" tell that the
// product did not come, so a change of mind is no return after delivery.
func TestReceivedDenied(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"ho cambiato idea, il frullatore è arrivato ieri", true},
		{"the kettle arrived on monday but I changed my mind", true},
		{"ho cambiato idea sul tostapane, non è arrivato", false},
		{"I changed my mind about the blender, it hasn't arrived", false},
		{"changed my mind, the parcel has not yet arrived", false},
	} {
		if got := saying(tc.text).hasUndenied(receivedPhrases); got != tc.want {
			t.Errorf("received in %q = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestRentingBesideAPurchase: a rental cue in a clause of its own does not
// stop the purchase of a product the shop sells in another; renting the
// product itself still asks the pages.
func TestRentingBesideAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, flow string
	}{
		{"en", "we just moved into a rented house and I want to buy a samsung qled", "sales"},
		{"en", "I rent a room in town, so I'd like to purchase a small airfryer", "sales"},
		{"it", "abito in affitto e vorrei comprare un portatile per studiare", "sales"},
		{"en", "can I rent a macbook air for two weeks?", ""},
		{"en", "can I rent a vacuum for a week? I don't want to buy a vacuum", ""},
		{"it", "vorrei noleggiare una tv per la festa, non voglio comprare una tv", ""},
		{"en", "renting a projector is fine, I never buy tvs", ""},
		{"it", "posso noleggiare un iphone 15 per un mese?", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			started := ""
			for _, c := range cmds {
				if c.Kind == CmdStartFlow {
					started = c.Flow
				}
			}
			if started != tc.flow {
				t.Errorf("flow started %q, want %q (%v)", started, tc.flow, cmds)
			}
		})
	}
}

// TestPolicyQuestionBesideAPurchase: a question of what the shop's pages
// answer in place of a sale (renting, taking the old one away), asked
// beside a purchase ("if not I'll buy one"), is searched in the pages
// before the sale starts: neither is dropped.
func TestPolicyQuestionBesideAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, question string }{
		{"en", "can i rent a tv for the weekend? if not i'll buy the lg oled", "can i rent a tv for the weekend"},
		{"it", "posso noleggiare un portatile? se no compro il macbook air", "posso noleggiare un portatile"},
		{"it", "fate lo smaltimento della vecchia tv? vorrei comprare la samsung qled", "fate lo smaltimento della vecchia tv"},
		{"en", "do you recycle old phones? i want to buy a galaxy a55", "do you recycle old phones"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			got := commandsText(cmds)
			if !strings.Contains(got, "start_flow(sales") || !strings.Contains(got, "documents(beside \""+tc.question) {
				t.Errorf("commands %s, want the pages for %q and the sale", got, tc.question)
			}
		})
	}
}

// TestAnswerBesideAPurchasePutOff: the answer to a yes-or-no question
// stands when the message also puts a purchase off; no sale starts.
func TestAnswerBesideAPurchasePutOff(t *testing.T) {
	b := mustShop(t)
	st := State{Flow: "warranty", Slot: "repair_quote", Slots: map[string]string{"product": "lg-oled-55", "purchase_date": "2021-05", "buyer": "consumer", "defect": "no picture"}}
	for _, tc := range []struct{ lang, text string }{
		{"en", "yes, go ahead, though I might buy a new tv later"},
		{"en", "sure, and some other time I'll look at buying a bigger one"},
		{"it", "sì grazie, in futuro forse compro un televisore nuovo"},
		{"it", "va bene sì, più avanti ne prenderò uno nuovo"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025, State: st})
			if err != nil {
				t.Fatal(err)
			}
			yes := false
			for _, c := range cmds {
				if c.Kind == CmdStartFlow {
					t.Errorf("flow %s started (%v)", c.Flow, cmds)
				}
				yes = yes || c.Kind == CmdSetSlot && c.Slot == "repair_quote" && c.Value == "yes"
			}
			if !yes {
				t.Errorf("the yes is lost: %v", cmds)
			}
		})
	}
}

// TestBuyerOfATermsQuestionIsNotTheCustomers: a kind of buyer a question
// asks the terms for ("per le aziende", "for businesses") is not kept as
// the customer's; one the customer says they are is.
func TestBuyerOfATermsQuestionIsNotTheCustomers(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		kept       bool
	}{
		{"it", "che garanzia date alle aziende sui portatili?", false},
		{"it", "quanti mesi di garanzia ci sono per le aziende?", false},
		{"en", "what warranty do you give to businesses?", false},
		{"en", "is the return window different for companies?", false},
		{"it", "sono un'azienda, quanto dura la garanzia?", true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			kept := false
			for _, c := range cmds {
				kept = kept || c.Kind == CmdSetSlot && c.Slot == "buyer"
			}
			if kept != tc.kept {
				t.Errorf("buyer kept = %v, want %v (%v)", kept, tc.kept, cmds)
			}
		})
	}
}
