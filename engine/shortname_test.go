package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf16"

	"github.com/rouei/rouei/detectors"
	"golang.org/x/text/encoding/japanese"
)

// shortNames are made-up patrons whose names have two or three
// characters (a space inside counted).
var shortNames = []string{"林 一", "佐藤", "関口", "森 恵", "原 誠", "高橋", "林田", "中村", "吉田", "小林", "谷 翔", "岡 歩"}

type dumpEnc func(t testing.TB, s string) []byte

func encUTF16(t testing.TB, s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		binary.Write(&b, binary.LittleEndian, u)
	}
	return b.Bytes()
}

func encEUC(t testing.TB, s string) []byte {
	b, err := japanese.EUCJP.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shortNameDump writes n records (patron ID, name, phone, birth date)
// in enc, laid out as layout says, between stretches of random bytes:
// "len" length-prefixed fields (a byte and a NUL, the way an export
// stores columns), "nul" NUL-terminated fields, "fixed" fields NUL-padded
// to 16 characters.
func shortNameDump(t testing.TB, seed uint64, n int, enc dumpEnc, layout string) []byte {
	r := rand.New(rand.NewPCG(seed, 5))
	var b bytes.Buffer
	junk := func(k int) {
		for range k {
			b.WriteByte(byte(r.Uint32()))
		}
	}
	junk(4096)
	for i := range n {
		name := shortNames[(i*7+int(seed))%len(shortNames)]
		b.Write([]byte{0x00, 0x3c, byte(i), 0x00}) // a row header
		for _, f := range []string{
			fmt.Sprintf("%08d", 20000000+i*7919),
			name,
			fmt.Sprintf("0%d0-%04d-%04d", 7+r.IntN(3), 1000+r.IntN(9000), 1000+r.IntN(9000)),
			fmt.Sprintf("%d/%02d/%02d", 1940+r.IntN(70), 1+r.IntN(12), 1+r.IntN(28)),
		} {
			v := enc(t, f)
			switch layout {
			case "len":
				b.Write([]byte{byte(len(v)), 0x00})
				b.Write(v)
			case "nul":
				b.Write(v)
				b.Write([]byte{0, 0})
			case "fixed":
				field := make([]byte, 16*len(enc(t, "0"))) // 16 characters
				copy(field, v)
				b.Write(field)
			}
		}
		b.Write([]byte{0x00, 0x00})
		if i%10 == 9 {
			junk(512 + r.IntN(2048))
		} else {
			junk(8 + r.IntN(40))
		}
	}
	junk(4096)
	return b.Bytes()
}

// scanDump scans data as a binary, with or without the marginal strings.
func scanDump(t *testing.T, data []byte, marginal bool) (persons, names int, res []fileResult) {
	t.Helper()
	old := keepMarginal
	keepMarginal = marginal
	defer func() { keepMarginal = old }()
	opt := Options{}
	opt = opt.withDefaults()
	res = scanTree(context.Background(), memItem("patron.dat", data), &opt, newWorkspace(), 0, false)
	if f := res[0].file; f != nil {
		persons = f.Persons
	}
	for _, x := range res[0].findings {
		if x.Category == "name" {
			names++
		}
	}
	return persons, names, res
}

// TestShortNamesInDumps: patrons whose names have two or three
// characters, in records of a binary dump (length-prefixed,
// NUL-terminated or fixed-width fields; CP932 or UTF-16LE), are found
// and counted one person a record. Without the marginal strings they
// were dropped.
func TestShortNamesInDumps(t *testing.T) {
	const people = 60
	for _, c := range []struct {
		name   string
		enc    dumpEnc
		layout string
	}{
		{"cp932", toSJIS, "len"}, {"cp932", toSJIS, "nul"}, {"cp932", toSJIS, "fixed"},
		{"utf16le", encUTF16, "len"}, {"utf16le", encUTF16, "nul"}, {"utf16le", encUTF16, "fixed"},
	} {
		for _, seed := range []uint64{1, 2} {
			data := shortNameDump(t, seed, people, c.enc, c.layout)
			persons, names, _ := scanDump(t, data, true)
			// A patron ID the patron-id detector passes over leaves its
			// record to be counted by name and phone (seed 2: two).
			if names != people || persons > people || persons < people-2 {
				t.Errorf("%s/%s seed %d: %d persons, %d names; want %d of each", c.name, c.layout, seed, persons, names, people)
			}
			if _, before, _ := scanDump(t, data, false); before != 0 {
				t.Errorf("%s/%s seed %d: %d names without the marginal strings, want none", c.name, c.layout, seed, before)
			}
		}
	}
}

func randomish(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 9))
	plain := make([]byte, 2<<20)
	for i := range plain {
		plain[i] = byte(r.Uint32())
	}
	return plain
}

// TestMarginalNoFalseAlarms: random bytes, and random bytes full of
// digit strings (timestamps, versions: what a short string could seem a
// field beside), read as CP932 or UTF-16 give pairs of kanji everywhere;
// none becomes a name.
func TestMarginalNoFalseAlarms(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 9))
		plain := randomish(seed)
		var digitsy bytes.Buffer
		for digitsy.Len() < 2<<20 {
			for range 8 + r.IntN(40) {
				digitsy.WriteByte(byte(r.Uint32()))
			}
			switch r.IntN(3) {
			case 0:
				fmt.Fprintf(&digitsy, "\x00%d%02d%02d%06d\x00", 2000+r.IntN(25), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000000))
			case 1:
				digitsy.Write(encUTF16(t, fmt.Sprintf("%d.%d.%d.%d", r.IntN(10), r.IntN(100), r.IntN(100), r.IntN(10000))))
				digitsy.Write([]byte{0, 0})
			default:
				v := fmt.Sprintf("%08d", r.IntN(100000000))
				digitsy.Write([]byte{byte(len(v)), 0})
				digitsy.WriteString(v)
			}
		}
		for name, data := range map[string][]byte{"random": plain, "random with numbers": digitsy.Bytes()} {
			_, names, res := scanDump(t, data, true)
			_, before, was := scanDump(t, data, false)
			if names > before {
				t.Errorf("%s seed %d: %d names, %d without the marginal strings", name, seed, names, before)
			}
			sev := func(r []fileResult) detectors.Severity {
				if r[0].file == nil {
					return detectors.None
				}
				return r[0].file.Severity
			}
			if sev(res) > max(sev(was), detectors.Low) {
				t.Errorf("%s seed %d: severity %s, %s without the marginal strings", name, seed, sev(res), sev(was))
			}
		}
	}
}
