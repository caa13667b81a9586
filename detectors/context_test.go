package detectors

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rouei/rouei/patterns"
)

// wordClassChecks tells, for every class of patterns/words.toml, whether
// a text holds a word of the class the way the detectors use it.
var wordClassChecks = map[string]func(string) bool{
	"attribution_markers": func(s string) bool { return creditLine([]byte(s)) },
	"attribution_sections": func(s string) bool {
		h, ok := heading([]byte(s))
		return ok && creditsHeading(h)
	},
	"attribution_files": attributionFile,
	"dictionary_pos":    func(s string) bool { return dictionaryEntry([]byte(s)) },
	"role_mailboxes":    roleMailbox,
	// The name detector's lists, as it uses them.
	"name_stop_words":          containsWordOf("name_stop_words"),
	"name_dummy_prefixes":      isDummyName,
	"name_dummy_kana_prefixes": containsWordOf("name_dummy_kana_prefixes"),
	"name_author_markers": func(s string) bool {
		for _, m := range nameAuthorMarkers {
			if strings.Contains(s, string(m)) {
				return true
			}
		}
		return false
	},
	"name_author_suffixes":     containsWordOf("name_author_suffixes"),
	"name_labels":              containsWordOf("name_labels"),
	"name_author_labels":       containsWordOf("name_author_labels"),
	"name_labels_ascii":        func(s string) bool { return nmASCIILabelBefore([]byte(s), len(s)) },
	"name_kana_label_suffixes": containsWordOf("name_kana_label_suffixes"),
	"name_kana_labels":         containsWordOf("name_kana_labels"),
	"name_kana_stop_words":     func(s string) bool { return nameKanaStop([]byte(s)) },
	"birth_labels":             func(s string) bool { return birthLabels.in([]byte(s)) },
	"mynumber_labels":          func(s string) bool { return myNumberLabels.in([]byte(s)) },
	"postal_labels":            func(s string) bool { return postalLabels.in([]byte(s)) },
	"phone_labels":             func(s string) bool { return phoneLabels.in([]byte(s)) },
	"age_suffixes":             containsWordOf("age_suffixes"),
	"age_policy_words":         func(s string) bool { return hasPrefixAny([]byte(s), agePolicy...) },
	"municipality_suffixes":    municipalityIn,
	"name_honorifics": func(s string) bool { // NAME+honorific, not a word of the honorific
		r := []rune(s)
		if len(r) < 2 {
			return false
		}
		for _, h := range nmKanjiHonorifics {
			if string(r[len(r)-1]) == h.h && !strings.ContainsRune(h.words, r[len(r)-2]) {
				return true
			}
		}
		return false
	},
}

