package patterns

import (
	"fmt"
	"sync"

	"github.com/BurntSushi/toml"
)

// Rule is one contextual rule of rules.toml (or of a policy file's site
// rules): a regexp2 pattern whose named group "v" is the value, run
// where one of its keywords occurs.
type Rule struct {
	ID          string   `toml:"id"`
	Category    string   `toml:"category"`
	Description string   `toml:"description"`
	Keywords    []string `toml:"keywords"`
	Pattern     string   `toml:"pattern"`
	Check       string   `toml:"check"` // a check in code the value must pass too ("address"), or ""
	Confidence  float64  `toml:"confidence"`
	TP          []string `toml:"tp"` // must match; "text => value" names the value expected
	FP          []string `toml:"fp"` // must not match
}

var rulesOnce = sync.OnceValues(func() ([]Rule, error) {
	b, err := files.ReadFile("rules.toml")
	if err != nil {
		return nil, err
	}
	return DecodeRules(b, "rules.toml")
})

// Rules returns the built-in contextual rules.
func Rules() ([]Rule, error) {
	rs, err := rulesOnce()
	return append([]Rule(nil), rs...), err
}

// DecodeRules reads rules in the format of rules.toml ([[rule]] tables)
// from b; name is used in errors.
func DecodeRules(b []byte, name string) ([]Rule, error) {
	var doc struct {
		Rule []Rule `toml:"rule"`
	}
	md, err := toml.Decode(string(b), &doc)
	if err != nil {
		return nil, fmt.Errorf("patterns: %s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("patterns: %s: unknown keys %v", name, und)
	}
	for i, r := range doc.Rule {
		if r.ID == "" || r.Category == "" || r.Pattern == "" || len(r.Keywords) == 0 {
			return nil, fmt.Errorf("patterns: %s: rule %d needs id, category, pattern and keywords", name, i+1)
		}
	}
	return doc.Rule, nil
}
