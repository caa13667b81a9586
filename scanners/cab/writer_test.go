package cab

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"testing"
)

// A tiny cabinet writer for the tests: gcab makes the real fixtures, this
// makes what gcab cannot (several folders, reserve areas, CP932 names,
// cabinet sets, unsupported methods, broken checksums).

type wFile struct {
	name   string
	data   []byte
	attr   uint16
	folder uint16 // iFolder as written
	// offset is uoffFolderStart when fixOffset is set; otherwise the
	// writer puts the file after the previous one of its folder.
	offset    int64
	fixOffset bool
}

type wFolder struct {
	typ   uint16 // typeCompress
	files []wFile
	// lastBlockContinues writes the last block with cbUncomp 0, as the
	// folder of a cabinet continued into the next one.
	lastBlockContinues bool
}

type cabSpec struct {
	folders          []wFolder
	extraFiles       []wFile // entries with a raw folder index (continuations)
	flags            uint16
	prev, next       string
	hdrResv          int
	folderResv       int
	dataResv         int
	noChecksum       bool
	resvInChecksum   bool
	corruptChecksum  bool
	blockSize        int // uncompressed bytes per block (default 32768)
	setID, cabIndex  uint16
	version          uint16 // default 0x0103
	dosDate, dosTime uint16
}

type wBlock struct {
	data     []byte
	cbUncomp int
}

func buildCab(t testing.TB, s cabSpec) []byte {
	t.Helper()
	le := binary.LittleEndian
	bs := s.blockSize
	if bs == 0 {
		bs = maxBlockOut
	}
	flags := s.flags
	if s.hdrResv > 0 || s.folderResv > 0 || s.dataResv > 0 {
		flags |= FlagReservePresent
	}
	if s.prev != "" {
		flags |= FlagPrevCabinet
	}
	if s.next != "" {
		flags |= FlagNextCabinet
	}
	// data blocks of each folder
	blocks := make([][]wBlock, len(s.folders))
	for i, fo := range s.folders {
		var stream []byte
		for _, f := range fo.files {
			stream = append(stream, f.data...)
		}
		var hist []byte
		for off := 0; off < len(stream); off += bs {
			chunk := stream[off:min(off+bs, len(stream))]
			var data []byte
			switch Compression(fo.typ & 0xF) {
			case CompressMSZIP:
				var buf bytes.Buffer
				buf.WriteString("CK")
				fw, err := flate.NewWriterDict(&buf, flate.BestCompression, hist)
				if err != nil {
					t.Fatal(err)
				}
				fw.Write(chunk)
				fw.Close()
				data = buf.Bytes()
				hist = append(hist, chunk...)
				if len(hist) > maxBlockOut {
					hist = hist[len(hist)-maxBlockOut:]
				}
			default:
				data = append([]byte(nil), chunk...)
			}
			blocks[i] = append(blocks[i], wBlock{data: data, cbUncomp: len(chunk)})
		}
		if fo.lastBlockContinues && len(blocks[i]) > 0 {
			blocks[i][len(blocks[i])-1].cbUncomp = 0
		}
	}
	var files []wFile
	for i, fo := range s.folders {
		var off int64
		for _, f := range fo.files {
			g := f
			g.folder = uint16(i)
			if f.folder != 0 {
				g.folder = f.folder
			}
			if !f.fixOffset {
				g.offset = off
			}
			off += int64(len(f.data))
			files = append(files, g)
		}
	}
	files = append(files, s.extraFiles...)

	var hdr bytes.Buffer
	hdr.Write(make([]byte, headerSize))
	if flags&FlagReservePresent != 0 {
		var b [4]byte
		le.PutUint16(b[:], uint16(s.hdrResv))
		b[2], b[3] = byte(s.folderResv), byte(s.dataResv)
		hdr.Write(b[:])
		hdr.Write(bytes.Repeat([]byte{0xEE}, s.hdrResv))
	}
	if s.prev != "" {
		hdr.WriteString(s.prev + "\x00disk0\x00")
	}
	if s.next != "" {
		hdr.WriteString(s.next + "\x00disk2\x00")
	}
	folderTab := hdr.Len()
	filesOff := folderTab + len(s.folders)*(folderSize+s.folderResv)
	var ftab bytes.Buffer
	for _, f := range files {
		var b [fileSize]byte
		le.PutUint32(b[0:], uint32(len(f.data)))
		le.PutUint32(b[4:], uint32(f.offset))
		le.PutUint16(b[8:], f.folder)
		le.PutUint16(b[10:], s.dosDate)
		le.PutUint16(b[12:], s.dosTime)
		le.PutUint16(b[14:], f.attr)
		ftab.Write(b[:])
		ftab.WriteString(f.name)
		ftab.WriteByte(0)
	}
	dataOff := filesOff + ftab.Len()
	var data bytes.Buffer
	var fold bytes.Buffer
	for i, fo := range s.folders {
		var b [folderSize]byte
		le.PutUint32(b[0:], uint32(dataOff+data.Len()))
		le.PutUint16(b[4:], uint16(len(blocks[i])))
		le.PutUint16(b[6:], fo.typ)
		fold.Write(b[:])
		fold.Write(bytes.Repeat([]byte{0xDD}, s.folderResv))
		for _, bl := range blocks[i] {
			h := make([]byte, dataSize+s.dataResv)
			le.PutUint16(h[4:], uint16(len(bl.data)))
			le.PutUint16(h[6:], uint16(bl.cbUncomp))
			for k := dataSize; k < len(h); k++ {
				h[k] = 0xCC
			}
			if !s.noChecksum {
				sum := checksum(bl.data, 0)
				if s.resvInChecksum {
					sum = checksum(h[4:], sum)
				} else {
					sum = checksum(h[4:8], sum)
				}
				if sum == 0 {
					sum = 1 // would mean "no checksum"; never happens in the tests' data
				}
				if s.corruptChecksum {
					sum ^= 0x00010000
				}
				le.PutUint32(h, sum)
			}
			data.Write(h)
			data.Write(bl.data)
		}
	}
	out := hdr.Bytes()
	out = append(out, fold.Bytes()...)
	out = append(out, ftab.Bytes()...)
	out = append(out, data.Bytes()...)
	copy(out, "MSCF")
	le.PutUint32(out[8:], uint32(len(out)))
	le.PutUint32(out[16:], uint32(filesOff))
	ver := s.version
	if ver == 0 {
		ver = 0x0103
	}
	le.PutUint16(out[24:], ver)
	le.PutUint16(out[26:], uint16(len(s.folders)))
	le.PutUint16(out[28:], uint16(len(files)))
	le.PutUint16(out[30:], flags)
	le.PutUint16(out[32:], s.setID)
	le.PutUint16(out[34:], s.cabIndex)
	return out
}