// containsWordOf is the check of a plain word list: s holds one of them.
func containsWordOf(class string) func(string) bool {
	return func(s string) bool {
		for _, w := range patterns.Words(class).JP {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
}

// TestWordClassExamples checks every word class's examples through the
// code that uses it, the way gitleaks validates a rule: each tp must
// hold a word of the class, no fp may.
func TestWordClassExamples(t *testing.T) {
	names, err := patterns.WordClassNames()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		c := patterns.Words(name)
		check, ok := wordClassChecks[name]
		if !ok {
			t.Errorf("words.toml class %s has no check in wordClassChecks", name)
			continue
		}
		if c.Doc == "" || len(c.TP) == 0 || len(c.FP) == 0 {
			t.Errorf("class %s needs doc, tp and fp examples", name)
		}
		for _, s := range c.TP {
			if !check(s) {
				t.Errorf("class %s: tp %q not recognised", name, s)
			}
		}
		for _, s := range c.FP {
			if check(s) {
				t.Errorf("class %s: fp %q recognised", name, s)
			}
		}
	}
}

// analyseNamed is analyse for a file of the given name.
func analyseNamed(t *testing.T, name, text string) FileVerdict {
	t.Helper()
	v, _ := analyseWith(t, text, func(a *Analyzer) { a.SetName(name) })
	return v
}

// credits are made-up contributors with made-up addresses.
var credits = []struct{ name, latin, mail string }{
	{"佐藤 健一", "Kenichi Sato", "ksato@example-project.org"},
	{"高橋 恵子", "Keiko Takahashi", "keiko.t@mail.example-isp.ne.jp"},
	{"伊藤 誠", "Makoto Ito", "mito@dev.example-lab.jp"},
	{"渡辺 明美", "Akemi Watanabe", "akemi@lists.example-org.net"},
	{"小林 大輔", "Daisuke Kobayashi", "dk@example-soft.co.jp"},
	{"中村 優子", "Yuko Nakamura", "yuko@example-univ.ac.jp"},
}

func each(format string, f func(i int) []any) string {
	var b strings.Builder
	for i := range credits {
		fmt.Fprintf(&b, format, f(i)...)
		b.WriteByte('\n')
	}
	return b.String()
}

// Public attributions are low, by their context, whether or not a name
// is recognised in them.
func TestAttributionsAreLow(t *testing.T) {
	jp := func(i int) []any { return []any{credits[i].name, credits[i].mail} }
	latin := func(i int) []any { return []any{credits[i].latin, credits[i].mail} }
	cases := []struct{ name, file, text string }{
		{"man page AUTHOR and 翻訳者 sections", "ls.1",
			".TH LS 1\n.SH 名前\nls \\- 一覧\n.SH 著者\n" + each("%s <%s>\n.br", jp) + ".SH 翻訳者\n" + each("%s (%s)", jp) + ".SH 関連項目\ndir(1)\n"},
		{"PO header", "ja.po", "msgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: foo 1.0\\n\"\n" +
			"\"Last-Translator: 佐藤 健一 <ksato@example-project.org>\\n\"\n\"Language-Team: Japanese <ja@lists.example.net>\\n\"\n" +
			"# Translators:\n" + each("# %s <%s>, 2019.", jp)},
		{"PO file named otherwise, markers only", "messages.catalog", "\"Last-Translator: 佐藤 健一 <ksato@example-project.org>\\n\"\n" +
			each("# Translator: %s <%s>, 2019.", jp)},
		{"package.json", "package.json", "{\n  \"name\": \"x\",\n  \"author\": \"Kenichi Sato <ksato@example-project.org>\",\n  \"contributors\": [\n" +
			each("    \"%s <%s>\",", latin) + "  ]\n}\n"},
		{"Java source @author and Copyright", "Foo.java", "/*\n * Copyright (C) 2004 Kenichi Sato <ksato@example-project.org>\n" +
			each(" * @author %s (%s)", latin) + " */\npublic class Foo {}\n"},
		{"ChangeLog", "ChangeLog", each("2004-01-02  %s  <%s>\n\n\t* foo.c: fix.\n", jp)},
		{"debian changelog trailers", "changelog.Debian.gz", each("foo (1.0-1) unstable; urgency=low\n\n  * New.\n\n -- %s <%s>  Mon, 01 Jan 2024 00:00:00 +0900\n", latin)},
		{"AUTHORS file", "AUTHORS", each("%s <%s>", jp)},
		{"README Authors section", "README.md", "# foo\n\nA tool.\n\n## Authors\n\n" + each("- %s (%s)", jp) + "\n## License\n\nMIT\n"},
		{"謝辞 heading in a Japanese manual", "manual.txt", "第1章 はじめに\n\n謝辞\n" + each("%s　%s", jp)},
		{"man page credits with sub-headings", "mpg123.1", ".TH MPG123 1\n.SH 作者\n.TP\nリーダー:\n.br\n" +
			each("%s <%s>\n.br", latin) + ".TP\n以下のコードを利用しています:\n" + each("%s <%s> (修正)\n.br", jp)},
		{"Copyright lines in a file", "LICENSE.txt", each("Copyright (c) 2010 %s <%s>", latin)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := analyseNamed(t, c.file, c.text)
			if v.Severity > Low || v.Persons != 0 {
				t.Errorf("%s: %v %s persons %d, want low: %s", c.file, v.Severity, v.Classification, v.Persons, v.Reason)
			}
		})
	}
}

// The contexts cap only what they hold: a list of people with a
// copyright footer, or a credits section followed by a patron table, is
// still a list of people.
func TestAttributionCapsOnlyItsContext(t *testing.T) {
	list := "氏名,電話番号,メール\n" + rows("%s,%s,p%s@mail.example-isp.ne.jp", func(i int) []any {
		return []any{people5[i].name, people5[i].phone, people5[i].id}
	})
	for _, c := range []struct{ name, file, text string }{
		{"copyright footer", "contacts.csv", list + "Copyright (C) 2024 Example Library\n"},
		{"credits before a table", "export.txt", "Authors\n佐藤 健一 <ksato@example-project.org>\n\n# data\n" + list},
		{"a file named like a manifest in a path", "data/package.json.bak/contacts.csv", list},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := analyseNamed(t, c.file, c.text)
			if v.Severity != High || v.Persons != 5 {
				t.Errorf("%v %s persons %d, want high with 5: %s", v.Severity, v.Classification, v.Persons, v.Reason)
			}
		})
	}
}

