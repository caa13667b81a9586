package report

import (
	"fmt"
	"strings"

	"github.com/rouei/rouei/detectors"
)

// Localize writes every file's reasons (files[].reasons) in language l
// from the verdict's structured reasons. The engine leaves Why set; a
// report read back from JSON has only the strings, which are kept.
func (r *Report) Localize(l Lang) {
	r.lang = &l // the spooled files' reasons, as they are read back
	for i := range r.Files {
		f := &r.Files[i]
		if len(f.Why) == 0 || f.loc != nil {
			continue
		}
		f.Reasons = RenderReasons(l, f.Why)
	}
}

// RenderReasons writes reasons in language l, one sentence each.
func RenderReasons(l Lang, why []detectors.Reason) []string {
	w := reasonWordsFor(l)
	out := make([]string, 0, len(why))
	for _, r := range why {
		if r.Code == detectors.ReasonHeader {
			out = append(out, w.headers(r.Args))
			continue
		}
		format, ok := w.formats[r.Code]
		if !ok {
			out = append(out, r.Code+" "+strings.Join(r.Args, " "))
			continue
		}
		args := make([]any, len(r.Args))
		for i, a := range r.Args {
			args[i] = w.word(a)
		}
		out = append(out, fmt.Sprintf(format, args...))
	}
	return out
}

type reasonWords struct {
	formats map[string]string // by reason code; %[n]s are its arguments
	words   map[string]string // fields, classes, kinds and bases in words
	sep     string            // between the items of a list
}

// headers renders header cells and the fields they typed: "headers 利用者番号 →
// patron ID, 返却期限 → due date"; a cell that reads as its field's word is
// shown once.
func (w reasonWords) headers(args []string) string {
	var items []string
	for i := 0; i+1 < len(args); i += 2 {
		h, f := args[i], w.word(args[i+1])
		if h == f {
			items = append(items, h)
		} else {
			items = append(items, h+" → "+f)
		}
	}
	return fmt.Sprintf(w.formats[detectors.ReasonHeader], strings.Join(items, w.sep))
}

// word renders an argument: a field, class or kind in words, a list of
// them joined, anything else (a header cell, a count) as it is.
func (w reasonWords) word(a string) string {
	if v, ok := w.words[a]; ok {
		return v
	}
	if strings.Contains(a, "・") {
		parts := strings.Split(a, "・")
		for i, p := range parts {
			if v, ok := w.words[p]; ok {
				parts[i] = v
			}
		}
		return strings.Join(parts, "・")
	}
	return a
}

func reasonWordsFor(l Lang) reasonWords {
	if l == Japanese {
		return reasonsJa
	}
	return reasonsEn
}

var reasonsEn = reasonWords{
	formats: map[string]string{
		detectors.ReasonHeader:        "headers %s",
		detectors.ReasonValues:        "columns typed from their values: %[1]s",
		detectors.ReasonReturned:      "a returned date: the loans are a history, not overdue",
		detectors.ReasonWords:         "words %[2]s (text or file name) → %[1]s",
		detectors.ReasonPersons:       "persons told apart by %[2]s",
		detectors.ReasonBulk:          "%[1]s people with contact data → high",
		detectors.ReasonSingle:        "contact data of %[1]s person(s) → medium",
		detectors.ReasonMyNumber:      "My Number in %[1]s record(s) → critical",
		detectors.ReasonDummy:         "all recognisable test data → info",
		detectors.ReasonOrg:           "%[1]s organisational contact value(s), not a person's",
		detectors.ReasonCapped:        "%[1]s: %[2]s match(es) capped at low",
		detectors.ReasonNamesOnly:     "names without contact or reading data → low",
		detectors.ReasonWeakSignals:   "weak signals only → low",
		detectors.ReasonOtherCustomer: "%[1]s people of %[2]s in a delivery for %[3]s (%[4]s of %[5]s with a known area live elsewhere) → critical",
	},
	words: map[string]string{
		"name": "name", "name_kana": "name (kana)", "phone": "phone", "email": "e-mail", "address": "address",
		"postal_code": "postal code", "birth_date": "birth date", "age": "age", "my_number": "My Number",
		"patron_id": "patron ID", "book_title": "book title", "isbn": "ISBN", "author": "author",
		"publisher": "publisher", "loan_date": "loan date", "due_date": "due date", "overdue_days": "days overdue",
		"hold_no": "hold number", "hold_date": "hold date", "hold_expiry": "hold expiry", "pickup": "pickup branch",
		"registered": "registration date", "sex": "sex", "dept": "department", "return_date": "returned date",
		"updated": "update date", "extension": "extension", "contact": "contact value",
		detectors.ClassOverdueList: "overdue list", detectors.ClassHoldList: "hold list",
		detectors.ClassPatronRegistry: "patron registry", detectors.ClassLoanRecord: "loan record",
		detectors.ClassContactList: "contact list",
		"credits_file":             "attribution context (credits, change log or package metadata file)",
		"credits_section":          "attribution context (credits section)", "credit_line": "attribution context (credit line)",
		"dictionary": "dictionary entries (word, reading, cost, part of speech)",
	},
	sep: ", ",
}

