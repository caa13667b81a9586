package detectors

import (
	"hash/maphash"
	"strings"

	"golang.org/x/text/width"
)

// Records and persons: the matches of one person gathered into a record,
// and a record counted as a person (or a test person, or a weak signal).

// listedContact is a contact value alone on its line, tied to no name.
type listedContact struct {
	key    string
	fields fieldSet
	area   areaEvidence
}

// record is the personal data of one person: a table row, or a section
// of text around one name.
type record struct {
	name, kana      string
	contact, birth  string
	fields          fieldSet
	real, dummy     int
	myNumber, books bool
	nameDummy       bool   // a name that is test data by itself (テスト花子)
	placeholder     []int  // kept indices of placeholder names (山田 太郎): dummy only with fake or no contact data
	realAttrs       int    // real matches other than names: contact data, birth dates, ages, My Numbers
	fromRow         bool   // the record is a table row or a delimited line
	firstLine       int    // the line of its first real match (0 in a binary)
	listed          bool   // a contact value that is most of its line (a list of addresses)
	weakBirth       string // an unlabelled 和暦 date: a birth date only beside an age
	weakBirthKept   int
	dummyKey        string    // tells dummy people apart
	dummyNameKey    bool      // dummyKey is a name
	pending         []Located // patron IDs and titles, kept once the record proves to be a person's

	area areaEvidence // where its person lives (areas.go)
}

// mobileContact reports whether a record's contact value is a mobile
// number (070/080/090): a person's own line, even alone in a memo,
// where a fixed line or an address in running text is as often an
// organisation's or a project's.
func mobileContact(contact string) bool {
	return strings.HasPrefix(contact, "phone:070") || strings.HasPrefix(contact, "phone:080") ||
		strings.HasPrefix(contact, "phone:090")
}

// contactKinds counts the kinds of contact data in a set of fields: a
// phone, an e-mail address, a postal address (with or without its
// postal code). Two of them in one section tie it to one addressee.
func contactKinds(f fieldSet) int {
	n := 0
	if f.has(FieldPhone) {
		n++
	}
	if f.has(FieldEmail) {
		n++
	}
	if f.has(FieldAddress) || f.has(FieldPostalCode) {
		n++
	}
	return n
}

// identified reports whether a record says more of its person than a
// name: contact data or a patron ID.
func identified(r *record) bool {
	return r.contact != "" || hasPatronID(r) || r.fields.has(FieldAddress) || r.fields.has(FieldPostalCode)
}

// realPatronID reports whether a record holds a patron ID that is not a
// placeholder (one digit repeated, a run of consecutive digits).
func realPatronID(r *record) bool {
	for _, m := range r.pending {
		if m.Category == "patron_id" && !placeholderDigits(digitBytes([]byte(m.Value))) {
			return true
		}
	}
	return false
}

// placeholderDigits reports whether digits are a placeholder: fewer than
// four, one digit repeated (00000000) or consecutive (12345678, 98765432).
func placeholderDigits(d []byte) bool {
	if len(d) < 4 {
		return true
	}
	same, up, down := true, true, true
	for i := 1; i < len(d); i++ {
		same = same && d[i] == d[i-1]
		up = up && d[i] == '0'+(d[i-1]-'0'+1)%10
		down = down && d[i]+1 == d[i-1]
	}
	return same || up || down
}

// hasPatronID reports whether a record holds a patron ID.
func hasPatronID(r *record) bool {
	for _, m := range r.pending {
		if m.Category == "patron_id" {
			return true
		}
	}
	return false
}

// add records a match in r. kept is its index in a.kept (-1: not kept,
// -2: already counted by keep).
func (a *Analyzer) add(r *record, m Located, kept int) {
	_ = kept
	if m.Org {
		a.org++
		return
	}
	if m.Dummy && isNameCat(m.Category) && placeholderName(m.Value) {
		// 山田 太郎 or 鈴木 一郎 may be a real person: the record is test
		// data only if its contact data is too (closeRecord decides).
		if kept != -1 {
			r.placeholder = append(r.placeholder, kept)
		}
		if !r.dummyNameKey {
			r.dummyKey, r.dummyNameKey = personKey(m.Value), true
		}
		m.Dummy = false
	}
	if m.Dummy {
		r.dummy++
		if isNameCat(m.Category) {
			r.nameDummy = true
			if !r.dummyNameKey {
				// Test people are told apart by their names: many share
				// one placeholder number.
				r.dummyKey, r.dummyNameKey = personKey(m.Value), true
			}
		} else if r.dummyKey == "" {
			r.dummyKey = m.Category + ":" + m.Value
		}
		return
	}
	if m.Confidence < MinConfidence {
		if m.Category == "birth_date" && r.weakBirth == "" {
			r.weakBirth, r.weakBirthKept = m.Value, kept
		}
		return
	}
	r.real++
	r.noteArea(m)
	if r.firstLine == 0 {
		r.firstLine = m.Line
	}
	if !isNameCat(m.Category) && m.Category != "patron_id" && m.Category != "book_title" && m.Category != "isbn" {
		r.realAttrs++
	}
	switch m.Category {
	case "name":
		if r.name == "" {
			r.name = personKey(m.Value)
		}
		r.fields.add(FieldName)
	case "name_kana":
		if r.kana == "" {
			r.kana = personKey(m.Value)
		}
		r.fields.add(FieldNameKana)
	case "phone", "email":
		if r.contact == "" {
			r.contact = m.Category + ":" + m.Value
		}
		if m.Category == "phone" {
			r.fields.add(FieldPhone)
		} else {
			r.fields.add(FieldEmail)
		}
	case "address":
		r.fields.add(FieldAddress)
	case "postal_code":
		r.fields.add(FieldPostalCode)
	case "my_number":
		r.myNumber = true
		if r.contact == "" {
			r.contact = "my:" + m.Value
		}
		r.fields.add(FieldMyNumber)
	case "birth_date":
		if r.birth == "" {
			r.birth = m.Value
		}
		r.fields.add(FieldBirthDate)
	case "age":
		r.fields.add(FieldAge)
	case "book_title", "isbn":
		r.books = true
		r.fields.add(FieldBookTitle)
	case "patron_id":
		r.fields.add(FieldPatronID)
	}
}

