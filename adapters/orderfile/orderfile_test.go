package orderfile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/bot"
)

const good = `{
  "today": "2025-06-03",
  "orders": [
    {
      "number": "SP-123456",
      "status": "shipped",
      "placed": "2025-05-30",
      "shipped": "2025-06-02",
      "expected": "2025-06-05",
      "carrier": "BRT",
      "tracking_url": "https://tracking.example.com/SP-123456",
      "total": "379.00 EUR",
      "customer": {"name": "Giulia Bianchi", "email": "giulia.bianchi@example.it", "postcode": "20121"},
      "items": [{"name": "Samsung Galaxy A55", "sku": "SM-A556B", "quantity": 2, "product": "galaxy-a55"}]
    }
  ],
  "faults": {"SP-999999": "unavailable", "SP-999998": "timeout", "SP-999997": "error"}
}
`

func mustParse(t *testing.T, src string, opts orderfile.Options) *orderfile.File {
	t.Helper()
	f, err := orderfile.Parse("orders.json", []byte(src), opts)
	if err != nil {
		t.Fatalf("parse:\n%v", err)
	}
	return f
}

func TestOrderIsFoundInLooseForms(t *testing.T) {
	f := mustParse(t, good, orderfile.Options{})
	for _, n := range []string{"SP-123456", "sp-123456", "SP123456", " sp 123456 ", "#SP-123456"} {
		t.Run(n, func(t *testing.T) {
			o, err := f.Order(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			want := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
			if o.Number != "SP-123456" || o.Status != bot.OrderShipped || !o.Shipped.Equal(want) || o.Carrier != "BRT" ||
				len(o.Items) != 1 || o.Items[0].Quantity != 2 || o.Items[0].Product != "galaxy-a55" || o.Customer.Postcode != "20121" {
				t.Errorf("order = %+v", o)
			}
		})
	}
}

func TestUnknownNumberIsNotFound(t *testing.T) {
	f := mustParse(t, good, orderfile.Options{})
	for _, n := range []string{"SP-654321", "", "SP-12345"} {
		if _, err := f.Order(context.Background(), n); !errors.Is(err, bot.ErrOrderNotFound) {
			t.Errorf("Order(%q) = %v, want ErrOrderNotFound", n, err)
		}
	}
}

func TestAnOrderReturnedIsACopy(t *testing.T) {
	f := mustParse(t, good, orderfile.Options{})
	o, _ := f.Order(context.Background(), "SP-123456")
	o.Items[0].Name, o.Customer.Email = "changed", "evil@example.com"
	again, _ := f.Order(context.Background(), "SP-123456")
	if again.Items[0].Name != "Samsung Galaxy A55" || again.Customer.Email != "giulia.bianchi@example.it" {
		t.Errorf("a caller changed the file's order: %+v", again)
	}
}

func TestDatesMoveWithTheClockWhenTheFileNamesItsToday(t *testing.T) {
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC) // 221 days after 2025-06-03
	f := mustParse(t, good, orderfile.Options{Now: func() time.Time { return now }})
	o, _ := f.Order(context.Background(), "SP-123456")
	if got := o.Shipped.Format("2006-01-02"); got != "2026-01-09" {
		t.Errorf("shipped %s, want the day before now (2026-01-09), as the file wrote it the day before its today", got)
	}
	if got := o.Expected.Format("2006-01-02"); got != "2026-01-12" {
		t.Errorf("expected %s, want 2026-01-12", got)
	}
	if !o.Delivered.IsZero() {
		t.Errorf("an unknown date moved: %v", o.Delivered)
	}
	still := mustParse(t, good, orderfile.Options{})
	if o, _ := still.Order(context.Background(), "SP-123456"); o.Shipped.Format("2006-01-02") != "2025-06-02" {
		t.Errorf("without a clock the dates moved: %v", o.Shipped)
	}
}

