package engine

import "testing"

func TestEntryOf(t *testing.T) {
	for _, c := range []struct{ target, path, want string }{
		{"dist", "dist", ""},
		{"dist", "dist/a.csv", "a.csv"},
		{"dist", "dist/data/old/a.csv", "data"},
		{"dist/", "dist/data/a.csv", "data"},
		{"dist", "dist2/a.csv", ""},
		{"dist", "elsewhere/a.csv", ""},
		{"./dist", "./dist/x/y", "x"},
	} {
		if got := entryOf(c.target, c.path); got != c.want {
			t.Errorf("entryOf(%q, %q) = %q, want %q", c.target, c.path, got, c.want)
		}
	}
	for in, want := range map[string]string{"a/b/c": "a", "a": "a", "/a/b": "a", "督促/延滞.csv": "督促", "": ""} {
		if got := topEntry(in); got != want {
			t.Errorf("topEntry(%q) = %q, want %q", in, got, want)
		}
	}
}
