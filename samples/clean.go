package samples

import (
	"bytes"
	"fmt"
	"strings"
)

// The library's and the vendor's own contact data: organisational, not
// personal, and repeated across the delivery.
const (
	libraryName  = "架空市立中央図書館"
	libraryPhone = "0564-23-0101"
	libraryFax   = "0564-23-0109"
	libraryPost  = "444-8601"
	libraryAddr  = "愛知県架空市みどり町1-1-1"
	supportEmail = "support@ils-vendor.example.co.jp"
)

// clean is the verdict of a file without personal data.
func clean(enc, maxSev string) Expected {
	return Expected{Encoding: enc, MinSeverity: "none", MaxSeverity: maxSev, Classification: "none"}
}

// crlf converts LF line ends to CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// genBinary: a small fake ELF executable: random code and usage strings.
func genBinary(g *gen) genFile {
	const rel = "bin/ilsctl"
	r := g.rng(rel)
	var b bytes.Buffer
	b.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0})
	b.Write(make([]byte, 40))
	code := func(n int) {
		for range n {
			c := byte(r.Uint32())
			if c >= 0x80 && r.IntN(3) > 0 {
				c &= 0x7f // x86 code is mostly low bytes
			}
			b.WriteByte(c)
		}
	}
	code(20000)
	for _, s := range []string{
		"Usage: ilsctl [options] command [args...]",
		"Commands:",
		"  status        show the state of the circulation server",
		"  export-biblio export bibliographic records as TSV",
		"  notice        build overdue notices for the given date",
		"  version       print the version",
		"Options:",
		"  -h host       database host (default 192.168.10.21)",
		"  -p port       database port (default 1521)",
		"  -d YYYY-MM-DD reference date",
		"ilsctl version 2.3.1 (build 20240115, go1.21.5 linux/amd64)",
		"connect %s:%d: %v",
		"notice: %d loans overdue since %s",
		"invalid ISBN %q: bad check digit",
		"support: " + supportEmail,
		"runtime error: index out of range [%d] with length %d",
		"/usr/local/go/src/runtime/proc.go",
		"GODEBUG", "GOMAXPROCS", "SIGSEGV: segmentation violation",
	} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	code(16000)
	e := clean(EncBinary, "low")
	e.Benign.Email = []string{supportEmail}
	return file(rel, b.Bytes(), e)
}

// genOverdueService: Java source with Japanese comments, versions, dates,
// IP addresses and an ISBN example.
func genOverdueService(g *gen) genFile {
	const rel = "lib/src/jp/example/ils/circulation/OverdueService.java"
	r := g.rng(rel)
	isbn := isbn13(r)
	src := `/*
 * ILS Circulation Module v2.3.1
 * Copyright (c) 2009-2024 ILS Vendor Co., Ltd. All rights reserved.
 * 問い合わせ先: ` + supportEmail + `
 */
package jp.example.ils.circulation;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * 延滞資料の督促処理を行うサービス。
 * <p>
 * 返却期限を過ぎた貸出を抽出し、督促状（はがき・メール）を作成する。
 * 2024-01-15 リリースの v2.3.1 で、延滞日数の計算を開館日ベースに変更した。
 */
public class OverdueService {
    /** モジュールのバージョン。 */
    public static final String VERSION = "2.3.1";
    /** リリース日。 */
    public static final String RELEASED = "2024-01-15";
    /** 動作確認済みの OS ビルド番号 (Windows 10 22H2)。 */
    public static final String TESTED_OS_BUILD = "10.0.19041";
    /** 督促を開始する延滞日数。 */
    private static final int REMIND_AFTER_DAYS = 7;
    /** 保護者の同意が必要な年齢（15歳以下）。 */
    private static final int GUARDIAN_AGE = 15;
    /** DB サーバ（本番: 192.168.10.21、検証: 10.20.30.40）。 */
    private static final String DB_HOST = "192.168.10.21";
    private static final int DB_PORT = 1521;
    /** 単体テスト用の ISBN の例（チェックディジット検証）。 */
    static final String SAMPLE_ISBN = "` + isbn + `";
    /** 一度に出力する督促件数の上限。 */
    private static final int BATCH_SIZE = 5000;

    private final LoanRepository loans;
    private final NoticePrinter printer;

    public OverdueService(LoanRepository loans, NoticePrinter printer) {
        this.loans = loans;
        this.printer = printer;
    }

    /**
     * 基準日 today 時点で督促対象となる貸出の通知を作る。
     * 氏名・住所などの個人情報はログに出力しないこと（2010-05 の事案を受けた社内規程）。
     */
    public List<Notice> buildNotices(LocalDate today) {
        List<Notice> out = new ArrayList<>();
        // 返却期限 < today - REMIND_AFTER_DAYS の貸出を取得する
        LocalDate limit = today.minusDays(REMIND_AFTER_DAYS);
        for (Loan loan : loans.findDueBefore(limit, BATCH_SIZE)) {
            long late = ChronoUnit.DAYS.between(loan.getDueDate(), today);
            // 延滞日数が 0 以下のものは対象外（休館日の調整後）
            if (late <= 0) {
                continue;
            }
            out.add(new Notice(loan.getPatronNo(), loan.getBibId(), late));
        }
        return out;
    }

    /** 利用者が保護者の同意を要する年齢かどうか。 */
    static boolean needsGuardian(int age) {
        return age <= GUARDIAN_AGE;
    }

    /** 印刷ジョブを送る（プリンタ: 192.168.10.50:9100）。 */
    public void print(List<Notice> notices) {
        printer.send(notices, "192.168.10.50", 9100);
    }
}
`
	e := clean(EncUTF8, "low")
	e.Benign.Email = []string{supportEmail}
	return file(rel, []byte(src), e)
}

