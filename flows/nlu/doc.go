// Package nlu is Sportello's embedded natural-language understanding: an
// intent classifier trained in-process from labelled examples, and a language
// detector for Italian and English.
//
// Nothing is downloaded and nothing runs over the network: the classifier is
// a linear (softmax) model over hashed word, stem and character n-gram
// features, trained in Go at start-up from a flow file's examples (or from a
// TSV file for measurement). Given the same examples, training is
// deterministic and so are the predictions.
//
// The classifier knows when it does not know: Predict returns the label "oos"
// (out of scope) when the best intent's calibrated confidence is below the
// threshold. The threshold comes from the training examples alone, by
// leave-intents-out cross-validation, and a built-in pool of off-topic
// messages stands in for the "oos" examples a shop did not write. See
// docs/nlu.md for the design and the measured numbers.
package nlu
