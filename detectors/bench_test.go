package detectors

import (
	"bytes"
	"fmt"
	"math/rand"
	randv2 "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/samples"
)

// mixedText builds about size bytes of normalised mixed Japanese/ASCII
// text — prose, source code, logs and CSV rows full of dates, versions,
// prices and IDs — with a synthetic piece of personal data every ~8 KiB.
func mixedText(size int) []byte {
	r := rand.New(rand.NewSource(1))
	prose := []string{
		"図書館システムの更新に伴い、利用者データベースの移行作業を実施しました。",
		"貸出期限を過ぎた資料については、督促状を送付してください。返却期限は2週間です。",
		"本ソフトウェアは2024年4月1日にリリースされ、第3版では検索機能が改善されています。",
		"蔵書点検の結果、所在不明資料は全体の0.3%でした。詳細は別紙を参照。",
		"ｶﾀｶﾅ以外の全角文字も含む長めの説明文がここに続きます。予約件数は1,234件。",
	}
	code := []string{
		"func (s *Server) Handle(w http.ResponseWriter, r *http.Request) { id := r.URL.Query().Get(\"id\") }",
		"const maxRetries = 3 // see issue #1024, fixed in v1.12.4",
		"2024-01-15T09:30:12Z INFO request id=7f3a9c0e2b41 ip=192.168.10.24 took 35ms status=200",
		"SELECT * FROM loans WHERE due_date < '2024-02-01' AND branch_id = 12;",
		"import \"github.com/example/lib@v1.2.3\"  # sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"background-color: #0a0b0c; margin: 0 0 10px 0; width: calc(100% - 24px);",
	}
	csv := func() string {
		return fmt.Sprintf("%d,ISBN978-4-%02d-%06d-%d,%d円,2023/%02d/%02d,%d.%d.%d,%012d",
			r.Intn(100000), r.Intn(100), r.Intn(1000000), r.Intn(10), r.Intn(5000),
			1+r.Intn(12), 1+r.Intn(28), r.Intn(10), r.Intn(20), r.Intn(100), r.Int63n(1e12))
	}
	hits := []string{
		"山田,電話 0564-23-3100,〒444-8601 愛知県岡崎市",
		"連絡先: hanako.sato@mail.okazaki-lib.lg.jp 携帯090-2746-3158",
		"生年月日: 1970年3月2日 (55歳)",
		"個人番号: 123456789018",
		"昭和45年3月2日生 年齢: 55",
		"宛名: 高橋 健一 様 (〒444-0001)",
		"住所: 愛知県岡崎市康生通西2丁目1番地",
		"利用者番号: 10293847 書名: 宇宙の話",
		"書名: はじめての天体観測",
		"  宮崎県えびの市大字栄町1234",
	}
	var b bytes.Buffer
	next := 8192
	for b.Len() < size {
		switch k := r.Intn(10); {
		case k < 4:
			b.WriteString(prose[r.Intn(len(prose))])
		case k < 7:
			b.WriteString(code[r.Intn(len(code))])
		default:
			b.WriteString(csv())
		}
		b.WriteByte('\n')
		if b.Len() > next {
			b.WriteString(hits[r.Intn(len(hits))])
			b.WriteByte('\n')
			next += 8192
		}
	}
	return b.Bytes()
}

func BenchmarkDetectors(b *testing.B) { benchAll(b, mixedText(1<<20)) }

// benchPhone draws a distinct, realistic number (samples.BenchPhone).
func benchPhone(r *randv2.Rand) string { return samples.BenchPhone(r) }

// patronText is about size bytes of samples.BenchPatronCSV: a patron
// registry in which every line is a person with distinct values.
func patronText(tb testing.TB, size int) []byte {
	var b bytes.Buffer
	if err := samples.BenchPatronCSV(&b, int64(size)); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// asciiLog builds about size bytes of an ASCII server log with no personal
// data: timestamps, IPs, ids, durations, hex digests, paths.
func asciiLog(size int) []byte {
	r := randv2.New(randv2.NewPCG(2, 15))
	paths := []string{"/api/v1/loans", "/opac/search", "/static/app.js", "/api/v1/patrons/status", "/healthz"}
	var b bytes.Buffer
	for b.Len() < size {
		fmt.Fprintf(&b, "2024-%02d-%02dT%02d:%02d:%02d.%03dZ INFO req=%016x ip=10.%d.%d.%d method=GET path=%s?q=%d status=%d took=%dms bytes=%d sha=%08x%08x\n",
			1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), r.Uint64(),
			r.IntN(256), r.IntN(256), r.IntN(256), paths[r.IntN(len(paths))], r.IntN(100000),
			[]int{200, 200, 200, 304, 404, 500}[r.IntN(6)], r.IntN(2000), r.IntN(1<<20), r.Uint32(), r.Uint32())
	}
	return b.Bytes()
}

// BenchmarkDetectorsPatrons runs all detectors over 1 MiB of a patron
// registry with distinct numbers (see patronText), one core.
func BenchmarkDetectorsPatrons(b *testing.B) { benchAll(b, patronText(b, 1<<20)) }

