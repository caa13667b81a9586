package engine

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rouei/rouei/samples"
)

// benchAreaCodes are real Japanese area codes of every length (2 to 5
// digits after the 0), for realistic fixed-line numbers.
var benchAreaCodes = []string{
	"03", "06", "011", "022", "045", "052", "075", "078", "082", "092", "099",
	"0422", "0466", "0532", "0564", "0565", "0566", "0263", "0776", "0985", "0154",
	"04992", "01267", "09802", "05979",
}

// patronRows writes distinct, realistic patron rows: the names, readings and
// addresses the samples generator plants (samples/expected.json), and phone
// numbers drawn from a deterministic PRNG over real area codes and the
// mobile, IP and toll-free prefixes, so that no two rows share a number
// the way a real registry does not.
type patronRows struct {
	r                   *rand.Rand
	names, kana, addres []string
	row                 int
}

func newPatronRows(tb testing.TB, seed uint64) *patronRows {
	tb.Helper()
	m, err := samples.LoadManifest(samples.ManifestPath())
	if err != nil {
		tb.Fatal(err)
	}
	p := &patronRows{r: rand.New(rand.NewPCG(seed, 15))}
	for _, f := range m.Files {
		p.names = append(p.names, f.Planted.Name...)
		p.kana = append(p.kana, f.Planted.NameKana...)
		p.addres = append(p.addres, f.Planted.Address...)
	}
	if len(p.names) == 0 || len(p.kana) == 0 || len(p.addres) == 0 {
		tb.Fatal("the samples manifest plants no names")
	}
	return p
}

// phone returns a number in one of the usual national spellings.
func (p *patronRows) phone() string {
	r := p.r
	var d string
	switch k := r.IntN(20); {
	case k < 11:
		d = []string{"090", "080", "070"}[r.IntN(3)] + strconv.Itoa(2+r.IntN(8)) + fmt.Sprintf("%07d", r.IntN(1e7))
		return d[:3] + "-" + d[3:7] + "-" + d[7:]
	case k < 12:
		d = "050" + strconv.Itoa(1+r.IntN(9)) + fmt.Sprintf("%07d", r.IntN(1e7))
		return d[:3] + "-" + d[3:7] + "-" + d[7:]
	case k < 13:
		return "0120-" + fmt.Sprintf("%03d-%03d", r.IntN(1000), r.IntN(1000))
	}
	area := benchAreaCodes[r.IntN(len(benchAreaCodes))]
	exLen := 6 - len(area) // ten digits: area, exchange, 4-digit subscriber
	ex := strconv.Itoa(2 + r.IntN(8))
	if exLen > 1 {
		ex += fmt.Sprintf("%0*d", exLen-1, r.IntN(pow10i(exLen-1)))
	}
	sub := fmt.Sprintf("%04d", r.IntN(1e4))
	if r.IntN(8) == 0 {
		return area + ex + sub // bare
	}
	return area + "-" + ex + "-" + sub
}

func pow10i(n int) int {
	p := 1
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// next returns one CSV row: patron ID, name, reading, birth date, postal
// code, address, home phone, mobile (one row in two), e-mail one row in
// four.
func (p *patronRows) next() string {
	r := p.r
	p.row++
	mobile := ""
	if r.IntN(2) == 0 {
		mobile = p.phone()
	}
	mail := ""
	if r.IntN(4) == 0 {
		mail = fmt.Sprintf("user%d.%d@example.jp", p.row, r.IntN(1000))
	}
	return fmt.Sprintf("%08d,%s,%s,%d-%02d-%02d,%03d-%04d,%s,%s,%s,%s\n", p.row,
		p.names[r.IntN(len(p.names))], p.kana[r.IntN(len(p.kana))],
		1935+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000), r.IntN(1e4),
		p.addres[r.IntN(len(p.addres))], p.phone(), mobile, mail)
}

// writePatronCSV writes a patron registry of about size bytes to path.
func writePatronCSV(tb testing.TB, path string, size int64) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("利用者番号,氏名,フリガナ,生年月日,郵便番号,住所,電話番号,携帯電話,メール\n")
	p := newPatronRows(tb, 1)
	var n int64
	for n < size {
		k, _ := w.WriteString(p.next())
		n += int64(k)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkScanPatronCSV scans, from disk, one patron registry CSV dense
// with distinct phone numbers (issue 15's shape: every line a person, one
// or two numbers each, no number repeated), 64 MiB by default; set
// ROUEI_BENCH_PATRON_MIB=256 for the target size.
func BenchmarkScanPatronCSV(b *testing.B) {
	mib := int64(64)
	if v, err := strconv.ParseInt(os.Getenv("ROUEI_BENCH_PATRON_MIB"), 10, 64); err == nil && v > 0 {
		mib = v
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "patrons.csv")
	writePatronCSV(b, path, mib<<20)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		r, err := Scan(context.Background(), []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Files) != 1 || len(r.Errors) > 0 {
			b.Fatalf("files %d, errors %v", len(r.Files), r.Errors)
		}
	}
	reportCPU(b, st.Size(), processCPU()-cpu0)
	b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MB")
}

// reportCPU reports the bytes scanned per CPU second (both cores' time
// summed): the cost of the work, whatever else runs on the machine.
func reportCPU(b *testing.B, size int64, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

// TestPatronRowsDistinct checks the benchmark's data: numbers do not repeat
// and every row holds a person.
func TestPatronRowsDistinct(t *testing.T) {
	p := newPatronRows(t, 1)
	seen := map[string]bool{}
	dup := 0
	for range 20000 {
		n := p.phone()
		if seen[n] {
			dup++
		}
		seen[n] = true
	}
	// 0120-XXX-XXX has a million numbers, so a few of its draws collide.
	if dup > 20 {
		t.Errorf("%d repeated numbers in 20000", dup)
	}
}
