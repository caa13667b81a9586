package detectors

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	cases := []struct{ cat, in, want string }{
		{"phone", "090-2746-3158", "090-****-**58"},
		{"phone", "0564-23-3100", "0564-**-**00"},
		{"phone", "03-5321-1111", "03-****-**11"},
		{"phone", "01267-1-2345", "0126*-*-**45"},
		{"phone", "0564233100", "056*****00"},
		{"phone", "+81 90 2746 3158", "+81 9* **** **58"},
		{"email", "taro@example.jp", "t***@example.jp"},
		{"email", "hanako.sato@mail.okazaki-lib.lg.jp", "h***@mail.okazaki-lib.lg.jp"},
		{"email", "@nolocal", "@******l"},
		{"postal_code", "444-8601", "4**-**01"},
		{"postal_code", "4448601", "4****01"},
		{"my_number", "123456789018", "***********8"},
		{"my_number", "1234 5678 9018", "**** **** ***8"},
		{"birth_date", "1970-03-02", "19**-**-**"},
		{"age", "45", "4*"},
		{"age", "102", "1**"},
		{"age", "7", "*"},
		{"name", "山田 太郎", "山＊ ＊＊"},
		{"name", "山田　太郎", "山＊　＊＊"},
		{"name_kana", "ヤマダ タロウ", "ヤ＊＊ ＊＊＊"},
		{"address", "愛知県岡崎市十王町2-9", "愛知県岡崎市…"},
		{"address", "東京都新宿区西新宿2-8-1", "東京都新宿区…"},
		{"address", "北海道虻田郡洞爺湖町1", "北海道虻田郡洞爺湖町…"},
		{"address", "岡崎市十王町2-9", "岡崎市…"},
		{"address", "愛知県", "愛知県…"},
		{"patron_id", "L0012345", "L******5"},
		{"credential", "s3cr3t-pass", "s*********s"},
		{"unknown", "山田", "山＊"},
	}
	for i, c := range cases {
		if got := Mask(c.cat, c.in); got != c.want {
			t.Errorf("#%d %s: got %q, want %q", i, c.cat, got, c.want)
		}
	}
}

var maskCategories = []string{"phone", "email", "postal_code", "my_number", "birth_date", "age",
	"name", "name_kana", "address", "patron_id", "isbn", "credential", ""}

func checkMasked(t *testing.T, cat, v string) {
	if len(v) < 4 {
		return
	}
	got := Mask(cat, v)
	if got == v {
		t.Errorf("Mask(%q, len %d) returned the value unchanged", cat, len(v))
	}
	if !strings.ContainsAny(got, "*＊…") {
		t.Errorf("Mask(%q, len %d) = value without a mask mark", cat, len(v))
	}
}

func TestMaskNeverReveals(t *testing.T) {
	vals := []string{"abcd", "1234", "****", "＊＊", "…………", "a@b.c", "@@@@", "----", "1-2-3",
		"愛知県", "山田", "0000", "12345678901234567890", "x@", "     ", "愛知県岡崎市"}
	for _, c := range maskCategories {
		for _, v := range vals {
			checkMasked(t, c, v)
		}
	}
}

func FuzzMask(f *testing.F) {
	for i, c := range maskCategories {
		f.Add(c, []string{"090-2746-3158", "taro@example.jp", "444-8601", "123456789018", "1970-03-02",
			"45", "山田 太郎", "ヤマダ", "愛知県岡崎市十王町2-9", "L0012345", "978-4-06-123456-7", "s3cr3t", "****"}[i])
	}
	f.Fuzz(func(t *testing.T, cat, v string) {
		checkMasked(t, cat, v)
	})
}
