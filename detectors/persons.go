package detectors

import (
	"hash/maphash"
	"strings"

	"golang.org/x/text/width"
)

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
	contact  map[uint64]bool // roots whose person has contact data
	n        int             // components
	nContact int             // components with contact data
	overflow int
}

func newPeople(seed maphash.Seed) people {
	return people{seed: seed, parent: map[uint64]uint64{}, contact: map[uint64]bool{}}
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
func (p *people) add(keys []string, contact bool) {
	root, have := uint64(0), false
	var fresh []uint64
	for _, key := range keys {
		h := maphash.String(p.seed, key)
		if _, ok := p.parent[h]; !ok {
			fresh = append(fresh, h)
			continue
		}
		r := p.find(h)
		if !have {
			root, have = r, true
			continue
		}
		if r != root {
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
