package mail

import (
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

// A compound file writer for the tests (version 3, 512-byte sectors,
// streams under 4096 bytes in the mini stream), enough to build Outlook
// messages: no Debian tool writes .msg files.

type cfbNode struct {
	name string
	data []byte
	dir  bool
	kids []*cfbNode
}

func cfbStream(name string, data []byte) *cfbNode { return &cfbNode{name: name, data: data} }
func cfbStorage(name string, kids ...*cfbNode) *cfbNode {
	return &cfbNode{name: name, dir: true, kids: kids}
}

const (
	cfbEnd  = 0xFFFFFFFE
	cfbFree = 0xFFFFFFFF
	cfbFAT  = 0xFFFFFFFD
	cfbNone = 0xFFFFFFFF
)

func buildCFB(t testing.TB, kids ...*cfbNode) []byte {
	t.Helper()
	le := binary.LittleEndian
	root := &cfbNode{name: "Root Entry", dir: true, kids: kids}
	// Number the entries depth first.
	var entries []*cfbNode
	var number func(n *cfbNode)
	number = func(n *cfbNode) {
		entries = append(entries, n)
		for _, k := range n.kids {
			number(k)
		}
	}
	number(root)
	id := map[*cfbNode]int{}
	for i, e := range entries {
		id[e] = i
	}
	// Mini stream and big streams.
	var mini []byte
	var miniFAT []uint32
	start := map[*cfbNode]uint32{}
	var big []*cfbNode
	for _, e := range entries[1:] {
		if e.dir {
			continue
		}
		if len(e.data) >= 4096 {
			big = append(big, e)
			continue
		}
		first := uint32(len(mini) / 64)
		n := (len(e.data) + 63) / 64
		if n == 0 {
			start[e] = cfbEnd
			continue
		}
		start[e] = first
		for j := 0; j < n; j++ {
			if j == n-1 {
				miniFAT = append(miniFAT, cfbEnd)
			} else {
				miniFAT = append(miniFAT, first+uint32(j)+1)
			}
		}
		mini = append(mini, e.data...)
		for len(mini)%64 != 0 {
			mini = append(mini, 0)
		}
	}
	sectors := func(n int) int { return (n + 511) / 512 }
	nDir := sectors(128 * len(entries))
	nMiniFAT := sectors(4 * len(miniFAT))
	nMini := sectors(len(mini))
	nBig := 0
	for _, b := range big {
		nBig += sectors(len(b.data))
	}
	nFAT := 1
	for (nFAT+nDir+nMiniFAT+nMini+nBig+127)/128 > nFAT {
		nFAT++
	}
	if nFAT > 109 {
		t.Fatal("buildCFB: too large")
	}
	fat := make([]uint32, 0, 128*nFAT)
	for i := 0; i < nFAT; i++ {
		fat = append(fat, cfbFAT)
	}
	chain := func(n int) uint32 {
		if n == 0 {
			return cfbEnd
		}
		first := uint32(len(fat))
		for j := 0; j < n; j++ {
			if j == n-1 {
				fat = append(fat, cfbEnd)
			} else {
				fat = append(fat, uint32(len(fat))+1)
			}
		}
		return first
	}
	dirStart := chain(nDir)
	miniFATStart := chain(nMiniFAT)
	miniStart := chain(nMini)
	for _, b := range big {
		start[b] = chain(sectors(len(b.data)))
	}
	for len(fat) < 128*nFAT {
		fat = append(fat, cfbFree)
	}
	hdr := make([]byte, 512)
	copy(hdr, magicOLE2)
	le.PutUint16(hdr[24:], 0x3E)
	le.PutUint16(hdr[26:], 3)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], uint32(nFAT))
	le.PutUint32(hdr[48:], dirStart)
	le.PutUint32(hdr[56:], 4096)
	le.PutUint32(hdr[60:], miniFATStart)
	le.PutUint32(hdr[64:], uint32(nMiniFAT))
	le.PutUint32(hdr[68:], cfbEnd)
	for i := 0; i < 109; i++ {
		v := uint32(cfbFree)
		if i < nFAT {
			v = uint32(i)
		}
		le.PutUint32(hdr[76+4*i:], v)
	}
	pad := func(b []byte, n int) []byte {
		out := make([]byte, 512*n)
		copy(out, b)
		return out
	}
	fatBytes := make([]byte, 4*len(fat))
	for i, v := range fat {
		le.PutUint32(fatBytes[4*i:], v)
	}
	dir := make([]byte, 512*nDir)
	for i := len(entries); i < 4*nDir; i++ {
		e := dir[128*i:]
		le.PutUint32(e[68:], cfbNone)
		le.PutUint32(e[72:], cfbNone)
		le.PutUint32(e[76:], cfbNone)
	}
	for i, n := range entries {
		e := dir[128*i : 128*i+128]
		u := utf16.Encode([]rune(n.name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		typ := byte(2)
		if n.dir {
			typ = 1
		}
		if i == 0 {
			typ = 5
		}
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], cfbNone)
		le.PutUint32(e[72:], cfbNone)
		le.PutUint32(e[76:], cfbNone)
		if len(n.kids) > 0 {
			le.PutUint32(e[76:], uint32(id[n.kids[0]]))
			for k := 0; k+1 < len(n.kids); k++ {
				le.PutUint32(dir[128*id[n.kids[k]]+72:], uint32(id[n.kids[k+1]]))
			}
		}
		switch {
		case i == 0:
			le.PutUint32(e[116:], miniStart)
			le.PutUint32(e[120:], uint32(len(mini)))
		case !n.dir:
			le.PutUint32(e[116:], start[n])
			le.PutUint32(e[120:], uint32(len(n.data)))
		}
	}
	// Sibling pointers were written into entries not yet filled: redo them.
	for _, n := range entries {
		for k := 0; k+1 < len(n.kids); k++ {
			le.PutUint32(dir[128*id[n.kids[k]]+72:], uint32(id[n.kids[k+1]]))
		}
	}
	miniFATBytes := make([]byte, 4*len(miniFAT))
	for i, v := range miniFAT {
		le.PutUint32(miniFATBytes[4*i:], v)
	}
	miniFATSec := pad(miniFATBytes, nMiniFAT)
	for i := len(miniFAT); i < nMiniFAT*128; i++ {
		le.PutUint32(miniFATSec[4*i:], cfbFree)
	}
	out := append([]byte(nil), hdr...)
	out = append(out, fatBytes...)
	out = append(out, dir...)
	out = append(out, miniFATSec...)
	out = append(out, pad(mini, nMini)...)
	for _, b := range big {
		out = append(out, pad(b.data, sectors(len(b.data)))...)
	}
	return out
}

