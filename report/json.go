package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// WriteJSON writes r as compact JSON (schema rouei.report/v1) followed by
// a newline; WriteJSONPretty writes it indented by two spaces. Times are
// written in UTC (RFC 3339); HTML characters are not escaped, so archive
// paths ("a.zip!/b.csv") and Japanese stay readable. The findings are
// written one at a time, from Findings or from r.Spool, so that a report
// with millions of them costs no more memory than one with ten; the keys
// come in the order of the Report struct (summary after findings and
// errors). r is not modified: nil slices are written as empty arrays, but
// sorting and the summary are Finalize's job, so call it first.
func WriteJSON(w io.Writer, r *Report) error { return writeReportJSON(w, r, false) }

// WriteJSONPretty is WriteJSON indented (rouei scan --pretty): the bytes
// json.Encoder with SetIndent("", "  ") gives.
func WriteJSONPretty(w io.Writer, r *Report) error { return writeReportJSON(w, r, true) }

func writeReportJSON(w io.Writer, r *Report, pretty bool) error {
	c := *r
	c.StartedAt = c.StartedAt.UTC()
	c.FinishedAt = c.FinishedAt.UTC()
	c.fillNil()
	s := newJSONStream(w, pretty)
	s.raw("{")
	rv := reflect.ValueOf(&c).Elem()
	rt := rv.Type()
	first := true
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		tag := sf.Tag.Get("json")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		fv := rv.Field(i)
		if strings.Contains(","+opts+",", ",omitempty,") && emptyJSON(fv) {
			continue
		}
		s.key(name, 1, first)
		first = false
		switch {
		case sf.Name == "Findings":
			s.array(1, func(elem func(v any)) error {
				return c.eachFinding(c.Files, func(f *Finding) error {
					if s.pretty {
						elem(f)
					} else {
						elem(compactFinding{f})
					}
					return s.err
				})
			})
		case sf.Name == "Files":
			s.array(1, func(elem func(v any)) error {
				for j := 0; j < len(c.Files) && s.err == nil; j++ {
					d := c.fileDetail(c.Files[j])
					elem(&d)
				}
				return nil
			})
		case fv.Kind() == reflect.Slice && !fv.IsNil():
			// files, errors …: one element at a time too
			s.array(1, func(elem func(v any)) error {
				for j := 0; j < fv.Len() && s.err == nil; j++ {
					elem(fv.Index(j).Addr().Interface())
				}
				return nil
			})
		default:
			s.value(fv.Interface(), 1)
		}
	}
	s.nl(0)
	s.raw("}\n")
	if err := s.flush(); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	return nil
}

// emptyJSON is encoding/json's omitempty test.
func emptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// jsonStream writes one JSON document piece by piece, compact or
// indented exactly as json.Encoder with SetIndent("", "  ") would.
type jsonStream struct {
	w       *bufio.Writer
	pretty  bool
	buf     bytes.Buffer
	scratch []byte
	enc     *json.Encoder
	err     error
}

func newJSONStream(w io.Writer, pretty bool) *jsonStream {
	s := &jsonStream{w: bufio.NewWriterSize(w, 64<<10), pretty: pretty}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *jsonStream) raw(x string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(x)
	}
}

// nl starts a new line at nesting level (indented output only).
func (s *jsonStream) nl(level int) {
	if s.pretty {
		s.raw("\n" + strings.Repeat("  ", level))
	}
}

// key writes an object key at level, after a comma unless first.
func (s *jsonStream) key(name string, level int, first bool) {
	if !first {
		s.raw(",")
	}
	s.nl(level)
	s.raw(`"` + name + `":`)
	if s.pretty {
		s.raw(" ")
	}
}

// compactFinding is a finding that jsonStream writes by appendFindingJSON.
type compactFinding struct{ f *Finding }

// value writes v as a value at nesting level.
func (s *jsonStream) value(v any, level int) {
	if s.err != nil {
		return
	}
	if cf, ok := v.(compactFinding); ok {
		s.scratch = appendFindingJSON(s.scratch[:0], cf.f)
		_, s.err = s.w.Write(s.scratch)
		return
	}
	s.buf.Reset()
	if s.pretty {
		s.enc.SetIndent(strings.Repeat("  ", level), "  ")
	}
	if err := s.enc.Encode(v); err != nil {
		s.err = err
		return
	}
	b := bytes.TrimSuffix(s.buf.Bytes(), []byte("\n"))
	_, s.err = s.w.Write(b)
}

// array writes an array at level whose elements each calls elem for.
func (s *jsonStream) array(level int, each func(elem func(v any)) error) {
	s.raw("[")
	n := 0
	err := each(func(v any) {
		if n > 0 {
			s.raw(",")
		}
		s.nl(level + 1)
		s.value(v, level+1)
		n++
	})
	if err != nil && s.err == nil {
		s.err = err
	}
	if n > 0 {
		s.nl(level)
	}
	s.raw("]")
}

func (s *jsonStream) flush() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}
