package detectors

// MyNumber finds individual numbers (マイナンバー, category "my_number").
//
// A candidate is a run of exactly 12 digits, or 4-4-4 digits separated by
// single spaces or hyphens, not glued to other digits. It must carry a
// valid check digit (the official algorithm of the 行政手続における特定の
// 個人を識別するための番号の利用等に関する法律施行令) AND a label — 個人番号,
// マイナンバー, My Number, KOJIN_BANGO… — within ~40 bytes before it on the
// same line or anywhere on the line before (a CSV header), because one
// random 12-digit number in 11 passes the check. Value is the 12 digits.
type MyNumber struct{}

var _ Detector = MyNumber{}

// ID implements Detector.
func (MyNumber) ID() string { return "jp-mynumber" }

// Category implements Detector.
func (MyNumber) Category() string { return "my_number" }

// Confidence levels of My Number matches.
const (
	myNumberConfSameLine = 0.95
	myNumberConfPrevLine = 0.85
	myNumberConfDummy    = 0.3
)

var myNumberLabels = wordLabels("mynumber_labels")

// Find implements Detector.
func (MyNumber) Find(dst []Match, text []byte) []Match {
	var d [12]byte
	for i := 0; i < len(text); {
		s, e := nextDigitRun(text, i)
		if s < 0 {
			break
		}
		i = e
		end := -1
		switch e - s {
		case 12:
			copy(d[:], text[s:e])
			end = e
		case 4:
			if e+10 <= len(text) {
				sep := text[e]
				if (sep == ' ' || sep == '-') && digitRun(text, e+1) == e+5 && text[e+5] == sep && digitRun(text, e+6) == e+10 {
					copy(d[:4], text[s:e])
					copy(d[4:8], text[e+1:e+5])
					copy(d[8:], text[e+6:e+10])
					end = e + 10
				}
			}
		}
		if end < 0 {
			continue
		}
		if !myNumberBounds(text, s, end) || !validMyNumber(d[:]) {
			continue
		}
		conf := 0.0
		if myNumberLabels.in(sameLineBefore(text, s, 40)) {
			conf = myNumberConfSameLine
		} else if myNumberLabels.in(prevLine(text, s, 300)) {
			conf = myNumberConfPrevLine
		}
		if conf == 0 {
			continue
		}
		m := Match{Detector: "jp-mynumber", Category: "my_number", Value: string(d[:]), Start: s, End: end, Confidence: conf}
		if dummies().myNumber[m.Value] {
			m.Dummy, m.Confidence = true, myNumberConfDummy
		}
		dst = append(dst, m)
		i = end
	}
	return dst
}

func myNumberBounds(text []byte, s, e int) bool {
	if s > 0 {
		b := text[s-1]
		if isAlnum(b) || b == '_' || b == '.' || ((b == '-' || b == ' ') && s > 1 && isDigit(text[s-2])) {
			return false
		}
	}
	if e < len(text) {
		b := text[e]
		if isAlnum(b) || b == '_' || ((b == '-' || b == ' ' || b == '.') && e+1 < len(text) && isDigit(text[e+1])) {
			return false
		}
	}
	return true
}

// validMyNumber checks the check digit of a 12-digit individual number:
// with Pn the n-th digit from the right before the check digit and
// Qn = n+1 (n ≤ 6) or n-5 (n ≥ 7), the check digit is 0 when Σ Pn·Qn mod 11
// is 0 or 1 and 11 minus that remainder otherwise.
func validMyNumber(d []byte) bool {
	if len(d) != 12 {
		return false
	}
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(d[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	check := 0
	if r > 1 {
		check = 11 - r
	}
	return int(d[11]-'0') == check
}
