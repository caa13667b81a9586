package detectors

import "bytes"

// SQL INSERT statements of a text dump: `INSERT INTO t (a, b) VALUES (1,
// '佐藤', DATE '1970-03-02'), (2, …);` — one row per value tuple, each
// value aligned with its column whether quoted, unquoted (NUMBER, NULL)
// or wrapped in a conversion (TO_DATE('1970-03-02','YYYY-MM-DD'), DATE
// '…', N'…'): the column list is the header.

var (
	sqlInsert = []byte("INSERT INTO")
	sqlValues = []byte("VALUES")
)

// insertRows reads text as an INSERT statement with its values. It
// reports false when it is none (the line then goes its usual way).
func (a *Analyzer) insertRows(line int, offset int64, text []byte, ms []Located) bool {
	t := trimLeftSpace(text)
	if len(t) < len(sqlInsert) || !bytes.EqualFold(t[:len(sqlInsert)], sqlInsert) {
		return false
	}
	v := indexFold(text, sqlValues)
	if v < 0 {
		return false
	}
	// The column list: the parentheses before VALUES.
	var cols []Field
	if open := bytes.IndexByte(text[:v], '('); open >= 0 {
		if cl := bytes.LastIndexByte(text[:v], ')'); cl > open {
			a.cells = splitCells(a.cells[:0], text[open+1:cl], ',')
			a.colHeads = a.colHeads[:0]
			for _, c := range a.cells {
				var f Field
				f, a.hbuf = headerField(a.hbuf, c)
				cols = append(cols, f)
				a.colHeads = append(a.colHeads, "header "+headerText(c))
			}
			a.heads, a.headFields = a.heads[:0], a.headFields[:0]
			for i, c := range a.cells {
				if cols[i] != FieldNone {
					a.heads = append(a.heads, headerText(c))
					a.headFields = append(a.headFields, cols[i])
				}
			}
		}
	}
	rows := 0
	for p := v + len(sqlValues); p < len(text); {
		open := bytes.IndexByte(text[p:], '(')
		if open < 0 {
			break
		}
		s := p + open + 1
		e, cells := sqlTuple(a.cells[:0], text, s)
		a.cells = cells
		if e < 0 {
			break
		}
		var in []Located
		for _, m := range ms {
			if m.Start >= s && m.End <= e {
				in = append(in, m)
			}
		}
		a.rowDelim = ','
		a.tableRows++
		a.row(line, offset, text, in, cols)
		rows++
		p = e + 1
	}
	return rows > 0
}

// sqlTuple splits the values of a tuple that starts at s (after its
// '('): it returns the index of the closing ')' (-1 if there is none on
// the line) and the value cells, each the literal inside its quotes or
// conversion when it has one.
func sqlTuple(dst [][]byte, text []byte, s int) (int, [][]byte) {
	depth, quoted, start := 0, false, s
	for i := s; i < len(text); i++ {
		c := text[i]
		switch {
		case quoted:
			if c == '\'' {
				if i+1 < len(text) && text[i+1] == '\'' {
					i++ // '' inside a literal
					continue
				}
				quoted = false
			}
		case c == '\'':
			quoted = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ',' && depth == 0, c == ')' && depth == 0:
			dst = append(dst, sqlValue(text[start:i]))
			if c == ')' {
				return i, dst
			}
			start = i + 1
		}
	}
	return -1, dst
}

// sqlValue is the literal of one value: inside its first quotes if it
// has any (TO_DATE('1970-03-02', …), DATE '…', N'…'), else the value
// trimmed (1001, NULL).
func sqlValue(v []byte) []byte {
	if q := bytes.IndexByte(v, '\''); q >= 0 {
		for j := q + 1; j < len(v); j++ {
			if v[j] == '\'' && (j+1 >= len(v) || v[j+1] != '\'') {
				return v[q+1 : j]
			}
			if v[j] == '\'' {
				j++
			}
		}
		return v[q+1:]
	}
	v = trimASCIISpace(v)
	if bytes.EqualFold(v, []byte("NULL")) {
		return v[:0]
	}
	return v
}

// indexFold is bytes.Index ignoring ASCII case.
func indexFold(s, sep []byte) int {
	for i := 0; i+len(sep) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}
