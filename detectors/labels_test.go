package detectors

import (
	"strings"
	"testing"
)

// The label or honorific a detector weighs is named in the finding's
// context (fixed words, never the value); a value without one has none.
func TestLabelContexts(t *testing.T) {
	cases := []struct{ text, cat, want string }{
		{"生年月日：1985年4月12日", "birth_date", "label 生年月日"},
		{"誕生日 1990/02/03", "birth_date", "label 誕生日"},
		{"DOB: 1970-03-02", "birth_date", "label dob"},
		{"昭和60年4月12日生", "birth_date", "label 生"},
		{"高橋 恵子 様", "name", "honorific 様"},
		{"伊藤 誠殿", "name", "honorific 殿"},
		{"小林さん、お元気ですか", "name", "honorific さん"},
		{"藤田さくら 様", "name", "honorific 様"},
		{"鵺沢 ひなたさん", "name", "honorific さん"},
		{"鰆田 健一 様", "name", "honorific 様"},
		{"氏名：渡辺 明美", "name", "label 氏名"},
		{"宛名 中村 優子", "name", "label 宛名"},
		{"フリガナ：ワタナベ アケミ", "name_kana", "label フリガナ"},
		{"NAME: 佐藤 健一", "name", "label NAME"},
		{"電話：0564-23-6071", "phone", "label 電話"},
		{"TEL 080-2811-8625", "phone", "label tel"},
		{"携帯 080-4453-1903", "phone", "label 携帯"},
		{"〒444-8601 愛知県岡崎市十王町2丁目9番地", "postal_code", "mark 〒"},
		{"郵便番号 4448601", "postal_code", "label 郵便番号"},
		{"年齢：45", "age", "label 年齢"},
		{"受講者は45歳の男性", "age", "suffix 歳"},
		// No label: no context.
		{"佐藤 健一 0564-23-6071", "phone", ""},
		{"会議は2024年6月1日に", "birth_date", ""},
	}
	for _, c := range cases {
		_, kept := analyse(t, c.text+"\n")
		found := false
		for _, m := range kept {
			if m.Category != c.cat {
				continue
			}
			found = true
			if m.Context != c.want {
				t.Errorf("%q: %s context %q, want %q", c.text, c.cat, m.Context, c.want)
			}
			if m.Context != "" && strings.Contains(m.Context, m.Value) {
				t.Errorf("%q: the context names the value", c.text)
			}
		}
		if !found && c.want != "" {
			t.Errorf("%q: no %s found", c.text, c.cat)
		}
	}
}

// A header still names a table cell's context; a credit line's context
// still caps a name, whatever honorific follows it.
func TestLabelContextsYieldToHeadersAndCredits(t *testing.T) {
	_, kept := analyse(t, "氏名,電話番号\n佐藤 健一,0564-23-6071\n高橋 恵子,0564-23-6072\n")
	for _, m := range kept {
		if m.Category == "phone" && m.Context != "header 電話番号" {
			t.Errorf("phone in a table: context %q", m.Context)
		}
	}
	_, kept = analyse(t, "Copyright (C) 2004 佐藤 健一様 <ksato@example-project.org>\n")
	for _, m := range kept {
		if isNameCat(m.Category) && !strings.HasPrefix(m.Context, "credit") {
			t.Errorf("a credit's name: context %q", m.Context)
		}
	}
}
