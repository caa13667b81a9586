package detectors

import (
	"bytes"
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rouei/rouei/patterns"
)

// Contexts that cap what a file's matches mean, whatever the detectors
// recognise in them: a public attribution (a credit, a copyright line, a
// translator's header, a package manifest) and a dictionary entry are
// not a person's record. Their words live in patterns/words.toml.

// attribution is how a match came to be a public attribution.
type attribution uint8

const (
	notAttribution attribution = iota
	attrFile                   // the file is credits, a change log or package metadata (AUTHORS, *.po, package.json)
	attrSection                // a credits section (a man page's AUTHOR, a README's Authors)
	attrLine                   // a line with a credit marker (Copyright, @author, Last-Translator, 翻訳)
	attrDictionary             // a dictionary entry (word, reading, cost, part of speech)
)

// attributionContext names each kind in findings[].context.
var attributionContext = [...]string{
	attrFile: "credits file", attrSection: "credits section", attrLine: "credit line", attrDictionary: "dictionary entry",
}

var attributionWords = sync.OnceValue(func() (w *struct{ markers, sections labels }) {
	w = new(struct{ markers, sections labels })
	m := patterns.Words("attribution_markers")
	s := patterns.Words("attribution_sections")
	w.markers = newLabels(m.JP, m.ASCII)
	w.sections = newLabels(s.JP, s.ASCII)
	return w
})

var attributionFiles = sync.OnceValue(func() []string {
	c := patterns.Words("attribution_files")
	out := make([]string, 0, len(c.ASCII))
	for _, g := range c.ASCII {
		out = append(out, strings.ToLower(g))
	}
	return out
})

var dictionaryPOS = sync.OnceValue(func() map[string]bool {
	c := patterns.Words("dictionary_pos")
	out := map[string]bool{}
	for _, w := range c.JP {
		out[w] = true
	}
	for _, w := range c.ASCII {
		out[w] = true
	}
	return out
})

// attributionFile reports whether a file of this name (a path, possibly
// with !/ between container levels) holds credits, a change history or
// package metadata throughout.
func attributionFile(name string) bool {
	if i := strings.LastIndex(name, "!/"); i >= 0 {
		name = name[i+2:]
	}
	p := strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	for _, ext := range []string{".gz", ".bz2", ".xz"} {
		p = strings.TrimSuffix(p, ext)
	}
	full := path.Base(p)
	base := full
	for _, ext := range []string{".md", ".txt", ".rst", ".adoc", ".markdown", ".debian"} {
		if b := strings.TrimSuffix(base, ext); b != base && b != "" {
			base = b
			break
		}
	}
	for _, g := range attributionFiles() {
		if strings.Contains(g, "/") {
			if p == g || strings.HasSuffix(p, "/"+g) {
				return true
			}
			continue
		}
		if ok, _ := path.Match(g, base); ok {
			return true
		}
		if ok, _ := path.Match(g, full); ok {
			return true
		}
	}
	return false
}

// heading returns the text of a line that is a section heading — a man
// page's .SH/.Sh/.SS, POD's =head, Markdown's #, or a short line of its
// own (AUTHORS, 著者:) — and whether it is one.
func heading(text []byte) ([]byte, bool) {
	h, ok, _ := headingKind(text)
	return h, ok
}

// headingKind is heading, telling also whether the heading is explicit
// markup (.SH, =head, #) rather than a short line of its own.
func headingKind(text []byte) (h []byte, ok, explicit bool) {
	t := trimASCIISpace(text)
	if len(t) == 0 {
		return nil, false, false
	}
	if c := t[0]; c != '.' && c != '=' && c != '#' && len(t) > 40 {
		return nil, false, false // too long for a heading of its own
	}
	switch {
	case hasPrefixAny(t, ".SH", ".Sh", ".SS", ".Ss"):
		return trimHeading(t[3:]), true, true
	case bytes.HasPrefix(t, []byte("=head")):
		if i := bytes.IndexByte(t, ' '); i > 0 {
			return trimHeading(t[i:]), true, true
		}
		return nil, true, true
	case len(t) > 0 && t[0] == '#':
		return trimHeading(bytes.TrimLeft(t, "#")), true, true
	}
	h, ok = plainHeading(t)
	return h, ok, false
}

