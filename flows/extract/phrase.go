package extract

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// A phraseSet is a list of phrases, indexed by the words they may start
// with. The phrases are written in a small pattern language: words
// separated by spaces, "(a|b c)" for alternatives, "(...)?" for an
// optional part, and macros "{NAME}" from phraseMacros.
type phraseSet struct {
	first map[string][]*phrase
	id    int // its place in a lexeme's phrases
}

// The phrase sets: damage and defects, and buyers.
const (
	damageDefectSetID = iota
	buyerSetID
	phraseSets
)

// A phrase is one compiled pattern and what it means.
type phrase struct {
	items []item
	kind  Kind
	value string  // symptom, damage or buyer code
	conf  float64 // how surely the phrase means it
	// anchor has the wordBits of the words of which one must be in the
	// clause for the phrase to match there (0 if none is known): most
	// phrases are ruled out without being tried.
	anchor uint64
}

// An item of a pattern is a word, or a group of alternatives.
type item struct {
	word     string
	alts     [][]item
	optional bool
	// byFirst indexes the alternatives of a large group by their first
	// word; rest are those that may start otherwise.
	byFirst map[string][]int
	rest    []int
	// words are the alternatives when each is one word, as most are:
	// "(rumore|rumori)". The group then matches one word, found among
	// them without trying each alternative as a pattern of its own.
	words []string
}

// A phraseDef is one meaning and the patterns that say it.
type phraseDef struct {
	kind     Kind
	value    string
	conf     float64
	patterns []string
}

var phraseMacros = map[string]string{
	// English negations, with and without the apostrophe.
	"NOT": "(won t|wont|will not|doesn t|doesnt|does not|didn t|didnt|did not|can t|cant|cannot|can not|isn t|isnt|is not|not|no longer|don t|dont|do not|wouldn t|wouldnt|would not|never|it won t|it doesn t|it wont|it doesnt)",
	"IT":  "(it|the phone|the laptop|the tv|the machine|the device|my phone|my laptop|my tv)",
	// The Italian object pronouns before "ho": "l'ho", "me l'hanno".
	"LHO":   "(l ho|lo ho|la ho|l abbiamo|gli ho|le ho|me l ha|me l hanno)",
	"DRINK": "(caffe|acqua|te|the|vino|birra|latte|succo|liquido|bibita|coca|coca cola|aranciata|tisana|coffee|water|tea|wine|beer|juice|milk|soda|coke|liquid|drink)",
	"SOME":  "(del|della|dell|il|la|l|un po di|un bicchiere di|una tazza di|some|a cup of|a glass of|my|the)",
	// Who may have hit a product.
	"WHO": "(the kids|the kid|my kids|my kid|the children|my children|my child|my son|my daughter|my brother|my sister|a kid|the dog|the cat|my dog|my cat|someone|somebody|my husband|my wife|my partner|my boyfriend|my girlfriend|my mum|my mom|my mother|my dad|my father|my friend|a friend|my little boy|my little girl|my nephew|my niece|my grandson|my granddaughter|my flatmate|my roommate|the baby|my baby|my toddler)",
	"CHI": "(i bambini|i ragazzi|il bambino|la bambina|mio figlio|mia figlia|i miei figli|mio fratello|mia sorella|il cane|il gatto|qualcuno|mio marito|mia moglie|il mio compagno|la mia compagna|il mio ragazzo|la mia ragazza|mia madre|mio padre|mia mamma|mio papa|un amico|un amica|mio nipote|mia nipote|il mio cane|il mio gatto|il piccolo|la piccola)",
	// What slipped or fell, named after the verb: "mi è scivolato il
	// telefono di mano".
	"COSA": "(il telefono|il cellulare|il telefonino|lo smartphone|il portatile|il computer|il pc|il notebook|il tablet|il televisore|la tv|il tv|l aspirapolvere|la scopa elettrica|il mio telefono|il mio portatile)",
	"PART": "(schermo|display|vetro|vetro posteriore|retro|scocca|screen|glass|back glass|back|lcd|touch|touchscreen)",
	// Past participles after "va" ("va aggiunto": must be added).
	"DONE": "(aggiunto|aggiunta|aggiunti|aggiunte|cambiato|cambiata|cambiati|modificato|modificata|corretto|corretta|toccato|toccata|detto|migliorato|migliorata|segnalato|segnalata|firmato|compilato|compilata|chiarito|specificato|ricordato)",
}

