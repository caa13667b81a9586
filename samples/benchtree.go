package samples

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/japanese"
)

// BenchUnitBytes is about what one unit of BenchTree writes.
const BenchUnitBytes = 11_500_000

// BenchTree writes, below dir, a deterministic tree shaped like a
// software deliverable for throughput measurements (scripts/bench-vs-rg.sh,
// the README's Performance section): scale units of about
// BenchUnitBytes and 370 files each. A unit holds the sample
// deliverable (every encoding, xlsx, SQLite, archives), randomised
// exports of the layout generator (distinct people in every unit:
// seeds never repeat), Japanese documentation with credits, source code,
// ASCII logs, binaries with ASCII and Shift_JIS strings, PNG images, a
// zip and a tar.gz. Everything in it is synthetic. It returns the files
// and bytes written.
func BenchTree(dir string, scale int) (files int, size int64, err error) {
	deliv, _, err := Build()
	if err != nil {
		return 0, 0, err
	}
	write := func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		files++
		size += int64(len(data))
		return os.WriteFile(p, data, 0o644)
	}
	for u := 0; u < scale; u++ {
		r := rand.New(rand.NewPCG(uint64(u), 0x62656e63)) // "benc"
		base := fmt.Sprintf("unit%03d/", u)
		for name, data := range deliv {
			if err := write(base+"release/"+name, data); err != nil {
				return files, size, err
			}
		}
		var zipped, tarred []namedFile
		for i := 0; i < 100; i++ {
			rf := Random(uint64(u)*1000 + uint64(i) + 1_000_000)
			f := namedFile{fmt.Sprintf("%sexport/%02d/%s", base, i, rf.Name), rf.Data}
			if err := write(f.name, f.data); err != nil {
				return files, size, err
			}
			if i%4 == 0 {
				zipped = append(zipped, f)
			}
		}
		for i := 0; i < 80; i++ {
			f := namedFile{fmt.Sprintf("%sdoc/manual-%02d.txt", base, i), benchDoc(r, i)}
			if i%3 == 0 {
				f.name = fmt.Sprintf("%sdoc/manual-%02d.sjis.txt", base, i)
				f.data, _ = japanese.ShiftJIS.NewEncoder().Bytes(f.data)
			}
			if err := write(f.name, f.data); err != nil {
				return files, size, err
			}
			if i%5 == 0 {
				zipped = append(zipped, f)
			}
		}
		for i := 0; i < 100; i++ {
			f := namedFile{fmt.Sprintf("%ssrc/pkg%02d/file%02d.%s", base, i/10, i, []string{"go", "java", "js", "c", "py"}[i%5]), benchSource(r)}
			if err := write(f.name, f.data); err != nil {
				return files, size, err
			}
			if i%2 == 0 {
				tarred = append(tarred, f)
			}
		}
		for i := 0; i < 10; i++ {
			if err := write(fmt.Sprintf("%slog/access-%02d.log", base, i), benchLog(r, 200<<10)); err != nil {
				return files, size, err
			}
		}
		for i := 0; i < 20; i++ {
			if err := write(fmt.Sprintf("%sbin/module%02d.so", base, i), benchBinary(r, 150<<10)); err != nil {
				return files, size, err
			}
		}
		for i := 0; i < 10; i++ {
			if err := write(fmt.Sprintf("%simg/figure%02d.png", base, i), benchPNG(r)); err != nil {
				return files, size, err
			}
		}
		zb, err := zipOf(zipped)
		if err != nil {
			return files, size, err
		}
		if err := write(base+"dist/bundle.zip", zb); err != nil {
			return files, size, err
		}
		tb, err := tarGzOf(tarred)
		if err != nil {
			return files, size, err
		}
		if err := write(base+"dist/src.tar.gz", tb); err != nil {
			return files, size, err
		}
	}
	return files, size, nil
}

type namedFile struct {
	name string
	data []byte
}

var (
	benchNouns = strings.Fields("システム 設定 利用者 図書館 資料 貸出 返却 予約 サーバ データベース 画面 帳票 検索 " +
		"目録 蔵書 管理 機能 項目 操作 手順 端末 印刷 バックアップ 接続 ネットワーク 権限 ログ ファイル 更新 " +
		"カウンター 業務 職員 メニュー 入力 出力 一覧 条件 期限 督促 通知 統計 年度 処理 区分")
	benchVerbs = strings.Fields("します できます してください されます になります を行います を確認します " +
		"を選択します を入力します が表示されます を保存します")
	benchParticles = strings.Fields("の を に で は と から まで")
)

