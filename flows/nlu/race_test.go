//go:build race

package nlu

// raceEnabled: the race detector makes CLINC150 training ten times slower.
const raceEnabled = true
