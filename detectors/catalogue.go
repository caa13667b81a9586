package detectors

import "slices"

// The detector catalogue: every detector ID a finding can carry, with
// its category, whether a Detector finds it in text or the record reader
// types it from a column or a value, and what it means. SARIF's rules
// and the README's table come from here.

// Detector IDs of the data the record reader types from columns and
// values (the text detectors' IDs are their ID methods').
const (
	PatronIDDetector  = "patron-id"
	BookTitleDetector = "book-title"
	ISBNDetector      = "isbn"
	AddressDetector   = "jp-address"
)

// Confidences the record reader gives what it types, by the evidence.
const (
	confColumn       = 0.9  // a name, My Number or ISBN under a header that names it
	confColumnDate   = 0.85 // a birth date under 生年月日
	confColumnAddr   = 0.85 // an address under 住所
	confColumnWeak   = 0.8  // an age, a patron ID, a title under its header
	confValueName    = 0.7  // a name in a headerless row, from its value
	confValueID      = 0.6  // a leading number of a headerless row
	confValueTitle   = 0.6  // Japanese text beside a date in a headerless row
	confBracketTitle = 0.7  // a title in 『』 in a reminder
)

// CatalogueEntry describes one detector.
type CatalogueEntry struct {
	ID          string
	Category    string
	Records     bool   // typed by the record reader (columns, values), not found in free text
	Description string // one line, English
}

// Catalogue lists every detector, text detectors first in All's order.
func Catalogue() []CatalogueEntry {
	desc := map[string]string{
		"jp-phone":     "Japanese phone numbers, checked against the numbering plan",
		"email":        "e-mail addresses",
		"jp-postal":    "postal codes (〒, labelled, or beside an address)",
		"jp-mynumber":  "My Number (個人番号), check digit and label",
		"jp-birthdate": "birth dates, 西暦 with a label, 和暦 with a label, a birth-date column or an age",
		"jp-age":       "ages (NN歳, labelled)",
		nameID:         "personal names in kanji (dictionary, labels, honorifics)",
		nameKanaID:     "personal names in katakana",
	}
	var out []CatalogueEntry
	seen := map[string]bool{}
	for _, d := range All() {
		if rs, ok := d.(*RuleSet); ok {
			for _, r := range rs.Rules() {
				if !seen[r.ID()] {
					seen[r.ID()] = true
					out = append(out, CatalogueEntry{ID: r.ID(), Category: r.Category(), Description: r.def.Description})
				}
			}
			continue
		}
		if seen[d.ID()] {
			continue
		}
		seen[d.ID()] = true
		out = append(out, CatalogueEntry{ID: d.ID(), Category: d.Category(), Description: desc[d.ID()]})
	}
	if !seen[nameKanaID] {
		out = append(out, CatalogueEntry{ID: nameKanaID, Category: "name_kana", Description: desc[nameKanaID]})
	}
	for _, e := range []CatalogueEntry{
		{PatronIDDetector, "patron_id", true, "patron IDs and card numbers: under their header, leading a headerless row, or after a label (patterns/rules.toml)"},
		{BookTitleDetector, "book_title", true, "titles of a person's loans and holds: a title column, 『』, a title beside a loan date, or after a label"},
		{ISBNDetector, "isbn", true, "ISBNs with a valid check digit in a person's loan records"},
		{AddressDetector, "address", true, "postal addresses: under an address header, after a label or a postal code, or a line that is one (patterns/rules.toml)"},
	} {
		if i := slices.IndexFunc(out, func(c CatalogueEntry) bool { return c.ID == e.ID }); i >= 0 {
			out[i] = e // a rule and the record reader share the ID
			continue
		}
		out = append(out, e)
	}
	return out
}