// defectDefs are the malfunctions customers describe, by symptom.
var defectDefs = []phraseDef{
	{KindDefect, "no_power", 0.9, []string{
		"non si (accende|accende piu|avvia|riaccende|accendeva) (piu)?", "non (parte|parte piu|da segni di vita|da piu segni di vita)",
		"non si e piu (acceso|accesa|riacceso|riaccesa)", "(e|sembra) (morto|morta)", "non va in (accensione|avvio)",
		"{NOT} (turn|turns|turning|switch|switches|power|powers) on (anymore|any more|at all)?", "{NOT} (start|start up|boot|boot up|come on) (anymore|at all)?",
		"not (turning|switching|powering) on (anymore|at all)?", "no longer turns on", "(is|seems|went) dead", "(it )?died",
		"(is|it s|its) (completely)? dead", "no power",
	}},
	{KindDefect, "no_power", 0.6, []string{"dead", "morto", "morta"}},
	{KindDefect, "no_charge", 0.9, []string{
		"non (si)? (carica|ricarica|carica piu|ricarica piu) (piu)?", "non tiene (piu)? la carica", "non tiene la batteria",
		"(la)? batteria (si scarica|dura poco|non dura|non dura niente|non si carica|non carica)", "si scarica (subito|in fretta|velocemente|in poche ore)?",
		"{NOT} (charge|charging|hold a charge|hold charge|hold its charge) (anymore|at all)?", "not charging", "stopped charging",
		"battery (drains|dies|runs out) (fast|quickly|very fast|in a few hours)?", "drains (the)? battery",
		"non (riconosce|rileva|vede|legge) (piu)? (il|l)? (caricatore|alimentatore|cavo di ricarica|cavo)", "{NOT} (recognise|recognize|detect) (the|my)? (charger|charging cable|power adapter|cable)",
	}},
	{KindDefect, "swollen_battery", 0.9, []string{
		"(la)? batteria (e gonfia|si e gonfiata|gonfia|gonfiata)", "(battery)? (is swollen|swelled|swelled up|swollen|bulging|is bulging)",
	}},
	{KindDefect, "shutdown", 0.9, []string{
		"si spegne (da solo|da sola|all improvviso|di colpo|continuamente|spesso|ogni tanto|sempre|dopo pochi minuti)?",
		"si e (spento|spenta) (da solo|da sola|all improvviso|di colpo)?", "continua a spegnersi",
		"(turns|shuts|switches|powers) (itself)? off (by itself|on its own|randomly|suddenly)?", "keeps (turning|shutting|switching|powering) (itself|it)? off",
		"si ferma (dopo|da solo|da sola|all improvviso|di colpo|ogni tanto|continuamente)", "(stops|cuts out|shuts down|dies) after (a few|a couple of|few|some|5|10|five|ten)? (minutes|seconds|minute)",
		"(switches|changes) (channels|channel|inputs|input) (by itself|on its own|randomly)?", "cambia canale da (solo|sola)",
		"trips the (breaker|fuse|circuit breaker|power)", "fa saltare (la corrente|il salvavita|la luce)",
	}},
	{KindDefect, "restart", 0.9, []string{
		"si riavvia (da solo|da sola|continuamente|in continuazione|sempre)?", "continua a riavviarsi",
		"keeps (restarting|rebooting)", "(restarts|reboots) (itself|by itself|randomly|on its own)?", "boot loop", "bootloop",
	}},
	{KindDefect, "freeze", 0.85, []string{
		"si (blocca|impalla|pianta|freeza|incanta)", "si e (impallato|impallata|piantato|piantata|incantato|incantata|freezato|freezata)", "(e|diventato|diventata) (lentissimo|lentissima|lento|lenta)",
		"(freezes|keeps freezing|frozen|crashes|keeps crashing|hangs|lags)", "(is|got|very|really) slow",
	}},
	{KindDefect, "overheat", 0.9, []string{
		"si (surriscalda|scalda troppo|scalda tanto|scalda molto)", "(scotta|diventa bollente|diventa caldissimo|scalda troppo)",
		"(overheats|overheating|heats up|runs hot)", "(gets|got|getting) (very|really|too|extremely)? hot",
	}},
	{KindDefect, "flicker", 0.9, []string{
		"(sfarfalla|sfarfallio|sfarfallano|lampeggia|lampeggiano|tremola|flickera|trema)",
		"(flickers|flickering|flicker|blinks|blinking|flashes|flashing|keeps flickering)",
	}},
	{KindDefect, "noise", 0.9, []string{
		"fa (un|dei|uno|degli)? (rumore|rumori|rumorino|fischio|fischi|ronzio|cigolio|clic|click|tic) (strano|strani|forte|forti|metallico|fastidioso|assurdo|terribile)?",
		"(rumore|rumori) (strano|strani|forte|metallico)", "(fischia|ronza|gracchia|cigola|vibra troppo|e rumoroso|e rumorosa)",
		"makes (a|an|some)? (strange|weird|loud|funny|odd|rattling|buzzing|clicking|grinding|high pitched|horrible)? (noise|noises|sound|sounds)",
		"(strange|weird|loud|funny|rattling|clicking|grinding) (noise|noises|sound|sounds)", "(buzzing|buzzes|rattles|rattling|squeaks|squeaking|whistles|is noisy|very noisy)",
		"(is|keeps)? grinding", "(grinds|squeals|squealing|screeching)", "(rumore|rumori) tipo (trapano|frullatore|aereo|elicottero)",
		"(is|are|got|gets) (very|too|really|extremely|so|super|quite|incredibly|pretty|way too|crazy)? (loud|noisy)", "(e|sono|e diventato|e diventata) (troppo|molto)? (rumoroso|rumorosa|rumorosi)",
	}},
	{KindDefect, "screen", 0.9, []string{
		"schermo (nero|bianco|verde|blu|spento|a righe)", "(schermo|display|immagine|monitor) (diventa|e diventato|e diventata|si e fatto|si e fatta|resta|rimane|va|e) (tutto|tutta|completamente|sempre)? (a righe|a strisce|nero|nera|bianco|bianca|a scatti)", "pixel (morti|bruciati)", "(righe|linee|macchie|strisce|riga|linea|macchia) (sullo|sul|nello|nel) (schermo|display|monitor)",
		"non si vede (niente|nulla|piu|piu niente|piu nulla)?", "non (da|fa vedere) (immagine|immagini|l immagine)", "touch non (funziona|risponde)", "non risponde al (tocco|touch)",
		"(ha|ci sono)? (delle|le)? (righe|linee|strisce) (verticali|orizzontali|colorate)", "(vertical|horizontal|colored|coloured) lines", "(black|blank|white) screen", "screen (is|went|goes|stays) (black|blank|white)", "dead pixels", "(a|one|some)? dead pixel (line|lines|column|row|stripe)?", "(a|one)? (line|row|column|stripe|band) of (dead|stuck|broken) pixels", "(lines|stripes|spots|a line) on the (screen|display)",
		"(un|dei|qualche)? pixel (morto|bruciato|fisso)", "(una|delle)? (riga|linea|fila|colonna) di pixel (morti|bruciati)",
		"(righe|linee|strisce|riga|linea) (verdi|verde|rosa|viola|bianche|bianca|nere|nera|rosse|rossa|blu|colorate|colorata|verticale|orizzontale)",
		"(fa|mostra|ha) (le|delle|una|la)? (righe|linee|strisce|riga|linea|macchie|macchia)", "(shows|has|got|gets) (lines|stripes|a line|spots)",
		"(a|an)? (green|yellow|pink|purple|blue|red) (tint|tinge|cast|hue)", "(un|degli) (alone|aloni)", "(alone|aloni) (giallo|gialli|verde|verdi|rosa|scuro|scuri|bianco|bianchi)", // not the English "alone"
		"ghost (typing|touch|touches|touching)", "(il)? touch (impazzisce|va da solo|fa da solo|clicca da solo)",
		"(picture|image|screen) (goes|is|gets|went) (blurry|fuzzy|dark|dim)", "(immagine|schermo) (sfocata|sfocato|scura|scuro)",
		"(a|green|pink|purple|white|black|red|blue|coloured|colored)? (line|lines|stripe|stripes) (across|on|down) the (screen|display|picture)",
		"(picture|image|screen|display) (goes|went|keeps going|turns|keeps turning) (black|blank|dark)", "(picture|image|screen|display) (is|went|turned)? (all|completely)? (green|pink|purple)",
		"(immagine|schermo|display) (e)? (tutta|tutto|completamente|sempre)? (verde|verdi|viola|rosa|bluastra|bluastro|violacea|violaceo)", "(banda|bande|striscia) (verde|verdi|rosa|viola|bianca|bianche|nera|nere|rossa|rosse|blu|colorata|colorate|verticale|verticali|orizzontale|orizzontali)",
		"no (picture|image)", "touch screen (doesn t work|not working|is unresponsive)", "touchscreen (doesn t work|not working|is unresponsive)", "(unresponsive|not responding) to touch", "{NOT} respond (to touch|anymore)?", "(is)? unresponsive", "non risponde (piu|al tocco|ai comandi)?",
	}},
	{KindDefect, "audio", 0.9, []string{
		"non si sente (niente|nulla|piu|piu niente)?", "(niente|senza) (audio|suono|volume)", "non (ha|c e) (audio|suono)", "audio (gracchia|distorto|non funziona|va e viene)",
		"no (sound|audio)", "(sound|audio) (doesn t work|not working|is distorted|cuts out|crackles)",
		"(crackles|crackling|crackly|gracchia|gracchiano|gracchiare)",
	}},
	{KindDefect, "connectivity", 0.85, []string{
		"non si (connette|collega|connette piu|collega piu|connette al wifi|collega al wifi)", "non (prende|vede|trova) (il|la)? (wifi|wi fi|rete|bluetooth|campo|linea|segnale)",
		"(wifi|wi fi|bluetooth|rete|connessione|linea|segnale) (non funziona|non va|cade|salta|si disconnette|e instabile)", "(cade|salta|e caduta|cade sempre) (la|il)? (linea|connessione|wifi|rete|segnale)",
		"non ha campo", "{NOT} (connect|pair|connect to wifi|find the wifi|see the wifi)",
		"non (prende|legge|riconosce|vede|rileva) (piu)? (la)? (sim|scheda sim)", "(sim|scheda sim) non (rilevata|riconosciuta|letta|inserita)",
		"{NOT} (read|detect|recognise|recognize|see) (the|my)? (sim|sim card)", "(no sim|sim not detected|sim card not detected|invalid sim)", "(wifi|wi fi|bluetooth|connection) (doesn t work|not working|keeps dropping|drops|disconnects)",
		"no (signal|wifi|connection)", "keeps disconnecting", "drops (the)? (wifi|connection|signal)",
	}},
	{KindDefect, "no_heat", 0.9, []string{
		"non (scalda|riscalda|scalda piu|riscalda piu|si scalda|si riscalda) (piu|bene|abbastanza)?", "{NOT} (heat|heat up|warm up|get hot)", "no heat", "stopped (heating|heating up|warming|warming up|getting hot)",
		"{NOT} heat (the water|water|the milk|the food|anything)",
		// What should come out hot comes out cold: "fa il caffè freddo".
		"(fa|esce|viene|fa uscire|mi fa) (il|l|un|del)? (caffe|espresso|acqua|latte|te) (freddo|fredda|tiepido|tiepida|freddino|freddina)",
		"(caffe|espresso|acqua|latte) (esce|viene|e sempre|sempre)? (freddo|fredda|tiepido|tiepida)",
		"(makes|brews|gives) (cold|lukewarm|tepid) (coffee|espresso|water|milk|tea)", "(coffee|espresso|water|milk|tea) (is|comes out|comes|always comes out)? (cold|lukewarm|tepid)",
	}},
	{KindDefect, "stuck", 0.8, []string{
		// Not "is stuck", "bloccato", "doesn't move": an order is stuck too.
		"{NOT} (open|close|shut|lock|unlock|release|detach|come off|click in|latch|spin|rotate|lift|slide out|eject|fold|unfold) (anymore|any more|properly|at all)?",
		"(incastrato|incastrata|inceppato|inceppata)",
	}},
	{KindDefect, "smell", 0.9, []string{
		"(odore|puzza|puzzo) (di bruciato|di plastica bruciata|strano)", "(fa|esce) (del)? fumo", "(burning|burnt|strange) smell", "smells (like)? (burning|burnt|burned)", "(smoke|smoking) (comes out)?",
		"(ha preso fuoco|ha fatto le scintille|fa scintille|e esploso|e esplosa|caught fire|blew up|exploded|sparks)",
	}},
	{KindDefect, "leak", 0.9, []string{
		"(perde|perdono|gocciola|cola) (acqua|liquido|olio)?", "perdita (d acqua|di acqua|di liquido)", "(leaks|leaking|is leaking|drips|dripping) (water)?",
	}},
	{KindDefect, "suction", 0.9, []string{
		"non aspira (piu|bene|niente)?", "aspira (poco|male|meno)", "{NOT} (suck|suck anymore|pick up dust)", "stopped (sucking|picking up dust|picking up)", "(lost|no|weak) suction", "lost its suction",
		"(loses|losing) (its)? suction", "perde (potenza|aspirazione)",
	}},
	{KindDefect, "no_coffee", 0.9, []string{
		"non (esce|fa|eroga|scende) (piu)? (il|l)? (caffe|acqua|vapore)", "non eroga (piu)?", "non (esce|scende) piu (niente|nulla)?", "(caffe|acqua) non (esce|scende)", "non macina (piu)?",
		"{NOT} (make coffee|brew|dispense|grind)", "stopped (making coffee|brewing|grinding)", "no coffee comes out", "nothing comes out",
		"(coffee|espresso|caffe) (tastes|sa) (burnt|bad|sour|bitter|di bruciato|amaro|acido|strano)",
	}},
	{KindDefect, "no_print", 0.85, []string{
		"non (stampa|stampa piu|stampa bene|scansiona)", "{NOT} (print|print properly|print anymore|scan)", "(prints|printing) (blank|faded|streaks)", "paper jam", "(carta inceppata|si inceppa la carta|si inceppa)",
	}},
	{KindDefect, "buttons", 0.85, []string{
		// "i tasti che non rispondono", "keys that don't respond".
		"(tasto|tasti|pulsante|pulsanti|bottone|bottoni|tastiera) (che)? (non funziona|non funzionano|non risponde|non rispondono|non va|non vanno|bloccato|bloccati|duro|duri) (piu)?",
		"(button|buttons|keys|key|keyboard) (that|which)? (doesn t work|don t work|not working|stuck|is stuck|are stuck|unresponsive|doesn t respond|don t respond|dont respond|doesnt respond|not responding|won t respond|wont respond) (anymore|any more)?",
		"(button|buttons|keys|key|keyboard) (that|which)? (is|are)? ({NOT}|aren t|arent) (respond|responding|work|working)",
		"(keys|key|buttons|button) (are|is)? (sticky|sticking|sticks)", "(tasti|tasto) (duri|duro|appiccicosi|appiccicoso|incollati)",
	}},
	{KindDefect, "not_working", 0.7, []string{
		"non (funziona|funziona piu|funzionano|funge|va piu|funziona bene|funziona correttamente|funziona come dovrebbe)",
		"(non|nun) vanno (piu)?", "nun (funziona|funzionano|va|va piu|funziona piu)", "(si stacca|si sta staccando|si e staccato|si e staccata|si scrosta|si sta scrostando)",
		"(peeling|peeling off|is peeling|comes off|coming off|flaking)",
		"ha smesso di funzionare", "smesso di funzionare", "(e|sembra) (difettoso|difettosa|guasto|guasta)", "(difettoso|difettosa|guasto|difetto di fabbrica)",
		"si e (guastato|guastata)", "(ha|presenta) (un|dei)? (difetto|difetti|malfunzionamento|problema tecnico)",
		"{NOT} work (anymore|any more|properly|at all|right|correctly)?", "(is|it s|its)? not working (anymore|properly|at all)?", "stopped working", "broke down",
		"(not|no longer|isn t|isnt|doesn t|doesnt|won t|wont) (click|clicking|clicks) (anymore|any more|at all|properly)?", "non (clicca|clicka|fa clic|fa click) (piu|bene)?",
		"(has|s|ve|just|totally|completely) (packed in|packed up|conked out|gone kaput)",
		// Slang for "it died", no accident: "mi si è fuso il pc", "it's fried".
		"(mi|gli|le|ci)? (si e|si sono) (fuso|fusa|fusi|fulminato|fulminata|bruciato|bruciata)", "(is|s|got|totally|completely) (fried|bricked)",
		"(e|e andato|e andata|si e|e diventato|e diventata)? (defunto|defunta|andato in tilt|andata in tilt|in tilt)", "(mi|ci)? ha (abbandonato|lasciato a piedi)",
		"(is|s|totally|completely|just) (toast|busted|bust|shot|kaput)", "croaked (on me|on us)?", "(gave up|gave out|has given up|given up) (on me|on us)", "gone bust", "(conked out|gone kaput) (on me)?", "given up the ghost",
		"(isnt|isn t|aint|ain t) working (anymore|any more|properly|at all)?", "stopped workin", "not workin",
		// Breakdown idioms: "mi fa le bizze", "fa cilecca", "da i numeri",
		// "it's playing up", "on the fritz", "gone haywire". Not "crazy"
		// ("prices went crazy") nor "da problemi" ("non mi da problemi").
		"(mi|ci) (fa|fanno|sta facendo) (le bizze|i capricci)", "(mi|ci)? (fa|fanno|sta facendo) (cilecca|le pazzie|cose strane|strani scherzi|brutti scherzi)",
		"(mi|ci)? (da|sta dando) i numeri", "(e|si e) (impazzito|impazzita|andato in palla|andata in palla|rincretinito|rincretinita|ammattito|ammattita)",
		"(e|e andato|e andata) (a farsi benedire|a ramengo)", "ha tirato le cuoia", "(e|si e) (schiattato|schiattata)", "non ne vuole (piu)? sapere (di funzionare|di accendersi|di partire|di andare)?",
		"(is|s|keeps|has been|been|started|starting)? (playing up|acting up)", "(is|s|went|gone|has gone|keeps going)? (haywire|on the fritz|on the blink|belly up)",
		"(is|s|totally|completely)? (glitching|glitchy|on its last legs)", "(bit|has bitten|bitten) the dust", "(crapped|conked|petered) out", "went kaput",
		// Nothing as the subject: "nothing works anymore", "niente funziona più".
		"nothing (works|is working|seems to work|wants to work) (anymore|any more|at all)?", "(niente|nulla) (funziona|va) (piu)?",
		// No better than before, after a repair: longer than the praise
		// "nothing works better than your app" below.
		"nothing (works|is working) (any)? better than (before|it did|it used to)", "(niente|nulla) (funziona|va) meglio (di|che) prima",
		"(is|it s|its)? (faulty|defective)", "malfunction", "malfunctioning", "manufacturing defect", "(a|with a|has a|have a) (fault|defect)",
		"(has|have|had|it s|its)? (developed|got|has) a (fault|technical fault)", "(a|the) (fault|technical fault) (with|in|on) (it|the|my|our)",
	}},
	{KindDefect, "camera", 0.85, []string{
		"(foto|fotocamera|fotocamere|immagini|camera|obiettivo) (tutte|sempre|un po)? (sfocata|sfocate|sfocato|sfocati|mosse|sgranate|sgranata|offuscate|opache)",
		"(fa|escono|vengono|sono) (le)? (foto)? (tutte|sempre)? (sfocate|mosse|sgranate)", "foto (escono|vengono) (tutte|sempre)? (sfocate|mosse|sgranate)", "(la)? fotocamera non (mette a fuoco|funziona|si apre|parte)",
		"(camera|photos|pictures|lens|images) (is|are|look|looks|got|get|gets|comes out|come out)? (all|very|really|so)? (blurry|blurred|out of focus|grainy|fuzzy)",
		"blurry (photos|pictures|images|camera)", "camera (won t|doesn t|does not|will not|can t) (focus|open|start|work)",
	}},
	{KindDefect, "pressure", 0.85, []string{
		"non fa (piu)? (pressione|la pressione)", "(poca|niente|nessuna|senza) pressione", "perde pressione",
		"(no|low|lost|losing|not enough) pressure", "(doesn t|does not|won t|no longer) (build|make|have) (any)? pressure",
	}},
	{KindDefect, "error_message", 0.8, []string{
		"(mi)? (da|segnala|mostra|restituisce|fa) (sempre)? (un|questo|il|l|lo stesso)? (errore|messaggio di errore|codice di errore|codice errore)",
		"(esce|compare|appare|viene fuori) (sempre)? (un|questo|il|l)? (errore|messaggio di errore|codice di errore|codice errore)",
		"(messaggio|codice) (di)? errore", "errore (all avvio|di sistema|in accensione)",
		"(shows|gives|displays|throws|gets|get|got|keeps showing|keeps giving) (me)? (an|this|the|that|the same)? (error|error message|error code)",
		"error (message|code|on startup|at startup|when booting)",
	}},
	{KindDefect, "not_working", 0.5, []string{"non va"}},
	{KindDefect, "broken", 0.6, []string{
		"(hinge|hinges|cover|lid|handle|clip|strap|cerniera|cerniere|coperchio|maniglia|gancio) (snapped|broke|broken|cracked|si e rotta|si e rotto|rotta|rotto)",
		"(port|charging port|plug|connector|socket|jack|porta|presa|connettore|spinotto) (is|are)? (loose|wobbly|balla|traballa|si muove)",
		"si e rotto (da solo|da sola)?", "si e rotta (da sola|da solo)?", "(e|era) (rotto|rotta)", "rotto", "rotta", "(is|it s|its|got)? broken", "broke",
	}},
	// Not a defect, though a defect's words start them. A comparison
	// praises: "nothing works better than your app", "niente funziona
	// meglio di questo". "Va" with a past participle is "must be", not
	// "works": "nulla va aggiunto", "non va aggiunto altro". Each is
	// longer than the defect it starts like, so it takes the words. Not
	// a participle that starts the next clause of a fault told without a
	// comma: "non va pagato 1200 euro", "non va, fatto il reset", "niente
	// va, spedito ieri".
	{"", "", 1, []string{
		"nothing (works|is working|has ever worked|ever worked|worked) (better|faster|quicker|smoother) than",
		"(niente|nulla) (funziona|va|ha mai funzionato|e mai andato) (meglio|piu veloce) (di|del|dello|della|dell|dei|delle|degli|che)",
		"(niente|nulla) va {DONE}", "non va (aggiunto|aggiunta|aggiunti|aggiunte|specificato|ricordato)",
		// "la spedizione non va pagata sopra i 49 €": need not be paid
		// over a sum or on a condition; "non va pagato 1200 euro" is a
		// fault and its price.
		"non va (pagato|pagata|pagati|pagate) (sopra|oltre|sotto|se|per|fino|dai|dagli|con|quando|in caso)",
	}},
}

