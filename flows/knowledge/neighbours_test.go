package knowledge

import (
	"fmt"
	"math"
	"testing"
)

// garden is a help centre in two folders: the garden tools, one page per
// question, and the shop's other pages, one of which says "tagliare" too.
func garden() []Document {
	docs := []Document{
		{ID: "giardino/tosaerba-lame", Title: "Le lame del tosaerba", Lang: "it", Body: "Le lame del tosaerba si affilano ogni primavera: smonta la lama e portala in negozio."},
		{ID: "giardino/tosaerba-altezza", Title: "L'altezza di taglio", Lang: "it", Body: "L'altezza di taglio del tosaerba si regola con la leva sulla ruota posteriore."},
		{ID: "giardino/tosaerba-batteria", Title: "La batteria del tosaerba", Lang: "it", Body: "La batteria del tosaerba si carica in tre ore; d'inverno tienila in casa."},
		{ID: "negozio/orari", Title: "Orari", Lang: "it", Body: "Il negozio è aperto dal lunedì al sabato, dalle 9 alle 19."},
		{ID: "negozio/sartoria", Title: "Sartoria", Lang: "it", Body: "Possiamo tagliare su misura le tende che compri da noi."},
		{ID: "negozio/consegna", Title: "Consegna", Lang: "it", Body: "Consegniamo in tutta Italia in cinque giorni lavorativi."},
	}
	for i := range docs {
		docs[i].Line = 1
	}
	return docs
}

func TestNeighboursAreTheOtherHitsInTheBestOnesFolder(t *testing.T) {
	ix := NewIndex(garden(), Options{})
	rs, _ := ix.ix.search("come si regola l'altezza di taglio del tosaerba?", "it", candidates)
	if len(rs) < 3 || ix.passages[rs[0].p].Doc.ID != "giardino/tosaerba-altezza" {
		t.Fatalf("the search did not find the page on the cutting height first: %v", rs)
	}
	// Every other hit holds "tosaerba" and is in the garden's folder, which
	// holds half of the passages.
	same := 0
	for _, r := range rs[1:] {
		if folderOf(ix.passages[r.p].Doc.ID) == "giardino/" {
			same++
		}
	}
	want := float64(same)/float64(len(rs)-1) - 0.5
	if got := ix.neighbours(rs); math.Abs(got-want) > 1e-9 || got <= 0 {
		t.Errorf("neighbours = %v, want %v (> 0)", got, want)
	}
	// One page in a folder of its own: no neighbour can be there.
	rs, _ = ix.ix.search("tagliate le tende su misura?", "it", candidates)
	if got := ix.neighbours(rs); got > 0 {
		t.Errorf("neighbours of a question one page answers = %v, want <= 0", got)
	}
}

func TestNeighboursAreZeroInOneFolder(t *testing.T) {
	docs := garden()
	for i := range docs {
		docs[i].ID = fmt.Sprintf("pagina-%d", i)
	}
	ix := NewIndex(docs, Options{})
	rs, _ := ix.ix.search("la batteria del tosaerba", "it", candidates)
	if got := ix.neighbours(rs); got != 0 {
		t.Errorf("neighbours in one folder = %v, want 0", got)
	}
}

// A folder per language says nothing of a question: the hits in the
// best one's language are all in its folder.
func TestNeighboursAreZeroInAFolderPerLanguage(t *testing.T) {
	docs := garden()
	for i := range docs {
		docs[i].ID = fmt.Sprintf("it/pagina-%d", i)
	}
	docs = append(docs,
		Document{ID: "en/mower-battery", Title: "The mower's battery", Lang: "en", Line: 1, Body: "The mower's battery charges in three hours."},
		Document{ID: "en/opening-hours", Title: "Opening hours", Lang: "en", Line: 1, Body: "The shop opens Monday to Saturday, 9 to 19."})
	ix := NewIndex(docs, Options{})
	for _, q := range []string{"la batteria del tosaerba", "tagliate le tende su misura?", "mower battery"} {
		rs, _ := ix.ix.search(q, "", candidates)
		if got := ix.neighbours(rs); got != 0 {
			t.Errorf("neighbours of %q with a folder per language = %v, want 0", q, got)
		}
	}
}

// The smallness is 1 for a help centre of tinyPages pages or fewer: there
// the share of the question the best passage holds must reach smallFloor.
func TestTheSmallFloorCountsOnASmallHelpCentre(t *testing.T) {
	if s := NewIndex(garden(), Options{}).smallness(); s != 1 {
		t.Errorf("smallness of 6 pages = %v, want 1", s)
	}
}