// genPatronDao: Java data-access code that names patron columns.
func genPatronDao(_ *gen) genFile {
	const rel = "lib/src/jp/example/ils/patron/PatronDao.java"
	src := `/*
 * ILS Patron Module v2.3.1 (2024-01-15)
 * Copyright (c) 2009-2024 ILS Vendor Co., Ltd.
 */
package jp.example.ils.patron;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * 利用者テーブル PATRON へのアクセス。
 * 列: PATRON_NO（利用者番号）, SHIMEI（氏名）, KANA（カナ氏名）, TEL（電話番号）,
 * ZIP（郵便番号）, JUSHO（住所）, BIRTH（生年月日）。
 */
public class PatronDao {
    private static final String SELECT_BY_NO =
        "SELECT PATRON_NO, SHIMEI, KANA, TEL, ZIP, JUSHO, BIRTH FROM PATRON WHERE PATRON_NO = ?";
    private static final String UPDATE_TEL =
        "UPDATE PATRON SET TEL = ?, UPDATED_AT = SYSDATE WHERE PATRON_NO = ?";
    /** 電話番号の形式チェック（ハイフンあり、10〜11桁）。 */
    static final String TEL_PATTERN = "^0\\d{1,4}-\\d{1,4}-\\d{4}$";
    /** 郵便番号の形式チェック（例: 444-0000）。 */
    static final String ZIP_PATTERN = "^\\d{3}-\\d{4}$";

    private final Connection conn;

    public PatronDao(Connection conn) {
        this.conn = conn;
    }

    /** 利用者番号から利用者を取得する。見つからなければ null。 */
    public Patron find(String patronNo) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(SELECT_BY_NO)) {
            ps.setString(1, patronNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Patron p = new Patron();
                p.setPatronNo(rs.getString("PATRON_NO"));
                p.setName(rs.getString("SHIMEI"));     // 氏名
                p.setKana(rs.getString("KANA"));       // カナ氏名
                p.setTel(rs.getString("TEL"));         // 電話番号
                p.setZip(rs.getString("ZIP"));         // 郵便番号
                p.setAddress(rs.getString("JUSHO"));   // 住所
                p.setBirth(rs.getDate("BIRTH"));       // 生年月日
                return p;
            }
        }
    }

    /** 電話番号を更新する。変更履歴は PATRON_LOG に残る（保存期間 5 年）。 */
    public int updateTel(String patronNo, String tel) throws SQLException {
        if (!tel.matches(TEL_PATTERN)) {
            throw new IllegalArgumentException("電話番号の形式が不正です");
        }
        try (PreparedStatement ps = conn.prepareStatement(UPDATE_TEL)) {
            ps.setString(1, tel);
            ps.setString(2, patronNo);
            return ps.executeUpdate();
        }
    }
}
`
	return file(rel, []byte(src), clean(EncUTF8, "low"))
}

