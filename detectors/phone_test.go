package detectors

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/rouei/rouei/detectors/internal/phoneplan"
)

func TestPhoneTruePositives(t *testing.T) {
	checkTPs(t, NewPhone(), []tp{
		{"電話: 0564-23-3100", "0564-23-3100", false},
		{"TEL:0564(23)3100", "0564-23-3100", false},
		{"(0564)23-3100 まで", "0564-23-3100", false},
		{"(0564) 23-3100", "0564-23-3100", false},
		{"0564 23 3100", "0564-23-3100", false},
		{"連絡先0564233100です", "0564-23-3100", false},
		{"携帯　０９０－２７４６－３１５８", "090-2746-3158", false},
		{"080-3921-4470,山田", "080-3921-4470", false},
		{"070-4812-9031", "070-4812-9031", false},
		{"IP 050-3385-2291", "050-3385-2291", false},
		{"フリーダイヤル 0120-456-321", "0120-456-321", false},
		{"0120-45-6321", "0120-456-321", false},
		{"0800-222-3391", "0800-222-3391", false},
		{"ナビダイヤル 0570-064-321", "0570-064-321", false},
		{"03-5321-1111", "03-5321-1111", false},
		{"06-6941-0351", "06-6941-0351", false},
		{"0422-51-5131", "0422-51-5131", false},
		{"04992-2-1445", "04992-2-1445", false},
		{"+81-564-23-3100", "0564-23-3100", false},
		{"+81 90 2746 3158", "090-2746-3158", false},
		{"+81(0)90-2746-3158", "090-2746-3158", false},
		{"tel=+81564233100", "0564-23-3100", false},
		{"Tel.0564-23-3100", "0564-23-3100", false},
		{"\"09027463158\"", "090-2746-3158", false},
		{"17,0564-23-3100,2", "0564-23-3100", false}, // CSV columns
		// dummies
		{"090-0000-0000", "090-0000-0000", true},
		{"000-0000-0000", "000-0000-0000", true},
		{"03-1234-5678", "03-1234-5678", true},
		{"012-345-6789", "012-345-6789", true},
		{"090-1234-5678", "090-1234-5678", true},
		{"0564-12-5678", "0564-12-5678", true}, // exchange starting 1
		{"0564-22-2222", "0564-22-2222", true},
	})
}

func TestPhoneFalsePositives(t *testing.T) {
	checkFPs(t, NewPhone(), []string{
		"ISBN978-4-06-123456-7",
		"ISBN 4061234567",
		"ISBN 0-06-123456-7",
		"2024-01-15", "20240115", "2024/01/15", "2024/01/05 09:30",
		"version 1.2.3, v10.0.19041, 1.05642331",
		"192.168.0.1 10.0.0.254 fe80::0564:2331",
		"serial 105642331005", "id 0564233100123", "X0564233100", "0564233100a",
		"価格 0,564,233円", "12:05:64", "〒060-0001",
		"123-4567", "0564-233100", "06-0123-4567", "0601234567",
		"0123 4567 8901", "0564 2331 0012 3456", "4111-1111-1111-1111",
		"0x0564233100 deadbeef0564233100",
		"0564-23-3100-1", "1-0564-23-3100", "0564-23-31000",
		"+8156423310", "+1 564 23 3100", "a+81564233100",
		"0000000000", "00000000000",
		"0100-23-4567", // 010 is the international prefix
	})
}

func TestPhoneOffsets(t *testing.T) {
	text := []byte("氏名,電話\n山田,(0564)23-3100\n佐藤,+81 90 2746 3158\n鈴木,080-3921-4470\n")
	ms := NewPhone().Find(nil, text)
	want := []string{"(0564)23-3100", "+81 90 2746 3158", "080-3921-4470"}
	if len(ms) != len(want) {
		t.Fatalf("got %d matches, want %d", len(ms), len(want))
	}
	for i, m := range ms {
		if string(text[m.Start:m.End]) != want[i] {
			t.Errorf("match %d covers %q", i, Mask("phone", string(text[m.Start:m.End])))
		}
	}
	if ms[2].Confidence < ms[0].Confidence {
		t.Errorf("mobile confidence %v below fixed %v", ms[2].Confidence, ms[0].Confidence)
	}
	bare := NewPhone().Find(nil, []byte("0564233100"))
	if len(bare) != 1 || bare[0].Confidence >= ms[0].Confidence {
		t.Errorf("bare number should match with lower confidence")
	}
}

