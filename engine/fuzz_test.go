package engine

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rouei/rouei/scanners"
	"golang.org/x/text/encoding/japanese"
)

// FuzzScan runs the whole pipeline of one item over arbitrary bytes —
// sniffing, decoding, every container reader, string extraction, text
// regions, all detectors and the record reader (the analyzer that reads
// tables, print layouts and dumps) — with small limits. No panic may be
// recovered (an "internal error" entry is a bug found), and what comes
// out stays consistent: findings at the item's paths, within the cap.
func FuzzScan(f *testing.F) {
	csv := "利用者番号,氏名,電話番号,書名,返却期限,延滞日数\n10001,佐藤 健一,090-3141-5926,『坊っちゃん』,2024-04-01,12\n"
	sj, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(csv))
	f.Add([]byte(csv))
	f.Add(sj)
	f.Add(append(append(bytes.Repeat([]byte{0}, 600), sj...), 0, 0xff, 1))
	f.Add([]byte("\x00\x00CREATE TABLE \"P\" (\"SHIMEI\" VARCHAR2(40), \"TEL\" VARCHAR2(15))\n\x00\x05佐藤 健一\x00\x0c090-3141-5926\x00"))
	f.Add([]byte("〒444-8601\n愛知県岡崎市十王町2-9\n佐藤 健一 様\n\f-----\n『坊っちゃん』 返却期限 2024-04-01\n"))
	f.Add(nestedBomb(f, 3, 2, "連絡先 090-3141-5926\n"))
	lim := scanners.Limits{MaxDepth: 3, MaxMemberBytes: 1 << 20, MaxArchiveBytes: 4 << 20, MaxScanBytes: 8 << 20,
		MaxScanMembers: 200, MaxMembers: 64, MaxArchiveTime: 5 * time.Second, MaxSpoolBytes: 8 << 20, MaxInMemoryBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{Limits: lim, MaxFindingsPerFile: 50, ChunkSize: 4096}
		opt = opt.withDefaults()
		defer opt.state.close()
		rs := scanTree(context.Background(), memItem("fuzz.bin", data), &opt, newWorkspace(), 0, false)
		for _, r := range rs {
			for _, e := range r.errors {
				if strings.Contains(e.Error, "internal error") || strings.Contains(e.Error, "reader: panic") {
					t.Fatalf("a panic was recovered: %s: %s", e.Path, e.Error)
				}
			}
			if r.dupOf != nil {
				r = resolveDup(r, &opt)
			}
			if r.file == nil {
				if len(r.findings) > 0 {
					t.Fatal("findings without a file entry")
				}
				continue
			}
			if !strings.HasPrefix(r.file.Path, "fuzz.bin") {
				t.Fatalf("file path %q", r.file.Path)
			}
			if len(r.findings) > 50 || r.file.Findings < len(r.findings) {
				t.Fatalf("%s: %d findings listed, %d counted, cap 50", r.file.Path, len(r.findings), r.file.Findings)
			}
			for _, fd := range r.findings {
				if fd.Path != r.file.Path || fd.Line < 0 || fd.Offset < 0 || int(fd.Offset) > len(data) && !strings.Contains(fd.Path, "!/") {
					t.Fatalf("finding %s line %d offset %d in a file of %d bytes", fd.Path, fd.Line, fd.Offset, len(data))
				}
			}
		}
	})
}