// closeRecord counts the record in hand as a person (or not) and starts
// a new one.
func (a *Analyzer) closeRecord() {
	r := &a.cur
	defer func() {
		pending := r.pending[:0]
		*r = record{pending: pending}
	}()
	if r.real == 0 && r.dummy == 0 {
		return
	}
	a.nrec++
	if r.weakBirth != "" && r.birth == "" && r.fields.has(FieldAge) {
		r.birth = r.weakBirth
		r.fields.add(FieldBirthDate)
		if r.weakBirthKept >= 0 {
			a.kept[r.weakBirthKept].Confidence = birthConfAge
		}
	}
	ident := r.name
	if ident == "" {
		ident = r.kana
	}
	// A placeholder name with no real contact data is test data.
	// A placeholder name is test data when the record's other values are
	// too, most of them (山田 太郎, 090-0000-0000, a made-up street); with
	// real-looking contact data it is a person (鈴木 一郎 is one).
	// Without any contact data, a patron's number that is no placeholder
	// (00000000, 12345678) says the same: the card of 鈴木 一郎 who
	// borrowed a book is a person's.
	placeholder := len(r.placeholder) > 0 && (r.realAttrs == 0 || r.dummy >= r.realAttrs) &&
		!(r.realAttrs == 0 && r.dummy == 0 && realPatronID(r))
	if placeholder && a.holdPlaceholder(r) {
		return // the file decides (placeholder.go)
	}
	dummy := r.nameDummy || placeholder || r.real == 0
	keys := personKeys(r)
	if dummy && r.dummyKey != "" {
		keys = []string{"d:" + r.dummyKey}
	}
	contactOnly := len(keys) == 1 && strings.HasPrefix(keys[0], "c:")
	if !dummy && contactOnly && !r.fromRow && r.listed {
		// An address alone on its line: one of a list of contacts if the
		// file has several such lines (Result decides).
		if len(a.listed) < maxPersonKeys {
			a.listed = append(a.listed, listedContact{key: keys[0], fields: r.fields, area: r.area})
		}
		return
	}
	if len(keys) == 0 || (!dummy && contactOnly && !r.fromRow && contactKinds(r.fields) < 2 && !mobileContact(r.contact)) {
		// Nothing identifies a person, or only an address or a number in
		// running text (a bug-report address, a mailing list in a manual):
		// a weak signal, not a record of a person.
		if !dummy {
			a.weak++
		}
		return
	}
	if !dummy {
		for _, k := range r.placeholder {
			if k >= 0 {
				a.kept[k].Dummy = false
			}
		}
	} else if placeholder {
		for _, k := range r.placeholder {
			if k >= 0 {
				a.kept[k].Dummy = true
			}
		}
	}
	if dummy {
		h := maphash.String(a.seed, keys[0])
		if r.nameDummy || placeholder {
			a.dummyNamed++
		}
		if len(a.dummyPersons) < maxPersonKeys {
			a.dummyPersons[h] = struct{}{}
		}
		return
	}
	// A person's patron ID and reading data count once the record is a person's.
	for _, m := range r.pending {
		a.keep(m)
		a.add(r, m, -2)
	}
	hasContact := r.fields.has(FieldPhone) || r.fields.has(FieldEmail) || r.fields.has(FieldAddress) ||
		r.fields.has(FieldPostalCode) || r.myNumber
	a.people.add(keys, hasContact)
	a.keepArea(keys[0], r.area)
	switch {
	case strings.HasPrefix(keys[0], "id:"):
		a.idKeyed++
	case strings.HasPrefix(keys[0], "c:"):
		a.contactKeyed++
	}
	if r.myNumber {
		a.myNumber++
	}
	a.fields |= r.fields
}