// plainHeading reads a short line of its own as a heading.
func plainHeading(t []byte) ([]byte, bool) {
	// A line of its own: a few words at most, no digits, no '@'.
	if len(t) == 0 || len(t) > 40 || bytes.IndexByte(t, '@') >= 0 || nextDigit(t, 0) >= 0 {
		return nil, false
	}
	h := trimHeading(t)
	if len(h) == 0 || bytes.Count(h, []byte(" ")) > 2 {
		return nil, false
	}
	return h, len(h) < len(t) || isHeadingWord(h)
}

func trimHeading(b []byte) []byte {
	for len(b) > 0 {
		if n := headingTrimAt(b); n > 0 {
			b = b[n:]
			continue
		}
		break
	}
	for len(b) > 0 {
		r, n := utf8.DecodeLastRune(b)
		if !headingTrimRune(r) {
			break
		}
		b = b[:len(b)-n]
	}
	return b
}

func headingTrimAt(b []byte) int {
	r, n := rune(b[0]), 1
	if b[0] >= utf8.RuneSelf {
		r, n = utf8.DecodeRune(b)
	}
	if headingTrimRune(r) {
		return n
	}
	return 0
}

// headingTrimRune: the marks around a heading's words (" \t\"'*=:：【】[]「」").
func headingTrimRune(r rune) bool {
	switch r {
	case ' ', '\t', '"', '\'', '*', '=', ':', '：', '【', '】', '[', ']', '「', '」':
		return true
	}
	return false
}

// isHeadingWord reports whether h is one of the section words exactly
// (so that a line "Authors" or "著者" alone is a heading).
func isHeadingWord(h []byte) bool {
	w := attributionWords()
	for _, s := range w.sections.jp {
		if bytes.Equal(h, s) {
			return true
		}
	}
	for _, s := range w.sections.ascii {
		if len(h) == len(s) && hasPrefixFold(h, s) {
			return true
		}
	}
	return false
}

// plainCreditsLines is how far a credits section opened by a plain
// heading (a line 謝辞 or Authors of its own) reaches when no explicit
// heading ends it.
const plainCreditsLines = 60

// creditsHeading reports whether a heading opens a credits section.
func creditsHeading(h []byte) bool {
	return isHeadingWord(h) || (len(h) <= 24 && attributionWords().sections.in(h) && !bytes.ContainsAny(h, ",\t"))
}

// roffComment reports whether a line is a comment of a man page's
// source (.\" …): its header block holds the copyright and the
// translators' credits, never a reader's data.
func roffComment(text []byte) bool {
	t := trimLeftSpace(text)
	return hasPrefixAny(t, `.\"`, `'\"`, `.\\"`)
}

// creditLine reports whether a line credits someone.
func creditLine(text []byte) bool { return attributionWords().markers.in(text) }

// dictionaryEntry reports whether a line is an entry of a word
// dictionary: cells with a part of speech or a dictionary class beside
// numbers (IPADIC/UniDic/mecab/kuromoji CSV: 佐藤,1290,1290,3000,名詞,固有名詞,人名,姓,…;
// anthy/Canna: さとう #JN*500 佐藤), or an SKK line (さとう /佐藤/左藤/).
func dictionaryEntry(text []byte) bool {
	t := bytes.TrimSpace(text)
	if len(t) < 4 {
		return false
	}
	// SKK: a reading, one space, candidates between slashes.
	if sp := bytes.IndexByte(t, ' '); sp > 0 && sp+1 < len(t) && t[sp+1] == '/' && t[len(t)-1] == '/' &&
		bytes.IndexByte(t[:sp], '/') < 0 {
		return true
	}
	pos := dictionaryPOS()
	numbers, classes, cells := 0, 0, 0
	for _, d := range [...]byte{',', '\t', ' '} {
		if bytes.Count(t, []byte{d}) < 2 {
			continue
		}
		for rest := t; ; {
			i := bytes.IndexByte(rest, d)
			c := rest
			if i >= 0 {
				c = rest[:i]
			}
			c = bytes.Trim(c, "\" ")
			cells++
			switch {
			case isSignedDigits(c):
				numbers++
			case pos[string(c)]:
				classes++
			case len(c) > 1 && c[0] == '#' && isASCIILetter(c[1]):
				// anthy/Canna class with frequency: #JN*500, #T35
				k := 1
				for k < len(c) && isASCIILetter(c[k]) {
					k++
				}
				if pos[strings.ToLower(string(c[:k]))] {
					classes += 2
				}
			}
			if i < 0 {
				break
			}
			rest = rest[i+1:]
		}
		if classes >= 2 || (classes >= 1 && numbers >= 1) {
			return true
		}
		numbers, classes, cells = 0, 0, 0
	}
	return false
}

