package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf16"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/samples"
	"github.com/rouei/rouei/scanners"
	"golang.org/x/text/encoding/japanese"
)

// Synthetic people for the pipeline tests: made-up names and numbers.
var (
	testFamily = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "松本", "井上", "木村", "林", "清水", "関口", "長谷川"}
	testGiven  = []string{"一郎", "花子", "健一", "美咲", "翔太", "陽菜", "大輔", "優子", "誠", "一", "恵", "和也", "由美", "拓海", "さくら"}
	testTown   = []string{"岡崎市康生通西", "豊橋市八町通", "名古屋市中区栄", "春日井市鳥居松町", "豊田市西町"}
)

type testPerson struct {
	id, name, kana, phone, birth, addr string
}

func testPeople(seed uint64, n int) []testPerson {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]testPerson, n)
	for i := range out {
		out[i] = testPerson{
			id:    fmt.Sprintf("%08d", 10000000+r.IntN(89999999)),
			name:  testFamily[r.IntN(len(testFamily))] + " " + testGiven[r.IntN(len(testGiven))],
			phone: fmt.Sprintf("0%d-%d-%04d", 52+r.IntN(10), 200+r.IntN(700), r.IntN(10000)),
			birth: fmt.Sprintf("%d/%02d/%02d", 1940+r.IntN(70), 1+r.IntN(12), 1+r.IntN(28)),
			addr:  fmt.Sprintf("愛知県%s%d-%d-%d", testTown[r.IntN(len(testTown))], 1+r.IntN(5), 1+r.IntN(30), 1+r.IntN(20)),
		}
	}
	return out
}

