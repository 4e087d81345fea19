package flows

import (
	"fmt"

	"github.com/sportello/sportello/flows/nlu"
)

// A Classifier tells which intents a customer's text may express, best
// first, with confidences in [0, 1]. flows/nlu's Model implements it.
type Classifier interface {
	Classify(text string) []nlu.Scored
}

var _ Classifier = (*nlu.Model)(nil)

// train trains the bot's classifier on its intents' examples, the oos
// intent's examples marking what is out of scope. Unless the flow file sets
// nlu.threshold, the threshold is the one the model chose by
// cross-validation on these examples (docs/nlu.md): `sportello nlu eval`
// without --val trains and decides the same way.
func (b *Bot) train() error {
	var examples []nlu.Example
	for _, in := range b.Intents {
		label := in.Name
		if label == "oos" {
			label = nlu.OOS
		}
		for _, e := range in.Examples {
			examples = append(examples, nlu.Example{Text: e.Text, Label: label, Line: e.Pos.Line})
		}
	}
	m, err := nlu.Train(examples, nlu.Options{Threshold: b.Threshold})
	if err != nil {
		return fmt.Errorf("train on %d examples: %w", len(examples), err)
	}
	b.classifier = m
	if b.Threshold == 0 {
		b.Threshold = m.Threshold()
	}
	return nil
}

// SetClassifier replaces the classifier trained at load time, for tests
// and for models trained elsewhere; threshold 0 keeps the current one.
func (b *Bot) SetClassifier(c Classifier, threshold float64) {
	b.classifier = c
	if threshold > 0 {
		b.Threshold = threshold
	}
}

// Classify returns the intents text may express, best first.
func (b *Bot) Classify(text string) []nlu.Scored {
	if b.classifier == nil {
		return nil
	}
	return b.classifier.Classify(text)
}