// genDDL: SQL DDL naming personal-data columns, without rows.
func genDDL(_ *gen) genFile {
	const rel = "lib/sql/create_patron.sql"
	src := `-- ILS v2.3.1 スキーマ定義（2024-01-15）
-- 対象: Oracle Database 19c (19.3.0.0.0)

CREATE TABLE PATRON (
    PATRON_NO   VARCHAR2(10)  NOT NULL,  -- 利用者番号
    SHIMEI      VARCHAR2(40)  NOT NULL,  -- 氏名
    KANA        VARCHAR2(60),            -- カナ氏名
    TEL         VARCHAR2(15),            -- 電話番号
    MAIL        VARCHAR2(128),           -- メールアドレス
    ZIP         VARCHAR2(8),             -- 郵便番号
    JUSHO       VARCHAR2(120),           -- 住所
    BIRTH       DATE,                    -- 生年月日
    KOJIN_NO    CHAR(12),                -- 個人番号（v2.3 で廃止、常に NULL）
    REG_DATE    DATE DEFAULT SYSDATE,    -- 登録日
    CONSTRAINT PK_PATRON PRIMARY KEY (PATRON_NO)
) TABLESPACE ILS_DATA;

CREATE TABLE LOAN (
    LOAN_ID     NUMBER(12)    NOT NULL,  -- 貸出番号
    PATRON_NO   VARCHAR2(10)  NOT NULL,  -- 利用者番号
    BIB_ID      NUMBER(10)    NOT NULL,  -- 書誌ID
    LENT_AT     DATE          NOT NULL,  -- 貸出日
    DUE_DATE    DATE          NOT NULL,  -- 返却期限
    RETURNED_AT DATE,                    -- 返却日
    CONSTRAINT PK_LOAN PRIMARY KEY (LOAN_ID)
) TABLESPACE ILS_DATA;

CREATE INDEX IX_LOAN_DUE ON LOAN (DUE_DATE) TABLESPACE ILS_INDEX;

-- 督促対象の抽出（延滞 7 日以上）
CREATE OR REPLACE VIEW V_OVERDUE AS
SELECT L.PATRON_NO, P.SHIMEI, P.TEL, L.BIB_ID, L.DUE_DATE,
       TRUNC(SYSDATE) - L.DUE_DATE AS LATE_DAYS
  FROM LOAN L JOIN PATRON P ON P.PATRON_NO = L.PATRON_NO
 WHERE L.RETURNED_AT IS NULL AND L.DUE_DATE < TRUNC(SYSDATE) - 7;
`
	return file(rel, []byte(src), clean(EncUTF8, "low"))
}

// genProperties: a configuration file with hosts, versions and timeouts.
func genProperties(_ *gen) genFile {
	const rel = "lib/conf/ilsctl.properties"
	src := `# ilsctl 設定ファイル (v2.3.1, 2024-01-15)
# 変更後はサービスを再起動すること。
app.version=2.3.1
app.build=20240115.1842
db.host=192.168.10.21
db.port=1521
db.sid=ILSPRD
db.pool.max=32
db.timeout.ms=30000
ntp.server=10.0.0.1
opac.url=https://opac.lib.city-kakuu.lg.jp/
notice.remind.after.days=7
notice.printer=192.168.10.50:9100
notice.mail.from=toshokan@lib.city-kakuu.lg.jp
# 保護者同意が必要な年齢（15歳以下）
patron.guardian.age=15
client.os.min=10.0.19041
log.retention.days=1825
`
	return file(rel, []byte(src), clean(EncUTF8, "low"))
}

// genManual: Japanese Markdown documentation with the library's phone
// number once and the vendor's support address.
func genManual(_ *gen) genFile {
	const rel = "docs/manual_ja.md"
	src := `# ILS 図書館システム 運用マニュアル（` + libraryName + ` 向け）

版数: v2.3.1 ／ 発行日: 2024-01-15 ／ 株式会社アイエルエス・ベンダー

## 1. 概要

本システムは、資料の貸出・返却・予約、利用者登録、督促状の作成を行う図書館業務システムです。
対象館は` + libraryName + `および分館2館（みどり分館、若葉台分館）、東野分室です。

## 2. 動作環境

| 項目 | 要件 |
| --- | --- |
| クライアント OS | Windows 10 (ビルド 10.0.19041 以降) |
| データベース | Oracle Database 19c (19.3.0.0.0) |
| Java | 17.0.9 以降 |
| サーバ IP | 192.168.10.21（本番）、10.20.30.40（検証） |

## 3. 利用者登録

- 利用者カードは、架空市内に在住・在勤・在学の方に発行します。
- 中学生以下（15歳以下）は保護者の同意が必要です。
- 登録時には氏名、住所、電話番号、生年月日を確認します。個人番号（マイナンバー）は取得しません。
- 電話番号はハイフン区切りで入力します（例: 0564-XX-XXXX）。
- 登録の有効期間は3年です。70歳以上の方は更新手続きを窓口で行えます。

## 4. 貸出と返却

貸出点数は1人10点まで、貸出期間は14日間です。予約資料の取置期間は10日間です。
ISBN で資料を検索する場合は、13桁（例: 978-4-00-000000-0 の形式）で入力してください。

## 5. 督促処理

返却期限を7日過ぎた貸出について、毎週月曜日に督促リストを作成します。
督促状は ` + "`templates/overdue_notice.html`" + ` を元に作成されます。
督促リストや利用者データを含むファイルを、納品物・バックアップ媒体・公開サーバに置かないでください。

## 6. 問い合わせ先

- 利用者からのお問い合わせ: ` + libraryName + ` 電話 ` + libraryPhone + `（開館日の9時〜17時）
- システムの障害・操作方法: ` + supportEmail + `

## 7. 改版履歴

| 版 | 日付 | 内容 |
| --- | --- | --- |
| v2.3.1 | 2024-01-15 | 延滞日数の計算を開館日ベースに変更 |
| v2.3.0 | 2023-10-02 | 個人番号列を廃止 |
| v2.2.4 | 2022-04-01 | Windows 10 (10.0.19041) に対応 |
| v1.0.0 | 2009-07-21 | 初版 |
`
	e := clean(EncUTF8, "low")
	e.Benign.Phone = []string{libraryPhone}
	e.Benign.Email = []string{supportEmail}
	return file(rel, []byte(src), e)
}

