package extract

import "testing"

// A typo one edit from two of the shop's brands is read as the same
// brand in every process: the one first in alphabetical order (the
// built-in brands come before the shop's).
func TestABrandTypoNearTwoBrandsIsReadTheSameEveryTime(t *testing.T) {
	for _, tc := range []struct {
		name   string
		brands map[string]string
		typo   string
		want   string
	}{
		{"two shop brands", map[string]string{"berutti": "berutti", "berotti": "berotti"}, "beratti", "berotti"},
		{"three shop brands", map[string]string{"kandora": "kandora", "kendora": "kendora", "kindora": "kindora"}, "kondora", "kandora"},
		{"a built-in brand first", map[string]string{"samsong": "samsong"}, "samsang", "samsung"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Map order changes from one range to the next: many indexes,
			// one answer.
			for range 50 {
				e, fuzzy, _, ok := builtinBrands.with(tc.brands).at([]string{tc.typo}, 0)
				if !ok || !fuzzy || e.brand != tc.want {
					t.Fatalf("%q read as %q (fuzzy %v, found %v), want %q", tc.typo, e.brand, fuzzy, ok, tc.want)
				}
			}
		})
	}
}