// BenchmarkDetectorsLog runs all detectors over 1 MiB of an ASCII log
// without personal data (see asciiLog), one core.
func BenchmarkDetectorsLog(b *testing.B) { benchAll(b, asciiLog(1<<20)) }

func benchAll(b *testing.B, text []byte) {
	all := All()
	var dst []Match
	for _, d := range all { // lazy dictionaries load outside the timing
		dst = d.Find(dst[:0], text[:min(len(text), 4096)])
	}
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		dst = dst[:0]
		for _, d := range all {
			dst = d.Find(dst, text)
		}
	}
	reportCPU(b, len(text), processCPU()-cpu0)
	b.ReportMetric(float64(len(dst)), "matches")
}

// reportCPU reports the bytes processed per CPU second.
func reportCPU(b *testing.B, size int, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

// BenchmarkEachDetector measures every detector alone on the mixed corpus
// (mixedText: little personal data), on the patron registry (patronText:
// every line a person, no value repeated) and on an ASCII log without
// personal data (asciiLog).
func BenchmarkEachDetector(b *testing.B) {
	for _, c := range []struct {
		name string
		text []byte
	}{{"mixed", mixedText(1 << 20)}, {"patrons", patronText(b, 1<<20)}, {"log", asciiLog(1 << 20)}} {
		for _, d := range All() {
			b.Run(c.name+"/"+d.ID(), func(b *testing.B) {
				dst := d.Find(nil, c.text[:4096])
				b.SetBytes(int64(len(c.text)))
				b.ResetTimer()
				cpu0 := processCPU()
				for b.Loop() {
					dst = d.Find(dst[:0], c.text)
				}
				reportCPU(b, len(c.text), processCPU()-cpu0)
				b.ReportMetric(float64(len(dst)), "matches")
			})
		}
	}
}

// BenchmarkPhoneDistinct validates a stream of distinct numbers: the phone
// detector's cost when no number repeats (a fresh detector per run, so no
// cache carried over).
func BenchmarkPhoneDistinct(b *testing.B) {
	r := randv2.New(randv2.NewPCG(3, 15))
	var t bytes.Buffer
	for t.Len() < 1<<20 {
		t.WriteString(benchPhone(r))
		t.WriteString(",\n")
	}
	text := t.Bytes()
	b.SetBytes(int64(len(text)))
	var dst []Match
	cpu0 := processCPU()
	for b.Loop() {
		dst = NewPhone().Find(dst[:0], text)
	}
	reportCPU(b, len(text), processCPU()-cpu0)
	b.ReportMetric(float64(len(dst)), "matches")
}

// TestMixedTextFindsHits checks that the benchmark corpus yields its
// planted data and nothing from its noise lines.
func TestMixedTextFindsHits(t *testing.T) {
	text := mixedText(1 << 18)
	for _, d := range All() {
		ms := d.Find(nil, text)
		if len(ms) == 0 {
			t.Errorf("%s: no match in the benchmark corpus", d.ID())
		}
		for _, m := range ms {
			line := text[bytes.LastIndexByte(text[:m.Start], '\n')+1:]
			line = line[:bytes.IndexByte(line, '\n')]
			if !bytes.ContainsAny(line, ":〒携県") {
				t.Errorf("%s: match %s in a noise line", d.ID(), Mask(m.Category, m.Value))
			}
		}
	}
}

// FuzzFind checks that no detector panics and that matches stay inside
// the text, in order and without overlap.
func FuzzFind(f *testing.F) {
	f.Add("電話 0564-23-3100 〒444-8601 愛知県 taro@example.jp 個人番号: 123456789018 昭和45年3月2日 45歳")
	f.Add("+81-(0)-90 元年 令和元年5月 年齢：")
	f.Fuzz(func(t *testing.T, s string) {
		text := []byte(s)
		for _, d := range All() {
			ms := d.Find(nil, text)
			end := 0
			_, set := d.(*RuleSet) // several rules' matches may overlap
			for _, m := range ms {
				if (m.Start < end && !set) || m.End <= m.Start || m.End > len(text) {
					t.Fatalf("%s: bad match offsets %d..%d (prev end %d, len %d)", d.ID(), m.Start, m.End, end, len(text))
				}
				end = m.End
			}
		}
	})
}

// BenchmarkPhoneShape is the validation of one candidate by the table
// (validity, type and national grouping), over distinct numbers.
func BenchmarkPhoneShape(b *testing.B) {
	r := randv2.New(randv2.NewPCG(4, 15))
	var nums [][]byte
	for range 4096 {
		d := []byte(strings.NewReplacer("-", "", "(", "", ")", "").Replace(benchPhone(r)))
		if len(d) == 10 || len(d) == 11 {
			nums = append(nums, d)
		}
	}
	p := NewPhone()
	ok := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if p.shape(nums[i%len(nums)]).OK {
			ok++
		}
	}
	if ok == 0 {
		b.Fatal("no valid number")
	}
}
