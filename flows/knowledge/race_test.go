//go:build race

package knowledge

// raceEnabled: the race detector makes the development sets ten times slower.
const raceEnabled = true