func TestFaultsArePlayed(t *testing.T) {
	f := mustParse(t, good, orderfile.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.Order(ctx, "SP-999999"); !errors.Is(err, bot.ErrShopUnavailable) {
		t.Errorf("unavailable: %v", err)
	}
	start := time.Now()
	if _, err := f.Order(ctx, "SP-999998"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the timeout fault outlived its deadline by %v", d)
	}
	_, err := f.Order(context.Background(), "SP-999997")
	if err == nil || errors.Is(err, bot.ErrShopUnavailable) || errors.Is(err, bot.ErrOrderNotFound) {
		t.Errorf("error: %v, want an error that is neither unavailable nor not found", err)
	}
}

func TestMalformedFilesAreRefusedWithTheirLine(t *testing.T) {
	order := func(fields string) string {
		return `{"orders": [
  {"number": "SP-1", "status": "shipped", "placed": "2025-05-30",
   "customer": {"email": "a@example.it"},
   "items": [{"name": "A55"}],
   ` + fields + `}
]}`
	}
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{"orders.json:1:1: the file is empty"}},
		{"HTML instead of JSON", "<html>\n<body>Service Unavailable</body></html>", []string{"orders.json:1:1: the file: want an object, not"}},
		{"broken JSON", "{\"orders\": [\n  {\"number\": \"SP-1\",,}\n]}", []string{"orders.json:2:21: not JSON: invalid character ','"}},
		{"a list at the top", `[1, 2]`, []string{"orders.json:1:1: the file: want an object, not a list"}},
		{"no orders", `{"today": "2025-06-03"}`, []string{`orders.json:1:1: the file has no "orders"`}},
		{"orders not a list", `{"orders": {}}`, []string{"orders.json:1:12: orders: want a list, not an object"}},
		{"unknown top field", `{"orders": [], "order": []}`, []string{`orders.json:1:16: the file: unknown field "order"`}},
		{"unknown field", order(`"statu": "shipped"`), []string{`orders.json:5:4: order SP-1: unknown field "statu"`}},
		{"a field twice", order(`"status": "delivered"`), []string{`orders.json:5:4: order SP-1: "status" given twice`}},
		{"unknown status", strings.Replace(order(`"total": "1 EUR"`), `"shipped"`, `"shiped"`, 1), []string{`orders.json:2:32: order SP-1: status "shiped": want one of pending, processing, shipped`}},
		{"no number", strings.Replace(order(`"total": "1 EUR"`), `"number": "SP-1", `, ``, 1), []string{"orders.json:2:3: order 1 has no number"}},
		{"two orders with one number", `{"orders": [
  {"number": "SP-1", "status": "cancelled", "placed": "2025-05-01", "customer": {"postcode": "20121"}, "items": [{"name": "A"}]},
  {"number": "sp 1", "status": "cancelled", "placed": "2025-05-01", "customer": {"postcode": "20121"}, "items": [{"name": "A"}]}
]}`, []string{"orders.json:3:14: order 2: number sp 1 is also the number of the order at line 2"}},
		{"no date", order(`"shipped": "yesterday"`), []string{`orders.json:5:15: order SP-1: shipped: "yesterday" is no date`}},
		{"year zero", order(`"shipped": "0000-01-01"`), []string{"orders.json:5:15: order SP-1: shipped: \"0000-01-01\": the year is outside 1900-2100"}},
		{"shipped before placed", order(`"shipped": "2025-05-01"`), []string{"orders.json:5:15: order SP-1: shipped comes before placed"}},
		{"delivered without a date", strings.Replace(order(`"total": "1 EUR"`), `"shipped"`, `"delivered"`, 1), []string{"orders.json:2:32: order SP-1: delivered, but no delivered date"}},
		{"no placed date", strings.Replace(order(`"total": "1 EUR"`), `"placed": "2025-05-30",`, ``, 1), []string{"orders.json:2:32: order SP-1 has no placed date"}},
		{"a javascript link", order(`"tracking_url": "javascript:alert(1)"`), []string{`orders.json:5:20: order SP-1: tracking_url "javascript:alert(1)": want an http or https link`}},
		{"a link without a host", order(`"tracking_url": "https:///x"`), []string{"orders.json:5:20: order SP-1: tracking_url"}},
		{"a link with credentials", order(`"tracking_url": "https://user:pw@example.com/x"`), []string{"orders.json:5:20: order SP-1: tracking_url"}},
		{"no way to prove it", strings.Replace(order(`"total": "1 EUR"`), `{"email": "a@example.it"}`, `{"name": "Anna"}`, 1), []string{"orders.json:3:16: order SP-1: the customer has neither email nor postcode"}},
		{"a bad e-mail", strings.Replace(order(`"total": "1 EUR"`), `a@example.it`, `anna`, 1), []string{`orders.json:3:26: order SP-1: "anna" is no e-mail address`}},
		{"no items", strings.Replace(order(`"total": "1 EUR"`), `[{"name": "A55"}]`, `[]`, 1), []string{"orders.json:4:13: order SP-1 has no items"}},
		{"an item without a name", strings.Replace(order(`"total": "1 EUR"`), `{"name": "A55"}`, `{"sku": "X"}`, 1), []string{"orders.json:4:14: order SP-1: item 1 has no name"}},
		{"a quantity of zero", strings.Replace(order(`"total": "1 EUR"`), `{"name": "A55"}`, `{"name": "A55", "quantity": 0}`, 1), []string{`orders.json:4:42: order SP-1: item 1: quantity "0": want a whole number from 1`}},
		{"a name too long", strings.Replace(order(`"total": "1 EUR"`), `"A55"`, `"`+strings.Repeat("x", 201)+`"`, 1), []string{"orders.json:4:23: order SP-1: item 1: name: 201 characters; at most 200"}},
		{"a string where an object goes", strings.Replace(order(`"total": "1 EUR"`), `{"email": "a@example.it"}`, `"anna"`, 1), []string{`orders.json:3:16: order SP-1: customer: want an object, not "anna"`}},
		{"an unknown fault", `{"orders": [], "faults": {"SP-9": "down"}}`, []string{`orders.json:1:35: the fault of SP-9: "down": want one of unavailable, timeout, error`}},
		{"a fault on a real order", strings.Replace(order(`"total": "1 EUR"`), "\n]}", "\n], \"faults\": {\"SP-1\": \"timeout\"}}", 1), []string{"orders.json:6:15: faults: SP-1 is an order of the file"}},
		{"every mistake at once", order(`"statu": "x", "shipped": "x"`), []string{`unknown field "statu"`, `shipped: "x" is no date`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := orderfile.Parse("orders.json", []byte(tt.src), orderfile.Options{})
			if err == nil {
				t.Fatalf("accepted, with %d orders", f.Len())
			}
			var list orderfile.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T %v, want an ErrorList", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("errors:\n%v\nwant one with %q", err, w)
				}
			}
		})
	}
}