// genReadme: release notes in CP932 with CRLF, as vendors still ship them.
func genReadme(_ *gen) genFile {
	const rel = "docs/README.txt"
	src := `ILS 図書館システム v2.3.1 リリースノート
==========================================

リリース日: 2024年1月15日
対象: ` + libraryName + ` 様

■ 変更点
  ・延滞日数の計算を開館日ベースに変更しました。
  ・Windows 10 (10.0.19041) / Windows 11 (10.0.22631) で動作を確認しました。
  ・Oracle Database 19c (19.21.0.0.0) に対応しました。

■ インストール
  1. サービスを停止します。
  2. bin\ilsctl と lib\ 以下を上書きします。
  3. lib\conf\ilsctl.properties の db.host（既定 192.168.10.21）を確認します。
  4. サービスを開始し、ilsctl version で 2.3.1 と表示されることを確認します。

■ 注意
  ・tests\fixtures 以下は動作確認用のダミーデータです。
  ・中学生以下（15歳以下）の利用者登録には保護者の同意が必要です（運用マニュアル 3 章）。

■ お問い合わせ
  株式会社アイエルエス・ベンダー サポート窓口
  ` + supportEmail + `
`
	e := clean(EncShiftJIS, "low")
	e.Benign.Email = []string{supportEmail}
	return file(rel, sjis(crlf(src)), e)
}

// genTemplate: the HTML template of overdue notices, with placeholders and
// the library's own contact data in the footer.
func genTemplate(_ *gen) genFile {
	const rel = "templates/overdue_notice.html"
	src := `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>資料返却のお願い</title>
<style>
  body { font-family: "Noto Sans JP", sans-serif; margin: 2em; }
  table.books td { padding: 0.2em 1em; }
  footer { margin-top: 3em; font-size: 90%; border-top: 1px solid #999; }
</style>
</head>
<body>
<p class="addr">〒{{.Zip}}<br>{{.Address}}</p>
<h1>{{.Name}} 様</h1>
<p>いつも` + libraryName + `をご利用いただき、ありがとうございます。<br>
下記の資料が返却期限を過ぎております。お早めにご返却ください。</p>
<table class="books">
<tr><th>書名</th><th>返却期限</th><th>延滞日数</th></tr>
{{range .Books}}<tr><td>{{.Title}}</td><td>{{.Due.Format "2006/01/02"}}</td><td>{{.LateDays}}日</td></tr>
{{end}}</table>
<p>利用者番号: {{.PatronNo}}</p>
<p>行き違いでご返却済みの場合はご容赦ください。</p>
<footer>
` + libraryName + `<br>
〒` + libraryPost + ` ` + libraryAddr + `<br>
TEL ` + libraryPhone + ` ／ FAX ` + libraryFax + `<br>
開館時間 9:00〜19:00（月曜休館）
</footer>
</body>
</html>
`
	e := clean(EncUTF8, "low")
	e.Benign.Phone = []string{libraryPhone, libraryFax}
	e.Benign.Address = []string{libraryAddr}
	e.Benign.PostalCode = []string{libraryPost}
	return file(rel, []byte(src), e)
}