// people tells the persons of a file apart. A record gives every
// identifier it holds (a patron ID, its name with a contact value, its
// name with a birth date, …); records that share any identifier are one
// person, so a patron written three ways under one 利用者ID, or found
// once in the registry table and once in a memo table by name and phone,
// is counted once. It is a union-find over hashed identifiers, bounded by
// maxPersonKeys: past it, a record none of whose identifiers is known
// counts as a new person.
type people struct {
	seed     maphash.Seed
	parent   map[uint64]uint64
	contact  map[uint64]bool   // roots whose person has contact data
	ids      map[uint64]uint64 // roots whose person has a patron ID: its key
	n        int               // components
	nContact int               // components with contact data
	overflow int
}

func newPeople(seed maphash.Seed) people {
	return people{seed: seed, parent: map[uint64]uint64{}, contact: map[uint64]bool{}, ids: map[uint64]uint64{}}
}

func (p *people) find(k uint64) uint64 {
	for {
		q := p.parent[k]
		if q == k {
			return k
		}
		if g := p.parent[q]; g != q {
			p.parent[k] = g // path halving
		}
		k = q
	}
}

// add records one person's identifiers (at least one) and whether the
// record holds contact data.
//
// The patron ID is the strongest identifier: records under two different
// IDs are two people even when they share a name and a birth date or a
// phone (namesakes born on one day, a family's one number), so a key
// never joins two components that each have an ID of their own.
func (p *people) add(keys []string, contact bool) {
	root, have := uint64(0), false
	var id uint64 // the record's patron ID key (first of keys), 0: none
	if strings.HasPrefix(keys[0], "id:") {
		id = maphash.String(p.seed, keys[0])
	}
	var fresh []uint64
	for _, key := range keys {
		h := maphash.String(p.seed, key)
		if _, ok := p.parent[h]; !ok {
			fresh = append(fresh, h)
			continue
		}
		r := p.find(h)
		if other, ok := p.ids[r]; ok && id != 0 && other != id {
			continue // another patron's identifier
		}
		if !have {
			root, have = r, true
			continue
		}
		if r != root {
			if other, ok := p.ids[r]; ok {
				if mine, ok := p.ids[root]; ok && mine != other {
					continue // two patrons: not one person
				}
				p.ids[root] = other
				delete(p.ids, r)
			}
			p.parent[r] = root
			p.n--
			if p.contact[r] {
				delete(p.contact, r)
				if p.contact[root] {
					p.nContact--
				} else {
					p.contact[root] = true
				}
			}
		}
	}
	if !have {
		if len(p.parent)+len(fresh) > maxPersonKeys {
			p.overflow++
			return
		}
		root = fresh[0]
		p.parent[root] = root
		p.n++
		fresh = fresh[1:]
	}
	for _, h := range fresh {
		if len(p.parent) >= maxPersonKeys {
			break
		}
		p.parent[h] = root
	}
	if _, ok := p.ids[root]; !ok && id != 0 {
		if _, known := p.parent[id]; known {
			p.ids[root] = id
		}
	}
	if contact && !p.contact[root] {
		p.contact[root] = true
		p.nContact++
	}
}

// count is the number of distinct persons.
func (p *people) count() int { return p.n + p.overflow }

// personKey normalises a name or an identifier for telling people
// apart: width folded (ｻｻｷ and ササキ, Ａ and A are one), without spaces
// or a middle dot.
func personKey(v string) string {
	// width.Fold changes only U+3000 and U+FF01–U+FFEE (UTF-8 lead byte
	// 0xEF): without those, folding is the identity and the spaces and
	// middle dots are all there is to drop; without those either, v is
	// its own key.
	if strings.IndexByte(v, 0xEF) < 0 {
		if strings.IndexByte(v, ' ') < 0 && strings.IndexByte(v, '\t') < 0 && !strings.Contains(v, "\u3000") && !strings.Contains(v, "・") {
			return v
		}
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u3000' || r == '\t' || r == '・' {
				return -1
			}
			return r
		}, v)
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '\t' || r == '・' {
			return -1
		}
		return r
	}, width.Fold.String(v))
}

// personKeys returns the identifiers of the person of r, strongest
// first: a patron ID or card number; the name with a contact value and
// with a birth date; the name alone when it has neither; a contact value
// alone when there is no name. nil when the record has none of these.
func personKeys(r *record) []string {
	var keys []string
	for _, m := range r.pending {
		if m.Category == "patron_id" {
			if id := strings.TrimLeft(personKey(m.Value), "0"); id != "" {
				keys = append(keys, "id:"+id)
			}
		}
	}
	ident := r.name
	if ident == "" {
		ident = r.kana
	}
	if ident != "" {
		if r.contact != "" {
			keys = append(keys, "n:"+ident+"|"+r.contact)
		}
		if r.birth != "" {
			keys = append(keys, "n:"+ident+"|"+r.birth)
		}
		if r.contact == "" && r.birth == "" && len(keys) == 0 {
			keys = append(keys, "n:"+ident)
		}
	} else if r.contact != "" && len(keys) == 0 {
		keys = append(keys, "c:"+r.contact)
	}
	return keys
}
