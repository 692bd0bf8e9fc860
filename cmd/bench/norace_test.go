//go:build !race

package main

// raceEnabled: the tests were built without -race.
const raceEnabled = false