// u16 is s in UTF-16LE, as .msg string properties (type 001F) are.
func u16(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// msgProps are string properties by tag ("0037" the subject …).
type msgProps map[string]string

func (p msgProps) nodes() []*cfbNode {
	var out []*cfbNode
	for tag, v := range p {
		out = append(out, cfbStream(substg+tag+"001F", u16(v)))
	}
	return out
}

type msgAttach struct {
	name     string
	data     []byte
	embedded []*cfbNode // an attached message's nodes
}

// buildMsg writes an Outlook message with properties, recipients and
// attachments.
func buildMsg(t testing.TB, props msgProps, recips []msgProps, attachs []msgAttach) []byte {
	return buildCFB(t, msgNodes(props, recips, attachs)...)
}

func msgNodes(props msgProps, recips []msgProps, attachs []msgAttach) []*cfbNode {
	nodes := append([]*cfbNode{cfbStream("__properties_version1.0", make([]byte, 32))}, props.nodes()...)
	for i, r := range recips {
		nodes = append(nodes, cfbStorage(recipPrefix+hex8(i), append([]*cfbNode{cfbStream("__properties_version1.0", make([]byte, 8))}, r.nodes()...)...))
	}
	for i, a := range attachs {
		kids := []*cfbNode{cfbStream("__properties_version1.0", make([]byte, 8)), cfbStream(substg+tagAttachLongName+"001F", u16(a.name))}
		if a.embedded != nil {
			kids = append(kids, cfbStorage(embeddedMsgStorage, a.embedded...))
		} else {
			kids = append(kids, cfbStream(substg+tagAttachData+"0102", a.data))
		}
		nodes = append(nodes, cfbStorage(attachPrefix+hex8(i), kids...))
	}
	return nodes
}

func hex8(i int) string {
	const digits = "0123456789ABCDEF"
	b := []byte("#00000000")
	for j := 8; j > 0 && i > 0; j-- {
		b[j] = digits[i%16]
		i /= 16
	}
	return string(b)
}
