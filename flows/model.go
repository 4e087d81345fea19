package flows

import (
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/flows/extract"
	"github.com/sportello/sportello/flows/knowledge"
)

// A Bot is a loaded and valid flow file: everything Runtime needs to answer
// customers of one business. Load returns it; it is read-only afterwards
// and safe for concurrent use.
type Bot struct {
	Name string
	// Languages the bot speaks; the first is DefaultLanguage unless the
	// file says otherwise.
	Languages       []string
	DefaultLanguage string
	// DefaultTeam receives handoffs when the current flow names no team.
	DefaultTeam string
	// Threshold is the least confidence for an intent to count; Margin is
	// the least lead of the best intent over the second before the bot
	// asks which of the two the customer meant.
	Threshold float64
	Margin    float64

	// Texts are the file's texts by key, including overrides of the
	// built-in ones; see Text.
	Texts map[string]Text

	Intents    []*Intent
	Slots      map[string]*Slot
	Flows      map[string]*Flow
	Categories []*Category
	Products   []*Product
	// Warranty is the catalogue's warranty, for a product the customer
	// cannot name; WithdrawalDays the days after delivery in which a
	// consumer may return a purchase (14 in the EU).
	Warranty       Warranty
	WithdrawalDays int
	FAQ            map[string]*FAQ
	Teams          map[string]*Team
	Hours          map[string]*Hours
	// KnowledgeProblems are the mistakes of the shop's documents (the
	// knowledge: key) as they were loaded, file:line, one a line
	// (errors.Join): the bot runs without the pages they name, and
	// validate reports them. Knowledge returns the index of the others.
	KnowledgeProblems error

	knowledgeConf *knowledgeConf
	docs          atomic.Pointer[knowledge.Index] // nil when the file names no knowledge
	// faqOwn holds the passage each FAQ's answer finds in the pages
	// (faqOwnPassage), by index, FAQ and language: the same for every
	// message until the pages are indexed again.
	faqOwn sync.Map

	intents    map[string]*Intent
	products   map[string]*Product
	categories map[string]*Category
	classifier Classifier

	choices     map[string]*extract.Catalog // choice slots
	productCat  *extract.Catalog
	categoryCat *extract.Catalog
	shop        *extract.Shop // the catalogue as Scan reads it
	orderSlot   string        // the pattern slot of the shop's order numbers
	// onlyNamed maps a category's word to the one product of the
	// category whose name holds it: "friggitrice" to the one air fryer.
	onlyNamed map[string]string
	// kinds maps the words of the categories' kinds to the products of
	// each kind: what "un robot aspirapolvere" narrows the model question to.
	kinds map[string][]string
	// kindCat reads the kinds' words as the catalogue reads its names,
	// forgiving a plural or a typo ("due friggitrici", "the vaccum"):
	// each option's value is a key of kinds.
	kindCat *extract.Catalog
	// stemOwner maps the stems of the intents' examples to the one intent
	// whose examples have it, "" when several do.
	stemOwner map[string]string
	// wordOwner is stemOwner for the words as written.
	wordOwner map[string]string
	// talkWords are the words, as written, of the small-talk intents'
	// examples that no other intent's examples hold ("ciao", "bye"; not
	// "have", which "have a nice day" shares with "I have a problem").
	talkWords map[string]bool
	// cueIndex holds the intents' cues (indexCues).
	cueIndex *phraseIndex
	// speller holds the words the bot knows, for respell (spelling.go).
	speller *extract.Speller
	// sortedSlots are the names of Slots in order (slotNames).
	sortedSlots []string
	// patterns are the pattern slots read by their pattern, by name, once
	// prepared (Bot.patternSlots).
	patterns         []*Slot
	patternsPrepared bool
}

// A Text is a reply in every language of the bot: language -> template,
// with {name} placeholders filled from slots.
type Text map[string]string

// A TextRef is where a flow file asks for a text: a key of texts: or the
// text written in place. Text holds it after loading.
type TextRef struct {
	Key  string // empty for a text written in place
	Text Text
	Pos  Pos
}

// IsZero reports whether the file gave no text.
func (r TextRef) IsZero() bool { return r.Key == "" && r.Text == nil }

// An Example is one example utterance of an intent.
type Example struct {
	Text string
	Lang string
	Pos  Pos
}

