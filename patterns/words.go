package patterns

import (
	"fmt"
	"sort"
	"sync"

	"github.com/BurntSushi/toml"
)

// WordClass is one table of words.toml: words that mean one thing to the
// detectors, with examples that must and must not hold one of them.
type WordClass struct {
	Doc   string   `toml:"doc"`
	JP    []string `toml:"jp"`    // compared as bytes
	ASCII []string `toml:"ascii"` // compared without regard to ASCII case, not inside a longer ASCII word
	TP    []string `toml:"tp"`    // must hold a word of the class
	FP    []string `toml:"fp"`    // must not
}

var wordsOnce = sync.OnceValues(func() (map[string]WordClass, error) {
	b, err := files.ReadFile("words.toml")
	if err != nil {
		return nil, err
	}
	out := map[string]WordClass{}
	md, err := toml.Decode(string(b), &out)
	if err != nil {
		return nil, fmt.Errorf("patterns: words.toml: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("patterns: words.toml: unknown keys %v", und)
	}
	return out, nil
})

// Words returns the word class name of words.toml. It panics when there
// is no such class: the detectors name their classes in code, and a test
// loads every one.
func Words(name string) WordClass {
	all, err := wordsOnce()
	if err != nil {
		panic(err)
	}
	c, ok := all[name]
	if !ok {
		panic("patterns: words.toml has no class " + name)
	}
	return c
}

// WordClassNames returns the names of the classes in words.toml, sorted.
func WordClassNames() ([]string, error) {
	all, err := wordsOnce()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
