package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/rouei/rouei/scanners"
)

// Synthetic people: every name, number and address here is made up.
const listCSV = "利用者番号,氏名,電話番号,書名,返却期限\n" +
	"10000001,佐藤 花子,0564-23-3100,青い鳥の行方,2005/06/30\n" +
	"10000002,山田 太郎,090-1234-5678,鉄道のある風景,2005/07/01\n"

type got struct {
	name string
	text bool
	data string
	err  error
}

func walkBytes(t testing.TB, op scanners.Opener, data []byte, lim scanners.Limits) ([]got, error) {
	t.Helper()
	src := scanners.Source{Name: "x", Reader: bytes.NewReader(data), At: bytes.NewReader(data), Size: int64(len(data))}
	var out []got
	err := op.Walk(context.Background(), src, lim, func(m scanners.Member) error {
		g := got{name: m.Name, text: m.Text, err: m.Err}
		if m.Open != nil {
			rc, err := m.Open()
			if err != nil {
				return err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			g.data, g.err = string(b), err
		}
		out = append(out, g)
		return nil
	})
	return out, err
}

func find(gs []got, name string) *got {
	for i := range gs {
		if gs[i].name == name {
			return &gs[i]
		}
	}
	return nil
}

func names(gs []got) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.name)
	}
	return out
}

