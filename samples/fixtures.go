package samples

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// Formats without a Go writer (7z, ISO 9660, Excel 97 BIFF8, LZH, CAB)
// come from fixtures: binaries made once with the Debian tools from
// inputs this package generates (WriteFixtureSources), committed under
// samples/fixtures/ and copied byte for byte into the deliverable. Their
// manifest entries are declared here, next to the inputs they were made
// of; fixtures/README.md says how each was made.

//go:embed fixtures
var fixtureFS embed.FS

// FixturesName is the directory of the committed fixture binaries inside
// the samples directory.
const FixturesName = "fixtures"

// fixture is a committed binary container and what it holds.
type fixture struct {
	file string // name under fixtures/ ("setup.7z")
	rel  string // path below the deliverable root
	// inputs are the files the tool was given, by path relative to the
	// directory it ran in (for xls, the one xlsx it converted).
	inputs []fixtureInput
	// members are the leaves a reader reports, with their content as the
	// scanner extracts it (for archives: the input's bytes; for a
	// workbook: the sheet's rows, cells tab-separated).
	members []fixtureMember
}

type fixtureInput struct {
	name string
	data []byte
}

type fixtureMember struct {
	name string
	text []byte
	exp  Expected
}

// fixtures are the fixture-backed files, in deliverable order.
var fixtures = []func(*gen) fixture{fixSetup7z, fixDeliveryISO, fixRiyoshaXls, fixPatchLzh, fixDriverCab}

// fixtureGen turns a fixture declaration into a generated file: the
// committed binary and the manifest entries of its members.
func fixtureGen(fn func(*gen) fixture) func(*gen) genFile {
	return func(g *gen) genFile {
		fx := fn(g)
		data, err := fixtureFS.ReadFile(FixturesName + "/" + fx.file)
		if err != nil {
			fail("fixture", fmt.Errorf("%s: %w (make it as fixtures/README.md says)", fx.file, err))
		}
		f := genFile{rel: fx.rel, data: data}
		for _, m := range fx.members {
			f.members = append(f.members, member(m.name, m.exp))
		}
		return f
	}
}

// archiveInputs makes each member an input of the same name and bytes.
func archiveInputs(ms []fixtureMember) []fixtureInput {
	out := make([]fixtureInput, len(ms))
	for i, m := range ms {
		out[i] = fixtureInput{m.name, m.text}
	}
	return out
}