// damageDefs are the accidents customers admit: the legal guarantee
// covers defects, not these.
var damageDefs = []phraseDef{
	{KindDamage, "liquid", 0.95, []string{
		"(mi|gli|le|ci)? (e|sono) (caduto|caduta|caduti|cascato|cascata|finito|finita) (in|nell|nel|nella|dentro l|dentro la|dentro il) (acqua|water|wc|lavandino|piscina|mare|vasca|lavatrice|tazza|toilette|bagno)",
		"(caduto|caduta|cascato|cascata|finito|finita) (in|nell|nel|nella) (acqua|water|wc|lavandino|piscina|mare|vasca|tazza|toilette)",
		"(l ho|lo ho|la ho)? (bagnato|bagnata|lavato|lavata)", "(si e|e) (bagnato|bagnata)", "(ha|ho) preso (l)? acqua", "(e )?(entrata|entrato|entrati) (dell|dell acqua|acqua|del liquido|liquido|umidita)",
		"(ho|ci ho|gli ho|ci e)? (rovesciato|versato|rovesciata|versata|caduto) (sopra)? {SOME}? {DRINK} (sopra|addosso|sulla tastiera|sul telefono|dentro)?",
		"(water|liquid|moisture) (got|went|gets) (in|inside|into it)", "sotto la pioggia", "ossidato", "ossidata", "ossidazione", "danni da (acqua|liquido|liquidi)",
		"(i )?(spilled|spilt) {SOME}? {DRINK}? (on it|on the keyboard|over it|all over it|on|into it|in it)?",
		"(fell|dropped it|dropped|went) (in|into) (the|a)? (water|toilet|sink|pool|bath|bathtub|sea|lake|river|puddle)",
		"got (wet|soaked)", "(water|liquid) damage", "(it was|got) submerged",
		"(soaked|drenched|waterlogged)", "(in|under) the rain", "(nella|alla|dalla) pioggia", "(fradicio|fradicia|inzuppato|inzuppata)",
	}},
	{KindDamage, "drop", 0.9, []string{
		"(mi|gli|le|ci|si)? (e|sono) (caduto|caduta|caduti|cascato|cascata|cascati) (a terra|per terra|dal tavolo|dalle mani|di mano|dalla borsa|dalle scale|dal letto)?",
		"{LHO}? fatto (cadere|cascare)", "(mi|gli|le)? (e|sono)? (scivolato|scivolata|sfuggito|sfuggita) {COSA}? (di mano|dalle mani|dalla mano|dalla tasca|dalla borsa|dallo zaino|dal tavolo|dalla scrivania|dal letto|dal divano)", "(dopo|per) una caduta", "(caduto|caduta|cascato|cascata) (a terra|per terra|dal tavolo|dalle mani|di mano|dalla tasca|dal letto|dalle scale)",
		"(ha|ho)? (sbattuto|preso un colpo|preso una botta|battuto)", "(ha|ho)? (urtato|urto)",
		"(i )?dropped (it|my phone|my laptop|the phone|the laptop|the tv)?", "(drop|dropping) (it|my phone|my laptop|the phone|the laptop)", "(it)? (fell|has fallen|had fallen|fallen) (off|down|from|out of|on the floor|on the ground|to the floor|to the ground|off the table|out of my hand|out of my pocket)?",
		"knocked (it)? (off|over)", "it took a (fall|hit)", "after a fall",
		// A fall told only to deny it: "it didn't fall", "did not drop".
		// The negation is the phrase's own (denied).
		"(didn t|didnt|did not) (fall|drop) (off|down|out of my hand)?",
		"(it)? (slipped|slid) (off|out of|from) (the|my|a)? (desk|table|hand|hands|pocket|shelf|counter|bed|bag|sofa|couch)",
		// Someone else let it fall: "my daughter let it fall", "it was
		// dropped by my son", "mio figlio l'ha lasciato cadere", "l'ha
		// buttato per terra". Accidental damage whoever did it.
		"(let|lets|letting) (it|my phone|the phone|my laptop|the laptop)? (fall|drop|slip)", "(it )?(was|got|has been|had been) (dropped|knocked off|knocked over)",
		"{WHO} (dropped|knocked) (it|my phone|my laptop|the phone|the laptop|the tv)?",
		"{LHO}? (lasciato|lasciata|lasciati|lasciate) (cadere|cascare|scivolare)",
		"(buttato|buttata|gettato|gettata|lanciato|lanciata|scaraventato|scaraventata) (a terra|per terra|sul pavimento|contro il muro|dalla finestra|giu)",
	}},
	{KindDamage, "crack", 0.9, []string{
		"({PART} (e|si e|is))? (crepato|crepata|incrinato|incrinata|spaccato|spaccata|frantumato|frantumata|scheggiato|scheggiata|in frantumi|in mille pezzi)",
		"(una|la)? (crepa|crepe|incrinatura|scheggiatura) (sullo|sul|nello|nel)? {PART}?", "{PART} (rotto|rotta)",
		"(cracked|shattered|smashed|chipped) {PART}?", "(i|we|my son|my daughter|my kid) broke the {PART}", "{PART} (is|got|was)? (cracked|shattered|smashed|chipped|broken)", "broken (screen|glass|display)", "(a)? crack (in|on) the {PART}",
		"(there s|there is|theres|it has|has|got|with) (a|some)? (small|tiny|big|long|huge)? (crack|cracks|chip)",
		"(a|one|small|tiny|big|long)? (crack|cracks) (in|on|across|along|at) (the|my|its)? (corner|edge|edges|side|middle|centre|center|top|bottom|panel|frame)",
		"(una|la|c e una|ha una|si e fatta una)? (crepa|crepe|incrinatura|scheggiatura) (nell|nello|nel|sull|sul|sullo|in|all|al)? (angolo|bordo|lato|centro|cornice|pannello)",
	}},
	{KindDamage, "impact", 0.85, []string{
		"(piegato|piegata|schiacciato|schiacciata|ammaccato|ammaccata|calpestato|calpestata)", "(mi|ci) sono seduto sopra", "(mi|ci) sono seduta sopra",
		"(bent|crushed|dented)", "(i )?sat on it", "(i )?stepped on it", "(run|ran) over",
		// Someone sat or stepped on it: "my husband sat on my pixel",
		// "mia moglie si è seduta sopra il telefono".
		"{WHO} (sat|stepped|trod) on", "(sat|stepped|trod|sitting|standing) on (it|my|the|his|her|our)",
		"(si e|ci si e|ci e|si sono|ci si sono) (seduto|seduta|seduti|sedute) (sopra|sul|sulla|sullo|addosso)", "{CHI} (l ha|lo ha|la ha|ha|hanno)? (calpestato|calpestata|pestato|pestata)",
		// Someone hit it: "the kids hit the screen with a toy".
		"{WHO} (hit|knocked|kicked|smashed|banged|threw something at|threw a ball at|hit it with)",
		"{CHI} (l hanno|l ha|lo ha|la ha|lo hanno|la hanno|hanno|ha)? (colpito|colpita|preso a calci|preso a pallonate|sbattuto|sbattuta|lanciato|lanciata)",
		"(colpito|colpita) (con|da) (un|una|il|la)", "(una|ha preso una|ha preso un) (pallonata|botta|colpo)",
	}},
	{KindDamage, "heat", 0.85, []string{
		"(si e|si sono|e)? (sciolto|sciolta|sciolti|squagliato|squagliata|deformato|deformata) (dal calore|col calore)?",
		// "si è fuso" alone is slang for "it died" (a defect): damage
		// only with the heat that did it.
		"(si e|si sono|e)? (fuso|fusa|fusi) (dal calore|col calore|per il calore)",
		"(sul|sopra il|vicino al|accanto al) (fornello|fuoco|termosifone|calorifero|stufa|camino)",
		"(it )?(melted|has melted|warped)", "(on|near|next to) the (stove|hob|heater|radiator|fireplace|cooker)",
	}},
	{KindDamage, "surge", 0.8, []string{
		"sbalzo di (tensione|corrente)", "(un)? fulmine", "corto circuito", "power surge", "(a )?lightning (strike)?", "voltage spike",
	}},
	{KindDamage, "other", 0.8, []string{
		"(il cane|il gatto|mio figlio|mia figlia|il bambino) (l ha|lo ha|la ha)? (morso|rosicchiato|rotto|lanciato)", "(my|the) (dog|cat|kid|son|daughter) (chewed|broke|threw|bit) (it)?", "(i|we) broke it",
		// The customer owns up: "è colpa mia", "my own fault".
		"(e|e stata|e tutta)? colpa mia", "(it s|its|it was)? my (own)? fault", "l ho rotto io", "l abbiamo rotto noi",
	}},
	// Not damage: "drop it off" brings it to the shop.
	{"", "", 1, []string{"(drop|dropping|dropped) (it|them|the phone|the laptop)? (off|by|round|in)", "(drop|dropping) (it|them|the phone|the laptop)? (at|to) (the|your)? (shop|store|office|desk|counter)", "(portarlo|passare) a lasciarlo"}},
	// Not damage: a price or a date that fell: "the price dropped",
	// "il prezzo è sceso".
	{"", "", 1, []string{"(the|its|your|their)? (price|prices|cost|costs) (has|have)? (dropped|fell|has fallen|have fallen|slipped)"}},
}

