package extract

import "testing"

// TestDamageBySomeoneElse: accidental damage is the customer's whoever
// did it: a husband who sat on the phone, a daughter who let it fall, a
// son who threw it on the floor. The near misses keep their reading: a
// fault with no accident, a product brought to the shop, a partner who
// only uses it, a denied fall.
func TestDamageBySomeoneElse(t *testing.T) {
	for _, tc := range []struct {
		text   string
		damage bool
	}{
		{"my husband sat on my pixel and the screen is black", true},
		{"the laptop doesn't start since my daughter let it fall", true},
		{"it was dropped by my little boy yesterday", true},
		{"my wife knocked it off the table", true},
		{"my flatmate stepped on the charger cable and the phone", true},
		{"mio figlio l'ha lasciato cadere dal divano", true},
		{"mia moglie si è seduta sopra il telefono", true},
		{"il bambino l'ha buttato per terra", true},
		{"mio marito l'ha calpestato per sbaglio", true},
		// Near misses: no accident told.
		{"my husband uses it every day and now it won't charge", false},
		{"my daughter can drop it off at the shop tomorrow", false},
		{"mia moglie lo usa solo per le foto e non si accende più", false},
		{"non l'ho mai lasciato cadere, si è spento da solo", false},
		{"my son says it never fell, it just died", false},
	} {
		var got, denied bool
		for _, v := range Scan(tc.text, Options{Now: now, Shop: demoShop}) {
			if v.Kind == KindDamage {
				if v.Negated {
					denied = true
				} else {
					got = true
				}
			}
		}
		if got != tc.damage {
			t.Errorf("%q: damage %v (denied %v), want %v", tc.text, got, denied, tc.damage)
		}
	}
}
