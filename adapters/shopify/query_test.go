package shopify

import (
	"reflect"
	"regexp"
	"slices"
	"testing"
)

// TestTheQueryAsksForEveryFieldTheDecoderReads fails the day a field is
// added to the decoder and not to the query (it would always be empty),
// or asked for and never read.
func TestTheQueryAsksForEveryFieldTheDecoderReads(t *testing.T) {
	for _, tc := range []struct {
		query  string
		answer reflect.Type
	}{
		{ordersQuery, reflect.TypeFor[ordersAnswer]()},
		{orderQuery, reflect.TypeFor[orderAnswer]()},
		{namesQuery, reflect.TypeFor[namesAnswer]()},
	} {
		asksForWhatItReads(t, tc.query, tc.answer)
	}
}

func asksForWhatItReads(t *testing.T, query string, answer reflect.Type) {
	t.Helper()
	asked := regexp.MustCompile(`[A-Za-z_]+`).FindAllString(query, -1)
	var read []string
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == reflect.TypeFor[dateTime]() {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			if name := f.Tag.Get("json"); name != "" {
				read = append(read, name)
				if !slices.Contains(asked, name) {
					t.Errorf("the decoder reads %s.%s, which the query does not ask for", typ.Name(), name)
				}
			}
			walk(f.Type)
		}
	}
	walk(answer)
	keywords := []string{"query", "OrderByName", "OrderByID", "OrderNames", "String", "ID", "first", "after"}
	for _, w := range asked {
		if !slices.Contains(read, w) && !slices.Contains(keywords, w) {
			t.Errorf("the query asks for %s, which the decoder never reads", w)
		}
	}
}