// An Intent is something a customer may want. It starts a flow, answers
// an FAQ entry, replies with a text, or hands the conversation to a person.
type Intent struct {
	Name     string
	Label    TextRef // how a clarifying question names it
	Examples []Example
	// Cues are phrases that name the intent outright, per language
	// ("restituire", "send it back"): a message with a cue of one flow
	// intent only goes to it, whatever the classifier guesses (an order
	// number pulls "vorrei rendere l'ordine" toward its status). A cue
	// may have a gap, "add ... to my order": its second part follows its
	// first within maxCueGap words ("add a charger to my order").
	Cues map[string][]string
	cues []string // normalised, " word word " form, every language
	// Also are phrases one of which a message must hold beside a cue for
	// the cue to count ("discount" with "students"), per language.
	Also map[string][]string
	also []string // normalised like cues
	// Unless are phrases that stop a cue of the intent they overlap ("ho
	// sbagliato l'indirizzo" with "indirizzo del negozio", "indirizzo
	// email"), per language, unless the message holds a value the
	// intent's flow asks for (cuedIn).
	Unless map[string][]string
	unless []string // normalised like cues
	// Back are cues that point back at what the conversation holds
	// ("cancel it", "annullarlo" after the order's status), per language:
	// they count only when the conversation holds a remembered value the
	// intent's flow asks for (cuedIn).
	Back map[string][]string
	back []string // normalised like cues
	// Answer is AnswerDocuments for an intent the shop's pages answer, or
	// a person when they do not: a topic of the shop's that no flow or
	// FAQ handles (a job, a gift card the shop does not sell).
	Answer string
	// InsteadOf names the guesses of the classifier that the cues of a
	// documents intent replace: InsteadFAQ, InsteadSale, InsteadClaim,
	// InsteadAny, InsteadHuman.
	InsteadOf []string
	instead   bool // instead_of was written, its values right or not
	// stems are the first letters of the examples' longer words, for
	// telling a guess the message's words support from one they do not.
	stems   map[string]bool
	Flow    string
	FAQ     string
	Reply   TextRef
	Handoff bool
	Pos     Pos
}

// AnswerDocuments is the answer of an intent the shop's pages answer.
const AnswerDocuments = "documents"

// What a documents intent's cue takes the place of (docs/flows.md#intents).
const (
	// InsteadFAQ: a question holding the cue answers no FAQ entry, neither
	// the one the classifier guesses nor one of its clauses.
	InsteadFAQ = "faq"
	// InsteadSale: a question or a request holding the cue starts no sale
	// and asks for no stock, whatever product or amount it names.
	InsteadSale = "sale"
	// InsteadClaim: a question holding the cue starts no warranty claim,
	// whatever fault it tells.
	InsteadClaim = "claim"
	// InsteadAny: a message holding the cue starts no flow and answers no
	// FAQ the classifier guesses, unless it tells of an order, a fault,
	// damage or an amount, which are the flows'.
	InsteadAny = "any"
	// InsteadHuman: a message holding the cue, in a flow too, is handed to
	// no person on the classifier's guess ("operatore", a phone network's),
	// unless it asks for one in other words ("una persona").
	InsteadHuman = "human"
)

// insteadOf are the values of instead_of, in the order the docs give them.
var insteadOf = []string{InsteadFAQ, InsteadSale, InsteadClaim, InsteadAny, InsteadHuman}

// A SlotType says how a slot's value is read from a customer's message.
type SlotType string

// The slot types.
const (
	SlotChoice   SlotType = "choice"   // one of the slot's options
	SlotProduct  SlotType = "product"  // a product of the catalogue
	SlotCategory SlotType = "category" // a category of the catalogue
	SlotDate     SlotType = "date"     // a calendar date
	SlotPattern  SlotType = "pattern"  // text matching a regular expression
	SlotNumber   SlotType = "number"   // a whole number
	SlotMoney    SlotType = "money"    // an amount, with a currency
	SlotYesNo    SlotType = "yesno"    // yes or no
	SlotEmail    SlotType = "email"
	SlotPhone    SlotType = "phone"
	SlotContact  SlotType = "contact" // an email address or a phone number
	SlotText     SlotType = "text"    // free text
	SlotDefect   SlotType = "defect"  // free text, also read from a description of a malfunction anywhere
	SlotDamage   SlotType = "damage"  // set when the customer says the product was damaged by accident
	// SlotQuestion holds the customer's question about what the shop
	// sells, asked before buying it: set from the message that asks it,
	// never asked (presale.go).
	SlotQuestion SlotType = "question"
	slotOutput   SlotType = "output" // set by an action, never asked
)

var slotTypes = []string{"choice", "product", "category", "date", "pattern", "number", "money", "yesno", "email", "phone", "contact", "text", "defect", "damage", "question"}

// free reports whether a slot of type t takes any text as its answer.
func (t SlotType) free() bool { return t == SlotText || t == SlotDefect }

// A Slot is a value the bot collects from the customer.
type Slot struct {
	Name    string
	Type    SlotType
	Label   TextRef  // how the case summary names the slot
	Options []Option // choice
	Pattern *regexp.Regexp
	// When limits dates: "past", "future" or "any".
	When string
	// Min and Max bound numbers; Min is the least length of a text.
	Min, Max int
	// Remember keeps the value for the whole conversation: a flow that
	// starts later does not ask again (who the customer is, a contact).
	// Other slots are asked afresh by each flow that asks them.
	Remember bool
	// Cue limits the dates a date slot takes from a message it did not
	// ask for: "purchase" or "delivery"; a date of how long a problem
	// lasts ("da tre giorni") never fills a date slot unasked.
	Cue    string
	Pos    Pos
	values []string // the values conditions may compare with, when known
}

// An Option is one value of a choice slot.
type Option struct {
	Value    string
	Label    TextRef
	Synonyms map[string][]string // by language
	Pos      Pos
}

