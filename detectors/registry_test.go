package detectors

import (
	"fmt"
	"testing"

	"github.com/rouei/rouei/patterns"
)

func TestAllIDsAndCategories(t *testing.T) {
	want := [][2]string{
		{"jp-phone", "phone"},
		{"email", "email"},
		{"jp-postal", "postal_code"},
		{"jp-mynumber", "my_number"},
		{"jp-birthdate", "birth_date"},
		{"jp-age", "age"},
		{"jp-name", "name"},
	}
	all := All()
	want = append(want, [2]string{"rules", ""}) // patterns/rules.toml, one RuleSet
	rs, ok := all[len(all)-1].(*RuleSet)
	if !ok {
		t.Fatalf("the last detector is %T, want the RuleSet of patterns/rules.toml", all[len(all)-1])
	}
	defs, err := patterns.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Rules()) != len(defs) {
		t.Errorf("the RuleSet has %d rules, rules.toml %d", len(rs.Rules()), len(defs))
	}
	if len(all) != len(want) {
		t.Fatalf("All() has %d detectors, want %d", len(all), len(want))
	}
	seen := map[string]bool{}
	for i, d := range all {
		if d.ID() != want[i][0] || d.Category() != want[i][1] {
			t.Errorf("detector %d is %s/%s, want %s/%s", i, d.ID(), d.Category(), want[i][0], want[i][1])
		}
		if seen[d.ID()] {
			t.Errorf("duplicate ID %s", d.ID())
		}
		seen[d.ID()] = true
		// Find must append, keeping what dst held.
		dst := d.Find([]Match{{Detector: "x"}}, []byte("なにもない text 123"))
		if len(dst) != 1 || dst[0].Detector != "x" {
			t.Errorf("%s: Find did not append to dst", d.ID())
		}
	}
}

// TestConcurrentFind runs every detector from several goroutines at once
// (run with -race): Find must be safe for concurrent use.
func TestConcurrentFind(t *testing.T) {
	text := mixedText(1 << 16)
	all := All()
	want := make([]int, len(all))
	for i, d := range all {
		want[i] = len(d.Find(nil, text))
	}
	done := make(chan error, 4)
	for range 4 {
		go func() {
			for i, d := range all {
				if n := len(d.Find(nil, text)); n != want[i] {
					done <- fmt.Errorf("%s: %d matches, want %d", d.ID(), n, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
