package detectors

import "testing"

func TestAgeTruePositives(t *testing.T) {
	checkTPs(t, Age{}, []tp{
		{"山田太郎（45歳）", "45", false},
		{"満４５歳", "45", false},
		{"年齢: 45", "45", false},
		{"年齢：45", "45", false},
		{"年齢45", "45", false},
		{"AGE 45", "45", false},
		{"age: 0", "0", false},
		{`{"age": 102}`, "102", false},
		{"Age=7,", "7", false},
		{"享年 88 才", "88", false},
		{"年齢 45歳", "45", false},
	})
}

func TestAgeFalsePositives(t *testing.T) {
	checkFPs(t, Age{}, []string{
		"18歳以上の方", "6歳未満", "12歳以下", "3歳から5歳まで", "3歳〜5歳", "0歳児クラス",
		"65歳以降", "20歳代",
		"築45年", "45年", "平成45年",
		"年齢制限なし", "page: 45", "usage 45", "image_age 45", "storage=45",
		"age 45-60", "age: 4.5", "age 121", "年齢 130", "121歳",
		"(45)", "v1.45歳", "age45",
	})
}
