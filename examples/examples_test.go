package examples_test

import (
	"testing"

	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

func TestShopLoads(t *testing.T) {
	b, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		t.Fatalf("the demo shop does not load:\n%v", err)
	}
	if len(b.Products) < 12 || len(b.Languages) != 2 {
		t.Errorf("got %d products and languages %v", len(b.Products), b.Languages)
	}
}
