package orderfile_test

import (
	"context"
	"testing"

	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/examples"
)

func TestTheDemoFileLoads(t *testing.T) {
	f, err := orderfile.Load(examples.Shop, examples.ShopOrders, orderfile.Options{})
	if err != nil {
		t.Fatalf("the demo's orders do not load:\n%v", err)
	}
	if f.Len() < 12 {
		t.Errorf("%d orders, want a dozen", f.Len())
	}
	o, err := f.Order(context.Background(), "SP-123456")
	if err != nil || o.TrackingURL == "" || o.Shipped.IsZero() {
		t.Fatalf("SP-123456 = %+v, %v: want a shipped order with a tracking link (the README's demo)", o, err)
	}
}