// buyerDefs say who buys: a business (with a VAT number, an invoice, for a
// company) or a private person.
var buyerDefs = []phraseDef{
	{KindBuyer, "business", 0.9, []string{
		"per (la|l)? (mia|nostra) (azienda|ditta|societa|attivita|impresa|agenzia|studio|ufficio|srl|spa|startup|scuola)", "per (l|la) (azienda|ditta|societa|ufficio)",
		"(siamo|sono) (un|una|un )? (azienda|ditta|societa|impresa|agenzia|professionista|libero professionista|studio)", "(ho|abbiamo) (la)? (partita iva|p iva|piva)",
		"(partita iva|p iva|piva|uso aziendale|aziendale|aziendali|fattura elettronica|intestato alla ditta|intestata alla ditta|intestata all azienda|intestato all azienda)",
		"(for|on behalf of) (my|our|the) (company|business|firm|office|employees|team|agency|startup|school)", "(we are|we re|i m|i am) (a|an)? (company|business|firm|reseller|agency|sole trader|freelancer)",
		"(vat number|vat no|business use|for business|b2b|company invoice)",
		"(i|we) (run|own|manage) (a|an|my|our)? (small|little|family)? (shop|store|bakery|restaurant|business|company|bar|cafe|hotel|salon|firm|agency|clinic|studio|practice|workshop|gym|pharmacy)",
		"(we are|we re|were) (a|an)? (small|little)? (school|hotel|restaurant|shop|store|bakery|bar|cafe|clinic|practice|charity|non profit|law firm|studio)",
		"(gestisco|gestiamo|ho|abbiamo) (un|una)? (piccolo|piccola)? (negozio|bar|ristorante|pizzeria|hotel|albergo|officina|palestra|farmacia|panificio|pasticceria|agenzia|azienda|ditta)",
		// A business named by its kind: "siamo una srl", "per il mio ristorante", "for our hotel".
		"(siamo|sono|e) (una|un)? (srl|spa|snc|sas|s r l|s p a|cooperativa|onlus|associazione|ditta individuale)",
		"per (il|la|l)? (mio|mia|nostro|nostra) (negozio|bar|ristorante|pizzeria|hotel|albergo|officina|palestra|farmacia|laboratorio|agriturismo|bed and breakfast|attivita commerciale|scuola)",
		"(for|in) (my|our) (shop|store|restaurant|hotel|bar|cafe|salon|clinic|practice|workshop|gym|pharmacy|staff|employees|school|startup)",
		// The premises with the article alone: "l'ho presa per il bar",
		// "per il ristorante", "for the salon". Not the shop or store in
		// English, which is this shop's ("a question for the shop").
		"per (il|la|l|lo) (negozio|bar|ristorante|pizzeria|hotel|albergo|officina|farmacia|agriturismo|bed and breakfast|salone|parrucchiere|trattoria|osteria|gelateria|pasticceria|panificio)",
		"for the (restaurant|hotel|bar|cafe|salon|clinic|workshop|pharmacy|bakery|pub|hair salon|beauty salon)",
		"(we are|we re|i m|i am|as) (a|an)? (srl|ltd|llc|limited company|partnership|non profit|charity)",
		// A company's name by its legal form ("on behalf of Keller & Sons
		// Ltd", "per conto della Rossi srl") and a department ("for our
		// accounts department", "per il nostro reparto").
		"(ltd|llc|plc|gmbh|srl|sagl)", "on behalf of",
		"per (i miei|i nostri|le mie|le nostre) (dipendenti|collaboratori|impiegati|colleghi|tecnici|agenti|commerciali|clienti)",
		"for (my|our) (colleagues|workers|team members|staff members|technicians|sales reps|clients)",
		"(for|in|from) (my|our|the) (accounts|accounting|sales|marketing|it|hr|finance|legal|admin|design|tech)? (department|dept)",
		"(per|nel|dal) (il|l)? (nostro|mio) (reparto|ufficio acquisti|ufficio tecnico|ufficio amministrativo)",
	}},
	{KindBuyer, "consumer", 0.9, []string{
		"(sono|come|da|in quanto) (un|una)? (privato|privata|consumatore|consumatrice|persona fisica)", "(uso|per uso) (personale|privato|domestico|casalingo)",
		"(privato cittadino|persona fisica|consumatore finale)", "per (me stesso|me stessa|casa mia|uso mio)",
		// For the home or the family: "x casa", "per mia nonna", "for my mum".
		"per (casa|la casa|la famiglia|la mia famiglia|i miei|un regalo)",
		// A room of the home it goes in: "da mettere in casa", "per il
		// salotto", "for the bedroom", "to keep at home".
		"(da|per) (mettere|tenere|usare|metterlo|metterla|metterli|metterle|usarlo|usarla|usarli|usarle|tenerlo|tenerla|tenerli|tenerle) (in|a) (casa|salotto|soggiorno|camera|cameretta|cucina)",
		"per (il|la) (salotto|soggiorno|camera da letto|cameretta|taverna|mansarda)",
		// Where it is used is the home: "lo usiamo in salotto a casa", "la
		// uso in cucina", "we use it at home" (not "l'ho lasciato a casa").
		"(lo|la|li|le|l)? (uso|usiamo|usa|usano|utilizzo|utilizziamo|teniamo|tengo) (in (salotto|soggiorno|cucina|camera|cameretta|taverna|mansarda))? (a|in) casa",
		"(lo|la|li|le|l)? (uso|usiamo|utilizzo|utilizziamo|teniamo|tengo) (in|nel|nella) (salotto|soggiorno|cucina|camera da letto|cameretta|taverna|mansarda)",
		"(i|we) (use|keep) (it|them) (in the (living room|kitchen|bedroom|lounge))? at home", "(i|we) (use|keep) (it|them) in (the|our|my) (living room|kitchen|bedroom|lounge)",
		// The customer's own home by its kind: "per il mio appartamento",
		// "for my flat" (not "for the flat screen").
		"per (il mio|il nostro|l|mio) (appartamento|monolocale|bilocale)", "per la (mia|nostra) (casa|casetta|mansarda)",
		"for (my|our) (new)? (flat|apartment|studio flat)",
		"for (the|my|our) (living room|bedroom|lounge|kids room|spare room|guest room|den)",
		"(to use|to put|to keep|to have) (it|them)? (at home|in the house|in my house|in our house|in the living room|in the bedroom)",
		"per (mia|mio|mi|la mia|il mio) (nonna|nonno|mamma|madre|papa|padre|moglie|marito|figlio|figlia|figli|fidanzata|fidanzato|ragazza|ragazzo|sorella|fratello|zia|zio)",
		"per (i miei|le mie) (figli|figlie|bambini|nipoti|genitori)",
		"for (my|our) (home|house|family|mum|mom|mother|dad|father|wife|husband|son|daughter|kids|children|grandma|grandmother|grandpa|grandfather|girlfriend|boyfriend|sister|brother|parents)",
		"(for|as) (a gift|a present)",
		"(as a|i m a|i am a|im a) (private|private person|private customer|private individual|consumer|individual)", "(private person|private customer|private individual|personal use|home use|for myself|for my own use)",
		"(it s|its|it is) my own", "(it s|its|it is) mine", "not (a|an|for)? (company|business|work|office) (phone|laptop|tv|computer|one|purchase|device)?",
		"non (e|è)? (un|una)? (telefono|portatile|pc|acquisto)? (aziendale|della ditta|dell azienda|per la ditta|per l azienda|per lavoro)", "my own (phone|laptop|tv|computer|one)", "(e|è) (il|la)? (mio|mia) personale", "(mio|mia) personale",
		// "me personally", "just me", "io personalmente".
		"(me|myself|io|per me|for me) (personally|personalmente)", "just (me|myself|for me)", "solo (io|per me)",
		// Bought personally: "I bought it personally", "l'ho presa
		// personalmente" (not "I'll bring it in personally").
		"(bought|got|purchased|ordered|paid for) (it|them|this|that|one)? (personally|with my own money)", "personally (bought|got|purchased|ordered|paid for)",
		"(comprato|comprata|comprati|comprate|preso|presa|presi|prese|acquistato|acquistata|acquistati|pagato|pagata|ordinato|ordinata) (io)? (personalmente|di tasca mia|con i miei soldi)",
		// "just a regular customer", "come persona", "I don't have a company".
		"(a|just a)? (regular|normal|ordinary) (customer|person|individual|buyer|guy)", "(come|da) (persona|singolo)", "privatamente",
		"(i|we)? (don t|dont|do not) (have|own|run) (a|an|any)? (company|business|firm|vat number|vat)",
		"non (ho|abbiamo) (una|un|la|nessuna)? (ditta|azienda|societa|impresa|attivita)",
	}},
}

