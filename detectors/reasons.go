package detectors

import "strconv"

// Reason is one piece of a verdict's explanation: what typed a column,
// which words named the list, what context capped it. It holds fixed
// words only (header cells as written, vocabulary words, field names,
// counts), never a person's data, and is rendered in the report's
// language by the report package.
type Reason struct {
	Code string   // one of the Reason* codes
	Args []string // the code's arguments, in its documented order
}

// Reason codes, with their arguments.
const (
	ReasonHeader      = "header"       // header cell, field, header cell, field…: "headers 返却期限 → due date, …"
	ReasonValues      = "values"       // fields: cells typed from their values (a headerless layout)
	ReasonReturned    = "returned"     // —: a returned date makes loans a history, not overdue
	ReasonWords       = "words"        // class, words: the document's words named the list
	ReasonPersons     = "persons"      // n, basis (patron_id|name|contact): how people were told apart
	ReasonBulk        = "bulk"         // n: people with contact data (≥ BulkPersons: high)
	ReasonSingle      = "single"       // n: people with contact data below BulkPersons (medium)
	ReasonMyNumber    = "my_number"    // n: records with a My Number (critical)
	ReasonDummy       = "dummy"        // —: all recognisable test data
	ReasonOrg         = "organisation" // n: organisational contact data (the library's own number)
	ReasonCapped      = "capped"       // kind (credits_file|credits_section|credit_line|dictionary), n matches
	ReasonNamesOnly   = "names_only"   // —: names without contact or reading data
	ReasonWeakSignals = "weak"         // —: matches below the confidence that counts
)

// attributionKinds names the contexts that cap a match, for reasons.
var attributionKinds = [...]string{
	attrFile: "credits_file", attrSection: "credits_section", attrLine: "credit_line", attrDictionary: "dictionary",
}

// classVocab is the vocabulary class whose words name a classification.
var classVocab = map[string]vocabClass{
	ClassOverdueList: vocabOverdue, ClassHoldList: vocabHold, ClassLoanRecord: vocabLoan,
	ClassPatronRegistry: vocabRegistry, ClassContactList: vocabContact,
}

// maxReasonHeaders is how many typed header cells a verdict names.
const maxReasonHeaders = 8

// reasons explains the verdict v.
func (a *Analyzer) reasons(v FileVerdict) []Reason {
	var out []Reason
	add := func(code string, args ...string) { out = append(out, Reason{Code: code, Args: args}) }
	if v.Persons > 0 && !v.Dummy {
		if a.tableRows > 0 && len(a.heads) > 0 {
			var args []string
			for i, h := range a.heads {
				if i == maxReasonHeaders {
					break
				}
				args = append(args, h, a.headFields[i].String())
			}
			add(ReasonHeader, args...)
		} else {
			var fs []string
			for f := Field(1); f < numFields; f++ {
				if a.fields.has(f) && f.data() {
					fs = append(fs, f.String())
				}
			}
			if len(fs) > 0 {
				add(ReasonValues, joinArgs(fs))
			}
		}
		if a.fields.has(FieldReturnDate) && v.Classification == ClassLoanRecord {
			add(ReasonReturned)
		}
		if c, ok := classVocab[v.Classification]; ok && len(a.vocabSeen[c]) > 0 {
			add(ReasonWords, v.Classification, joinArgs(a.vocabSeen[c]))
		}
		basis := "name"
		switch {
		case a.idKeyed > 0:
			basis = "patron_id"
		case a.contactKeyed*2 > a.nrec:
			basis = "contact"
		}
		add(ReasonPersons, strconv.Itoa(v.Persons), basis)
	}
	switch {
	case v.Dummy:
		add(ReasonDummy)
	case a.myNumber > 0:
		add(ReasonMyNumber, strconv.Itoa(a.myNumber))
	case a.people.nContact >= BulkPersons && v.Severity == High:
		add(ReasonBulk, strconv.Itoa(a.people.nContact))
	case a.people.nContact > 0 && v.Severity == Medium:
		add(ReasonSingle, strconv.Itoa(a.people.nContact))
	case a.people.count() > 0 && v.Severity == Low:
		add(ReasonNamesOnly)
	}
	for k, n := range a.attributed {
		if n > 0 && k != int(notAttribution) {
			add(ReasonCapped, attributionKinds[k], strconv.Itoa(n))
		}
	}
	if org := a.org - a.attributedTotal(); org > 0 && v.Persons == 0 {
		add(ReasonOrg, strconv.Itoa(org))
	}
	if len(out) == 0 && a.total > 0 {
		add(ReasonWeakSignals)
	}
	return out
}

func (a *Analyzer) attributedTotal() int {
	n := 0
	for _, c := range a.attributed {
		n += c
	}
	return n
}

func joinArgs(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "・"
		}
		out += s
	}
	return out
}
