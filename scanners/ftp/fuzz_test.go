package ftp

import (
	"bytes"
	"testing"
)

// FuzzReplyParser feeds arbitrary server output, cut into reads at
// arbitrary points, to the control-connection reply parser and to
// readReply: nothing panics, lines and replies stay within their bounds,
// and a FEAT reply replays well-formed.
func FuzzReplyParser(f *testing.F) {
	f.Add([]byte("220 ready\r\n"), uint8(3))
	f.Add([]byte("211-Features:\r\n AUTH TLS\r\n EPSV\r\n211 End\r\n"), uint8(1))
	f.Add([]byte("230-a\r\n230-b\r\n230 c\r\n150 x\r\n226 y\r\n"), uint8(7))
	f.Add([]byte("123-\n\n\n999 x\r\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		var p replyParser
		n := int(step%16) + 1
		for i := 0; i < len(data); i += n {
			p.feed(data[i:min(i+n, len(data))], "FEAT")
			if len(p.line) > maxReplyLine || len(p.lines) > maxReplyLines || len(p.done) > 64 {
				t.Fatalf("parser over its bounds: line %d, lines %d, done %d", len(p.line), len(p.lines), len(p.done))
			}
		}
		for _, r := range p.done {
			if r.code != 0 && (r.code < 100 || r.code > 599) {
				t.Fatalf("reply code %d", r.code)
			}
			out := r.replay()
			var q replyParser
			q.feed(out, "FEAT")
			if len(q.done) != 1 || !q.idle() {
				t.Fatalf("replayed FEAT %q parses as %d replies", out, len(q.done))
			}
		}
		if r, err := readReply(bytes.NewReader(data)); err == nil && (r.code < 100 || r.code > 599) && r.code != 0 {
			t.Fatalf("readReply code %d", r.code)
		}
	})
}