var (
	phrasesOnce               sync.Once
	damageDefectSet, buyerSet *phraseSet
	phraseVocab               map[string]bool
	knownWords                map[string]bool // see knownWord
	phraseVocabBy             map[int][]word  // by first letter and length, vocabKey
)

func loadPhrases() {
	phraseVocab = map[string]bool{}
	damageDefectSet = compilePhrases(append(append([]phraseDef(nil), damageDefs...), defectDefs...), damageDefectSetID)
	buyerSet = compilePhrases(append(append([]phraseDef(nil), buyerDefs...), purposeBuyerDefs...), buyerSetID)
	knownWords = map[string]bool{}
	for _, m := range []map[string]bool{phraseVocab, stopWords, purchaseCues, deliveryCues, onsetCues} {
		for w := range m {
			knownWords[w] = true
		}
	}
	for w := range months {
		knownWords[w] = true
	}
	phraseVocabBy = map[int][]word{}
	for w := range phraseVocab {
		if len(w) < 6 || hasDigit(w) {
			continue
		}
		k := vocabKey(w[0], len(w))
		phraseVocabBy[k] = append(phraseVocabBy[k], newWord(w))
	}
}

func vocabKey(first byte, n int) int { return int(first)<<8 | n }

func damageDefectPhrases() *phraseSet { phrasesOnce.Do(loadPhrases); return damageDefectSet }
func buyerPhrases() *phraseSet        { phrasesOnce.Do(loadPhrases); return buyerSet }

