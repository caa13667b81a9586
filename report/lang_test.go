package report

import (
	"reflect"
	"testing"
)

func TestLangFromEnv(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, English},
		{map[string]string{"LANG": "ja_JP.UTF-8"}, Japanese},
		{map[string]string{"LANG": "ja"}, Japanese},
		{map[string]string{"LANG": "ja_JP.eucJP"}, Japanese},
		{map[string]string{"LANG": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "C"}, English},
		{map[string]string{"LANG": "jv_ID"}, English},
		{map[string]string{"LANG": "jam"}, English}, // not Japanese, just starts with "ja"
		{map[string]string{"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, English},
		{map[string]string{"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, Japanese},
		{map[string]string{"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "C"}, Japanese},
		{map[string]string{"LC_ALL": "", "LC_MESSAGES": "en_GB", "LANG": "ja_JP"}, English},
	}
	for i, tt := range tests {
		if got := LangFromEnv(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("case %d %v: LangFromEnv = %q, want %q", i, tt.env, got, tt.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"ja": Japanese, "en": English, "JA": Japanese, " en ": English} {
		got, err := ParseLang(in)
		if err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fr", "japanese", "ja_JP"} {
		if got, err := ParseLang(in); err == nil {
			t.Errorf("ParseLang(%q) = %q, want an error", in, got)
		}
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234", 100000: "100,000"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 73_400_320: "70.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTablesComplete(t *testing.T) {
	// Every language must name every classification of the contract.
	for l, tx := range textTable {
		for _, c := range []string{"overdue_list", "hold_list", "patron_registry", "loan_record", "contact_list", "none"} {
			if tx.classification[c] == "" {
				t.Errorf("%s: no words for classification %q", l, c)
			}
		}
		for i, s := range tx.severity {
			if s == "" {
				t.Errorf("%s: no label for severity %d", l, i)
			}
		}
	}
}

func TestTablesHaveEveryString(t *testing.T) {
	for l, tx := range textTable {
		v := reflect.ValueOf(tx).Elem()
		for i := 0; i < v.NumField(); i++ {
			f, name := v.Field(i), v.Type().Field(i).Name
			switch f.Kind() {
			case reflect.Func, reflect.Map:
				if f.IsNil() {
					t.Errorf("%s: %s is nil", l, name)
				}
			case reflect.String:
				if f.String() == "" {
					t.Errorf("%s: %s is empty", l, name)
				}
			}
		}
	}
}
