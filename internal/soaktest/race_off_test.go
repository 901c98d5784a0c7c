//go:build !race

package soaktest

const raceEnabled = false