// compilePhrases compiles the patterns of defs.
func compilePhrases(defs []phraseDef, id int) *phraseSet {
	ps := &phraseSet{first: map[string][]*phrase{}, id: id}
	for _, d := range defs {
		for _, p := range d.patterns {
			ph := &phrase{items: parsePattern(expandMacros(p)), kind: d.kind, value: d.value, conf: d.conf}
			ph.anchor = anchorOf(ph.items)
			starts := map[string]bool{}
			firstWords(ph.items, starts)
			for w := range starts {
				ps.first[w] = append(ps.first[w], ph)
			}
			vocabulary(ph.items)
		}
	}
	return ps
}

func expandMacros(p string) string {
	for strings.Contains(p, "{") {
		i := strings.Index(p, "{")
		j := strings.Index(p[i:], "}")
		if j < 0 {
			break
		}
		p = p[:i] + phraseMacros[p[i+1:i+j]] + p[i+j+1:]
	}
	return p
}

// wordBit is the bit of w in the 64-bit summaries of words that the phrase
// matcher compares.
func wordBit(w string) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	return 1 << (h % 64)
}

// anchorOf returns the wordBits of the item after the first that every
// match must contain and that has the fewest words, or 0.
func anchorOf(items []item) uint64 {
	var best uint64
	for _, it := range items[1:] {
		if it.optional {
			continue
		}
		var b uint64
		if it.word != "" {
			b = wordBit(it.word)
		} else {
			for _, a := range it.alts {
				if len(a) == 0 || a[0].word == "" {
					b = 0 // an alternative that may start otherwise
					break
				}
				b |= wordBit(a[0].word)
			}
		}
		if b != 0 && (best == 0 || bits.OnesCount64(b) < bits.OnesCount64(best)) {
			best = b
		}
	}
	return best
}

// parsePattern reads a pattern into its items.
func parsePattern(p string) []item {
	var out []item
	for len(p) > 0 {
		p = strings.TrimLeft(p, " ")
		if p == "" {
			break
		}
		if p[0] != '(' {
			i := strings.IndexAny(p, " (")
			if i < 0 {
				i = len(p)
			}
			out = append(out, item{word: p[:i]})
			p = p[i:]
			continue
		}
		depth, end := 0, len(p)-1
		for i := 0; i < len(p); i++ {
			if p[i] == '(' {
				depth++
			} else if p[i] == ')' {
				if depth--; depth == 0 {
					end = i
					break
				}
			}
		}
		g := item{}
		for _, a := range splitTop(p[1:end]) {
			g.alts = append(g.alts, parsePattern(a))
		}
		for _, a := range g.alts {
			if len(a) != 1 || a[0].word == "" {
				g.words = nil
				break
			}
			g.words = append(g.words, a[0].word)
		}
		if len(g.alts) > 4 {
			g.byFirst = map[string][]int{}
			for k, a := range g.alts {
				if len(a) > 0 && a[0].word != "" {
					g.byFirst[a[0].word] = append(g.byFirst[a[0].word], k)
				} else {
					g.rest = append(g.rest, k)
				}
			}
		}
		p = p[end+1:]
		if strings.HasPrefix(p, "?") {
			g.optional, p = true, p[1:]
		}
		out = append(out, g)
	}
	return out
}

// firstWords adds to set the words items may start with, and reports
// whether items may match no word at all.
func firstWords(items []item, set map[string]bool) (empty bool) {
	for _, it := range items {
		if it.word != "" {
			set[it.word] = true
			return false
		}
		canSkip := it.optional
		for _, a := range it.alts {
			if firstWords(a, set) {
				canSkip = true
			}
		}
		if !canSkip {
			return false
		}
	}
	return true
}

