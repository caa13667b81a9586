package mail

import (
	"strings"
	"testing"

	"github.com/rouei/rouei/scanners"
)

var fuzzLimits = scanners.Limits{MaxMembers: 64, MaxMemberBytes: 1 << 20, MaxArchiveBytes: 4 << 20, MaxInMemoryBytes: 1 << 20}

// FuzzMIME walks arbitrary bytes as a message and as an mbox: no panic,
// no hang, every member readable or an error.
func FuzzMIME(f *testing.F) {
	f.Add(ticket(f))
	f.Add([]byte("From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nFrom: c\n\n--b--\n"))
	f.Add([]byte("From x\nFrom: a@example.jp\n\n>From y\n\nFrom z\nSubject: =?ISO-2022-JP?B?GyRCJCIbKEI=?=\n\nbody\n"))
	f.Add([]byte("From: a\nContent-Type: text/plain; charset=cp932\nContent-Transfer-Encoding: quoted-printable\n\n=82=A0=\n"))
	f.Add([]byte("Message-ID: <1>\nFrom: a\nContent-Transfer-Encoding: base64\n\n" + strings.Repeat("QUJD", 30) + "=\n==junk"))
	f.Fuzz(func(t *testing.T, data []byte) {
		walkBytes(t, emlOpener{}, data, fuzzLimits)
		walkBytes(t, mboxOpener{}, data, fuzzLimits)
		Identify("x", data)
	})
}

// FuzzMsg walks arbitrary bytes as an Outlook message.
func FuzzMsg(f *testing.F) {
	f.Add(buildMsg(f, msgProps{tagSubject: "件名", tagBody: "本文"}, []msgProps{{tagDisplayName: "山田"}},
		[]msgAttach{{name: "a.csv", data: []byte(listCSV)}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		walkBytes(t, msgOpener{}, data, fuzzLimits)
	})
}