var (
	titlePre  = []string{"はじめての", "やさしい", "図解", "新版", "実践", "よくわかる", "こどもの", "たのしい", "現代", "基礎から学ぶ"}
	titleNoun = []string{"天文学", "園芸", "統計学", "家庭料理", "日本史", "俳句", "プログラミング", "水彩画", "昆虫図鑑",
		"地域福祉", "図書館学", "郷土料理", "建築", "写真術", "心理学", "気象学", "民俗学", "経済学"}
	titleSuf   = []string{"", "", "入門", "講座", "ハンドブック", " 第2版", "事典", "の世界"}
	publishers = []string{"架空書房", "みどり出版", "若葉社", "東野書院", "星空堂", "架空大学出版会", "かもめ文庫"}
	ndc        = []string{"440", "620", "417", "596", "210", "911.3", "007.64", "724.4", "486", "369", "010", "383.8", "520", "740", "140", "451", "380", "331"}
	foreign    = []string{"ジョン・スミス", "マリー・デュボワ", "ハンス・ミュラー", "アンナ・ロッシ"}
)

// genBiblio: a bibliographic export of 200 records whose authors are
// public attributions, not leaks.
func genBiblio(g *gen) genFile {
	const rel = "data/catalog/biblio_export.tsv"
	r := g.rng(rel)
	used := map[string]bool{}
	for _, p := range g.people {
		used[p.name("")] = true
	}
	var authors []string
	for len(authors) < 90 {
		sei := surnames[r.IntN(len(surnames))]
		list := maleNames
		if r.IntN(2) == 0 {
			list = femaleNames
		}
		mei := list[r.IntN(len(list))]
		if used[sei.kanji+mei.kanji] {
			continue
		}
		used[sei.kanji+mei.kanji] = true
		authors = append(authors, sei.kanji+" "+mei.kanji)
	}
	rows := [][]string{{"書誌ID", "タイトル", "著者名", "出版者", "出版年", "ISBN", "分類", "ページ数"}}
	e := clean(EncUTF8, "low")
	for i := range 200 {
		ni := r.IntN(len(titleNoun))
		t := titlePre[r.IntN(len(titlePre))] + titleNoun[ni] + titleSuf[r.IntN(len(titleSuf))]
		var a string
		switch x := r.IntN(20); {
		case x == 0:
			a = foreign[r.IntN(len(foreign))] + " 著／" + authors[r.IntN(len(authors))] + " 訳"
		case x < 3:
			a = authors[r.IntN(len(authors))] + "／" + authors[r.IntN(len(authors))] + " 共著"
		default:
			a = authors[r.IntN(len(authors))] + " 著"
		}
		for _, n := range authors {
			if strings.Contains(a, n) {
				e.Benign.Name = append(e.Benign.Name, n)
			}
		}
		rows = append(rows, []string{fmt.Sprintf("B%08d", 1000+i*13), t, a, publishers[r.IntN(len(publishers))],
			fmt.Sprint(1980 + r.IntN(44)), isbn13(r), ndc[ni], fmt.Sprint(96 + 8*r.IntN(40))})
	}
	return file(rel, []byte(lines(rows, "\t", "\n")), e)
}

// genDummyFixture: recognisable test data, expected as dummy at info.
func genDummyFixture(_ *gen) genFile {
	const rel = "tests/fixtures/dummy_patrons.csv"
	src := `利用者番号,氏名,フリガナ,電話番号,メールアドレス,個人番号,住所
00000001,山田太郎,ヤマダタロウ,090-0000-0000,test@example.com,123456789018,東京都千代田区千代田1-1
00000002,鈴木花子,スズキハナコ,03-1234-5678,hanako@example.com,,東京都千代田区千代田1-1
00000003,テスト太郎,テストタロウ,000-0000-0000,test@example.com,,テスト県テスト市1-2-3
00000004,テスト花子,テストハナコ,090-1234-5678,dummy@example.jp,,テスト県テスト市1-2-3
`
	e := Expected{Encoding: EncUTF8, MinSeverity: "info", MaxSeverity: "info", Classification: "none",
		Persons: 4, Dummy: true}
	e.Planted = Planted{
		Name:     []string{"山田太郎", "鈴木花子", "テスト太郎", "テスト花子"},
		Phone:    []string{"090-0000-0000", "03-1234-5678", "090-1234-5678"},
		Email:    []string{"test@example.com", "hanako@example.com", "dummy@example.jp"},
		MyNumber: []string{"123456789018"},
	}
	return file(rel, []byte(src), e)
}

// genImportTemplate: a header-only import template (Excel-style BOM, CRLF).
func genImportTemplate(_ *gen) genFile {
	const rel = "data/import_template.csv"
	return file(rel, []byte("\ufeff氏名,フリガナ,電話番号,住所,生年月日\r\n"), clean(EncUTF8, "low"))
}