// inputsDigest is the SHA-256 over the inputs' names and bytes: the test
// pins it, so a change to the generators that would change a fixture's
// inputs fails until the fixture is remade.
func (fx fixture) inputsDigest() string {
	h := sha256.New()
	for _, in := range fx.inputs {
		fmt.Fprintf(h, "%s\x00%d\x00", in.name, len(in.data))
		h.Write(in.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WriteFixtureSources writes the inputs of every fixture below dir, one
// directory per fixture named after its file ("dir/setup.7z/…"), for
// remaking the fixtures with the commands of fixtures/README.md.
func WriteFixtureSources(dir string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			ge, ok := r.(genError)
			if !ok {
				panic(r)
			}
			err = ge.err
		}
	}()
	g := newGen()
	for _, fn := range fixtures {
		fx := fn(g)
		for _, in := range fx.inputs {
			p := filepath.Join(dir, fx.file, filepath.FromSlash(in.name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return fmt.Errorf("samples: %w", err)
			}
			if err := os.WriteFile(p, in.data, 0o644); err != nil {
				return fmt.Errorf("samples: %w", err)
			}
		}
	}
	return nil
}

// fixSetup7z: the installer's 7z archive, which ships a "sample" overdue
// list (CP932, CRLF) that is last year's real one, and a clean readme.
func fixSetup7z(g *gen) fixture {
	const rel = "install/setup.7z"
	r := g.rng(rel + "!/sample/延滞者一覧.csv")
	late := g.pick(r, 9)
	text, pl := overdueCSV(r, late, date(2010, 5, 1), date(2010, 5, 31), "\r\n")
	readme := clean(EncShiftJIS, "low")
	readme.Benign.Email = []string{supportEmail}
	ms := []fixtureMember{
		{"sample/延滞者一覧.csv", sjis(text), leak(EncShiftJIS, "overdue_list", "high", len(late), pl)},
		{"readme.txt", sjis(crlf(`ILS 図書館システム v2.3.1 セットアップ
======================================

このアーカイブには Windows 用のセットアップ一式が入っています。

  setup.exe を管理者権限で実行し、画面の指示に従ってください。
  インストール先の既定は C:\ILS です。
  sample フォルダには帳票の表示確認用の CSV が入っています。

動作環境: Windows 10 / Windows 11、.NET Framework 4.8
お問い合わせ: 株式会社アイエルエス・ベンダー サポート窓口 ` + supportEmail + `
`)), readme},
	}
	return fixture{file: "setup.7z", rel: rel, inputs: archiveInputs(ms), members: ms}
}

// fixDeliveryISO: the delivery CD image (ISO 9660 with Joliet and Rock
// Ridge): a patron list (CP932, CRLF) copied onto the medium for the
// migration, and a clean contents list.
func fixDeliveryISO(g *gen) fixture {
	const rel = "media/delivery.iso"
	r := g.rng(rel + "!/data/利用者一覧.csv")
	people := g.pick(r, 12)
	text, pl := contactCSV(people, []string{"利用者番号", "氏名", "フリガナ", "郵便番号", "住所", "電話番号"}, "", "\r\n")
	contents := clean(EncUTF8, "low")
	contents.Benign.Phone = []string{libraryPhone}
	ms := []fixtureMember{
		{"data/利用者一覧.csv", sjis(text), leak(EncShiftJIS, "patron_registry", "high", len(people), pl)},
		{"README.TXT", []byte(crlf(`ILS 2.3.1 納品媒体
==================

納品先: ` + libraryName + ` (TEL ` + libraryPhone + `)
媒体番号: ILS-231-01

収録内容
  data/  データ移行用ファイル
  README.TXT  このファイル

移行作業の完了後、この媒体は貸出係で施錠保管してください。
`)), contents},
	}
	return fixture{file: "delivery.iso", rel: rel, inputs: archiveInputs(ms), members: ms}
}

// fixRiyoshaXls: an Excel 97 workbook of the patron registry: sheet 利用者
// with ten patrons (every cell a string, as typed with leading zeros and
// hyphens), and sheet 凡例 that explains the columns.
func fixRiyoshaXls(g *gen) fixture {
	const rel = "data/excel/riyosha.xls"
	r := g.rng(rel)
	people := g.pick(r, 10)
	rows := [][]string{{"利用者番号", "氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号"}}
	var pl Planted
	for _, p := range people {
		birth := p.birth.Format("2006/01/02")
		rows = append(rows, []string{p.patronID, p.name("\u3000"), p.kana("\u3000"), birth, p.postal, p.address(), p.phone})
		pl.PatronID = append(pl.PatronID, p.patronID)
		pl.Name = append(pl.Name, p.name("\u3000"))
		pl.NameKana = append(pl.NameKana, p.kana("\u3000"))
		pl.BirthDate = append(pl.BirthDate, isoDate(p.birth))
		pl.PostalCode = append(pl.PostalCode, p.postal)
		pl.Address = append(pl.Address, p.address())
		pl.Phone = append(pl.Phone, p.phone)
	}
	legend := [][]string{
		{"項目", "説明"},
		{"利用者番号", "利用者カードの番号（8桁）"},
		{"氏名", "登録時の氏名"},
		{"フリガナ", "全角カタカナ"},
		{"生年月日", "西暦 yyyy/mm/dd"},
		{"電話番号", "ハイフン区切り"},
	}
	var sheets []sheet
	var ms []fixtureMember
	for _, s := range []struct {
		name string
		rows [][]string
		exp  Expected
	}{
		{"利用者", rows, leak(EncUTF8, "patron_registry", "high", len(people), pl)},
		{"凡例", legend, clean(EncUTF8, "low")},
	} {
		var cells [][]cell
		for _, row := range s.rows {
			cells = append(cells, strs(row...))
		}
		sheets = append(sheets, sheet{s.name, cells})
		ms = append(ms, fixtureMember{s.name, []byte(lines(s.rows, "\t", "\n")), s.exp})
	}
	return fixture{file: "riyosha.xls", rel: rel,
		inputs: []fixtureInput{{"riyosha.xlsx", xlsxFile(sheets)}}, members: ms}
}

// fixPatchLzh: a patch archive in LZH (-lh5-), as Japanese Windows tools
// made them, that carries an overdue list under a CP932 name.
func fixPatchLzh(g *gen) fixture {
	const rel = "install/patch.lzh"
	r := g.rng(rel + "!/督促.csv")
	late := g.pick(r, 6)
	text, pl := overdueCSV(r, late, date(2010, 6, 1), date(2010, 6, 30), "\r\n")
	ms := []fixtureMember{{"督促.csv", sjis(text), leak(EncShiftJIS, "overdue_list", "high", len(late), pl)}}
	return fixture{file: "patch.lzh", rel: rel, inputs: archiveInputs(ms), members: ms}
}

// fixDriverCab: a driver cabinet (MSZIP) for the self-service kiosk that
// also holds a contact list of patrons with mobile numbers (UTF-8), and
// a clean setup information file.
func fixDriverCab(g *gen) fixture {
	const rel = "install/driver.cab"
	r := g.rng(rel + "!/renraku.csv")
	var people []*person
	for _, i := range r.Perm(len(g.people)) {
		if p := g.people[i]; p.mobile && len(people) < 7 {
			people = append(people, p)
		}
	}
	text, pl := contactCSV(people, []string{"氏名", "フリガナ", "携帯電話"}, "", "\r\n")
	inf := crlf(`; kiosk.inf - ILS self-service kiosk card reader
[Version]
Signature="$Windows NT$"
Class=SmartCardReader
Provider=%Vendor%
DriverVer=01/15/2024,2.3.1.0

[Strings]
Vendor="ILS Vendor Co., Ltd."
`)
	ms := []fixtureMember{
		{"kiosk.inf", []byte(inf), clean(EncUTF8, "low")},
		{"renraku.csv", []byte(text), leak(EncUTF8, "contact_list", "high", len(people), pl)},
	}
	return fixture{file: "driver.cab", rel: rel, inputs: archiveInputs(ms), members: ms}
}
