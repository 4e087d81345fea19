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
