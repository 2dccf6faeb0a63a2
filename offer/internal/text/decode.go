package text

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// ErrBinary is returned (wrapped) by Decode for data that is not text.
var ErrBinary = errors.New("binary data, not text")

// Decode turns the raw bytes of an offer into UTF-8 text.
//
// A UTF-8 byte order mark is dropped. UTF-16 is recognised by its byte order
// mark, or without one when every other byte is zero as in plain Latin text.
// Valid UTF-8 is kept as is; any byte that does not start a valid UTF-8
// sequence is read as Windows-1252, which covers ISO-8859-1 and is what
// French files that are not UTF-8 almost always use. Mixed files (UTF-8 with
// a pasted Latin-1 word) therefore come out right too.
//
// Data with NUL bytes or with many control characters is rejected with an
// error wrapping ErrBinary. Empty data decodes to "" without error.
func Decode(data []byte) (string, error) { return decode(data, false) }

// DecodeShared is Decode, except that valid UTF-8 is not copied: the string
// it returns may be data's own memory, and is then valid only while data is
// not written to. A caller that keeps the string, or anything read from
// it, beyond that must copy what shares data's memory (Shares tells).
func DecodeShared(data []byte) (string, error) { return decode(data, true) }

// Shares reports whether s is part of b's memory.
func Shares(s string, b []byte) bool {
	if len(s) == 0 || len(b) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p < lo+uintptr(len(b))
}

// decode is Decode, or DecodeShared when share is set.
func decode(data []byte, share bool) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		s = decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		s = decodeUTF16(data[2:], true)
	default:
		if bigEndian, ok := sniffUTF16(data); ok {
			s = decodeUTF16(data, bigEndian)
		} else {
			if bytes.IndexByte(data, 0) >= 0 {
				return "", fmt.Errorf("NUL byte: %w", ErrBinary)
			}
			s = decodeUTF8OrCP1252(data, share)
		}
	}
	if err := checkControls(s); err != nil {
		return "", err
	}
	return s, nil
}

// decodeUTF16 decodes UTF-16 text; a trailing odd byte is dropped and
// unpaired surrogates become U+FFFD.
func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// sniffUTF16 recognises UTF-16 without a byte order mark: in text made of
// Latin letters one byte of each pair is zero and the other almost never.
func sniffUTF16(b []byte) (bigEndian, ok bool) {
	n := min(len(b), 4096) &^ 1
	if n < 4 || bytes.IndexByte(b[:n], 0) < 0 {
		// No zero byte, as in any text that is not UTF-16: no need to
		// count them pair by pair.
		return false, false
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			evenZero++
		}
		if b[i+1] == 0 {
			oddZero++
		}
	}
	pairs := n / 2
	switch {
	case oddZero*10 >= pairs*9 && evenZero*20 <= pairs:
		return false, true
	case evenZero*10 >= pairs*9 && oddZero*20 <= pairs:
		return true, true
	}
	return false, false
}

// cp1252 maps the bytes 0x80 to 0x9F of Windows-1252; the five unassigned
// bytes map to the C1 control of the same value, as browsers do.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

func decodeUTF8OrCP1252(b []byte, share bool) string {
	if utf8.Valid(b) {
		if share && len(b) > 0 {
			return unsafe.String(unsafe.SliceData(b), len(b))
		}
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			c := b[0]
			if c >= 0x80 && c < 0xa0 {
				sb.WriteRune(cp1252[c-0x80])
			} else {
				sb.WriteRune(rune(c))
			}
			b = b[1:]
			continue
		}
		sb.WriteRune(r)
		b = b[size:]
	}
	return sb.String()
}

// checkControls rejects text in which control characters other than line
// and page breaks and tabs make up more than one character in twenty, a sure
// sign of binary data.
//
// s is valid UTF-8, so the controls can be counted on its bytes: C0
// controls and DEL are single bytes, and the C1 controls U+0080 to U+009F
// are 0xC2 followed by 0x80 to 0x9F. Characters are counted only when
// there are controls, which text rarely has.
func checkControls(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("NUL character: %w", ErrBinary)
	}
	controls := countControls(s)
	if controls == 0 {
		return nil
	}
	if total := utf8.RuneCountInString(s); controls*20 > total {
		return fmt.Errorf("%d control characters in %d: %w", controls, total, ErrBinary)
	}
	return nil
}

// countControls counts the controls checkControls looks for in s.
func countControls(s string) int {
	controls := 0
	i := 0
	// Eight bytes at a time: the controls of each word are counted at
	// once from masks with the top bit of each byte that is one set.
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		// Most words hold no byte below a space, no DEL and no 0xc2:
		// tell them first, by the masks the count needs anyway.
		low, c2, del := bytesBelow(x, 0x20), bytesEqual(x, 0xc2), bytesEqual(x, 0x7f)
		if low|c2|del == 0 {
			continue
		}
		ctl := low &^ (bytesBelow(x, '\r'+1) &^ bytesBelow(x, '\t'))
		// A C1 control is 0xC2 then a byte below 0xA0: the one after the
		// last byte of the word is read apart.
		below := msb &^ (x & (x&^msb + 0x60*lsb))
		controls += bits.OnesCount64(ctl|del) + bits.OnesCount64(c2<<8&below)
		if c2>>63 != 0 && i+8 < len(s) && s[i+8] < 0xa0 {
			controls++
		}
	}
	for ; i < len(s); i++ {
		switch controlBytes[s[i]] {
		case 1:
			controls++
		case 2:
			if i+1 < len(s) && s[i+1] < 0xa0 {
				controls++
			}
		}
	}
	return controls
}

// controlBytes marks the bytes checkControls counts: 1 for a control, 2
// for 0xC2, which starts a C1 control when 0x80 to 0x9F follows it.
var controlBytes = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 1
	}
	for _, c := range []byte("\n\r\t\f\v") {
		t[c] = 0
	}
	t[0x7f], t[0xc2] = 1, 2
	return t
}()

// Masks for the word-at-a-time scans: each byte of lsb is 0x01, of msb 0x80.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// load64 returns the eight bytes of s from i as a little-endian word; the
// compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// bytesBelow returns x with the top bit of each byte below n set, and no
// other bit; n is at most 0x80. The low seven bits of a byte cannot carry
// into the next one.
func bytesBelow(x uint64, n byte) uint64 {
	return msb &^ (x&^msb + uint64(0x80-n)*lsb | x)
}

// bytesEqual returns x with the top bit of each byte equal to c set, and
// no other bit.
func bytesEqual(x uint64, c byte) uint64 {
	y := x ^ uint64(c)*lsb
	return msb &^ (y&^msb + (0x7f * lsb) | y)
}
