package flows

import (
	"strings"
	"testing"
)

// TestNotSoldCameras: cameras are a kind the shop does not sell, in both
// languages and in the plural; the camera of a product the shop sells is
// a part of it, and the Italian "camera" is a room.
func TestNotSoldCameras(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		notSold    bool
	}{
		{"en", "do u sell cameras", true},
		{"en", "hi, have you got any digital cameras?", true},
		{"it", "avete fotocamere?", true},
		{"it", "vendete macchine fotografiche", true},
		{"en", "do you sell webcams", true},
		{"it", "vendete forni?", true},
		// Unchanged: other kinds not sold.
		{"it", "avete droni?", true},
		{"en", "have you got smartwatches", true},
		// Near misses: a part of a sold product, a room.
		{"en", "the camera of my pixel doesnt work", false},
		{"en", "my iphone camera is blurry", false},
		{"it", "la fotocamera del mio telefono non funziona", false},
		{"it", "la fotocamera del pixel non mette a fuoco", false},
		{"en", "the webcam of my macbook stopped working", false},
		{"it", "vorrei una tv per la camera", false},
		{"it", "cerco un televisore per la camera dei bambini", false},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		if got := hasKind(cmds, CmdNotSold); got != tc.notSold {
			t.Errorf("%q: not sold %v, want %v: %s", tc.text, got, tc.notSold, commandsText(cmds))
		}
	}
}

// TestNotSoldCameraPartInClaim: in a claim that holds a product, the
// camera told of is its part; a drone is still bought elsewhere.
func TestNotSoldCameraPartInClaim(t *testing.T) {
	for _, tc := range []struct {
		first, then string
		notSold     bool
	}{
		{"my pixel 8 has a problem", "the camera stopped working", false},
		{"my pixel 8 has a problem", "camera doesnt work anymore", false},
		{"il mio pixel 8 ha un problema", "la fotocamera fa foto sfocate", false},
		{"my pixel 8 has a problem", "my drone stopped working", true},
	} {
		d := newDriver(t, mustShop(t), june3)
		d.say(tc.first)
		got := d.say(tc.then)
		if has := strings.Contains(got, "not among") || strings.Contains(got, "non è tra"); has != tc.notSold {
			t.Errorf("%q then %q: %q", tc.first, tc.then, got)
		}
	}
}

// TestNotSoldBicycles: a bicycle with no motor is a kind the shop does
// not sell, as the e-bike is: a purchase of one gets the news, not the
// sale's "what kind of product?". A bike that says nothing of what is
// wanted keeps its old reading.
func TestNotSoldBicycles(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		notSold    bool
	}{
		{"en", "i'd like to buy a bike for my daughter", true},
		{"en", "do you have mountain bikes?", true},
		{"it", "vorrei comprare una bicicletta", true},
		{"it", "vendete bici da corsa?", true},
		{"it", "vorrei comprare una bici elettrica", true}, // the e-bike, as before
		// Near misses: the bike is no question about goods.
		{"en", "i came by bike, are you open on saturday?", false},
		{"it", "sono venuto in bici, siete aperti sabato?", false},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		if got := hasKind(cmds, CmdNotSold); got != tc.notSold {
			t.Errorf("%q: not sold %v, want %v: %s", tc.text, got, tc.notSold, commandsText(cmds))
		}
	}
}
