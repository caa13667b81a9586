package report

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rouei/rouei/detectors"
)

// appendFindingJSON writes what encoding/json writes, for findings with
// every kind of string (controls, quotes, HTML characters, invalid
// UTF-8, U+2028, Japanese), offsets, contexts and confidences.
func TestFindingJSONMatchesEncodingJSON(t *testing.T) {
	if n := reflect.TypeOf(Finding{}).NumField(); n != 11 {
		t.Fatalf("Finding has %d fields: give the new one its place in appendFindingJSON (and appendFinding), then update this count", n)
	}
	pieces := []string{"", "a", "090-****-**78", "電話番号", "\"", "\\", "<&>", "\n", "\r\t", "\b\f", "\x00", "\x1f", "\x7f",
		"\u2028", "\u2029", "\xff", "\xe3\x81", "ｱ", "😀", "a\u2028b", "/", "!/"}
	floats := []float64{0, 1, 0.5, 0.93, 1e-7, 1.5e-9, 1e21, 123456789, 0.1 + 0.2, -0.25, math.SmallestNonzeroFloat64}
	sevs := []detectors.Severity{detectors.None, detectors.Info, detectors.Low, detectors.Medium, detectors.High, detectors.Critical, 9}
	rng := rand.New(rand.NewPCG(15, 1))
	str := func() string {
		var b []byte
		for n := rng.IntN(5); n > 0; n-- {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		return string(b)
	}
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false)
	for i := 0; i < 5000; i++ {
		f := Finding{Fingerprint: str(), Path: str(), Line: rng.IntN(3) * rng.IntN(100000), Detector: str(), Category: str(),
			Severity: sevs[rng.IntN(len(sevs))], Confidence: floats[rng.IntN(len(floats))], Evidence: str(), Context: str(),
			Baselined: rng.IntN(2) == 0}
		if rng.IntN(2) == 0 {
			f.Offset = rng.Int64N(1 << 40)
		}
		enc.Reset()
		if err := e.Encode(&f); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(enc.Bytes(), []byte("\n"))
		if got := appendFindingJSON(nil, &f); !bytes.Equal(got, want) {
			t.Fatalf("finding %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
