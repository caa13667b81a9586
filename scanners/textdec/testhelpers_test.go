package textdec

import (
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Synthetic patron list; every name, number and address is made up.
const csvJP = "氏名,フリガナ,電話番号,住所,返却期限\n" +
	"佐藤 花子,サトウ ハナコ,0564-23-3100,愛知県岡崎市康生通西1-2-3,2005/06/30\n" +
	"山田 太郎,ヤマダ タロウ,090-1234-5678,愛知県岡崎市朝日町4-5,2005/07/01\n" +
	"鈴木 一郎,スズキ イチロウ,0564-11-2222,愛知県岡崎市羽根町6-7-8,2005/07/02\n" +
	"備考: 督促状を送付済みです。次回の来館時に確認してください。\n"

const shortJP = "佐藤 花子,0564-23-3100\n"

// encodings under test, with x/text encoders producing each form.
var testEncoders = []struct {
	name string
	enc  Encoding
	e    encoding.Encoding // encodes without BOM
}{
	{"utf8", UTF8, unicode.UTF8},
	{"sjis", ShiftJIS, japanese.ShiftJIS},
	{"eucjp", EUCJP, japanese.EUCJP},
	{"iso2022jp", ISO2022JP, japanese.ISO2022JP},
	{"utf16le", UTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)},
	{"utf16be", UTF16BE, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)},
}

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func mustEncode(e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// lcg is a tiny deterministic byte generator for synthetic binary data.
type lcg uint64

func (g *lcg) byte() byte {
	*g = *g*6364136223846793005 + 1442695040888963407
	return byte(*g >> 56)
}

func randomBytes(seed uint64, n int) []byte {
	g := lcg(seed)
	b := make([]byte, n)
	for i := range b {
		b[i] = g.byte()
	}
	return b
}