func TestAFileTooBigIsRefusedBeforeItIsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.json")
	if err := os.WriteFile(path, make([]byte, orderfile.MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := orderfile.Open(path, orderfile.Options{})
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("Open = %v, want the size limit", err)
	}
	if _, err := orderfile.Open(filepath.Join(t.TempDir(), "none.json"), orderfile.Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

func TestControlCharactersAreCleaned(t *testing.T) {
	src := strings.Replace(good, `"BRT"`, `"BRT\u0000\u202e"`, 1)
	f := mustParse(t, src, orderfile.Options{})
	o, _ := f.Order(context.Background(), "SP-123456")
	if o.Carrier != "BRT" {
		t.Errorf("carrier %q, want BRT", o.Carrier)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(`{"orders": [{"number": "x"}]}`))
	f.Add([]byte("orders:\n  - number: SP-1\n    items: [{name: a}]\n"))
	f.Add([]byte(`{"orders": [], "faults": {"": "timeout"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := orderfile.Parse("f.json", data, orderfile.Options{})
		if err != nil {
			var list orderfile.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %v is no ErrorList", err)
			}
			return
		}
		// What a file serves is clean and bounded.
		for _, n := range []string{"SP-123456", "x"} {
			o, err := file.Order(context.Background(), n)
			if err != nil {
				continue
			}
			if o.TrackingURL != "" && !bot.IsTrackingURL(o.TrackingURL) {
				t.Fatalf("served a tracking link %q", o.TrackingURL)
			}
			if len(o.Items) == 0 || len(o.Items) > 100 {
				t.Fatalf("served %d items", len(o.Items))
			}
		}
	})
}

// TestDatesMoveByTheShopsDays: the file's days move by the days between
// its today and the shop's today. At 01:00 of 10 January in Auckland
// (12:00 UTC of the 9th) the parcel written the day before today left on
// 9 January there, yesterday, whatever the day is in UTC.
func TestDatesMoveByTheShopsDays(t *testing.T) {
	nz, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2026, 1, 9, 12, 0, 0, 0, time.UTC) // 10 January, 01:00 in Auckland
	f := mustParse(t, good, orderfile.Options{Now: func() time.Time { return now }, Zone: nz})
	o, _ := f.Order(context.Background(), "SP-123456")
	if got := o.Shipped.In(nz).Format("2006-01-02"); got != "2026-01-09" {
		t.Errorf("shipped %s in Auckland, want 2026-01-09, the day before the shop's today", got)
	}
}
