package textdec

import (
	"sync"

	"golang.org/x/text/encoding/japanese"
)

// commonKanji are frequent kanji in Japanese prose, names, addresses and
// business records; used only as a statistical tie-breaker.
const commonKanji = "" +
	"日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党地合市業内相方四定今回新場金員九入選立開手米力学問高代明実円関決子動京全目表戦経通外最言氏現理調体化田当八六約主題下首意法不来作性的要用制治度務強気小七成期公持野協取都和統以機平総加山思家話世受区領多県続進正安設保改数記院女初北午指権心界支第産結百派点教報済書府活原先共得解名交資予川向際査勝面委告軍文反元重近千考判認画海参売利組知案道信策集在件団別物側任引使求所次水半品昨論計死官増係感特情投示変打男基私各始島直両朝革価式確村提運終挙果西勢減台広容必応演電歳住争談能無再位置企真流格有疑口過局少放税検藤任林佐鈴木橋渡辺伊加吉松井斎清水崎森池阿石前小坂遠青近西岡藤村上野原谷川山口太郎花子次郎美和恵智彦雄幸夫男樹奈香里江由紀子健一誠浩修隆宏明博正弘茂義春秋夏冬" +
	"丁目番地号町字郡府道県市区村東西南北大小新本宮城福島茨栃群埼千葉神奈静愛知岐阜三重滋賀兵庫奈良和歌鳥根広徳香媛高佐熊沖縄崎鹿児岡" +
	"電話番号氏名住所生年月日性別男女郵便携帯勤務先会社株式有限返却期限貸出図書館利用者登録番督促延滞資料冊未済備考顧客様殿御宛"

var (
	kanjiOnce sync.Once
	commonSet [(0x9FFF - 0x4E00 + 64) / 64]uint64
	level1Set [(0x9FFF - 0x4E00 + 64) / 64]uint64
)

func setBit(set *[(0x9FFF - 0x4E00 + 64) / 64]uint64, r rune) {
	if r >= 0x4E00 && r <= 0x9FFF {
		i := r - 0x4E00
		set[i>>6] |= 1 << (i & 63)
	}
}

func hasBit(set *[(0x9FFF - 0x4E00 + 64) / 64]uint64, r rune) bool {
	i := r - 0x4E00
	return set[i>>6]&(1<<(i&63)) != 0
}

func initKanji() {
	kanjiOnce.Do(func() {
		for _, r := range commonKanji {
			setBit(&commonSet, r)
		}
		// JIS X 0208 level 1 kanji are rows 16-47: EUC-JP leads 0xB0-0xCF.
		dec := japanese.EUCJP.NewDecoder()
		src := make([]byte, 0, 2*32*94)
		for lead := 0xB0; lead <= 0xCF; lead++ {
			for trail := 0xA1; trail <= 0xFE; trail++ {
				src = append(src, byte(lead), byte(trail))
			}
		}
		out, err := dec.Bytes(src)
		if err != nil {
			return
		}
		for _, r := range string(out) {
			setBit(&level1Set, r)
		}
	})
}

// isCommonKanji reports whether r (in U+4E00..U+9FFF) is a frequent kanji.
func isCommonKanji(r rune) bool {
	initKanji()
	return hasBit(&commonSet, r)
}

// isLevel1Kanji reports whether r (in U+4E00..U+9FFF) is a JIS level 1 kanji.
func isLevel1Kanji(r rune) bool {
	initKanji()
	return hasBit(&level1Set, r)
}
