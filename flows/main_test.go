package flows

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows/nlu"
)

// The tests load the mini shop, and files of a few lines, hundreds of
// times: training is most of a load (ten times slower under -race), and
// nlu.Train gives the same model for the same examples and options, so
// the tests train each set once. A model is not changed once trained.
func init() {
	var mu sync.Mutex
	models := map[string]*nlu.Model{}
	trainModel = func(examples []nlu.Example, opts nlu.Options) (*nlu.Model, error) {
		key := fmt.Sprintf("%#v %#v", opts, examples)
		mu.Lock()
		m, ok := models[key]
		mu.Unlock()
		if ok {
			return m, nil
		}
		m, err := nlu.Train(examples, opts)
		if err == nil {
			mu.Lock()
			models[key] = m
			mu.Unlock()
		}
		return m, err
	}
}

// TestMain runs the tests, then checks that the demo shop they share
// (mustShop) is still the one a fresh Load gives: a test that changed it
// would change what the tests after it see.
func TestMain(m *testing.M) {
	code := m.Run()
	if shopShared.Load() {
		if at := shopChanged(); at != "" {
			fmt.Fprintf(os.Stderr, "a test changed the demo shop that the tests share, at %s: it should load its own (freshShop)\n", at)
			code = 1
		}
	}
	os.Exit(code)
}

// shopShared says that mustShop loaded the shared shop; sharedParts are
// its unexported parts (the classifier, the documents' index, the
// catalogue as the readers see it) as they were loaded.
var (
	shopShared  atomic.Bool
	sharedParts map[string]uintptr
)

// parts returns the pointers of b's unexported fields, by name: the
// classifier, the index of the documents, the readers' catalogues.
func parts(b *Bot) map[string]uintptr {
	out := map[string]uintptr{}
	v := reflect.ValueOf(b).Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		if v.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
			out[name] = f.Pointer()
		case reflect.Interface:
			out[name] = f.InterfaceData()[1]
		case reflect.Struct: // an atomic.Pointer: the pointer it holds
			if p := f.FieldByName("v"); p.IsValid() && p.Kind() == reflect.UnsafePointer {
				out[name] = p.Pointer()
			}
		}
	}
	return out
}

// shopChanged returns where the shared shop differs from the one Load
// gives, or "" when it does not: its model (flows, texts, catalogue,
// teams...) is compared value by value with a fresh Load's, and its
// unexported parts by identity with what it held when loaded (built from
// maps, their order is not the same from one Load to the next).
func shopChanged() string {
	shared, err := sharedShop()
	if err != nil {
		return ""
	}
	fresh, err := Load(examples.Shop, "shop")
	if err != nil {
		return "a fresh Load: " + err.Error()
	}
	if at := differs(reflect.ValueOf(shared), reflect.ValueOf(fresh), "Bot", map[[2]uintptr]bool{}); at != "" {
		return at
	}
	for name, p := range parts(shared) {
		if sharedParts[name] != p {
			return "Bot." + name + " (replaced)"
		}
	}
	return ""
}

// differs returns the path of the first value where a and b, of one type,
// differ, or "" when they are alike. Structs are compared by their
// exported fields; functions and channels by being nil or not. seen
// holds the pairs of pointers being compared, for cycles.
func differs(a, b reflect.Value, path string, seen map[[2]uintptr]bool) string {
	if a.IsValid() != b.IsValid() {
		return path
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return path + " (" + a.Type().String() + ", " + b.Type().String() + ")"
	}
	switch a.Kind() {
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return path
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return path
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			return path
		}
	case reflect.Float32, reflect.Float64:
		if x, y := a.Float(), b.Float(); x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return path
		}
	case reflect.Complex64, reflect.Complex128:
		if a.Complex() != b.Complex() {
			return path
		}
	case reflect.String:
		if a.String() != b.String() {
			return path
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		if a.IsNil() != b.IsNil() {
			return path
		}
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path
			}
			return ""
		}
		if a.Kind() == reflect.Pointer {
			pair := [2]uintptr{a.Pointer(), b.Pointer()}
			if seen[pair] {
				return ""
			}
			seen[pair] = true
		}
		return differs(a.Elem(), b.Elem(), path, seen)
	case reflect.Array, reflect.Slice:
		if a.Kind() == reflect.Slice && (a.IsNil() != b.IsNil() || a.Len() != b.Len()) {
			return path
		}
		for i := range a.Len() {
			if at := differs(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), seen); at != "" {
				return at
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return path
		}
		it := a.MapRange()
		for it.Next() {
			at := fmt.Sprintf("%s[%v]", path, it.Key())
			w := b.MapIndex(it.Key())
			if !w.IsValid() {
				return at
			}
			if at := differs(it.Value(), w, at, seen); at != "" {
				return at
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if f := a.Type().Field(i); f.IsExported() {
				if at := differs(a.Field(i), b.Field(i), path+"."+f.Name, seen); at != "" {
					return at
				}
			}
		}
	}
	return ""
}