func vocabulary(items []item) {
	for _, it := range items {
		if it.word != "" {
			phraseVocab[it.word] = true
		}
		for _, a := range it.alts {
			vocabulary(a)
		}
	}
}

// longest returns the end of the longest match of items at word i of w,
// or -1, reading no word at or after end.
func longest(items []item, w []string, i, end int) int {
	if len(items) == 0 {
		return i
	}
	it := &items[0]
	if it.word != "" {
		if i < end && w[i] == it.word {
			return longest(items[1:], w, i+1, end)
		}
		return -1
	}
	best := -1
	if it.words != nil {
		if i < end && it.hasWord(w[i]) {
			best = longest(items[1:], w, i+1, end)
		}
		if it.optional {
			if r := longest(items[1:], w, i, end); r > best {
				best = r
			}
		}
		return best
	}
	try := func(a []item) {
		if e := longest(a, w, i, end); e >= 0 {
			if r := longest(items[1:], w, e, end); r > best {
				best = r
			}
		}
	}
	if it.byFirst != nil {
		if i < end {
			for _, k := range it.byFirst[w[i]] {
				try(it.alts[k])
			}
		}
		for _, k := range it.rest {
			try(it.alts[k])
		}
	} else {
		for _, a := range it.alts {
			try(a)
		}
	}
	if it.optional {
		if r := longest(items[1:], w, i, end); r > best {
			best = r
		}
	}
	return best
}

// hasWord reports whether x is one of the words of a group of words.
func (it *item) hasWord(x string) bool {
	if it.byFirst != nil {
		return len(it.byFirst[x]) > 0
	}
	for _, y := range it.words {
		if x == y {
			return true
		}
	}
	return false
}

// splitTop splits s at the "|" not inside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[last:i])
				last = i + 1
			}
		}
	}
	return append(out, s[last:])
}

// chatSpellings are how customers shorten words in chats.
var chatSpellings = map[string]string{
	"nn": "non", "x": "per", "xche": "perche", "cmq": "comunque", "qlc": "qualche", "pk": "perche", "pe": "per",
	"qnd": "quando", "qndo": "quando", "qdo": "quando",
	// Dialects: the Roman "der" ("dicembre der 2023") is "del", the
	// Venetian "par" ("par casa") "per".
	"der": "del", "par": "per",
}

// ChatSpelled returns w as it is written out when w is a chat spelling
// ("nn": "non", "qnd": "quando"), and w otherwise.
func ChatSpelled(w string) string {
	lexiconOnce.Do(loadLexicon)
	if !chatWords.MayHave(w) {
		return w
	}
	if lx := lexicon[w]; lx != nil && lx.chat != "" {
		return lx.chat
	}
	return w
}

// fixTypos returns the tokens spelled as the phrase lists spell them: a
// chat spelling written out, and a word the respelling's phrase reading
// takes for a word of the lists (phraseFix, respell.go). lex are the
// tokens' lexemes. Each token is fixed by itself (fixTypo),
// and a message's slices take the message's fixes (Text.fixedTypos): a
// rule that looks at the words around a token belongs in a reader, not
// here.
func fixTypos(toks []token, lex []*lexeme) []string {
	phrasesOnce.Do(loadPhrases)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = fixTypo(t, lex[i])
	}
	return out
}

// fixTypo is fixTypos of one token, lx its lexeme: a function of the
// word alone.
func fixTypo(t token, lx *lexeme) string {
	if lx != nil && lx.chat != "" {
		return lx.chat
	}
	if lx != nil && lx.known {
		return t.text // a word of the lists is no typo
	}
	if len(t.text) < 6 || hasDigit(t.text) {
		return t.text
	}
	if fix := phraseFix(t.text); fix != "" {
		return fix
	}
	return t.text
}

// endEditOnly reports whether a and b differ only in their last letter:
// an inflection ("charged", "freezer", "minute"), not a typo.
func endEditOnly(a, b string) bool {
	switch {
	case len(a) == len(b):
		return a[:len(a)-1] == b[:len(b)-1]
	case len(a) == len(b)+1:
		return a[:len(b)] == b
	case len(b) == len(a)+1:
		return b[:len(a)] == a
	}
	return false
}

// notTypos are words one letter away from a word of the phrases or a
// date word, which are words of their own and never respelt: "change" is
// no "charge", "leaving" no "leaking", "di scorta" no "scotta" (a fault)
// nor "scorsa" (a date), "spares" no "sparks", "warning" no "warming".
var notTypos = map[string]bool{
	"esatte": true, "esatta": true, "scorta": true, "scorte": true, "scossa": true, "scosse": true,
	"interno": true, "interna": true, "easier": true, "winner": true, "string": true, "sprint": true,
	"mouths": true, "double": true, "couples": true, "questa": true, "queste": true, "questi": true,
	"domande": true, "giorno": true, "giorni": true,
	"spares": true, "warning": true, "warnings": true, "warned": true,
	"change": true, "changing": true, "cashing": true, "college": true, "continue": true, "denied": true,
	"imagine": true, "leaning": true, "leaving": true, "macchina": true, "macchine": true, "present": true,
	"property": true, "section": true, "spelled": true, "aspire": true, "broker": true, "partito": true,
	"terrible": true, "domestic": true, "metallica": true, "reilly": true, "quante": true, "quanti": true,
	"crashes": true, "blocco": true,
	"flash": true, "stuck": true, "struck": true, "split": true,
}

// phrases reads the phrases of ps on free tokens of one clause, the
// longest at each place; of two as long, the one listed first (damage
// before defects).
func (s *scan) phrases(ps *phraseSet) {
	if s.fixed == nil {
		s.fixed = s.src.fixedTypos(s.toks, s.lex)
		// The lexemes of the words fixed: the Text's, but where a typo was.
		s.fixedLex = s.lex
		copied := false
		for i, f := range s.fixed {
			if f == s.toks[i].text {
				continue
			}
			if !copied {
				s.fixedLex, copied = slices.Clone(s.lex), true
			}
			s.fixedLex[i] = lexemeOf(f)
		}
		// The words of each clause, summed up in 64 bits: the bits of
		// the words the phrases have (a word of no list is in no phrase).
		s.clauseBits = make([]uint64, len(s.toks))
		for lo := 0; lo < len(s.toks); {
			hi := s.clauseEnd(lo)
			var b uint64
			for k := lo; k < hi; k++ {
				if lx := s.fixedLex[k]; lx != nil {
					b |= lx.bit
				}
			}
			for k := lo; k < hi; k++ {
				s.clauseBits[k] = b
			}
			lo = hi
		}
	}
	for i := 0; i < len(s.toks); i++ {
		if s.taken[i] {
			continue
		}
		lx := s.fixedLex[i]
		if lx == nil || len(lx.phrases[ps.id]) == 0 {
			continue
		}
		// A phrase lies on free words of one clause.
		end := i + 1
		for end < len(s.toks) && !s.taken[end] && !s.bounds[end] {
			end++
		}
		var best *phrase
		bestJ := -1
		for _, p := range lx.phrases[ps.id] {
			if p.anchor != 0 && p.anchor&s.clauseBits[i] == 0 {
				continue
			}
			if e := longest(p.items, s.fixed, i, end); e > bestJ {
				best, bestJ = p, e
			}
		}
		if best == nil || bestJ <= i {
			continue
		}
		s.addToks(i, bestJ, Value{Kind: best.kind, Value: best.value, Confidence: best.conf})
		i = bestJ - 1
	}
}

// knownWord reports whether w is a word Scan knows as something else than
// a name: a word of its phrases, a month, a stop word. Scan reads such a
// word as itself, never as a misspelt product or category.
func knownWord(w string) bool {
	phrasesOnce.Do(loadPhrases)
	return knownWords[w]
}

// RealWord reports whether w, lower case, is a word of its own to this
// package's lists (knownWord, commonWords): a word as written, which no
// reader takes for another mistyped ("preso" is no "presto", "black" no
// "back").
func RealWord(w string) bool {
	lx := lexemeOf(w)
	return lx != nil && (lx.known || lx.common)
}

// RealWords calls fn with each word of this package's lists (those
// RealWord reports, the dates', the numbers', the phrases') and each word
// that is never respelt (notTypos), in no order: the words of their own
// a reader of whole messages (flows' respelling) knows.
func RealWords(fn func(w string)) {
	lexiconOnce.Do(loadLexicon)
	for w, lx := range lexicon {
		if lx.chat == "" {
			fn(w)
		}
	}
	for w := range notTypos {
		fn(w)
	}
}

