package engine

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/samples"
	"github.com/rouei/rouei/scanners"
)

// copyTree copies the sample deliverable n times under dst and returns
// the bytes copied.
func copyTree(b *testing.B, dst string, n int) int64 {
	b.Helper()
	src := samples.DeliverableDir()
	var total int64
	for i := 0; i < n; i++ {
		err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out := filepath.Join(dst, strconv.Itoa(i), rel)
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			total += int64(len(data))
			return os.WriteFile(out, data, 0o644)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return total
}

// BenchmarkScanSamples scans, from disk, 40 copies of the sample deliverable (mixed
// text in every supported encoding and binaries) with all detectors.
func BenchmarkScanSamples(b *testing.B) {
	dir := b.TempDir()
	size := copyTree(b, dir, 40)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Scan(context.Background(), []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Files) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkPipelineSamples runs the pipeline (sniffing, decoding,
// string extraction, all detectors, scoring, masking) over the sample
// deliverable held in memory, without the file system's cost.
func BenchmarkPipelineSamples(b *testing.B) {
	files, _, err := samples.Build()
	if err != nil {
		b.Fatal(err)
	}
	var items []scanners.Item
	var size int64
	for name, data := range files {
		items = append(items, memItem(name, data))
		size += int64(len(data))
	}
	opt := Options{}
	opt = opt.withDefaults()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rs := scanItems(context.Background(), items, nil, &opt); len(rs) != len(items) {
			b.Fatal("results missing")
		}
	}
}

// rowsReader produces size bytes of CSV rows with personal data, without
// holding them in memory.
type rowsReader struct {
	left int64
	row  int
	buf  bytes.Buffer
}

func (r *rowsReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	for r.buf.Len() < len(p) {
		r.row++
		fmt.Fprintf(&r.buf, "%08d,利用者%d,090-%04d-%04d,返却期限 2024-01-15,本のタイトル%s\n",
			r.row, r.row, 3000+r.row%7000, 1000+r.row%9000, strings.Repeat("あ", r.row%20))
	}
	n := copy(p, r.buf.Next(min(len(p), int(r.left))))
	r.left -= int64(n)
	return n, nil
}

// peakRSS is the process's peak resident set size in bytes (Linux).
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkScanLargeFile streams one file of 64 MiB and one of 512 MiB
// through the engine; peak-RSS-MB stays the same, since memory does not
// depend on file size (the listed findings are capped per file).
func BenchmarkScanLargeFile(b *testing.B) {
	for _, size := range []int64{64 << 20, 512 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			b.SetBytes(size)
			opt := Options{}
			opt = opt.withDefaults()
			m := startCPU()
			for i := 0; i < b.N; i++ {
				it := scanners.Item{Path: "big.csv", Rel: "big.csv", Size: size, Open: func() (io.ReadCloser, error) {
					return io.NopCloser(&rowsReader{left: size}), nil
				}}
				res := scanItem(context.Background(), it, &opt, newWorkspace())
				if res.file == nil || res.file.Findings == 0 {
					b.Fatal("no findings")
				}
			}
			m.report(b, size)
			b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MB")
		})
	}
}

