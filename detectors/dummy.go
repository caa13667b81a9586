package detectors

import (
	"strings"
	"sync"

	"github.com/rouei/rouei/patterns"
)

// dummySets is patterns/dummy.txt turned into lookup sets, built once and
// read-only afterwards.
type dummySets struct {
	phone       map[string]bool // digits only
	email       map[string]bool // lower case
	emailDomain map[string]bool
	emailLocal  map[string]bool
	postal      map[string]bool // digits only
	myNumber    map[string]bool
	birthDate   map[string]bool
	address     []string // prefixes, spaces removed
}

var dummies = sync.OnceValue(func() *dummySets {
	d := patterns.Dummy()
	set := func(key string, f func(string) string) map[string]bool {
		m := map[string]bool{}
		for _, v := range d[key] {
			m[f(v)] = true
		}
		return m
	}
	return &dummySets{
		phone:       set("phone", digitsOnly),
		email:       set("email", strings.ToLower),
		emailDomain: set("email_domain", strings.ToLower),
		emailLocal:  set("email_local", strings.ToLower),
		postal:      set("postal_code", digitsOnly),
		myNumber:    set("my_number", digitsOnly),
		birthDate:   set("birth_date", strings.TrimSpace),
		address:     d["address"],
	}
})

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// placeholderName reports whether a dummy name is a placeholder that is
// also an ordinary name (山田 太郎, 鈴木 一郎: patterns/dummy_names.txt),
// as opposed to one that is test data by itself (テスト 花子, 名無し).
func placeholderName(v string) bool {
	key := personKey(v)
	if !nameDataOnce().dummy[key] {
		return false
	}
	for _, p := range nameDummyPrefixes {
		if strings.HasPrefix(key, p) {
			return false
		}
	}
	return !strings.Contains(key, "名無") && !strings.Contains(key, "権兵衛")
}