// A StepKind says what a step does.
type StepKind string

// The step kinds.
const (
	StepSay     StepKind = "say"
	StepAsk     StepKind = "ask"
	StepBranch  StepKind = "branch"
	StepAction  StepKind = "action"
	StepHandoff StepKind = "handoff"
	StepGoto    StepKind = "goto"
	StepFlow    StepKind = "flow"
	StepEnd     StepKind = "end"
)

var stepKinds = []string{"say", "ask", "branch", "action", "handoff", "goto", "flow", "end"}

// A Flow is a conversation the bot leads: its steps run in order.
type Flow struct {
	Name  string
	Label TextRef
	// Team receives a handoff from this flow when the customer asks for a
	// person; empty for the bot's default team.
	Team  string
	Steps []*Step
	Pos   Pos
	index map[string]int
}

// A Step is one step of a flow. Kind says which fields count.
type Step struct {
	ID   string // given in the file, or "#n" for the n-th step
	Kind StepKind
	Pos  Pos

	// say, and the text before a handoff
	Say     TextRef
	Buttons []ButtonSpec

	// ask
	Slot       string
	Prompt     TextRef
	Retry      TextRef
	MaxRetries int
	Prefill    bool
	Optional   bool
	// Unknown says what the bot does when the customer does not know the
	// answer or cannot give it twice: UnknownSkip goes on without it,
	// UnknownHuman (the default) offers a person.
	Unknown string

	// branch
	Cases []BranchCase

	// action
	Action string
	With   map[string]string

	// handoff. Reason and Summary are in the shop's default language;
	// Reasons and Summaries, when given, by language: the case is written
	// in the language of the agents of its team (Team.Language).
	Team      string
	Reason    string
	Summary   []string
	Reasons   Text
	Summaries map[string][]string

	// goto (a step of this flow) and flow (another flow)
	Goto string
	Flow string

	// slot is the slot the step asks for, nil for none, once resolved
	// (Bot.slotOf).
	slot     *Slot
	resolved bool
}

// What an ask step does with an answer the customer does not know.
const (
	UnknownHuman = "human"
	UnknownSkip  = "skip"
)

// A BranchCase is one arm of a branch: when Cond holds (or Cond is nil),
// the flow goes on at step Goto.
type BranchCase struct {
	Cond *Cond
	Goto string
	Pos  Pos
}

// A ButtonSpec is a quick-reply button of a say step or an FAQ answer;
// pressing it acts as if the customer expressed Intent.
type ButtonSpec struct {
	Title  TextRef
	Intent string
	Pos    Pos
}

// A Category groups products of the catalogue.
type Category struct {
	ID       string
	Name     TextRef
	Synonyms map[string][]string
	// Kinds are the kinds of product of the category, by ID ("coffee"
	// of the appliances): the words that name each, per language. They
	// name the category too (the loader adds them to Synonyms), and a
	// product of the kind (Product.Kind) is what they narrow the model
	// question to.
	Kinds map[string]map[string][]string
	Pos   Pos
}

// A Product is an item of the catalogue.
type Product struct {
	ID       string
	Name     string
	Category string
	// Kind is one of the category's Kinds: the customer's "macchina del
	// caffè" names this product among the category's.
	Kind     string
	KindPos  Pos
	Synonyms map[string][]string
	Warranty Warranty
	Pos      Pos
}

// Warranty is a product's warranty, in months.
type Warranty struct {
	// Consumer is the legal guarantee for private buyers (24 in the EU).
	Consumer int
	// Business is the warranty for business buyers (often 12).
	Business int
	// Extended is added on top for every buyer (a manufacturer's
	// conventional warranty).
	Extended int
}

// An FAQ is an answer to a frequent question.
type FAQ struct {
	ID      string
	Answer  TextRef
	Buttons []ButtonSpec
	Pos     Pos
}

// A Team is a group of agents a conversation can be handed to.
type Team struct {
	ID      string
	Name    TextRef
	Hours   string // a key of hours:, or empty for always open
	Timeout time.Duration
	// Language is the language of the team's agents: their cases are
	// written in it. The bot's default language when empty.
	Language    string
	languagePos Pos
	Pos         Pos
}

// Hours are business hours: weekly opening ranges and holidays, in a
// time zone.
type Hours struct {
	ID       string
	Location *time.Location
	Weekly   [7][]span // by time.Weekday
	Holidays []holiday
	Pos      Pos
}

// A span is an opening range within a day, in minutes from midnight.
type span struct{ from, to int }

// A holiday is a closed day: every year when year is 0.
type holiday struct{ year, month, day int }

// DefaultMargin is the lead of the best intent over the second under
// which the bot asks which one was meant, unless the values of the
// message settle it (a described defect, a budget).
const DefaultMargin = 0.3

// maxPayload is the longest button payload: Telegram's callback data
// holds 64 bytes.
const maxPayload = 64

// slotPayload is the payload of a button answering slot with value.
func slotPayload(slot, value string) string { return "s:" + slot + ":" + value }
