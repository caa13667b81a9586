package pgdump

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// archiveBuilder writes a custom-format archive the way pg_dump does, for
// versions and compressions the Debian pg_dump of the fixtures cannot
// make.
type archiveBuilder struct {
	b    bytes.Buffer
	vmin byte
}

func (a *archiveBuilder) int(v int64) {
	if v < 0 {
		a.b.WriteByte(1)
		v = -v
	} else {
		a.b.WriteByte(0)
	}
	var p [4]byte
	binary.LittleEndian.PutUint32(p[:], uint32(v))
	a.b.Write(p[:])
}

func (a *archiveBuilder) str(s string) { a.int(int64(len(s))); a.b.WriteString(s) }
func (a *archiveBuilder) null()        { a.int(-1) }

type table struct {
	id         int
	name, copy string
	rows       string
}

// buildCustom is an archive of version 1.vmin with compression comp
// (compNone, compGzip, compLZ4, compZstd) holding tables.
func buildCustom(t testing.TB, vmin, comp byte, encoding string, tables ...table) []byte {
	a := &archiveBuilder{vmin: vmin}
	a.b.WriteString("PGDMP")
	a.b.Write([]byte{1, vmin, 0, 4, 8, fmtCustom})
	if vmin >= 15 {
		a.b.WriteByte(comp)
	} else if comp == compGzip {
		a.int(-1)
	} else {
		a.int(0)
	}
	for i := 0; i < 7; i++ {
		a.int(1)
	}
	a.str("library")
	a.str("17.2")
	a.str("17.2")
	entry := func(id int, tag, desc, defn, copyStmt string, data bool) {
		a.int(int64(id))
		a.int(map[bool]int64{true: 1}[data])
		a.str("0")
		a.str("0")
		a.str(tag)
		a.str(desc)
		if vmin >= 11 {
			a.int(2) // section
		}
		a.str(defn)
		a.str("")
		a.str(copyStmt)
		a.str("public")
		a.str("")
		if vmin >= 14 {
			a.str("heap")
		}
		if vmin >= 16 {
			a.int(int64('r'))
		}
		a.str("postgres")
		a.str("false")
		a.str("1") // one dependency
		a.null()
		if data {
			a.b.WriteByte(offsetNotSet)
		} else {
			a.b.WriteByte(offsetNoData)
		}
		a.b.Write(make([]byte, 8))
	}
	a.int(int64(1 + len(tables)))
	entry(1, "ENCODING", "ENCODING", "SET client_encoding = '"+encoding+"';\n", "", false)
	for _, tb := range tables {
		entry(tb.id, tb.name, "TABLE DATA", "", tb.copy, true)
	}
	for _, tb := range tables {
		a.b.WriteByte(blkData)
		a.int(int64(tb.id))
		data := compress(t, comp, []byte(tb.rows))
		for len(data) > 0 { // chunks of up to 100 bytes
			n := min(len(data), 100)
			a.int(int64(n))
			a.b.Write(data[:n])
			data = data[n:]
		}
		a.int(0)
	}
	return a.b.Bytes()
}

func compress(t testing.TB, comp byte, p []byte) []byte {
	var b bytes.Buffer
	switch comp {
	case compNone:
		return p
	case compGzip:
		w := zlib.NewWriter(&b)
		w.Write(p)
		w.Close()
	case compLZ4:
		w := lz4.NewWriter(&b)
		w.Write(p)
		w.Close()
	case compZstd:
		w, err := zstd.NewWriter(&b)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p)
		w.Close()
	}
	return b.Bytes()
}
