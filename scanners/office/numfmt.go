package office

import (
	"math"
	"strings"
	"time"
)

// numKind is what a cell's number format makes of its number.
type numKind uint8

const (
	kindNumber   numKind = iota // shown as a number
	kindDate                    // a date: yyyy-mm-dd
	kindDateTime                // a date and a time: yyyy-mm-dd hh:mm:ss
	kindTime                    // a time of day: hh:mm:ss
)

// builtinKind is the kind of a built-in number format: 14–17 and 22
// dates, 18–21 and 45–47 times, and the East Asian built-ins 27–36 and
// 50–58 (Japanese: 和暦 and 年月日 dates).
func builtinKind(id int) numKind {
	switch {
	case id >= 14 && id <= 17:
		return kindDate
	case id == 22:
		return kindDateTime
	case id >= 18 && id <= 21, id >= 45 && id <= 47:
		return kindTime
	case id >= 27 && id <= 36, id >= 50 && id <= 58:
		return kindDate
	}
	return kindNumber
}

// formatKind reads a format code ("yyyy/m/d", `[$-411]ggge"年"m"月"d"日"`,
// "h:mm") for date and time tokens in its first section, outside quoted
// text, escaped characters and bracketed parts (colours, conditions,
// locales; [h] [mm] [ss] elapsed times count as times).
func formatKind(code string) numKind {
	var date, tm bool
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case ';':
			i = len(code)
			continue
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
			continue
		case '\\', '_', '*':
			i++
			continue
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				continue
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				tm = true
			}
			i += j
			continue
		}
		switch c | 0x20 {
		case 'y', 'd', 'e', 'g':
			if c|0x20 == 'e' && i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-') {
				continue // scientific notation: 0.00E+00
			}
			if c|0x20 == 'g' && strings.HasPrefix(strings.ToLower(code[i:]), "general") {
				i += len("general") - 1
				continue
			}
			date = true
		case 'h', 's':
			tm = true
		case 'm':
			// Months or minutes: a date either way when other date
			// tokens are there, else minutes after h.
		}
	}
	switch {
	case date && tm:
		return kindDateTime
	case date:
		return kindDate
	case tm:
		return kindTime
	}
	if strings.ContainsAny(code, "mM") && !strings.ContainsAny(code, "0#?") && strings.Trim(strings.ToLower(code), "m/-. ") == "" {
		return kindDate // "mmm", "mm/" : months alone
	}
	return kindNumber
}

// appendSerial appends a serial date number as the kind says, for the
// 1900 date system (with its phantom 29 February 1900) or the 1904 one.
// ok is false when the number is no date (negative, too large, not a
// number): the caller shows it as a number.
func appendSerial(dst []byte, v float64, kind numKind, date1904 bool) ([]byte, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v >= 2958466 {
		return dst, false
	}
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	if secs >= 86400 {
		days++
		secs -= 86400
	}
	var t time.Time
	switch {
	case date1904:
		t = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	case days < 60:
		if days < 1 && kind != kindTime {
			return dst, false
		}
		t = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	case days == 60:
		if kind == kindTime {
			break
		}
		return append(dst, "1900-02-29"...), true // Lotus's leap day, as Excel shows it
	default:
		t = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(days))
	}
	t = t.Add(time.Duration(secs) * time.Second)
	switch kind {
	case kindDate:
		return t.AppendFormat(dst, "2006-01-02"), true
	case kindDateTime:
		return t.AppendFormat(dst, "2006-01-02 15:04:05"), true
	case kindTime:
		return time.Time{}.Add(time.Duration(secs)*time.Second).AppendFormat(dst, "15:04:05"), true
	}
	return dst, false
}
