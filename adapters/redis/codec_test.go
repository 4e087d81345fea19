package redis

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// fill sets every field of v, recursively, to a distinct non-zero value,
// so that a round trip that drops a field shows.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int, reflect.Int64:
		if v.Type() == reflect.TypeOf(time.Duration(0)) {
			v.SetInt(int64(*n) * int64(time.Second))
			return
		}
		v.SetInt(int64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0), n)
		fill(v.Index(1), n)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2025, 3, 15, 10, 0, *n, 123456000, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}

// TestCodecCoversEveryField guards the compact records: a field added to
// the domain types and not to them fails here.
func TestCodecCoversEveryField(t *testing.T) {
	addr := bot.Address{Channel: "telegram", ChatID: "12345"}
	var n int
	var s bot.Session
	fill(reflect.ValueOf(&s).Elem(), &n)
	s.Address = addr // the key holds it
	b, err := encodeSession(&s, s.Version)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeSession(addr, b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &s) {
		t.Errorf("session round trip lost something:\n got  %+v\n want %+v\n stored %s", got, &s, b)
	}

	var odd bot.Event // every field set, nothing like its commit
	fill(reflect.ValueOf(&odd).Elem(), &n)
	usual := odd // the engine's: ID, address, time and message of the commit
	usual.Address, usual.MessageID, usual.ID = addr, "m7", addr.String()+"|m7|3"
	zero := bot.Event{Type: bot.EventBot} // kept zero, not taken for the commit's
	events := []bot.Event{usual, odd, zero}
	b, err = encodeEvents(addr, "m7", events)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeEvents(addr, b)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bot.Event{usual, odd, zero}; !reflect.DeepEqual(back, want) {
		t.Errorf("events round trip lost something:\n got  %+v\n want %+v\n stored %s", back, want, b)
	}
}
