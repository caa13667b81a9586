package detectors

import "testing"

func TestBirthDateTruePositives(t *testing.T) {
	checkTPs(t, BirthDate{}, []tp{
		{"生年月日: 1970年3月2日", "1970-03-02", false},
		{"生年月日,1970/03/02", "1970-03-02", false},
		{"DOB 1970-03-02", "1970-03-02", false},
		{"date_of_birth=1970.3.2", "1970-03-02", false},
		{"1970年3月2日生まれ", "1970-03-02", false},
		{"誕生日 1988/2/29", "1988-02-29", false},
		{"BIRTHDAY:19700302", "1970-03-02", false},
		{"昭和45年3月2日", "1970-03-02", false},
		{"平成2年3月4日", "1990-03-04", false},
		{"令和元年5月1日", "2019-05-01", false},
		{"大正 3年 10月 9日", "1914-10-09", false},
		{"明治45年7月29日", "1912-07-29", false},
		{"S45.3.2", "1970-03-02", false},
		{"H2/3/4", "1990-03-04", false},
		{"R1.5.1", "2019-05-01", false},
		{"S45年3月2日", "1970-03-02", false},
		{"昭和６４年１月７日", "1989-01-07", false},
		{"生年月日 1970-01-01", "1970-01-01", true},
	})
}

func TestBirthDateFalsePositives(t *testing.T) {
	checkFPs(t, BirthDate{}, []string{
		"2024-01-15 release notes",
		"貸出日 2024/01/15 返却期限 2024/01/29",
		"version 1.2.3, v2019.05.01, 1.1970.3.2",
		"生年月日 1970年2月30日",
		"生年月日 1970-13-02",
		"生年月日 2023-02-29",
		"昭和65年1月1日", // 昭和 ended in its 64th year
		"平成31年5月1日", // already 令和
		"令和元年4月30日", // still 平成
		"大正16年1月1日",
		"昭和45年", // no month/day
		"MSH2.3.4", "PS45.3.2", "v1.R1.5.1", "R1.5.1.2",
		"build 20240115", "生年月日 2024-01-15-2",
		"ADOBE 1970-03-02",
	})
}

func TestBirthDateLabelRaisesConfidence(t *testing.T) {
	plain := BirthDate{}.Find(nil, []byte("昭和45年3月2日"))
	labelled := BirthDate{}.Find(nil, []byte("生年月日 昭和45年3月2日"))
	if len(plain) != 1 || len(labelled) != 1 || labelled[0].Confidence <= plain[0].Confidence {
		t.Fatalf("label should raise the confidence of an era date")
	}
	if labelled[0].Start != len("生年月日 ") {
		t.Errorf("match should start at the era name, got %d", labelled[0].Start)
	}
}
