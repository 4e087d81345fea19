package flows

import (
	"strings"
	"time"

	"github.com/sportello/sportello/flows/knowledge"
)

// productHowTo returns the pages' answer, as a command, to a message that
// asks how to do something with a product it names and tells the fault
// that made the customer ask ("how do I factory reset my LG tv? it keeps
// freezing"), when the message, or its sentence that asks how, finds a
// page of that product's own: its title names the product or its brand
// (a manual's page, "LG OLED 55" C3: resetting to factory settings"). A
// page of the shop's ("How to ask for a warranty repair"), a message that
// tells a date, an order or an amount (a claim's), finds nothing: nil.
func (u *understanding) productHowTo(ix *knowledge.Index) *Command {
	for _, f := range u.facts {
		switch f.kind {
		case factOrder, factDate, factMoney, factNumber, factEmail, factPhone:
			return nil
		}
	}
	asks := []string{u.text}
	if parts := sentences(u.text); len(parts) > 1 {
		for _, p := range parts {
			if p = strings.TrimSpace(p); asksHowToIn(saying(p)) {
				asks = append(asks, p)
			}
		}
	}
	for _, q := range asks {
		a, ok := u.b.docsAnswer(ix, q, u.in.Lang)
		if !ok || a.Passage == nil {
			continue
		}
		named := map[string]bool{}
		for _, f := range u.b.read(q, u.in.Lang, time.Time{}, "") {
			switch f.kind {
			case factProduct:
				named["p:"+f.value] = true
			case factBrand:
				named["b:"+f.value] = true
			}
		}
		if len(named) > 0 && u.b.titleNames(a.Passage.Doc, named, u.in.Lang) {
			return &Command{Kind: CmdDocuments, Span: q, Confidence: min(a.Score, 1)}
		}
	}
	return nil
}

// titleNames reports whether the title of the page doc names one of the
// products or brands in named (as pageNames).
func (b *Bot) titleNames(doc *knowledge.Document, named map[string]bool, lang string) bool {
	for _, f := range b.read(doc.Title, lang, time.Time{}, "") {
		if f.kind == factProduct && named["p:"+f.value] || f.kind == factBrand && named["b:"+f.value] {
			return true
		}
	}
	return false
}
