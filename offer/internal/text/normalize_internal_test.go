package text

import (
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TestNFCStable checks the characters for which Normalize skips NFC: each
// is in NFC, has no combining class and composes with nothing before it,
// so a text made of them is in NFC.
func TestNFCStable(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !nfcStable(r) || r >= 0xd800 && r < 0xe000 {
			continue
		}
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if p.CCC() != 0 || !p.BoundaryBefore() || !norm.NFC.IsNormalString(s) {
			t.Errorf("nfcStable(%U) but NFC may change it", r)
		}
	}
}

// TestNormRuneLatin checks normRune's shortcut for U+00A0 to U+05FF, which
// keeps every character but those the first switch maps.
func TestNormRuneLatin(t *testing.T) {
	for r := rune(0xa0); r < 0x600; r++ {
		switch r {
		case '\u00a0', '\u00ad', '\u00b4', '\u02bc':
			continue
		}
		if unicode.Is(unicode.Cf, r) {
			t.Errorf("%U is a format control but normRune keeps it", r)
		}
	}
}

// TestLatin1Kept checks what mapRunes' shortcut for U+00C0 to U+00FF
// takes for granted: normRune keeps each and NFC leaves it alone.
func TestLatin1Kept(t *testing.T) {
	for r := rune(0xc0); r <= 0xff; r++ {
		if normRune(r) != r || !nfcStable(r) {
			t.Errorf("%U: normRune gives %U, nfcStable %v", r, normRune(r), nfcStable(r))
		}
	}
}