func toSJIS(t testing.TB, s string) []byte {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pipeInputs are large inputs of unlike shapes.
func pipeInputs(t testing.TB) map[string][]byte {
	in := map[string][]byte{}

	// A Shift_JIS patron registry, CRLF.
	var csv strings.Builder
	csv.WriteString("利用者番号,氏名,電話番号,生年月日,住所\r\n")
	for _, p := range testPeople(1, 8000) {
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%s\r\n", p.id, p.name, p.phone, p.birth, p.addr)
	}
	in["patrons.csv"] = toSJIS(t, csv.String())

	// UTF-8 overdue reminders in blocks, with now and then a line far
	// longer than a chunk (cut inside it, inside a character).
	var blocks strings.Builder
	r := rand.New(rand.NewPCG(2, 2))
	for i, p := range testPeople(2, 5000) {
		fmt.Fprintf(&blocks, "督促状\n利用者番号：%s\n氏名：%s 様\n電話：%s\n返却期限：2024年%d月%d日\n", p.id, p.name, p.phone, 1+i%12, 1+i%28)
		if r.IntN(200) == 0 {
			blocks.WriteString(strings.Repeat("図書館（0564-23-0101）からのお知らせ。", 300) + "\n")
		}
		blocks.WriteString("\n")
	}
	in["reminders.txt"] = []byte(blocks.String())

	// A binary dump: random bytes, fixed records (Shift_JIS and UTF-16LE
	// fields, NUL-separated), a stretch of text, NUL padding.
	var bin bytes.Buffer
	rb := rand.New(rand.NewPCG(3, 3))
	for i, p := range testPeople(3, 8000) {
		if i%50 == 0 {
			junk := make([]byte, 200+rb.IntN(3000))
			for k := range junk {
				junk[k] = byte(rb.Uint32())
			}
			bin.Write(junk)
		}
		if i%700 == 0 {
			bin.Write(make([]byte, 1024))
		}
		if i%3000 == 1 {
			bin.Write(toSJIS(t, "氏名,電話番号\r\n"+p.name+","+p.phone+"\r\n"+p.name+"子,"+p.phone+"\r\n"))
			bin.WriteByte(0)
		}
		if i%2 == 0 {
			for _, f := range []string{p.id, p.name, p.phone, p.birth} {
				rec := toSJIS(t, f)
				binary.Write(&bin, binary.LittleEndian, uint16(len(rec)))
				bin.Write(rec)
				bin.WriteByte(0)
			}
		} else {
			for _, f := range []string{p.id, p.name, p.phone} {
				for _, u := range utf16.Encode([]rune(f)) {
					binary.Write(&bin, binary.LittleEndian, u)
				}
				bin.Write([]byte{0, 0, 0, 0})
			}
		}
	}
	in["dump.bin"] = bin.Bytes()

	// The registry again, gzip'd: read through the decompressor.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(in["patrons.csv"])
	zw.Close()
	in["patrons.csv.gz"] = gz.Bytes()
	return in
}

// scanWays scans it once serially and once with every chunk pipelined.
func scanWays(t *testing.T, it scanners.Item, chunk int) (serial, piped []fileResult) {
	return scanWaysCheck(t, it, chunk, true)
}

func scanWaysCheck(t *testing.T, it scanners.Item, chunk int, check bool) (serial, piped []fileResult) {
	t.Helper()
	run := func(min int, force bool) []fileResult {
		oldMin, oldForce := pipeMin, pipeForce
		pipeMin, pipeForce = min, force
		defer func() { pipeMin, pipeForce = oldMin, oldForce }()
		// A rule's match timeout is wall time: on a loaded machine it may
		// strike either way. Such a scan is run again.
		var res []fileResult
		for try := 0; try < 4; try++ {
			opt := Options{ChunkSize: chunk}
			opt = opt.withDefaults()
			res = scanTree(context.Background(), it, &opt, newWorkspace(), 0, false)
			if !timedOut(res) {
				break
			}
		}
		return res
	}
	serial = run(1<<62, false)
	before := pipeStarts.Load()
	piped = run(0, true)
	if check && pipeStarts.Load() == before {
		t.Fatalf("%s: no pipeline started", it.Path)
	}
	return serial, piped
}

// timedOut says a rule's match timed out in the scan.
func timedOut(res []fileResult) bool {
	for _, r := range res {
		for _, e := range r.errors {
			if strings.Contains(e.Error, "timed out") {
				return true
			}
		}
	}
	return false
}

// sameResults compares two scans of one item, reporting differences by
// verdict and finding position only (never a value).
func sameResults(t *testing.T, name string, a, b []fileResult) {
	t.Helper()
	if reflect.DeepEqual(a, b) {
		return
	}
	if timedOut(a) || timedOut(b) {
		// scanWays tried again: the machine is too busy for the rules'
		// wall-clock timeout (-race). Not a difference of the pipeline.
		t.Logf("%s: a rule timed out in every try; not compared", name)
		return
	}
	if len(a) != len(b) {
		t.Fatalf("%s: %d results serially, %d pipelined", name, len(a), len(b))
	}
	for i := range a {
		fa, fb := a[i].file, b[i].file
		if (fa == nil) != (fb == nil) {
			t.Fatalf("%s[%d]: file verdict present %v serially, %v pipelined", name, i, fa != nil, fb != nil)
		}
		if fa != nil && !reflect.DeepEqual(*fa, *fb) {
			t.Errorf("%s[%d]: verdicts differ: %s/%s %d persons %d findings serially; %s/%s %d persons %d findings pipelined",
				name, i, fa.Classification, fa.Severity, fa.Persons, fa.Findings, fb.Classification, fb.Severity, fb.Persons, fb.Findings)
		}
		if len(a[i].findings) != len(b[i].findings) {
			t.Errorf("%s[%d]: %d findings serially, %d pipelined", name, i, len(a[i].findings), len(b[i].findings))
			continue
		}
		for k := range a[i].findings {
			x, y := a[i].findings[k], b[i].findings[k]
			if !reflect.DeepEqual(x, y) {
				t.Errorf("%s[%d]: finding %d differs: %s line %d offset %d fp %s serially; %s line %d offset %d fp %s pipelined",
					name, i, k, x.Detector, x.Line, x.Offset, x.Fingerprint, y.Detector, y.Line, y.Offset, y.Fingerprint)
				break
			}
		}
		if !reflect.DeepEqual(a[i].errors, b[i].errors) {
			t.Errorf("%s[%d]: errors differ: %v vs %v", name, i, a[i].errors, b[i].errors)
		}
	}
	if !t.Failed() {
		t.Errorf("%s: results differ", name)
	}
}

// TestPipelineMatchesSerial: a large file scanned with its chunks
// pipelined gives the serial scan's results exactly — verdicts, persons,
// findings, fingerprints, their order, the text regions of a binary —
// on unlike inputs and chunk sizes that cut records and characters.
func TestPipelineMatchesSerial(t *testing.T) {
	in := pipeInputs(t)
	chunks := []int{4093, 64 << 10}
	if testing.Short() {
		chunks = chunks[1:]
	}
	for name, data := range in {
		for _, chunk := range chunks {
			serial, piped := scanWays(t, memItem(name, data), chunk)
			found := 0
			for _, r := range serial {
				if r.file != nil {
					found += r.file.Findings
				}
			}
			if found < 1000 {
				t.Fatalf("%s: %d findings", name, found)
			}
			sameResults(t, fmt.Sprintf("%s/chunk=%d", name, chunk), serial, piped)
		}
	}
}

// TestPipelineRandomLayouts: the generator's random files (every layout,
// encoding, header style), with chunks so small that each file is many.
func TestPipelineRandomLayouts(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 15
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		rf := samples.Random(seed)
		chunk := 200 + int(seed*37)%900
		serial, piped := scanWaysCheck(t, memItem(rf.Name, rf.Data), chunk, len(rf.Data) > 3*chunk)
		sameResults(t, fmt.Sprintf("seed %d (%s)", seed, rf.Knobs.Layout), serial, piped)
	}
}

// panicky panics on the fifth chunk it searches.
type panicky struct{ calls *atomic.Int64 }

func (panicky) ID() string       { return "test-panicky" }
func (panicky) Category() string { return "phone" }
func (p panicky) Find(dst []detectors.Match, text []byte) []detectors.Match {
	if p.calls.Add(1) == 5 {
		panic("boom")
	}
	return dst
}

// TestPipelinePanicIsReported: a detector that panics on a pipelined
// chunk costs the file an error entry, as in a serial scan.
func TestPipelinePanicIsReported(t *testing.T) {
	oldMin, oldForce := pipeMin, pipeForce
	pipeMin, pipeForce = 0, true
	defer func() { pipeMin, pipeForce = oldMin, oldForce }()
	var calls atomic.Int64
	opt := Options{ChunkSize: 4096, Detectors: []detectors.Detector{panicky{&calls}}}
	opt = opt.withDefaults()
	res := scanTree(context.Background(), memItem("a.txt", bytes.Repeat([]byte("line of text 0564-23-0101\n"), 10000)), &opt, newWorkspace(), 0, false)
	if len(res) != 1 || len(res[0].errors) != 1 || !strings.Contains(res[0].errors[0].Error, "boom") {
		t.Fatalf("got %+v", res)
	}
}