func sjisBytes(t testing.TB, s string) []byte {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jisBytes(t testing.TB, s string) []byte {
	b, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s + "\r\n"
}

// ticket is a support ticket with the list attached as CP932 base64,
// its file name in RFC 2047 ISO-2022-JP, and a body in ISO-2022-JP.
func ticket(t testing.TB) []byte {
	enc := "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(jisBytes(t, "督促一覧.csv")) + "?="
	return []byte("Received: from mx.example.jp by mail.example.jp; Tue, 21 Jun 2005 09:00:00 +0900\r\n" +
		"From: =?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString(jisBytes(t, "窓口 担当")) + "?= <support@example.jp>\r\n" +
		"To: vendor@example.com\r\n" +
		"Subject: =?UTF-8?Q?=E4=B8=8D=E5=85=B7=E5=90=88?= #4711\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"==b1==\"\r\n" +
		"\r\n" +
		"preamble\r\n" +
		"--==b1==\r\n" +
		"Content-Type: text/plain; charset=ISO-2022-JP\r\n" +
		"Content-Transfer-Encoding: 7bit\r\n" +
		"\r\n" +
		string(jisBytes(t, "添付の一覧で再現します。\r\n連絡先 0564-11-2222 鈴木\r\n")) +
		"--==b1==\r\n" +
		"Content-Type: text/csv; name=\"" + enc + "\"\r\n" +
		"Content-Disposition: attachment; filename=\"" + enc + "\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n" +
		"\r\n" +
		wrap76(base64.StdEncoding.EncodeToString(sjisBytes(t, listCSV))) +
		"--==b1==--\r\n")
}

func TestIdentify(t *testing.T) {
	for _, c := range []struct {
		name string
		head string
		kind string
	}{
		{"eml", string(ticket(t)), "eml"},
		{"eml-lf-from-first", "From: a@example.jp\nTo: b@example.jp\nSubject: x\n\nbody\n", "eml"},
		{"eml-received-folded", "Received: from a\n\tby b; Tue, 1 Jan 2005\nMessage-ID: <1@x>\n\nhi\n", "eml"},
		{"mbox", "From MAILER-DAEMON Tue Jun 21 09:00:00 2005\nFrom: a@example.jp\nSubject: x\n\nbody\n", "mbox"},
		{"msg", string(buildMsg(t, msgProps{tagSubject: "x"}, nil, nil)), "msg"},
		{"http", "HTTP/1.1 200 OK\nContent-Type: text/html\nDate: Tue\n\n<html>", ""},
		{"debian-control", "Package: opac\nVersion: 2.3-1\nMaintainer: A <a@example.jp>\n\n", ""},
		{"only-one-field", "Subject: hello\n\ntext\n", ""},
		{"csv", listCSV, ""},
		{"from-prose", "From here on, this manual describes\nthe installation.\n", ""},
		{"header-then-junk", "From: a@example.jp\nthis is not a header\n", ""},
		{"xls-ole2", string(buildCFB(t, cfbStream("Workbook", make([]byte, 100)))), ""},
	} {
		op := Identify("whatever.bin", []byte(c.head))
		k := ""
		if op != nil {
			k = op.Kind()
		}
		if k != c.kind {
			t.Errorf("%s: kind %q, want %q", c.name, k, c.kind)
		}
	}
}

func TestEmlAttachmentAndBody(t *testing.T) {
	gs, err := walkBytes(t, emlOpener{}, ticket(t), scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(names(gs)) != "[督促一覧.csv body]" {
		t.Fatalf("members %v", names(gs))
	}
	if a := find(gs, "督促一覧.csv"); a.text || a.data != string(sjisBytes(t, listCSV)) || a.err != nil {
		t.Errorf("attachment not its CP932 bytes (%d bytes, err %v)", len(a.data), a.err)
	}
	b := find(gs, "body")
	for _, w := range []string{"From: 窓口 担当 <support@example.jp>", "To: vendor@example.com", "Subject: 不具合 #4711",
		"添付の一覧で再現します。", "連絡先 0564-11-2222 鈴木"} {
		if !strings.Contains(b.data, w) {
			t.Errorf("body lacks %q:\n%s", w, b.data)
		}
	}
	if !b.text || strings.Contains(b.data, "preamble") {
		t.Errorf("body not text or holds the preamble")
	}
}

func TestEmlShapes(t *testing.T) {
	qp := func(s string) string {
		var b bytes.Buffer
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	for _, c := range []struct {
		name    string
		msg     string
		members string
		body    []string // in the body member
		files   map[string]string
	}{
		{"single-part-qp-utf8",
			"From: a@example.jp\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp(listCSV),
			"[body]", []string{listCSV}, nil},
		{"single-part-base64-sjis",
			"Message-ID: <1@x>\nFrom: a@example.jp\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: base64\n\n" + wrap76(base64.StdEncoding.EncodeToString(sjisBytes(t, listCSV))),
			"[body]", []string{listCSV}, nil},
		{"8bit-cp932-no-charset",
			"Return-Path: <a@example.jp>\nFrom: a@example.jp\nSubject: " + string(sjisBytes(t, "督促")) + "\n\n" + string(sjisBytes(t, listCSV)),
			"[body]", []string{listCSV, "Subject: 督促"}, nil},
		{"alternative-plain-first",
			"From: a@example.jp\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n--XX\nContent-Type: text/plain; charset=utf-8\n\n" + listCSV +
				"\n--XX\nContent-Type: text/html; charset=utf-8\n\n<p>html copy</p>\n--XX--\n",
			"[body]", []string{listCSV}, nil},
		{"html-only-with-inline-image-and-rfc2231-name",
			"From: a@example.jp\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"r\"\n\n--r\nContent-Type: text/html; charset=iso-2022-jp\n\n" +
				string(jisBytes(t, "<p>佐藤 花子 様 0564-23-3100</p>")) + "\n--r\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n" +
				"--r\nContent-Type: text/csv\nContent-Disposition: attachment; filename*=UTF-8''%E5%BB%B6%E6%BB%9E.csv\n\n" + listCSV + "\n--r--\n",
			"[part3.png 延滞.csv body]", []string{"<p>佐藤 花子 様 0564-23-3100</p>"}, map[string]string{"延滞.csv": listCSV, "part3.png": "\x89PNG\r\n\x1a\n"}},
		{"forwarded-message-and-duplicate-names",
			"From: a@example.jp\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nsee below\n" +
				"--m\nContent-Type: message/rfc822\n\nFrom: b@example.jp\nSubject: inner\n\ninner body\n" +
				"--m\nContent-Type: text/csv; name=a.csv\n\nx\n--m\nContent-Type: text/csv; name=\"../../a.csv\"\n\ny\n--m--\n",
			"[message3.eml a.csv a (2).csv body]", []string{"see below"}, map[string]string{"message3.eml": "From: b@example.jp\nSubject: inner\n\ninner body"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			gs, err := walkBytes(t, emlOpener{}, []byte(c.msg), scanners.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(names(gs)) != c.members {
				t.Fatalf("members %v, want %s", names(gs), c.members)
			}
			body := find(gs, "body").data
			for _, w := range c.body {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			if strings.Contains(body, "html copy") {
				t.Errorf("second alternative read")
			}
			for n, want := range c.files {
				if g := find(gs, n); g == nil || g.data != want {
					t.Errorf("%s: %+v, want %q", n, g, want)
				}
			}
		})
	}
}

func TestEmlCorruptAndLimits(t *testing.T) {
	// A multipart that never ends: what was read is yielded, then the error.
	msg := "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n" + listCSV
	gs, err := walkBytes(t, emlOpener{}, []byte(msg), scanners.Limits{})
	if err == nil || !errors.Is(err, errCorrupt) {
		t.Errorf("unterminated multipart: err %v", err)
	}
	if b := find(gs, "body"); b == nil || !strings.Contains(b.data, "山田 太郎") {
		t.Errorf("the body read before the error is lost: %v", names(gs))
	}
	// Too many members.
	var b strings.Builder
	b.WriteString("From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "--b\nContent-Type: text/csv; name=f%d.csv\n\nx\n", i)
	}
	b.WriteString("--b--\n")
	_, err = walkBytes(t, emlOpener{}, []byte(b.String()), scanners.Limits{MaxMembers: 5})
	if !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("members over the limit: err %v", err)
	}
	// An attachment over the member limit fails its read.
	big := "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/csv; name=big.csv\n\n" + strings.Repeat(listCSV, 100) + "\n--b--\n"
	gs, _ = walkBytes(t, emlOpener{}, []byte(big), scanners.Limits{MaxMemberBytes: 1000})
	if g := find(gs, "big.csv"); g == nil || !errors.Is(g.err, scanners.ErrLimit) {
		t.Errorf("big attachment: %+v", g)
	}
	// Multiparts nested past the bound.
	deep := "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b0\n\n"
	for i := 0; i < maxPartDepth+3; i++ {
		deep += fmt.Sprintf("--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i+1)
	}
	if _, err := walkBytes(t, emlOpener{}, []byte(deep), scanners.Limits{}); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("deep nesting: err %v", err)
	}
	// A header block without end, over the bound.
	huge := "From: a@example.jp\nX-Junk: " + strings.Repeat("a", maxHeaderBytes+10) + "\n"
	if _, err := walkBytes(t, emlOpener{}, []byte(huge), scanners.Limits{}); !errors.Is(err, scanners.ErrLimit) {
		t.Errorf("huge header: err %v", err)
	}
}

func TestMbox(t *testing.T) {
	mbox := "From sender@example.jp Tue Jun 21 09:00:00 2005\n" +
		"From: a@example.jp\nSubject: one\n\nfirst body\n>From the archive\n\n" +
		"From sender@example.jp Tue Jun 21 10:00:00 2005\n" +
		"From: b@example.jp\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\n\nsecond\n" +
		"--q\nContent-Type: text/csv; name=tokusoku.csv\nContent-Transfer-Encoding: base64\n\n" + wrap76(base64.StdEncoding.EncodeToString([]byte(listCSV))) + "--q--\n\n" +
		"From sender@example.jp Tue Jun 21 11:00:00 2005\n" +
		"From: c@example.jp\n\nthird, no blank line before the next\n" +
		"From sender@example.jp Tue Jun 21 12:00:00 2005\n" +
		"From: d@example.jp\n\nfourth\nFrom the text, not a separator\n"
	for _, crlf := range []bool{false, true} {
		in := mbox
		if crlf {
			in = strings.ReplaceAll(mbox, "\n", "\r\n")
		}
		gs, err := walkBytes(t, mboxOpener{}, []byte(in), scanners.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(names(gs)) != "[1/body 2/tokusoku.csv 2/body 3/body 4/body]" {
			t.Fatalf("crlf %v: members %v", crlf, names(gs))
		}
		norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		if b := norm(find(gs, "1/body").data); !strings.Contains(b, "first body\nFrom the archive") || strings.Contains(b, "second") {
			t.Errorf("message 1: %q", b)
		}
		if a := find(gs, "2/tokusoku.csv"); a.data != listCSV {
			t.Errorf("message 2 attachment: %q", a.data)
		}
		if b := norm(find(gs, "4/body").data); !strings.Contains(b, "fourth\nFrom the text") {
			t.Errorf("message 4: %q", b)
		}
	}
}

func TestMsg(t *testing.T) {
	inner := msgNodes(msgProps{tagSubject: "転送元", tagBody: "内側の本文 佐藤 花子 0564-23-3100"}, nil,
		[]msgAttach{{name: "inner.csv", data: []byte(listCSV)}})
	bigCSV := strings.Repeat(listCSV, 40) // over the mini stream cutoff
	data := buildMsg(t, msgProps{
		tagSubject: "督促一覧の送付", tagSenderName: "窓口 担当", tagSenderSMTP: "support@example.jp",
		tagDisplayTo: "山田 太郎", tagBody: "各位\r\n添付の通りです。\r\n",
	}, []msgProps{{tagDisplayName: "山田 太郎", tagSMTPAddress: "yamada@example.jp"}},
		[]msgAttach{
			{name: "延滞者一覧.csv", data: sjisBytes(t, listCSV)},
			{name: "big.csv", data: []byte(bigCSV)},
			{name: "転送", embedded: inner},
		})
	if op := Identify("x", data[:min(len(data), 64<<10)]); op == nil || op.Kind() != "msg" {
		t.Fatalf("not identified as msg: %v", op)
	}
	gs, err := walkBytes(t, msgOpener{}, data, scanners.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(names(gs)) != "[延滞者一覧.csv big.csv 転送.msg!/inner.csv 転送.msg!/body body]" {
		t.Fatalf("members %v", names(gs))
	}
	if a := find(gs, "延滞者一覧.csv"); a.data != string(sjisBytes(t, listCSV)) {
		t.Errorf("attachment differs (%d bytes)", len(a.data))
	}
	if a := find(gs, "big.csv"); a.data != bigCSV {
		t.Errorf("big attachment differs (%d bytes)", len(a.data))
	}
	b := find(gs, "body").data
	for _, w := range []string{"From: 窓口 担当 <support@example.jp>", "To: 山田 太郎", "Recipient: 山田 太郎 <yamada@example.jp>", "Subject: 督促一覧の送付", "添付の通りです。"} {
		if !strings.Contains(b, w) {
			t.Errorf("body lacks %q:\n%s", w, b)
		}
	}
	if b := find(gs, "転送.msg!/body").data; !strings.Contains(b, "内側の本文 佐藤 花子") {
		t.Errorf("inner body: %q", b)
	}
	// A body only in compressed RTF is reported, not passed silently.
	rtf := buildCFB(t, cfbStream("__properties_version1.0", make([]byte, 32)), cfbStream(substg+tagSubject+"001F", u16("x")),
		cfbStream(substg+tagRTFCompressed+"0102", []byte("LZFu compressed rtf stand-in")))
	gs, err = walkBytes(t, msgOpener{}, rtf, scanners.Limits{})
	if r := find(gs, "body.rtf"); err != nil || r == nil || r.err == nil {
		t.Errorf("RTF-only body not reported: %v %v", names(gs), err)
	}
	// Corrupt: cut in half.
	gs, err = walkBytes(t, msgOpener{}, data[:len(data)/2], scanners.Limits{})
	bad := err != nil
	for _, g := range gs {
		bad = bad || g.err != nil
	}
	if !bad {
		t.Errorf("truncated msg: no error (%v)", names(gs))
	}
	// Over the member limit.
	gs, _ = walkBytes(t, msgOpener{}, data, scanners.Limits{MaxMemberBytes: 1000})
	if g := find(gs, "attach"); g != nil {
		t.Log(g)
	}
	limited := false
	for _, g := range gs {
		if errors.Is(g.err, scanners.ErrLimit) {
			limited = true
		}
	}
	if !limited {
		t.Errorf("no limit error with MaxMemberBytes 1000: %v", names(gs))
	}
}