func isSignedDigits(c []byte) bool {
	if len(c) > 1 && c[0] == '-' {
		c = c[1:]
	}
	return isDigits(c)
}

// capDictionary turns everything a dictionary file seemed to hold into
// dictionary entries: its "people" are the words of its entries.
func (a *Analyzer) capDictionary() {
	n := 0
	for i := range a.kept {
		if !a.kept[i].Org {
			a.kept[i].Org = true
			n++
		}
	}
	a.attributed[attrDictionary] += max(n, a.total-a.org)
	a.org = a.total
	a.people = newPeople(a.seed)
	a.fields = 0
	a.myNumber, a.weak = 0, 0
	a.dummyPersons = map[uint64]struct{}{}
	a.dummyNamed = 0
}

var roleMailboxes = sync.OnceValue(func() (w struct {
	parts []string
	local map[string]bool
}) {
	c := patterns.Words("role_mailboxes")
	w.parts = c.JP
	w.local = map[string]bool{}
	for _, l := range c.ASCII {
		w.local[l] = true
	}
	return w
})

// roleMailbox reports whether an e-mail address is a role's, a list's
// or a service's (postmaster@, debian-devel@lists., bug-foo@): the
// organisation's contact data, not a person's.
func roleMailbox(addr string) bool {
	a := strings.ToLower(addr)
	local, _, ok := strings.Cut(a, "@")
	if !ok {
		return false
	}
	w := roleMailboxes()
	if w.local[local] || strings.HasPrefix(local, "bug-") {
		return true
	}
	for _, p := range w.parts {
		if strings.Contains(a, p) {
			return true
		}
	}
	return false
}

// commentLine reports whether a line is a comment of a data file or a
// dictionary (;; SKK, # anthy/Canna, // or -- elsewhere).
func commentLine(text []byte) bool {
	t := trimLeftSpace(text)
	return hasPrefixAny(t, ";", "#", "//", "--", "%")
}

// documentFile reports whether a file's name says it is documentation
// markup (a man page, HTML, Markdown, reStructuredText, Texinfo, POD,
// TeX, AsciiDoc, Info): lines of it that are an address alone are
// examples and credits, not a list of contacts. Plain .txt is not one:
// an export is often .txt.
func documentFile(name string) bool {
	if i := strings.LastIndex(name, "!/"); i >= 0 {
		name = name[i+2:]
	}
	p := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	for _, ext := range []string{".gz", ".bz2", ".xz"} {
		p = strings.TrimSuffix(p, ext)
	}
	ext := path.Ext(p)
	switch ext {
	case ".html", ".htm", ".xhtml", ".md", ".markdown", ".rst", ".texi", ".texinfo", ".info", ".pod", ".tex",
		".adoc", ".asciidoc", ".sgml", ".docbook", ".man", ".mdoc", ".roff":
		return true
	}
	// man pages: name.1 … name.9 with an optional suffix (ls.1, dpkg.8, printf.3posix)
	return len(ext) >= 2 && ext[1] >= '1' && ext[1] <= '9' && !strings.ContainsAny(ext[2:], "0123456789")
}

// creditGap reports whether the text between a name and "<address>" or
// "(address)" is only spaces and an honorific (鈴木氏 <…>, 劉 昭宏 <…>).
func creditGap(b []byte) bool {
	b = bytes.TrimSpace(b)
	for _, h := range []string{"氏", "さん", "様", "殿", "先生"} {
		b = bytes.TrimSpace(bytes.TrimPrefix(b, []byte(h)))
	}
	return len(b) == 0
}