// Inflected reports whether a and b differ only in their last letter
// ("rotto", "rotta"; "charged", "charger"): an inflection, no typo.
func Inflected(a, b string) bool { return endEditOnly(a, b) }

// stopWords are frequent Italian and English words of five letters or
// more, which are neither names nor misspellings of names.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		buongiorno buonasera salve grazie ciao scusate scusi vorrei volevo voglio potete potreste
		posso possibile sapere chiedere domanda informazione informazioni aiuto aiutarmi problema
		problemi garanzia assistenza riparazione riparare sostituzione rimborso reso restituire
		ordine ordinato comprato acquistato acquisto spedizione consegna prezzo quanto quando quale
		quali questo questa quello quella questi quelle perche perchè anche ancora sempre ormai
		adesso allora quindi comunque praticamente purtroppo invece oppure tutto tutti tutte niente
		nulla qualcosa qualche giorni giorno settimana settimane mesi mese anni anno volta volte
		funziona funzionare funzionava lavoro ufficio mattina pomeriggio sera stasera domani ieri
		oggi dopo prima sono siamo stato stata essere avere fatto fare detto dire vostro vostra
		vostri nostro nostra nostri mio mia loro dove come cosa cose molto poco troppo tanto bene
		male nuovo nuova vecchio vecchia altro altra altri stesso stessa scritto scrivo scrivere
		chiamare numero email indirizzo nome cognome cliente negozio sito online modello marca
		hello thanks thank please would could should there their these those which where while
		about after again still since before because really already something anything nothing
		problem problems warranty repair replace replacement refund return returned order ordered
		bought purchased purchase delivery shipping price model brand support service question
		help working works worked months weeks years today yesterday tomorrow morning evening
		number email address phone? store website online customer other another every never
		always sometimes maybe think thought know want wanted need needed using used since
		colore colori bianco bianca grigio grigia rosso rossa verde giallo gialla argento
		azzurro celeste dorato dorata color colour colors colours black white silver green
		yellow purple orange golden
		procedi procedere procediamo procedete magari volentieri certamente sicuramente ovviamente
		esattamente perfetto perfetta benissimo tranquillo tranquilla capito capisco chiaro chiara
		aspetta aspetto aspettare scusami scusatemi gentile gentili cortesia favore totale totali
		spesa spese costo costi pagato pagata pagare pagamento contanti bonifico fattura scontrino
		ricevuta regalo persona qualcuno nessuno ognuno entrambi insieme subito appena mentre
		durante contro senza verso circa almeno davvero proprio basta bastano serve servono
		servirebbe potrebbe potrei possiamo dovrei dobbiamo vorremmo volevamo sappiamo sapete
		pensavo pensate credo sembrano funzionano acceso accesa spento spenta caduto caduta rotta
		rotti rotte nuovi nuove vecchi vecchie grande grandi piccolo piccola piccoli pesante
		leggero leggera rumoroso rumorosa lento lenta veloce carino carina bello bella brutto
		brutta meglio peggio migliore peggiore stanza soggiorno scuola famiglia moglie marito
		figlio figlia madre padre fratello sorella amico amica regalare comprare vendere cambiare
		sostituire restituire rendere mandare spedire ricevere arrivare arrivato arrivata
		consegnato consegnata ritirare ritiro indirizzo chiamata risposta rispondere stamattina
		prossima prossimo scorso scorsa ultimo ultima primo secondo seconda terzo terza
		proceed prefer preferred rather replaced replacing roughly approximately exactly
		basically actually probably definitely certainly honestly really quite around maybe
		perhaps anyway almost usually tonight afternoon weekend arrived delivered received
		returned broken stopped started charging turning showing making getting having doing
		going coming looking trying tried wanted asked called waiting wondering thinking hoping
		happy unhappy disappointed great perfect lovely awesome amazing terrible horrible cheap
		expensive prices total totally cheers brilliant sorted understand understood explain
		something someone somebody anyone nobody everything everyone whether though although
		others either neither
	`) {
		m[strings.TrimSuffix(w, "?")] = true
	}
	return m
}()

// reflexiveFaults reads the Italian "non si <verbo> (più)" that no phrase
// named, whatever the verb: "il cestello non si sgancia più", "lo
// sportello non si chiude", "la ventola non si muove" describe a part
// that no longer does its job. Verbs of people, not of things ("non si
// sa", "non si può", "non si trova") are no fault.
func (s *scan) reflexiveFaults() {
	for i := 0; i+2 < len(s.toks); i++ {
		if s.fixed[i] != "non" || s.fixed[i+1] != "si" || s.taken[i] || s.taken[i+1] || s.taken[i+2] || s.bounds[i+1] || s.bounds[i+2] {
			continue
		}
		v := s.fixed[i+2]
		if len(v) < 4 || notFaults[v] || !strings.HasSuffix(v, "a") && !strings.HasSuffix(v, "e") && !strings.HasSuffix(v, "ano") && !strings.HasSuffix(v, "ono") {
			continue
		}
		j := i + 3
		if j < len(s.toks) && s.fixed[j] == "piu" && !s.taken[j] && !s.bounds[j] {
			j++
		}
		s.addToks(i, j, Value{Kind: KindDefect, Value: "not_working", Confidence: 0.6})
		i = j - 1
	}
}

// stoppedFaults reads "stopped <doing>" and "ha smesso di <fare>" that no
// phrase named, whatever the verb: "the trackpad stopped clicking", "the
// drum stopped turning", "ha smesso di caricare" tell a part that quit
// its job. What the customer stopped doing ("I stopped using it", "ho
// smesso di usarlo") and what a shop stops doing ("you stopped selling
// it") are no fault.
func (s *scan) stoppedFaults() {
	for i := 0; i+1 < len(s.toks); i++ {
		if s.taken[i] || s.taken[i+1] || s.bounds[i+1] {
			continue
		}
		j := i + 1 // the verb
		switch s.fixed[i] {
		case "stopped", "stops":
			if v := s.fixed[j]; len(v) < 6 || !strings.HasSuffix(v, "ing") || notStopFaults[v] {
				continue
			}
		case "smesso", "smette", "smettono":
			if j+1 >= len(s.toks) || s.fixed[j] != "di" || s.taken[j+1] || s.bounds[j+1] {
				continue
			}
			j++
			if v := s.fixed[j]; len(v) < 5 || !strings.HasSuffix(v, "re") || notStopFaults[v] {
				continue
			}
		default:
			continue
		}
		if i > 0 && !s.bounds[i] && isOneOf(s.fixed[i-1], "i", "we", "you", "ve", "ho", "abbiamo", "avete") {
			continue
		}
		s.addToks(i, j+1, Value{Kind: KindDefect, Value: "not_working", Confidence: 0.6})
		i = j
	}
}

// notStopFaults are the verbs after "stopped" or "smesso di" that tell
// what people stopped doing, not a part's fault.
var notStopFaults = map[string]bool{
	"using": true, "selling": true, "shipping": true, "paying": true, "waiting": true, "caring": true,
	"trying": true, "asking": true, "calling": true, "writing": true, "answering": true, "replying": true,
	"sending": true, "looking": true, "thinking": true, "buying": true, "ordering": true, "stocking": true,
	"usare": true, "usarlo": true, "usarla": true, "vendere": true, "venderlo": true, "spedire": true,
	"pagare": true, "aspettare": true, "comprare": true, "ordinare": true, "chiamare": true, "scrivere": true,
	"rispondere": true, "cercare": true,
}

// notFaults are the verbs of "non si ..." that say nothing of a fault.
var notFaults = map[string]bool{
	"puo": true, "possono": true, "capisce": true, "capiscono": true, "trova": true, "trovano": true, "preoccupi": true,
	"preoccupa": true, "deve": true, "devono": true, "tratta": true, "paga": true, "pagano": true, "vende": true,
	"vendono": true, "usa": true, "usano": true, "dice": true, "dicono": true, "chiama": true, "accetta": true,
	"accettano": true, "ripara": true, "riparano": true, "rimborsa": true, "restituisce": true, "offre": true,
	"spedisce": true, "spediscono": true, "consegna": true, "aggiorna": true, "riesce": true, "riescono": true,
	"sbaglia": true, "scusi": true, "arrabbi": true, "disturbi": true, "sente": true, "vede": true, "vedono": true,
	"fida": true, "ricorda": true, "conosce": true, "sanno": true, "fanno": true, "vuole": true, "vogliono": true,
	"scherza": true, "mette": true, "prende": true, "risponde": true, "rende": true, "cambia": true,
}
