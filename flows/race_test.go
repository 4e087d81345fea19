//go:build race

package flows

// raceEnabled: the race detector makes a byte-by-byte parse of megabytes
// two hundred times slower (TestFlowFileSizeLimits), and the phrase
// index's reference test fifteen times (TestBuiltinPhrasesAsStringsContains).
const raceEnabled = true