// mixedItems builds a deliverable-like corpus in memory: program source,
// Japanese documentation, configuration, CSV exports in which one line in
// fifty holds a person, and binaries (random bytes with embedded strings);
// half text and half binary by size, in files of 256 KiB.
func mixedItems(size int) ([]scanners.Item, int64) {
	r := rand.New(rand.NewPCG(1, 2))
	src := "func (s *Service) Overdue(ctx context.Context, id int64) (*Notice, error) { // 延滞通知を作る\n" +
		"\treturn s.repo.Find(ctx, \"SELECT SHIMEI, TEL FROM PATRON WHERE ID = ?\", id) // v2.3.1 2024-01-15\n"
	doc := "本システムの利用者は、所定の手続きにより資料を借りることができます。返却期限を過ぎた資料は督促の対象です。\n" +
		"詳しくは架空市立中央図書館（TEL 0564-23-0101）までお問い合わせください。ISBN 978-4-06-123456-7。\n"
	var items []scanners.Item
	var total int64
	for n := 0; total < int64(size); n++ {
		var b bytes.Buffer
		switch n % 4 {
		case 0:
			for b.Len() < 256<<10 {
				b.WriteString(src)
			}
		case 1:
			for b.Len() < 256<<10 {
				b.WriteString(doc)
			}
		case 2:
			b.WriteString("利用者番号,氏名,電話番号,書名,返却期限\n")
			for i := 0; b.Len() < 256<<10; i++ {
				if i%50 == 0 {
					fmt.Fprintf(&b, "%08d,佐藤 花子%d,090-%04d-%04d,宇宙の話,2005/05/01\n", i, i, 2000+i%8000, 1000+i%9000)
				} else {
					fmt.Fprintf(&b, "%08d,,,蔵書点検用ダミー行,\n", i)
				}
			}
		case 3:
			for b.Len() < 256<<10 {
				var chunk [4096]byte
				for i := range chunk {
					chunk[i] = byte(r.IntN(256))
				}
				b.Write(chunk[:])
				b.WriteString("\x00\x00usage: ilsctl [options]\x00")
			}
		}
		items = append(items, memItem(fmt.Sprintf("f%04d", n), b.Bytes()))
		total += int64(b.Len())
	}
	return items, total
}

// BenchmarkPipelineMixed runs the whole pipeline over 64 MiB of
// deliverable-like data (see mixedItems) on every core.
func BenchmarkPipelineMixed(b *testing.B) {
	items, size := mixedItems(64 << 20)
	opt := Options{}
	opt = opt.withDefaults()
	b.SetBytes(size)
	b.ResetTimer()
	m := startCPU()
	for i := 0; i < b.N; i++ {
		if rs := scanItems(context.Background(), items, nil, &opt); len(rs) != len(items) {
			b.Fatal("results missing")
		}
	}
	m.report(b, size)
}

// cpuMeter measures the CPU time a benchmark uses beside its wall time:
// on a machine shared with others, MB per CPU second is the steadier
// figure, and CPU over wall time says how many cores were kept busy.
type cpuMeter struct {
	cpu  time.Duration
	wall time.Time
}

func startCPU() cpuMeter { return cpuMeter{cpu: processCPU(), wall: time.Now()} }

func (m cpuMeter) report(b *testing.B, size int64) {
	cpu, wall := processCPU()-m.cpu, time.Since(m.wall)
	if cpu <= 0 || wall <= 0 {
		return
	}
	b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cores")
}

// dumpReader produces size bytes of a binary dump: random blocks, and
// rows of length-prefixed CP932 and ASCII columns (a patron ID, a name,
// a phone number, a birth date), all distinct, without holding them in
// memory.
type dumpReader struct {
	left int64
	row  int
	r    *rand.Rand
	buf  bytes.Buffer
}

var dumpNames = [][]byte{
	{0x8d, 0xb2, 0x93, 0xa1, 0x81, 0x40, 0x89, 0xd4, 0x8e, 0x71}, // 佐藤　花子
	{0x97, 0xd1, 0x81, 0x40, 0x88, 0xea},                         // 林　一
	{0x8a, 0xd6, 0x8c, 0xfb},                                     // 関口
	{0x8d, 0x82, 0x8b, 0xb4, 0x81, 0x40, 0x8c, 0x92, 0x88, 0xea}, // 高橋　健一
}

