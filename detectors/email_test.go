package detectors

import "testing"

func TestEmailTruePositives(t *testing.T) {
	checkTPs(t, Email{}, []tp{
		{"連絡先: hanako.sato@mail.okazaki-lib.lg.jp まで", "hanako.sato@mail.okazaki-lib.lg.jp", false},
		{"taro_y+lib@Univ.AC.JP", "taro_y+lib@univ.ac.jp", false},
		{"mailto:k.suzuki@shoten.co.jp", "k.suzuki@shoten.co.jp", false},
		{"<ichiro-t@ne.jp>", "ichiro-t@ne.jp", false},
		{"山田,yamada.h@gmail.com,090", "yamada.h@gmail.com", false},
		{"send to a.b@c-d.example-mail.jp.", "a.b@c-d.example-mail.jp", false},
		// dummies
		{"user@example.com", "user@example.com", true},
		{"taro@mail.example.jp", "taro@mail.example.jp", true},
		{"hanako@test.co.jp", "hanako@test.co.jp", true},
		{"foo@bar.com", "foo@bar.com", true},
		{"admin@localhost.localdomain", "admin@localhost.localdomain", true},
	})
}

func TestEmailFalsePositives(t *testing.T) {
	checkFPs(t, Email{}, []string{
		"user@host",
		"npm i lodash@4.17.21",
		"go get example.com/mod@v1",
		"go install golang.org/x/tools/gopls@latest",
		"import '@babel/core'",
		"icon@2x.png logo@3x.webp",
		"https://user:secret@ftp.library.jp/pub",
		"lists.example.org/debian-devel/2014/msg0042@mail.example-isp.ne.jp",
		"see bugs.example.org/cgi-bin/bugreport.cgi?msg=5;mbox=CAK3x@mail.example.com)",
		"git@github.com:Org/Repo.git",
		"git@github.com:rouei/rouei.git",
		"@twitter_handle",
		"a@b.c",
		"x@-bad.jp", "y@bad-.jp", "z@a..jp",
		".@mail.jp",
		"注意＠マーク",
	})
}
