package detectors

import (
	"hash/maphash"
	"strings"
)

// Placeholder names by the file: 鈴木 一郎 and 田中 太郎 are the names of
// test data and of real people. A record with such a name and fake
// contact data is test data, and with real contact data a person's
// (closeRecord decides). A record that holds no contact data at all, only
// reading data (鈴木 一郎 borrowed a book), says nothing by itself: the
// file decides. Among real persons' records it is one more person; in a
// file of placeholders it is test data with the rest.

// maxHeldPlaceholders bounds the records held for the file to decide;
// past it, such a record is test data as before.
const maxHeldPlaceholders = 4096

// heldPlaceholder is a record of a placeholder name and reading data.
type heldPlaceholder struct {
	keys     []string  // its person's identifiers, as a person
	dummyKey string    // … and as test data
	fields   fieldSet  // its fields, the reading data's included
	kept     []int     // kept indices of its placeholder names
	pending  []Located // its patron ID and titles
}

// holdPlaceholder holds a record of a placeholder name, no contact data
// and reading data for Result. It reports false when it is not one, or
// when no more can be held.
func (a *Analyzer) holdPlaceholder(r *record) bool {
	if len(r.placeholder) == 0 || r.realAttrs != 0 || r.dummy != 0 || r.nameDummy || len(r.pending) == 0 ||
		len(a.placeholders) >= maxHeldPlaceholders {
		return false
	}
	keys := personKeys(r)
	if len(keys) == 0 {
		return false
	}
	h := heldPlaceholder{keys: keys, dummyKey: r.dummyKey, fields: r.fields,
		kept: append([]int(nil), r.placeholder...), pending: append([]Located(nil), r.pending...)}
	for _, m := range r.pending {
		switch m.Category {
		case "book_title", "isbn":
			h.fields.add(FieldBookTitle)
		case "patron_id":
			h.fields.add(FieldPatronID)
		}
	}
	a.placeholders = append(a.placeholders, h)
	return true
}

// settlePlaceholders decides the held records: persons when the file's
// real persons are at least as many, test data otherwise.
func (a *Analyzer) settlePlaceholders() {
	people := a.people.count() >= len(a.placeholders) && a.people.count() > 0
	for _, h := range a.placeholders {
		for _, k := range h.kept {
			if k >= 0 {
				a.kept[k].Dummy = !people
			}
		}
		if !people {
			a.dummyNamed++
			if len(a.dummyPersons) < maxPersonKeys {
				a.dummyPersons[maphash.String(a.seed, "d:"+h.dummyKey)] = struct{}{}
			}
			continue
		}
		for _, m := range h.pending {
			a.keep(m)
		}
		a.people.add(h.keys, false)
		if strings.HasPrefix(h.keys[0], "id:") {
			a.idKeyed++
		}
		a.fields |= h.fields
	}
	a.placeholders = nil
}