// TestPhoneShapePrefix checks the claim behind the table on random numbers:
// numbers sharing the first 1+phoneTableDepth digits and the length get
// the same answer from libphonenumber (phoneplan.Depth proves it from the
// metadata's patterns).
func TestPhoneShapePrefix(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	tested := 0
	for i := 0; i < 100000 && tested < 1500; i++ {
		n := 10 + r.Intn(2)
		d := []byte(fmt.Sprintf("0%0*d", n-1, r.Int63n(pow10(n-1))))
		sh := phoneplan.Library(d)
		if !sh.OK {
			continue
		}
		tested++
		for k := 0; k < 3; k++ {
			e := append([]byte(nil), d...)
			for j := 1 + phoneTableDepth; j < n; j++ {
				e[j] = byte('0' + r.Intn(10))
			}
			if got := phoneplan.Library(e); got != sh {
				t.Fatalf("numbers sharing a prefix differ: %+v vs %+v", sh, got)
			}
		}
	}
	if tested < 100 {
		t.Fatalf("only %d valid numbers generated", tested)
	}
}

func pow10(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// TestPhoneTableMatchesLibrary compares the table's answer (validity, type,
// national grouping) with libphonenumber's on every prefix of 2 to 6
// digits with several suffixes, in both lengths, and on random numbers.
func TestPhoneTableMatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	p := NewPhone()
	checked, valid, fallback := 0, 0, 0
	check := func(d []byte) {
		want := phoneplan.Library(d)
		if got := p.shape(d); got != want {
			t.Fatalf("%s: table %+v, library %+v", Mask("phone", string(d)), got, want)
		}
		if _, ok := tableShape(d); !ok {
			fallback++
		}
		checked++
		if want.OK {
			valid++
		}
	}
	// Every prefix of 1+phoneTableDepth digits (one leaf of the table
	// each) is asked once, in one of the two lengths; shorter prefixes
	// with several suffixes in both. Under -short or the race detector
	// (the library is slow there) about 2,000 prefixes of each length,
	// one suffix each.
	full := !testing.Short() && !raceEnabled
	random := 20000
	if !full {
		random = 2000
	}
	d := make([]byte, 11)
	for plen := 2; plen <= 1+phoneTableDepth; plen++ {
		suffixes, step := 3, int64(1)
		if plen == 1+phoneTableDepth {
			suffixes = 1
		}
		if !full {
			suffixes, step = 1, max(1, pow10(plen-1)/2000)
		}
		for v := int64(0); v < pow10(plen-1); v += step {
			d[0] = '0'
			for i, x := plen-1, v; i >= 1; i, x = i-1, x/10 {
				d[i] = byte('0' + x%10)
			}
			for n := 10; n <= 11; n++ {
				if plen == 1+phoneTableDepth && int64(n-10) != v%2 {
					continue
				}
				for range suffixes {
					for j := plen; j < n; j++ {
						d[j] = byte('0' + r.Intn(10))
					}
					check(d[:n])
				}
			}
		}
	}
	for range random {
		n := 10 + r.Intn(2)
		d[0] = '0'
		for j := 1; j < n; j++ {
			d[j] = byte('0' + r.Intn(10))
		}
		check(d[:n])
	}
	if valid < checked/10 || fallback > checked/5 {
		t.Errorf("%d numbers, %d valid, %d left to the library", checked, valid, fallback)
	}
	t.Logf("%d numbers, %d valid, %d left to the library", checked, valid, fallback)
}

// TestPhoneTableLookup checks the detector's walk against phoneplan's own.
func TestPhoneTableLookup(t *testing.T) {
	tab := phoneplan.Table{Depth: phoneTableDepth, Nodes: phoneNodes[:], Roots: phoneRoots, Shapes: phoneShapes[:]}
	r := rand.New(rand.NewSource(3))
	for range 5000 {
		n := 10 + r.Intn(2)
		d := []byte(fmt.Sprintf("0%0*d", n-1, r.Int63n(pow10(n-1))))
		a, aok := tableShape(d)
		b, bok := tab.Lookup(d)
		if a != b || aok != bok {
			t.Fatalf("%s: %+v %v vs %+v %v", Mask("phone", string(d)), a, aok, b, bok)
		}
	}
}

func TestPhoneShapeNoAlloc(t *testing.T) {
	p := NewPhone()
	d := []byte("09027463158")
	if n := testing.AllocsPerRun(100, func() { p.shape(d) }); n != 0 {
		t.Errorf("shape allocates %v times", n)
	}
	text := []byte("山田,090-2746-3158,0564-23-3100,")
	dst := make([]Match, 0, 4)
	if n := testing.AllocsPerRun(100, func() { dst = p.Find(dst[:0], text) }); n > 2 {
		t.Errorf("Find allocates %v times for two numbers", n)
	}
}