// benchDoc is a Japanese manual page of 8–32 KiB: sections of sentences
// built from a word list, a table of settings, and a credits section
// naming its (synthetic) authors with their e-mail addresses.
func benchDoc(r *rand.Rand, i int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "第%d章 %s%s%s\n\n", i+1, pick(r, benchNouns), pick(r, benchParticles), pick(r, benchNouns))
	target := 8<<10 + r.IntN(24<<10)
	for sec := 1; b.Len() < target; sec++ {
		fmt.Fprintf(&b, "%d.%d %s%s\n", i+1, sec, pick(r, benchNouns), pick(r, benchNouns))
		for s := 0; s < 6+r.IntN(10); s++ {
			for w := 0; w < 2+r.IntN(4); w++ {
				b.WriteString(pick(r, benchNouns) + pick(r, benchParticles))
			}
			b.WriteString(pick(r, benchNouns) + pick(r, benchVerbs) + "。")
		}
		b.WriteString("\n\n")
		if sec%3 == 0 {
			b.WriteString("設定項目\t既定値\t説明\n")
			for k := 0; k < 5; k++ {
				fmt.Fprintf(&b, "%s.%s\t%d\t%s%s\n", strings.ToLower(pick(r, []string{"Server", "Client", "Print", "Search"})), pick(r, []string{"timeout", "port", "max", "dir"}), r.IntN(10000), pick(r, benchNouns), pick(r, benchVerbs))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("著者\n")
	for k := 0; k < 2; k++ {
		fmt.Fprintf(&b, "  %s %s <%s%d@example.org>\n", pick(r, []string{"中島", "大川", "小池", "石田"}), pick(r, []string{"慎一", "由美", "恵", "拓也"}), pick(r, []string{"nakajima", "okawa", "koike", "ishida"}), r.IntN(100))
	}
	b.WriteString("問い合わせ先: 中央図書館 システム担当 TEL 0564-23-3100 (平日 9:00-17:00)\n")
	return []byte(b.String())
}

// benchSource is a source file of 4–30 KiB with Japanese comments.
func benchSource(r *rand.Rand) []byte {
	var b strings.Builder
	b.WriteString("// Copyright 2019 Example Library Systems Inc. All rights reserved.\n\n")
	target := 4<<10 + r.IntN(26<<10)
	for f := 0; b.Len() < target; f++ {
		fmt.Fprintf(&b, "// %s%s%s%s\n", pick(r, benchNouns), pick(r, benchParticles), pick(r, benchNouns), pick(r, benchVerbs))
		fmt.Fprintf(&b, "func handle%s%d(ctx context.Context, req *Request) (*Response, error) {\n", pick(r, []string{"Loan", "Hold", "Search", "Print"}), f)
		for s := 0; s < 4+r.IntN(12); s++ {
			fmt.Fprintf(&b, "\tif err := req.%s(%d, %q); err != nil {\n\t\treturn nil, fmt.Errorf(\"%s: %%w\", err)\n\t}\n",
				pick(r, []string{"Validate", "Check", "Load", "Store"}), r.IntN(1000), pick(r, []string{"id", "title", "due", "branch"}), pick(r, []string{"load", "store", "check"}))
		}
		b.WriteString("\treturn &Response{}, nil\n}\n\n")
	}
	return []byte(b.String())
}

// benchLog is an ASCII access log of about n bytes with no personal data.
func benchLog(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		fmt.Fprintf(&b, "10.%d.%d.%d - - [12/Mar/2024:%02d:%02d:%02d +0900] \"GET /opac/search?q=%s&page=%d HTTP/1.1\" %d %d\n",
			r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(24), r.IntN(60), r.IntN(60),
			pick(r, []string{"history", "science", "novel", "cooking", "travel"}), r.IntN(20),
			pick(r, []int{200, 200, 200, 304, 404}), r.IntN(50000))
	}
	return b.Bytes()
}

// benchBinary is a program-like binary of n bytes: low-entropy code
// bytes, zero padding, ASCII symbol names and Shift_JIS message strings.
func benchBinary(r *rand.Rand, n int) []byte {
	b := make([]byte, 0, n)
	sjis := japanese.ShiftJIS.NewEncoder()
	for len(b) < n {
		switch r.IntN(4) {
		case 0, 1: // code: a small alphabet of opcodes
			for k := 0; k < 512; k++ {
				b = append(b, []byte{0x48, 0x89, 0xe5, 0x8b, 0x45, 0xfc, 0x83, 0xc0, 0x01, 0xc3, 0xe8, 0x00}[r.IntN(12)])
			}
		case 2:
			s := fmt.Sprintf("%s_%s_%d", pick(r, []string{"opac", "ils", "circ", "cat"}), pick(r, []string{"open", "close", "read", "write", "init"}), r.IntN(100))
			b = append(append(b, s...), 0)
		case 3:
			msg, _ := sjis.String(pick(r, benchNouns) + pick(r, benchParticles) + pick(r, benchNouns) + pick(r, benchVerbs))
			b = append(append(b, msg...), 0, 0)
			b = append(b, make([]byte, r.IntN(64))...)
		}
	}
	return b[:n]
}

// benchPNG is a 128×128 PNG of noise (incompressible: a known media type).
func benchPNG(r *rand.Rand) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 128, 128))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	img.Set(0, 0, color.RGBA{A: 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func zipOf(fs []namedFile) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range fs {
		w, err := zw.Create(f.name[strings.Index(f.name, "/")+1:])
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	err := zw.Close()
	return b.Bytes(), err
}

func tarGzOf(fs []namedFile) ([]byte, error) {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for _, f := range fs {
		if err := tw.WriteHeader(&tar.Header{Name: f.name[strings.Index(f.name, "/")+1:], Mode: 0o644, Size: int64(len(f.data))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	err := gz.Close()
	return b.Bytes(), err
}

// BenchAreaCodes are real Japanese area codes of every length (2 to 5
// digits after the 0), for realistic fixed-line numbers.
var BenchAreaCodes = []string{
	"03", "06", "011", "022", "045", "052", "075", "078", "082", "092", "099",
	"0422", "0466", "0532", "0564", "0565", "0566", "0263", "0776", "0985", "0154",
	"04992", "01267", "09802", "05979",
}

// BenchPhone draws a realistic number from r: mobiles 070/080/090, IP 050,
// toll-free 0120 and fixed lines over BenchAreaCodes, in the usual
// spellings (hyphens, parentheses, bare). Ten random digits: numbers
// practically never repeat, as in a real registry.
func BenchPhone(r *rand.Rand) string {
	switch k := r.IntN(20); {
	case k < 11:
		d := []string{"090", "080", "070"}[r.IntN(3)] + strconv.Itoa(2+r.IntN(8)) + fmt.Sprintf("%07d", r.IntN(1e7))
		return d[:3] + "-" + d[3:7] + "-" + d[7:]
	case k < 12:
		d := "050" + strconv.Itoa(1+r.IntN(9)) + fmt.Sprintf("%07d", r.IntN(1e7))
		return d[:3] + "-" + d[3:7] + "-" + d[7:]
	case k < 13:
		return fmt.Sprintf("0120-%03d-%03d", r.IntN(1000), r.IntN(1000))
	}
	area := BenchAreaCodes[r.IntN(len(BenchAreaCodes))]
	ex := strconv.Itoa(2 + r.IntN(8))
	for range 6 - len(area) - 1 { // ten digits: area, exchange, 4-digit subscriber
		ex += strconv.Itoa(r.IntN(10))
	}
	sub := fmt.Sprintf("%04d", r.IntN(1e4))
	switch r.IntN(8) {
	case 0:
		return area + ex + sub
	case 1:
		return area + "(" + ex + ")" + sub
	}
	return area + "-" + ex + "-" + sub
}

// BenchPatronCSV writes a patron registry CSV (UTF-8) of about size
// bytes, the benchmarks' phone-dense list (engine BenchmarkScanPatronCSV,
// detectors BenchmarkDetectorsPatrons, scripts/bench-vs-rg.sh): one person
// a line with a patron ID, a name, its reading and an address planted by
// the sample generator (expected.json), and a birth date, a postal code,
// a home phone, a mobile one row in two and an e-mail one row in four
// from a deterministic PRNG — every ID and number distinct, so that no
// cache of validated numbers helps.
func BenchPatronCSV(w io.Writer, size int64) error {
	m, err := LoadManifest(ManifestPath())
	if err != nil {
		return err
	}
	var names, kana, addr []string
	for _, f := range m.Files {
		names = append(names, f.Planted.Name...)
		kana = append(kana, f.Planted.NameKana...)
		addr = append(addr, f.Planted.Address...)
	}
	if len(names) == 0 || len(kana) == 0 || len(addr) == 0 {
		return errors.New("samples: the manifest plants no names")
	}
	r := rand.New(rand.NewPCG(1, 15))
	bw := bufio.NewWriterSize(w, 1<<20)
	n, err := bw.WriteString("利用者番号,氏名,フリガナ,生年月日,郵便番号,住所,電話番号,携帯電話,メール\n")
	written := int64(n)
	for row := 1; written < size && err == nil; row++ {
		mobile, mail := "", ""
		if r.IntN(2) == 0 {
			mobile = BenchPhone(r)
		}
		if r.IntN(4) == 0 {
			mail = fmt.Sprintf("user%d.%d@example.jp", row, r.IntN(1000))
		}
		n, err = fmt.Fprintf(bw, "%08d,%s,%s,%d-%02d-%02d,%03d-%04d,%s,%s,%s,%s\n", row,
			names[r.IntN(len(names))], kana[r.IntN(len(kana))],
			1935+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000), r.IntN(1e4),
			addr[r.IntN(len(addr))], BenchPhone(r), mobile, mail)
		written += int64(n)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}
