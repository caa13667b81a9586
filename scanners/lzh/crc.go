package lzh

// crcTable is the table of CRC-16/ARC (polynomial 0x8005, reflected).
var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0xA001
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// crc16 continues the CRC-16 c over b.
func crc16(c uint16, b []byte) uint16 {
	for _, x := range b {
		c = crcTable[byte(c)^x] ^ c>>8
	}
	return c
}
