// Package patterns holds the declarative data the detectors use: word
// lists, dummy values and other tables, embedded from the *.txt files in
// this directory.
//
// Every data file is plain UTF-8 text, one entry per line. Blank lines and
// lines starting with '#' are ignored; each file documents its source and
// meaning in its leading '#' comment. Other packages read the files through
// Lines or one of the typed accessors below, so adding a new file needs no
// code change here.
package patterns

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

//go:embed *.txt *.toml
var files embed.FS

// Names returns the names of all embedded data files ("dummy.txt", ...),
// sorted.
func Names() []string {
	ents, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(ents))
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// Lines returns the entries of the data file name ("prefectures.txt"):
// every line with surrounding white space trimmed, leaving out blank lines
// and '#' comments. It returns nil when there is no such file. The slice is
// freshly allocated; callers that need the data often should keep it.
func Lines(name string) []string {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// Fields returns the entries of the data file name split into a key (the
// first white-space separated field) and a value (the rest of the line,
// trimmed, which may itself contain spaces), grouped by key in file order.
func Fields(name string) map[string][]string {
	out := map[string][]string{}
	for _, l := range Lines(name) {
		k, v, _ := strings.Cut(l, " ")
		if i := strings.IndexByte(k, '\t'); i >= 0 {
			k, v = l[:i], l[i+1:]
		}
		out[k] = append(out[k], strings.TrimSpace(v))
	}
	return out
}

var (
	prefOnce  = sync.OnceValue(func() []string { return Lines("prefectures.txt") })
	dummyOnce = sync.OnceValue(func() map[string][]string { return Fields("dummy.txt") })
)

// Prefectures returns the 47 prefecture names (都道府県) with their suffix
// ("北海道", "東京都", "愛知県", ...) in JIS X 0401 order.
func Prefectures() []string {
	return append([]string(nil), prefOnce()...)
}

// Dummy returns the recognisable dummy/test values of dummy.txt keyed by
// category ("phone", "email_domain", "my_number", ...). The map is a copy.
func Dummy() map[string][]string {
	src := dummyOnce()
	out := make(map[string][]string, len(src))
	for k, v := range src {
		out[k] = append([]string(nil), v...)
	}
	return out
}
