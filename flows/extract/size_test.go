package extract

import (
	"slices"
	"testing"
)

func TestScreenSizes(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{`Sony Bravia 43" X75`, []int{43}},
		{"cerco un televisore da 65 pollici", []int{65}},
		{"a 50-inch one, not bigger", []int{50}},
		{"two screens of 32 inches", []int{32}},
		{"il 48'' va bene", []int{48}},
		// Near misses: no unit, another unit, a model with digits.
		{"spendo 55 euro", nil},
		{"the A55 has 128 gb", nil},
		{"bought it 3 years ago for 400", nil},
		{"un tv da 55", nil},
		{"lo schermo da 6 pollici", nil}, // a phone's, below any TV's size
	}
	for _, tt := range tests {
		if got := ScreenSizes(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("ScreenSizes(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
