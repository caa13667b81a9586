package detectors

import (
	"fmt"
	"testing"
)

// withCheck completes 11 digits with their check digit.
func withCheck(t *testing.T, p string) string {
	t.Helper()
	for c := '0'; c <= '9'; c++ {
		if s := p + string(c); validMyNumber([]byte(s)) {
			return s
		}
	}
	t.Fatalf("no check digit for row")
	return ""
}

func TestValidMyNumber(t *testing.T) {
	if !validMyNumber([]byte("123456789018")) {
		t.Error("the documented sample 123456789018 should pass")
	}
	if validMyNumber([]byte("123456789012")) {
		t.Error("123456789012 should fail")
	}
	// Exactly one check digit fits any 11 digits.
	for _, p := range []string{"00000000000", "98765432109", "31415926535", "27182818284"} {
		n := 0
		for c := '0'; c <= '9'; c++ {
			if validMyNumber([]byte(p + string(c))) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d check digits fit", n)
		}
	}
}

func TestMyNumberTruePositives(t *testing.T) {
	a := withCheck(t, "31415926535")
	b := withCheck(t, "27182818284")
	sp := func(s, sep string) string { return s[:4] + sep + s[4:8] + sep + s[8:] }
	checkTPs(t, MyNumber{}, []tp{
		{"個人番号: " + a, a, false},
		{"マイナンバー " + sp(a, " "), a, false},
		{"My Number: " + sp(b, "-"), b, false},
		{"MYNUMBER=" + b, b, false},
		{"kojin_bango," + b, b, false},
		{"氏名,個人番号,電話\n山田," + a + ",090", a, false},
		{"個人番号カード　" + norm("３１４１５９２６５３５") + a[11:], a, false},
		{"マイナンバー：123456789018", "123456789018", true},
	})
}

func TestMyNumberFalsePositives(t *testing.T) {
	a := withCheck(t, "31415926535")
	bad := a[:11] + fmt.Sprint((int(a[11]-'0')+1)%10)
	checkFPs(t, MyNumber{}, []string{
		a,                  // no label
		"注文番号 " + a,        // other label
		"個人番号: " + bad,     // wrong check digit
		"個人番号: 1" + a,      // 13 digits
		"個人番号: " + a + "5", // 13 digits
		"個人番号: " + a[:4] + " " + a[4:8] + "-" + a[8:], // mixed separators
		"個人番号: 12-" + a,
		"個人番号\n\n" + a, // label two lines up
		"個人番号の記載は不要です。" + "ここには関係のない長い説明文が続きます。" + a,
	})
}
