package extract

import "testing"

// TestFallDeniedAndFaultNamed: a fall told only to deny it ("it did not
// fall") is denied damage, and "a fault" names a defect, not a fault the
// customer owns up to ("my own fault"). The near misses keep their
// reading: a fall admitted, the customer's own fault.
func TestFallDeniedAndFaultNamed(t *testing.T) {
	for _, tc := range []struct {
		text           string
		damage, defect bool
	}{
		{"no wait, it did not fall, it just stopped working", false, true},
		{"it didn't drop, the battery simply died", false, true},
		{"the laptop has a fault, the fan never stops", false, true},
		{"I need help with a fault on my tv", false, true},
		// Near misses: an accident admitted.
		{"it fell off the table last night", true, false},
		{"it's my own fault, I left it in the rain", true, false},
		{"it was my fault, I sat on it", true, false},
	} {
		var damage, defect bool
		for _, v := range Scan(tc.text, Options{Now: now, Shop: demoShop}) {
			switch {
			case v.Kind == KindDamage && !v.Negated:
				damage = true
			case v.Kind == KindDefect:
				defect = true
			}
		}
		if damage != tc.damage || tc.defect && !defect {
			t.Errorf("%q: damage %v, defect %v, want damage %v, defect %v", tc.text, damage, defect, tc.damage, tc.defect)
		}
	}
}
