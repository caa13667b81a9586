package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Lang is the language of the human-readable report.
type Lang string

// Supported languages.
const (
	Japanese Lang = "ja"
	English  Lang = "en"
)

// LangFromEnv picks the report language from the locale environment: the
// first non-empty of LC_ALL, LC_MESSAGES and LANG decides. A locale naming
// Japanese ("ja", "ja_JP.UTF-8", "ja_JP@...") gives Japanese, anything else
// (including an unset locale, "C" and "POSIX") English.
func LangFromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if isJapaneseLocale(v) {
			return Japanese
		}
		return English
	}
	return English
}

func isJapaneseLocale(v string) bool {
	if len(v) < 2 || !strings.EqualFold(v[:2], "ja") {
		return false
	}
	if len(v) == 2 {
		return true
	}
	switch v[2] {
	case '_', '-', '.', '@':
		return true
	}
	return false
}

// ParseLang parses the value of --lang: "ja" or "en" (case-insensitive).
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ja":
		return Japanese, nil
	case "en":
		return English, nil
	}
	return "", fmt.Errorf("report: unknown language %q (want ja or en)", s)
}

// texts is every user-facing string of the text report in one language.
// Adding a language means adding one entry to the texts map below.
type texts struct {
	severity       [6]string // indexed by detectors.Severity (None..Critical)
	unscanned      string    // label instead of the severity of a file listed only for its errors
	classification map[string]string
	category       map[string]string // categories shown in words; unknown ones as their id
	sep            string            // between the parts of a one-line summary

	// Header.
	header     string // %[1]s tool name+version, %[2]s "targets — stats"
	targetsSep string
	files      func(n int) string
	archives   func(n int) string
	skipped    func(n int) string
	duration   func(h, m, s int, tenths int) string

	// Files section.
	noFiles    string
	persons    func(n int) string
	unreadable func(n int) string // pages without extractable text
	findings   func(n int) string
	dummy      string
	line       func(n int) string
	baselined  string
	andMore    func(n int) string
	reasonSep  string
	reasonsSep string                                             // between the reasons of a verdict
	changes    func(since string, nw, still, resolved int) string // the history line (--state)
	firstRun   string                                             // no earlier run over these targets
	changeNew  string                                             // label of a new exposure
	changeGone string                                             // label of a resolved exposure
	columns    func(cols string) string                           // the header cells behind a verdict
	fields     func(fields string) string                         // the kinds of data in a file's records
	fieldSep   string

	// Endpoints section.
	endpoints      string
	reachable      func(yes bool) string
	anonLogin      func(yes bool) string
	anonWrite      func(v *bool) string
	tls            func(yes bool) string
	listedFetched  func(listed, fetched int) string
	errorLine      string // %s the error (endpoints and error-only files)
	writableHints  string // %s the directories
	writeCheck     func(dir, canary string, uploaded, deleted bool) string
	writeCheckResp string // %s the server reply

	// Errors section.
	errors func(n int) string

	// Verdict line.
	failHead      string
	failFiles     func(parts []string, total int) string // parts are "1 critical" etc.
	failSevCount  func(sev string, n int) string
	failPersons   func(n int) string
	passHead      string
	incomplHead   string
	nothingAbove  string // %s the severity word
	failOnNever   string
	incomplete    func(n int) string // appended to the pass phrase
	baselinedNote func(n int) string

	// Category words for sentences and tables of the HTML and SARIF
	// reports (the text report shows English categories as their ids).
	categoryWords map[string]string

	// HTML report.
	htmlTitle         string
	verdictPass       string // the banner word
	verdictFail       string
	verdictIncomplete string
	htmlPersons       string // label of the people-affected figure
	htmlFilesWithData string
	htmlMaxSeverity   string
	htmlNotScanned    string
	htmlChartTitle    string
	htmlFacts         string
	factTargets       string
	factStarted       string
	factFinished      string
	factDuration      string
	factFiles         string
	factBytes         string
	factArchives      string
	factSkipped       string
	factErrors        string
	factFailOn        string
	factTool          string
	failOnNeverWord   string
	htmlEndpoints     string
	epTarget          string
	epReachable       string
	epAnonLogin       string
	epAnonWrite       string
	epTLS             string
	epListedFetched   string
	epError           string
	epHints           string
	htmlYes           string // reachable, login, write allowed
	htmlNo            string
	htmlNotChecked    string
	htmlTLSYes        string
	htmlTLSNo         string
	htmlFiles         string
	colSeverity       string
	colPath           string
	colClass          string
	colPersons        string
	colFindings       string
	colEncoding       string
	colWhy            string
	colLine           string
	colDetector       string
	colCategory       string
	colEvidence       string
	colConfidence     string
	showFindings      func(n int) string             // the <summary> of a file's findings
	htmlOffset        func(off int64) string         // where a finding sits in a binary
	htmlErrors        func(n int) string             // heading of the errors section
	htmlSkippedHead   func(n int) string             // heading of the skipped section
	htmlGenerated     func(tool, when string) string // footer
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%s %s", group(n), one)
	}
	return fmt.Sprintf("%s %s", group(n), many)
}

