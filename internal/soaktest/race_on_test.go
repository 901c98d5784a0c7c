//go:build race

package soaktest

// raceEnabled: the test binary runs with the race detector, so the server
// under test is built with it too and its data races show in its log.
const raceEnabled = true
