//go:build race

package main

// raceEnabled: the tests were built with -race, and the command they
// build is too, from the same compiled packages (a link, not a rebuild).
const raceEnabled = true
