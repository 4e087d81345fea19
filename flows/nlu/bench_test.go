package nlu

import (
	"sync"
	"testing"
	"time"
)

var (
	clincOnce  sync.Once
	clincModel *Model
)

// mustCLINC returns a model trained on CLINC150's training set, trained once.
func mustCLINC(tb testing.TB) *Model {
	tb.Helper()
	train := mustDataset(tb, "clinc150_train.tsv")
	clincOnce.Do(func() {
		m, err := Train(train, Options{})
		if err != nil {
			tb.Fatal(err)
		}
		clincModel = m
	})
	if clincModel == nil {
		tb.Fatal("no CLINC model")
	}
	return clincModel
}

// BenchmarkClassify classifies one message of ordinary length with a model
// of CLINC150's 151 classes.
func BenchmarkClassify(b *testing.B) {
	m := mustCLINC(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Classify("how long does it take to get my new credit card in the mail")
	}
}

// BenchmarkTrainCLINC trains on CLINC150's 15,100 training lines.
func BenchmarkTrainCLINC(b *testing.B) {
	train := mustDataset(b, "clinc150_train.tsv")
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		if _, err := Train(train, Options{}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/train")
	}
}

// BenchmarkPredictCLINCTest predicts every line of CLINC150's test set; ns/op
// is per message.
func BenchmarkPredictCLINCTest(b *testing.B) {
	m := mustCLINC(b)
	test := mustDataset(b, "clinc150_test.tsv")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(test[i%len(test)].Text)
		i++
	}
}

// BenchmarkTrainNearOOS trains a small bot as serve does: 20 intents of 20
// examples, cross-validation and the off-topic pool included.
func BenchmarkTrainNearOOS(b *testing.B) {
	train := mustDataset(b, "clinc_near_oos/banking+credit_cards_train.tsv")
	for b.Loop() {
		if _, err := Train(train, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassifyShopLong classifies long messages with the demo shop's
// model: the lines of examples/shop/nlu_test_*.tsv, four to a message (about
// 200 bytes, the p99 of what customers write); ns/op is per message.
func BenchmarkClassifyShopLong(b *testing.B) {
	m := mustTrain(b, mustShopIntents(b), Options{})
	var lines []string
	for _, lang := range []string{"en", "it"} {
		ex, err := ReadTSV("../../examples/shop/nlu_test_" + lang + ".tsv")
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i+4 <= len(ex); i += 4 {
			lines = append(lines, ex[i].Text+" "+ex[i+1].Text+", "+ex[i+2].Text+". "+ex[i+3].Text)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Classify(lines[i%len(lines)])
		i++
	}
}