func (d *dumpReader) Read(p []byte) (int, error) {
	if d.left <= 0 {
		return 0, io.EOF
	}
	if d.r == nil {
		d.r = rand.New(rand.NewPCG(3, 4))
	}
	col := func(v []byte) {
		d.buf.Write([]byte{byte(len(v)), 0})
		d.buf.Write(v)
	}
	for d.buf.Len() < len(p) {
		d.row++
		if d.row%16 == 0 {
			for range 4096 {
				d.buf.WriteByte(byte(d.r.Uint32()))
			}
		}
		d.buf.Write([]byte{0x00, 0x3c, 0x04, 0x00})
		col(fmt.Appendf(nil, "%08d", 10000000+d.row))
		col(dumpNames[d.row%len(dumpNames)])
		col(fmt.Appendf(nil, "090-%04d-%04d", 1000+d.row/9000%9000, 1000+d.row%9000))
		col(fmt.Appendf(nil, "%d/%02d/%02d", 1940+d.row%60, 1+d.row%12, 1+d.row%28))
		for range 8 + d.r.IntN(40) {
			d.buf.WriteByte(byte(d.r.Uint32()))
		}
	}
	n := copy(p, d.buf.Next(min(len(p), int(d.left))))
	d.left -= int64(n)
	return n, nil
}

// BenchmarkScanLargeBinary streams one 64 MiB binary dump (dumpReader)
// through the engine: string extraction, detection and record analysis.
func BenchmarkScanLargeBinary(b *testing.B) {
	const size = 64 << 20
	b.SetBytes(size)
	opt := Options{}
	opt = opt.withDefaults()
	m := startCPU()
	for i := 0; i < b.N; i++ {
		it := scanners.Item{Path: "patron.dmp", Rel: "patron.dmp", Size: size, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(&dumpReader{left: size}), nil
		}}
		res := scanItem(context.Background(), it, &opt, newWorkspace())
		if res.file == nil || res.file.Findings == 0 {
			b.Fatal("no findings")
		}
	}
	m.report(b, size)
	b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MB")
}

// writeNestedDeliverable writes dir/release.tar.gz of about size bytes
// uncompressed: a CSV export streamed into the tar, and a zip (which
// needs random access, so the engine spools it) holding another CSV and
// a gzip'd CSV. Everything is streamed: nothing of that size is held in
// memory here either.
func writeNestedDeliverable(b *testing.B, dir string, size int64) {
	b.Helper()
	f, err := os.Create(filepath.Join(dir, "release.tar.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	gz, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	half := size / 2
	// The zip is built in a temp file first (tar needs its size).
	zf, err := os.Create(filepath.Join(dir, "inner.zip"))
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "data/export.csv", Method: zip.Deflate})
	if _, err := io.Copy(w, &rowsReader{left: half / 2}); err != nil {
		b.Fatal(err)
	}
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "data/old.csv.gz", Method: zip.Store})
	igz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if _, err := io.Copy(igz, &rowsReader{left: half / 2}); err != nil {
		b.Fatal(err)
	}
	igz.Close()
	zw.Close()
	zsize, _ := zf.Seek(0, io.SeekEnd)
	zf.Seek(0, io.SeekStart)
	tw.WriteHeader(&tar.Header{Name: "release/setup/inner.zip", Mode: 0o644, Size: zsize})
	if _, err := io.Copy(tw, zf); err != nil {
		b.Fatal(err)
	}
	zf.Close()
	os.Remove(zf.Name())
	tw.WriteHeader(&tar.Header{Name: "release/data/export.csv", Mode: 0o644, Size: half})
	if _, err := io.Copy(tw, &rowsReader{left: half}); err != nil {
		b.Fatal(err)
	}
	tw.Close()
	gz.Close()
}

// BenchmarkScanNestedArchive scans a 1 GiB deliverable (set
// ROUEI_BENCH_NESTED_MIB to change it) of nested archives: tar.gz > zip >
// csv and csv.gz. peak-RSS-MB shows memory stays bounded whatever the
// size; the dense rows make it the slow worst case for throughput.
func BenchmarkScanNestedArchive(b *testing.B) {
	mib := int64(1024)
	if v, err := strconv.ParseInt(os.Getenv("ROUEI_BENCH_NESTED_MIB"), 10, 64); err == nil && v > 0 {
		mib = v
	}
	dir := b.TempDir()
	writeNestedDeliverable(b, dir, mib<<20)
	b.SetBytes(mib << 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Scan(context.Background(), []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Errors) > 0 || r.Stats.Archives != 4 {
			b.Fatalf("errors %v, archives %d", r.Errors, r.Stats.Archives)
		}
	}
	b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MB")
}