var reasonsJa = reasonWords{
	formats: map[string]string{
		detectors.ReasonHeader:        "見出し %s",
		detectors.ReasonValues:        "値から判定した列: %[1]s",
		detectors.ReasonReturned:      "返却日あり: 延滞ではなく貸出履歴",
		detectors.ReasonWords:         "語 %[2]s（本文・ファイル名）→ %[1]s",
		detectors.ReasonPersons:       "人数は%[2]sで識別",
		detectors.ReasonBulk:          "連絡先のある%[1]s人 → 高",
		detectors.ReasonSingle:        "%[1]s人の連絡先 → 中",
		detectors.ReasonMyNumber:      "マイナンバーを含む記録 %[1]s件 → 重大",
		detectors.ReasonDummy:         "すべて識別可能なテストデータ → 情報",
		detectors.ReasonOrg:           "組織の連絡先 %[1]s件（個人のものではない）",
		detectors.ReasonCapped:        "%[1]s: %[2]s件を低に抑制",
		detectors.ReasonNamesOnly:     "連絡先・利用記録のない氏名のみ → 低",
		detectors.ReasonWeakSignals:   "弱い手がかりのみ → 低",
		detectors.ReasonOtherCustomer: "%[3]s向けの納品物に%[2]sの%[1]s人（地域の分かる%[5]s人中%[4]s人が他地域）→ 重大",
	},
	words: map[string]string{
		"name": "氏名", "name_kana": "氏名カナ", "phone": "電話番号", "email": "メール", "address": "住所",
		"postal_code": "郵便番号", "birth_date": "生年月日", "age": "年齢", "my_number": "マイナンバー",
		"patron_id": "利用者番号", "book_title": "書名", "isbn": "ISBN", "author": "著者", "publisher": "出版者",
		"loan_date": "貸出日", "due_date": "返却期限", "overdue_days": "延滞日数", "hold_no": "予約番号",
		"hold_date": "予約日", "hold_expiry": "取置期限", "pickup": "受取館", "registered": "登録日", "sex": "性別",
		"dept": "部署", "return_date": "返却日", "updated": "更新日", "extension": "内線", "contact": "連絡先",
		detectors.ClassOverdueList: "延滞リスト", detectors.ClassHoldList: "予約リスト",
		detectors.ClassPatronRegistry: "利用者台帳", detectors.ClassLoanRecord: "貸出記録",
		detectors.ClassContactList: "連絡先リスト",
		"credits_file":             "帰属表示の文脈（著者・変更履歴・パッケージ情報のファイル）",
		"credits_section":          "帰属表示の文脈（著者・翻訳者の節）", "credit_line": "帰属表示の文脈（著作権・著者の行）",
		"dictionary": "辞書の見出し語（読み・コスト・品詞）",
	},
	sep: "・",
}
