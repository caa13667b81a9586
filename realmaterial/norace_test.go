//go:build !race

package realmaterial

const raceEnabled = false