// A dictionary of names is not a list of people.
func TestDictionariesAreLow(t *testing.T) {
	mecab := each("%s,1290,1290,3000,名詞,固有名詞,人名,一般,*,*,%[1]s,カナ,カナ", func(i int) []any { return []any{credits[i].name} })
	cases := []struct{ name, file, text string }{
		{"IPADIC CSV", "Person.csv", strings.ReplaceAll(mecab, " ", "")},
		{"IPADIC CSV with phone-shaped costs", "Noun.name.csv", "予約,1285,1285,5000,名詞,サ変接続,*,*,*,*,予約,ヨヤク,ヨヤク\n" +
			each("%s,1291,1291,9000,名詞,固有名詞,人名,名,*,*,%[1]s,カナ,カナ", func(i int) []any { return []any{strings.Split(credits[i].name, " ")[1]} })},
		{"SKK", "SKK-JISYO.jinmei", ";; -*- coding: euc-jp -*-\n" +
			each("さとう /%s/左藤/", func(i int) []any { return []any{strings.Split(credits[i].name, " ")[0]} })},
		{"anthy", "anthy.t", each("さとう #JN*500 %s", func(i int) []any { return []any{strings.ReplaceAll(credits[i].name, " ", "")} })},
		{"UniDic TSV", "lex.tsv", each("%s\t5145\t5145\t4030\t名詞\t固有名詞\t人名\t姓", func(i int) []any {
			return []any{strings.Split(credits[i].name, " ")[0]}
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := analyseNamed(t, c.file, c.text)
			if v.Severity > Low || v.Classification != ClassNone {
				t.Errorf("%v %s persons %d, want low: %s", v.Severity, v.Classification, v.Persons, v.Reason)
			}
		})
	}
}

// An address or a number in running text, tied to no name or ID, is a
// weak signal (a bug-report address, a mailing list, a footer); a list
// of them — one a line, or a column — is a contact list.
func TestBareContactsInProseAreWeak(t *testing.T) {
	jp := func(i int) []any { return []any{credits[i].name, credits[i].mail} }
	for _, c := range []struct{ name, file, text string }{
		{"bug report address in a manual", "manual.txt", "バグを見つけたら bug-tool@lists.example-project.org まで報告してください。\n" +
			"質問は help-tool@lists.example-project.org へどうぞ。\n"},
		{"role addresses in reStructuredText", "guide.rst", "-  ``announce@lists.example.net``, used to announce releases\n" +
			"-  ``devel@lists.example.net``, for development\n-  ``user@lists.example.net``, for users\n" +
			"-  ``ja@lists.example.net``, 日本語\n-  ``security@example.net``, for security issues\n"},
		{"HTML footer on a page", "index.html", "<p>誤りを見つけたら <a href=\"mailto:docs@example-project.org\">docs@example-project.org</a> までお知らせください。</p>\n"},
		{"roff comment header", "ls.1", ".\\\" Copyright (c) 1993 X Y (xy@example.org)\n.\\\" Modified 1993-07-24 by Z <z@example.org>\n" +
			".\\\"         by W V <wv@example.jp>\n.\\\"     <other@example.jp>\n.TH LS 1\n.SH 名前\nls\n"},
		{"man page listing addresses alone on lines", "syslogd.8", ".TH SYSLOGD 8\n.SH 協力\nX Y\n.br\n" + each("%[2]s\n.br", jp)},
		{"HTML page listing addresses", "contributors.html", "<ul>\n" + each("<li>%[2]s</li>", jp) + "</ul>\n"},
		{"procmail recipe examples in a man page", "procmailex.5", ".TH PROCMAILEX 5\n" + each(":0 c\n! %[2]s", jp)},
		{"command examples", "howto.txt", "$ ssh admin@server.example.jp で接続し、\n$ git config user.email dev@example-soft.co.jp を設定します。\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := analyseNamed(t, c.file, c.text)
			if v.Severity > Low || v.Persons != 0 {
				t.Errorf("%v %s persons %d, want low: %s", v.Severity, v.Classification, v.Persons, v.Reason)
			}
		})
	}
	mails := each("%s", func(i int) []any { return []any{credits[i].mail} })
	for _, c := range []struct{ name, text string }{
		{"one address a line", mails},
		{"one number a line", "090-3141-5926\n080-2718-2818\n0564-27-1828\n052-961-4471\n03-5789-2231\n"},
		{"a column of addresses", "メールアドレス,登録\n" + each("%s,済", func(i int) []any { return []any{credits[i].mail} })},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := analyseNamed(t, "list.txt", c.text)
			if v.Severity != High || v.Persons < 5 {
				t.Errorf("%v %s persons %d, want high with ≥5: %s", v.Severity, v.Classification, v.Persons, v.Reason)
			}
		})
	}
}

// Kanji prose without kana is Chinese: its words are not names.
func TestChineseProseHasNoNames(t *testing.T) {
	for _, text := range []string{
		"如果您願意提供改進的意見，請寄 email 到 <tutorial@example-project.org> 。請不要害羞，\n",
		"我們歡迎任何有關的討論；如果您不想寄到郵件清單，請直接 email 給 ksato@example-project.org 本文翻譯\n",
		"这是一个简单的说明文件，王小明负责维护，联系方式 wxm@example-univ.ac.jp 欢迎反馈\n",
		"為足供大家參考使用，請寄給 <tutorial@example-project.org> ，我們會將您的意見\n",
	} {
		if v := analyseNamed(t, "README.zh", text); v.Severity > Low {
			t.Errorf("%v %s persons %d: %s", v.Severity, v.Classification, v.Persons, v.Reason)
		}
	}
	// Japanese prose keeps its names.
	v := analyseNamed(t, "memo.txt", "担当の佐藤 健一様にご連絡ください。メールは ksato@mail.example-isp.ne.jp です。\n")
	if v.Severity != Medium {
		t.Errorf("Japanese prose: %v, want medium: %s", v.Severity, v.Reason)
	}
}
