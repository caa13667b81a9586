package detectors

import (
	"bytes"
	"strings"
)

// Email finds e-mail addresses (category "email").
//
// The prefilter is the '@' byte; around it the local part
// ([A-Za-z0-9._%+-]) and the domain (dot-separated labels, alphabetic TLD
// of two or more letters) are read by hand. Not matched: "user@host"
// without a dotted domain, package and module references (foo@1.2.3, @v1,
// @latest, @babel/core), retina image names (icon@2x.png), credentials in
// URLs (https://user:pw@host) and git SSH remotes (git@github.com:org/x).
// Addresses at example.com, test.*, localhost and foo@bar-style locals
// (patterns/dummy.txt) are reported with Dummy set. Value is the address
// with its domain lower-cased.
type Email struct{}

var _ Detector = Email{}

// ID implements Detector.
func (Email) ID() string { return "email" }

// Category implements Detector.
func (Email) Category() string { return "email" }

// Confidence levels of e-mail matches.
const (
	emailConf      = 0.9
	emailConfDummy = 0.3
)

// Domain suffixes that are file extensions rather than TLDs.
var fileTLDs = map[string]bool{
	"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true,
	"css": true, "js": true, "json": true, "ts": true, "html": true, "htm": true,
	"txt": true, "xml": true, "pdf": true, "ico": true, "map": true,
}

func isLocalByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isDomainByte(c byte) bool { return isAlnum(c) || c == '.' || c == '-' }

// Find implements Detector.
func (e Email) Find(dst []Match, text []byte) []Match {
	i := 0
	for {
		j := bytes.IndexByte(text[i:], '@')
		if j < 0 {
			return dst
		}
		at := i + j
		i = at + 1
		if m, ok := e.at(text, at); ok {
			dst = append(dst, m)
			i = m.End
		}
	}
}

// at reads an address around the '@' at index at.
func (Email) at(text []byte, at int) (Match, bool) {
	var m Match
	s := at
	for s > 0 && at-s < 64 && isLocalByte(text[s-1]) {
		s--
	}
	for s < at && (text[s] == '.' || text[s] == '-' || text[s] == '+') {
		s++
	}
	if s == at || text[at-1] == '.' || (s > 0 && (text[s-1] == '@' || (at-s >= 64 && isLocalByte(text[s-1])))) {
		return m, false
	}
	local := text[s:at]
	if bytes.Contains(local, []byte("..")) {
		return m, false
	}
	e := at + 1
	for e < len(text) && e-at <= 253 && isDomainByte(text[e]) {
		e++
	}
	for e > at+1 && (text[e-1] == '.' || text[e-1] == '-') { // sentence end
		e--
	}
	if e < len(text) && (text[e] == '@' || text[e] == '_') {
		return m, false
	}
	domain := text[at+1 : e]
	if !validDomain(domain) {
		return m, false
	}
	// URL credentials: the token holding the address contains "://".
	tok := before(text, s, 200)
	if k := bytes.LastIndexAny(tok, " \t\n\"'<>(),;="); k >= 0 {
		tok = tok[k+1:]
	}
	if bytes.Contains(tok, []byte("://")) || bytes.IndexByte(tok, '/') >= 0 {
		// URL credentials, or a message ID in a URL's path
		// (lists.example.org/msgid@host): not a mailbox.
		return m, false
	}
	// … or in a URL's query (…/bugreport.cgi?msg=5;mbox=id@host).
	wide := before(text, s, 200)
	if k := bytes.LastIndexAny(wide, " \t\n\"'<>("); k >= 0 {
		wide = wide[k+1:]
	}
	if bytes.IndexByte(wide, '/') >= 0 && bytes.IndexByte(wide, '?') >= 0 {
		return m, false
	}
	// git@github.com:org/repo — an SSH remote, not a mailbox.
	if e < len(text) && text[e] == ':' && e+1 < len(text) && !isDigit(text[e+1]) && text[e+1] != ' ' {
		return m, false
	}
	value := string(local) + "@" + strings.ToLower(string(domain))
	m = Match{Detector: "email", Category: "email", Value: value, Start: s, End: e, Confidence: emailConf}
	if emailDummy(strings.ToLower(string(local)), strings.ToLower(string(domain))) {
		m.Dummy, m.Confidence = true, emailConfDummy
	}
	return m, true
}

// validDomain checks dot-separated labels of letters, digits and inner
// hyphens, at least two labels, and an alphabetic TLD that is not a file
// extension.
func validDomain(d []byte) bool {
	if len(d) < 4 {
		return false
	}
	labels := 0
	for len(d) > 0 {
		k := bytes.IndexByte(d, '.')
		var l []byte
		if k < 0 {
			l, d = d, nil
		} else {
			l, d = d[:k], d[k+1:]
			if len(d) == 0 {
				return false
			}
		}
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		labels++
		if d == nil { // the TLD
			if labels < 2 || len(l) < 2 {
				return false
			}
			for _, c := range l {
				if !isASCIILetter(c) {
					return false
				}
			}
			if fileTLDs[strings.ToLower(string(l))] {
				return false
			}
		}
	}
	return true
}

func emailDummy(local, domain string) bool {
	ds := dummies()
	if ds.email[local+"@"+domain] || ds.emailLocal[local] {
		return true
	}
	if strings.HasPrefix(domain, "test.") || strings.HasPrefix(domain, "example.") {
		return true
	}
	for d := domain; d != ""; {
		if ds.emailDomain[d] {
			return true
		}
		k := strings.IndexByte(d, '.')
		if k < 0 {
			break
		}
		d = d[k+1:]
	}
	return false
}