func yesNo(yes bool, y, n string) string {
	if yes {
		return y
	}
	return n
}

var textTable = map[Lang]*texts{
	English: {
		severity:  [6]string{"NONE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"},
		unscanned: "ERROR",
		classification: map[string]string{
			"overdue_list":    "overdue list",
			"hold_list":       "hold list",
			"patron_registry": "patron registry",
			"loan_record":     "loan record",
			"contact_list":    "contact list",
			"none":            "—",
		},
		category:   map[string]string{},
		sep:        ", ",
		reasonsSep: "; ",

		header:     "%[1]s: scanned %[2]s",
		targetsSep: ", ",
		files:      func(n int) string { return plural(n, "file", "files") },
		archives:   func(n int) string { return plural(n, "archive", "archives") },
		skipped:    func(n int) string { return group(n) + " skipped" },
		duration: func(h, m, s, tenths int) string {
			switch {
			case h > 0:
				return fmt.Sprintf("in %dh%02dm", h, m)
			case m > 0:
				return fmt.Sprintf("in %dm%02ds", m, s)
			}
			return fmt.Sprintf("in %d.%ds", s, tenths)
		},

		noFiles: "No files with personal data.",
		persons: func(n int) string { return plural(n, "person", "people") },
		unreadable: func(n int) string {
			return plural(n, "page", "pages") + " without text (scanned images: not read)"
		},
		findings:  func(n int) string { return plural(n, "finding", "findings") },
		dummy:     "dummy/test data",
		line:      func(n int) string { return "line " + group(n) },
		baselined: "(baselined)",
		andMore:   func(n int) string { return "… and " + group(n) + " more" },
		reasonSep: " — ",
		changes: func(since string, n, st, r int) string {
			return fmt.Sprintf("Since the last run (%s): %d new, %d still present, %d resolved", since, n, st, r)
		},
		firstRun:   "First run over these targets: every exposure is new",
		changeNew:  "NEW",
		changeGone: "RESOLVED",
		columns:    func(c string) string { return c + " columns" },
		fields:     func(f string) string { return "records with " + f },
		fieldSep:   "+",

		endpoints: "FTP endpoints:",
		reachable: func(y bool) string { return "reachable " + yesNo(y, "yes", "no") },
		anonLogin: func(y bool) string { return "anonymous login " + yesNo(y, "yes", "no") },
		anonWrite: func(v *bool) string {
			if v == nil {
				return "anonymous write not checked"
			}
			return "anonymous write " + yesNo(*v, "YES", "no")
		},
		tls: func(y bool) string { return "TLS " + yesNo(y, "yes", "no") },
		listedFetched: func(l, f int) string {
			return plural(l, "file", "files") + " listed, " + group(f) + " fetched"
		},
		errorLine:     "error: %s",
		writableHints: "writable by others (from the listing): %s",
		writeCheck: func(dir, canary string, up, del bool) string {
			s := fmt.Sprintf("write check %s: canary %s ", dir, canary)
			switch {
			case !up:
				return s + "not uploaded"
			case del:
				return s + "uploaded, deleted"
			}
			return s + "uploaded, NOT deleted — still on the server"
		},
		writeCheckResp: " (reply: %s)",

		errors: func(n int) string { return fmt.Sprintf("Could not be scanned completely (%s):", group(n)) },

		failHead: "FAIL: ",
		failFiles: func(parts []string, total int) string {
			w := "files"
			if total == 1 {
				w = "file"
			}
			return strings.Join(parts, ", ") + " " + w
		},
		failSevCount: func(sev string, n int) string { return group(n) + " " + sev },
		failPersons: func(n int) string {
			return "; " + plural(n, "person", "people") + " affected"
		},
		passHead:     "PASS: ",
		incomplHead:  "INCOMPLETE: ",
		nothingAbove: "nothing at or above %s",
		failOnNever:  "failing disabled (--fail-on never)",
		incomplete: func(n int) string {
			return ", but " + plural(n, "item", "items") + " could not be scanned completely"
		},
		baselinedNote: func(n int) string {
			return " (" + plural(n, "baselined finding", "baselined findings") + " ignored)"
		},

		categoryWords: map[string]string{
			"name":        "name",
			"name_kana":   "name (kana)",
			"phone":       "phone",
			"address":     "address",
			"postal_code": "postal code",
			"email":       "e-mail",
			"birth_date":  "birth date",
			"age":         "age",
			"my_number":   "My Number",
			"patron_id":   "patron ID",
			"book_title":  "book title",
			"isbn":        "ISBN",
			"credential":  "credential",
		},

		htmlTitle:         "rouei scan report",
		verdictPass:       "PASS",
		verdictFail:       "FAIL",
		verdictIncomplete: "INCOMPLETE",
		htmlPersons:       "People affected",
		htmlFilesWithData: "Files with personal data",
		htmlMaxSeverity:   "Highest severity",
		htmlNotScanned:    "Not scanned completely",
		htmlChartTitle:    "Files by severity",
		htmlFacts:         "Scan",
		factTargets:       "Targets",
		factStarted:       "Started",
		factFinished:      "Finished",
		factDuration:      "Duration",
		factFiles:         "Files read",
		factBytes:         "Data read",
		factArchives:      "Archives opened",
		factSkipped:       "Skipped",
		factErrors:        "Errors",
		factFailOn:        "Fails at",
		factTool:          "Tool",
		failOnNeverWord:   "never (--fail-on never)",
		htmlEndpoints:     "FTP endpoints",
		epTarget:          "Endpoint",
		epReachable:       "Reachable",
		epAnonLogin:       "Anonymous login",
		epAnonWrite:       "Anonymous write",
		epTLS:             "TLS",
		epListedFetched:   "Files listed / fetched",
		epError:           "Error",
		epHints:           "Writable by others (from the listing)",
		htmlYes:           "yes",
		htmlNo:            "no",
		htmlNotChecked:    "not checked",
		htmlTLSYes:        "yes",
		htmlTLSNo:         "no",
		htmlFiles:         "Files",
		colSeverity:       "Severity",
		colPath:           "Path",
		colClass:          "Kind of file",
		colPersons:        "People",
		colFindings:       "Findings",
		colEncoding:       "Encoding",
		colWhy:            "Why",
		colLine:           "Line",
		colDetector:       "Detector",
		colCategory:       "Data",
		colEvidence:       "Evidence",
		colConfidence:     "Confidence",
		showFindings:      func(n int) string { return "Show " + plural(n, "finding", "findings") },
		htmlOffset:        func(off int64) string { return "byte " + group(int(off)) },
		htmlErrors: func(n int) string {
			return fmt.Sprintf("Could not be scanned completely (%s)", group(n))
		},
		htmlSkippedHead: func(n int) string { return fmt.Sprintf("Skipped on purpose (%s)", group(n)) },
		htmlGenerated:   func(tool, when string) string { return "Written by " + tool + ", " + when + "." },
	},
	Japanese: {
		severity:  [6]string{"なし", "情報", "低", "中", "高", "重大"},
		unscanned: "エラー",
		classification: map[string]string{
			"overdue_list":    "延滞リスト",
			"hold_list":       "予約リスト",
			"patron_registry": "利用者台帳",
			"loan_record":     "貸出記録",
			"contact_list":    "連絡先リスト",
			"none":            "なし",
		},
		reasonsSep: "、",
		category: map[string]string{
			"name":        "氏名",
			"name_kana":   "氏名カナ",
			"phone":       "電話番号",
			"address":     "住所",
			"postal_code": "郵便番号",
			"email":       "メール",
			"birth_date":  "生年月日",
			"age":         "年齢",
			"my_number":   "マイナンバー",
			"patron_id":   "利用者番号",
			"book_title":  "書名",
			"isbn":        "ISBN",
			"credential":  "認証情報",
		},
		sep: "、",

		header:     "%[1]s: %[2]s を検査",
		targetsSep: "、",
		files:      func(n int) string { return group(n) + " ファイル" },
		archives:   func(n int) string { return "アーカイブ " + group(n) + " 個" },
		skipped:    func(n int) string { return "スキップ " + group(n) + " 件" },
		duration: func(h, m, s, tenths int) string {
			switch {
			case h > 0:
				return fmt.Sprintf("所要 %d 時間 %d 分", h, m)
			case m > 0:
				return fmt.Sprintf("所要 %d 分 %d 秒", m, s)
			}
			return fmt.Sprintf("所要 %d.%d 秒", s, tenths)
		},

		noFiles: "個人データを含むファイルは見つかりませんでした。",
		persons: func(n int) string { return group(n) + " 人" },
		unreadable: func(n int) string {
			return "文字のないページ " + group(n) + " 枚（画像のみ：読めず）"
		},
		findings:  func(n int) string { return "検出 " + group(n) + " 件" },
		dummy:     "ダミー/テストデータ",
		line:      func(n int) string { return group(n) + " 行目" },
		baselined: "(ベースライン登録済み)",
		andMore:   func(n int) string { return "… ほか " + group(n) + " 件" },
		reasonSep: " — ",
		changes: func(since string, n, st, r int) string {
			return fmt.Sprintf("前回 (%s) からの変化: 新規 %d 件、継続 %d 件、解消 %d 件", since, n, st, r)
		},
		firstRun:   "この対象の初回の検査です: すべて新規です",
		changeNew:  "新規",
		changeGone: "解消",
		columns:    func(c string) string { return "列 " + c },
		fields:     func(f string) string { return "項目 " + f },
		fieldSep:   "・",

		endpoints: "FTP エンドポイント:",
		reachable: func(y bool) string { return "接続 " + yesNo(y, "可", "不可") },
		anonLogin: func(y bool) string { return "匿名ログイン " + yesNo(y, "可", "不可") },
		anonWrite: func(v *bool) string {
			if v == nil {
				return "匿名書き込み 未確認"
			}
			return "匿名書き込み " + yesNo(*v, "可", "不可")
		},
		tls: func(y bool) string { return "TLS " + yesNo(y, "あり", "なし") },
		listedFetched: func(l, f int) string {
			return "一覧 " + group(l) + " ファイル、取得 " + group(f) + " ファイル"
		},
		errorLine:     "エラー: %s",
		writableHints: "他者が書き込めるディレクトリ (一覧から推定): %s",
		writeCheck: func(dir, canary string, up, del bool) string {
			s := fmt.Sprintf("書き込み確認 %s: カナリア %s ", dir, canary)
			switch {
			case !up:
				return s + "アップロード不可"
			case del:
				return s + "アップロード成功、削除済み"
			}
			return s + "アップロード成功、削除失敗 — サーバーに残っています"
		},
		writeCheckResp: " (応答: %s)",

		errors: func(n int) string {
			return fmt.Sprintf("完全には検査できなかったもの (%s 件):", group(n))
		},

		failHead: "不合格: ",
		failFiles: func(parts []string, total int) string {
			return strings.Join(parts, "・") + "のファイル"
		},
		failSevCount: func(sev string, n int) string { return sev + " " + group(n) + " 件" },
		failPersons:  func(n int) string { return "、" + group(n) + " 人分の個人データ" },
		passHead:     "合格: ",
		incomplHead:  "未完了: ",
		nothingAbove: "「%s」以上の検出はありません",
		failOnNever:  "不合格判定は無効です (--fail-on never)",
		incomplete: func(n int) string {
			return "。ただし " + group(n) + " 件を完全には検査できませんでした"
		},
		baselinedNote: func(n int) string {
			return " (ベースライン登録済み " + group(n) + " 件を除外)"
		},

		categoryWords: nil, // set in init: the same words as category

		htmlTitle:         "rouei 検査報告書",
		verdictPass:       "合格",
		verdictFail:       "不合格",
		verdictIncomplete: "不完全",
		htmlPersons:       "影響を受ける人数",
		htmlFilesWithData: "個人データを含むファイル",
		htmlMaxSeverity:   "最も高い重大度",
		htmlNotScanned:    "完全には検査できなかったもの",
		htmlChartTitle:    "重大度別のファイル数",
		htmlFacts:         "検査の概要",
		factTargets:       "検査対象",
		factStarted:       "開始",
		factFinished:      "終了",
		factDuration:      "所要時間",
		factFiles:         "読んだファイル",
		factBytes:         "読んだデータ量",
		factArchives:      "展開したアーカイブ",
		factSkipped:       "スキップ",
		factErrors:        "エラー",
		factFailOn:        "不合格とする重大度",
		factTool:          "ツール",
		failOnNeverWord:   "なし (--fail-on never)",
		htmlEndpoints:     "FTP エンドポイント",
		epTarget:          "エンドポイント",
		epReachable:       "接続",
		epAnonLogin:       "匿名ログイン",
		epAnonWrite:       "匿名書き込み",
		epTLS:             "TLS",
		epListedFetched:   "一覧 / 取得ファイル数",
		epError:           "エラー",
		epHints:           "他者が書き込めるディレクトリ (一覧から推定)",
		htmlYes:           "可",
		htmlNo:            "不可",
		htmlNotChecked:    "未確認",
		htmlTLSYes:        "あり",
		htmlTLSNo:         "なし",
		htmlFiles:         "ファイル別の結果",
		colSeverity:       "重大度",
		colPath:           "パス",
		colClass:          "ファイルの種類",
		colPersons:        "人数",
		colFindings:       "検出数",
		colEncoding:       "文字コード",
		colWhy:            "判定の理由",
		colLine:           "行",
		colDetector:       "検出器",
		colCategory:       "データ",
		colEvidence:       "証拠",
		colConfidence:     "確度",
		showFindings:      func(n int) string { return "検出内容を表示 (" + group(n) + " 件)" },
		htmlOffset:        func(off int64) string { return group(int(off)) + " バイト目" },
		htmlErrors: func(n int) string {
			return fmt.Sprintf("完全には検査できなかったもの (%s 件)", group(n))
		},
		htmlSkippedHead: func(n int) string { return fmt.Sprintf("意図的にスキップしたもの (%s 件)", group(n)) },
		htmlGenerated:   func(tool, when string) string { return tool + " が " + when + " に作成。" },
	},
}

func init() {
	// Japanese category words are the same in every report.
	ja := textTable[Japanese]
	ja.categoryWords = ja.category
}

// textsFor returns the table for l, English for an unknown language.
func textsFor(l Lang) *texts {
	if t, ok := textTable[l]; ok {
		return t
	}
	return textTable[English]
}

// group formats n with thousands separators (1,234,567).
func group(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
