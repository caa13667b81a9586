package report

import (
	"time"

	"github.com/rouei/rouei/detectors"
)

// All data below is synthetic and already masked, as the engine hands it over.

var jst = time.FixedZone("JST", 9*60*60)

const overdue = "dist/ils-2.3.tar.gz!/setup/sample.zip!/督促/延滞.csv"

func ptr[T any](v T) *T { return &v }

// sampleReport is a hand-built report with several files, an FTP endpoint
// and errors. Its slices are deliberately out of order.
func sampleReport() *Report {
	fnd := func(path string, line int, det, cat string, sev detectors.Severity, conf float64, ev, fp string) Finding {
		return Finding{Fingerprint: fp, Path: path, Line: line, Detector: det, Category: cat,
			Severity: sev, Confidence: conf, Evidence: ev}
	}
	crit := detectors.Critical
	r := &Report{
		Schema:     SchemaV1,
		Tool:       Tool{Name: "rouei", Version: "0.1.0"},
		StartedAt:  time.Date(2026, 11, 23, 19, 0, 0, 0, jst),
		FinishedAt: time.Date(2026, 11, 23, 19, 0, 3, 240_000_000, jst),
		Targets:    []string{"dist/", "ftp://127.0.0.1:2121", "ftps://192.0.2.10:21"},
		Stats:      Stats{Files: 1234, Bytes: 73_400_320, Archives: 3, Skipped: 1, Errors: 1},
		Endpoints: []Endpoint{
			{Target: "ftp://127.0.0.1:2121", Reachable: true, AnonymousLogin: true,
				AnonymousWrite: ptr(true), Banner: "220 (vsFTPd 3.0.3)", ListedFiles: 14, FetchedFiles: 14,
				WritableHints: []string{"/pub/incoming"},
				WriteCheck: []WriteCheck{
					{Dir: "/", Canary: "rouei-canary-5f3a9c.txt", Reply: "553 Could not create file."},
					{Dir: "/pub/incoming", Canary: "rouei-canary-5f3a9d.txt", Uploaded: true, Reply: "550 Permission denied."},
				}},
			{Target: "ftps://192.0.2.10:21", Error: "dial tcp 192.0.2.10:21: i/o timeout"},
		},
		Files: []File{
			{Path: "dist/docs/sample.csv", MediaType: "text/csv", Encoding: "utf-8", Classification: "contact_list",
				Severity: detectors.Info, Persons: 2, Findings: 2, Dummy: true},
			{Path: "dist/enc.zip", MediaType: "application/zip", Classification: "none", Severity: detectors.None},
			{Path: overdue, MediaType: "text/csv", Encoding: "shift_jis", Classification: "overdue_list",
				Severity: crit, Persons: 159, Findings: 7, Reason: "overdue list: 氏名/電話番号/書名/返却期限 columns, 159 people",
				Columns:    []string{"氏名", "電話番号", "書名", "返却期限"},
				Categories: map[string]int{"phone": 2, "name": 2, "address": 1, "birth_date": 1, "patron_id": 1}},
			{Path: "dist/conf/staff.txt", Encoding: "utf-8", Classification: "none", Severity: detectors.Medium,
				Persons: 1, Findings: 2, Fields: []string{"name", "phone", "email"}},
		},
		Findings: []Finding{
			fnd("dist/conf/staff.txt", 4, "email", "email", detectors.Medium, 0.9, "k***@example.jp", "fp-test-staff-2"),
			fnd(overdue, 3, "jp-phone", "phone", crit, 0.97, "0564-**-**00", "fp-test-od-3"),
			fnd(overdue, 2, "jp-phone", "phone", crit, 0.97, "0564-**-**12", "fp-test-od-2b"),
			fnd(overdue, 2, "jp-name", "name", crit, 0.85, "岡＊ ＊＊", "fp-test-od-2a"),
			fnd("dist/docs/sample.csv", 2, "jp-phone", "phone", detectors.Info, 0.5, "090-****-**00", "fp-test-dummy-1"),
			fnd(overdue, 5, "jp-address", "address", crit, 0.8, "愛知県岡崎市…", "fp-test-od-5"),
			fnd(overdue, 4, "jp-name", "name", crit, 0.85, "鈴＊ ＊＊", "fp-test-od-4"),
			fnd("dist/conf/staff.txt", 3, "jp-phone", "phone", detectors.Medium, 0.95, "090-****-**78", "fp-test-staff-1"),
			fnd(overdue, 6, "birth-date", "birth_date", crit, 0.7, "19**-**-**", "fp-test-od-6"),
			fnd(overdue, 8, "patron-id", "patron_id", crit, 0.6, "P******12", "fp-test-od-8"),
			fnd("dist/docs/sample.csv", 3, "jp-name", "name", detectors.Info, 0.5, "山＊ ＊＊", "fp-test-dummy-2"),
		},
		Errors: []Error{
			{Path: "dist/enc.zip", Error: "encrypted archive: contents not scanned"},
			{Path: "ftps://192.0.2.10:21", Error: "unreachable: i/o timeout"},
		},
	}
	r.Findings[0].Baselined = true // the staff e-mail is accepted in the baseline
	return r
}
