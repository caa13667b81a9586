package patterns

import (
	"slices"
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	names := Names()
	for _, want := range []string{"dummy.txt", "prefectures.txt"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() lacks %s", want)
		}
	}
}

func TestLinesSkipsCommentsAndBlanks(t *testing.T) {
	for _, name := range Names() {
		for i, l := range Lines(name) {
			if l == "" || strings.HasPrefix(l, "#") || l != strings.TrimSpace(l) {
				t.Errorf("%s entry %d not cleaned", name, i)
			}
		}
	}
	if Lines("no-such-file.txt") != nil {
		t.Error("missing file should give nil")
	}
}

func TestEveryFileDocumented(t *testing.T) {
	for _, name := range Names() {
		b, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "# ") {
			t.Errorf("%s does not start with a # comment describing it", name)
		}
	}
}

func TestPrefectures(t *testing.T) {
	p := Prefectures()
	if len(p) != 47 {
		t.Fatalf("%d prefectures, want 47", len(p))
	}
	if p[0] != "北海道" || p[12] != "東京都" || p[22] != "愛知県" || p[46] != "沖縄県" {
		t.Error("prefectures out of JIS order")
	}
	seen := map[string]bool{}
	for _, s := range p {
		if seen[s] {
			t.Errorf("duplicate prefecture")
		}
		seen[s] = true
		if !strings.HasSuffix(s, "都") && !strings.HasSuffix(s, "道") && !strings.HasSuffix(s, "府") && !strings.HasSuffix(s, "県") {
			t.Errorf("prefecture without suffix")
		}
	}
	p[0] = "changed"
	if Prefectures()[0] != "北海道" {
		t.Error("Prefectures must return a copy")
	}
}

func TestDummy(t *testing.T) {
	d := Dummy()
	for _, k := range []string{"phone", "email_domain", "email_local", "postal_code", "my_number", "birth_date"} {
		if len(d[k]) == 0 {
			t.Errorf("no dummy values for %s", k)
		}
	}
	if !slices.Contains(d["phone"], "090-0000-0000") || !slices.Contains(d["my_number"], "123456789018") {
		t.Error("well-known dummies missing")
	}
	d["phone"][0] = "changed"
	if Dummy()["phone"][0] == "changed" {
		t.Error("Dummy must return a copy")
	}
}

func TestFieldsValueWithSpaces(t *testing.T) {
	// Fields keeps everything after the first separator as the value.
	for k, vs := range Fields("dummy.txt") {
		if strings.ContainsAny(k, " \t") {
			t.Errorf("key %q holds white space", k)
		}
		for _, v := range vs {
			if v == "" {
				t.Errorf("empty value under %s", k)
			}
		}
	}
}
