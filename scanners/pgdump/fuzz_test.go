package pgdump

import (
	"testing"

	"github.com/rouei/rouei/scanners"
)

var fuzzLimits = func() scanners.Limits {
	l := scanners.DefaultLimits
	l.MaxMemberBytes = 1 << 20
	l.MaxArchiveBytes = 4 << 20
	l.MaxMembers = 1000
	return l
}()

// FuzzDump walks any bytes as a custom-format dump, a toc.dat and a
// plain dump: no panic, and what comes out keeps to the limits.
func FuzzDump(f *testing.F) {
	f.Add(fixture(f, "library.dump"))
	f.Add(fixture(f, "library-z0.dump"))
	f.Add(fixture(f, "library.dir/toc.dat"))
	f.Add(fixture(f, "library.sql")[:4000])
	tb := table{id: 7, name: "t", copy: "COPY public.t (a, b) FROM stdin;\n", rows: "1\t\\N\\x41\n"}
	for _, c := range []byte{compNone, compGzip, compLZ4, compZstd} {
		f.Add(buildCustom(f, 16, c, "UTF8", tb))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, op := range []scanners.Opener{customOpener{}, tocOpener{}, plainOpener{}} {
			gs, _ := walk(t, op, data, "", fuzzLimits)
			total := 0
			for _, g := range gs {
				if len(g.text) > int(fuzzLimits.MaxMemberBytes) {
					t.Fatalf("%s: member %q of %d bytes", op.Kind(), g.name, len(g.text))
				}
				total += len(g.text)
			}
			if total > int(fuzzLimits.MaxArchiveBytes) || len(gs) > fuzzLimits.MaxMembers {
				t.Fatalf("%s: %d members, %d bytes", op.Kind(), len(gs), total)
			}
		}
	})
}
