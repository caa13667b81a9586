package mail_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/samples"
	"github.com/rouei/rouei/scanners/mail"
)

// Mail through the engine: a list sent as an attachment, in a body, in an
// mbox, in an Outlook message, in a forwarded message must get the
// verdict (classification, persons) the same list gets as a plain file,
// at the member's path.

func sample(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samples.DeliverableDir(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scan writes files into a fresh directory and scans it.
func scan(t *testing.T, files map[string][]byte) (map[string]report.File, []report.Error) {
	t.Helper()
	dir := t.TempDir()
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := engine.Scan(context.Background(), []string{dir}, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]report.File{}
	for _, f := range r.Files {
		out[strings.TrimPrefix(f.Path, dir+"/")] = f
	}
	for i := range r.Errors {
		r.Errors[i].Path = strings.TrimPrefix(r.Errors[i].Path, dir+"/")
	}
	return out, r.Errors
}

func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return out.String() + s + "\r\n"
}

func qp(b []byte) string {
	var out strings.Builder
	w := quotedprintable.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.String()
}

func jis(t *testing.T, s string) string {
	b, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode(t *testing.T, b []byte, enc string) string {
	switch enc {
	case "cp932":
		d, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(d)
	}
	return string(b)
}

func TestMailCarriesTheListsVerdict(t *testing.T) {
	overdue := sample(t, "data/old/tokusoku_200506.csv")       // CP932, 40 people
	registry := sample(t, "data/registry/riyosha_touroku.tsv") // UTF-8 TSV, 14 people
	contacts := sample(t, "data/contacts/renrakusaki.csv")     // UTF-16LE, 25 people
	holds := sample(t, "data/holds/yoyaku_list.csv")           // UTF-8, 16 people
	hdr := "Received: from mx.example.jp by mail.example.jp; Tue, 21 Jun 2005 09:00:00 +0900\r\n" +
		"From: =?ISO-2022-JP?B?GyRCOFwkTCEkGyhC?= <support@example.jp>\r\nTo: vendor@example.com\r\nMIME-Version: 1.0\r\n"
	mixed := func(body string, parts ...string) string {
		s := hdr + "Subject: ticket\r\nContent-Type: multipart/mixed; boundary=\"b-1\"\r\n\r\n--b-1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
		for _, p := range parts {
			s += "--b-1\r\n" + p
		}
		return s + "--b-1--\r\n"
	}
	attach := func(name, ctype, cte, data string) string {
		return "Content-Type: " + ctype + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n" +
			"Content-Transfer-Encoding: " + cte + "\r\n\r\n" + data
	}
	ticket := mixed("see attached", attach("tokusoku.csv", "text/csv", "base64", b64(overdue)))
	var mbox strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&mbox, "From support@example.jp Tue Jun 21 09:%02d:00 2005\r\n", i)
		if i == 12 {
			mbox.WriteString(mixed("registry attached", attach("riyosha.tsv", "text/tab-separated-values", "quoted-printable", qp(registry))) + "\r\n")
		} else {
			fmt.Fprintf(&mbox, "From: a%d@example.jp\r\nSubject: status %d\r\n\r\nall fine\r\n\r\n", i, i)
		}
	}
	holdsBody := hdr + "Subject: holds\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(holds)
	// The plain twins must not look like mail themselves.
	plainHolds := "差出人: 窓口 <support@example.jp>\n宛先: vendor@example.com\n件名: holds\n\n" + string(holds)
	overdueText := decode(t, overdue, "cp932")
	jisBody := hdr + "Subject: list\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" + jis(t, strings.ReplaceAll(overdueText, "\r\n", "\n"))
	plainOverdue := "差出人: 窓口 <support@example.jp>\n宛先: vendor@example.com\n件名: list\n\n" + overdueText
	fwd := strings.ReplaceAll(mixed("forwarding", "Content-Type: message/rfc822\r\n\r\n@@"), "b-1", "outer")
	fwd = strings.Replace(fwd, "@@", ticket, 1)
	msg := mail.BuildMsg(t, mail.MsgProps{mail.TagSubject: "連絡先一覧", mail.TagSenderName: "窓口", mail.TagSenderSMTP: "support@example.jp",
		mail.TagDisplayTo: "vendor", mail.TagBody: "添付します。\r\n"}, nil, []mail.MsgAttach{mail.NewMsgAttach("renrakusaki.csv", contacts)})

	files, errs := scan(t, map[string][]byte{
		"ticket.eml": []byte(ticket), "inbox.mbox": []byte(mbox.String()), "holds.txt": []byte(holdsBody),
		"notice": []byte(jisBody), "fwd.eml": []byte(fwd), "list.msg": msg,
		"plain-overdue.csv": overdue, "plain-registry.tsv": registry, "plain-contacts.csv": contacts,
		"plain-holds.txt": []byte(plainHolds), "plain-notice.txt": []byte(plainOverdue),
	})
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	for _, c := range []struct{ member, plain string }{
		{"ticket.eml!/tokusoku.csv", "plain-overdue.csv"},
		{"inbox.mbox!/12/riyosha.tsv", "plain-registry.tsv"},
		{"holds.txt!/body", "plain-holds.txt"},
		{"notice!/body", "plain-notice.txt"},
		{"fwd.eml!/message3.eml!/tokusoku.csv", "plain-overdue.csv"},
		{"list.msg!/renrakusaki.csv", "plain-contacts.csv"},
	} {
		got, ok := files[c.member]
		want := files[c.plain]
		if !ok {
			t.Errorf("%s: not reported (files: %d)", c.member, len(files))
			continue
		}
		if want.Classification == "none" || want.Persons < 10 {
			t.Fatalf("%s: plain file gives %s of %d", c.plain, want.Classification, want.Persons)
		}
		if got.Classification != want.Classification || got.Persons != want.Persons {
			t.Errorf("%s: %s of %d, want %s of %d as %s (%s)", c.member, got.Classification, got.Persons,
				want.Classification, want.Persons, c.plain, got.Reason)
		}
	}
	for p, f := range files {
		if strings.HasPrefix(p, "inbox.mbox!/") && p != "inbox.mbox!/12/riyosha.tsv" && f.Severity > detectors.Low {
			t.Errorf("%s: %v for a status mail", p, f.Severity)
		}
	}
}

func TestCleanMailPasses(t *testing.T) {
	clean := "Message-ID: <4711@example.jp>\r\nFrom: build@example.jp\r\nTo: qa@example.jp\r\nSubject: nightly build\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nBuild 2.3-1 passed.\r\n" +
		"--z\r\nContent-Type: text/plain; name=build.log\r\nContent-Disposition: attachment; filename=build.log\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		b64([]byte(strings.Repeat("compile ok\n", 50))) + "--z--\r\n"
	files, errs := scan(t, map[string][]byte{"nightly.eml": []byte(clean)})
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	for p, f := range files {
		if f.Severity > detectors.Low { // above low
			t.Errorf("%s: %v", p, f.Severity)
		}
	}
}
