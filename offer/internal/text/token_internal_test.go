package text

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// foldRuneUnicode is FoldRune as the unicode package alone gives it, for
// checking FoldRune's shortcuts.
func foldRuneUnicode(r rune) (f, g rune, k int) {
	if r < utf8.RuneSelf {
		return unicode.ToLower(r), 0, 1
	}
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		r = 'a'
	case 'ç':
		r = 'c'
	case 'è', 'é', 'ê', 'ë':
		r = 'e'
	case 'ì', 'í', 'î', 'ï':
		r = 'i'
	case 'ñ':
		r = 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		r = 'o'
	case 'ù', 'ú', 'û', 'ü':
		r = 'u'
	case 'ý', 'ÿ':
		r = 'y'
	case 'ᵉ':
		r = 'e'
	case 'ʳ':
		r = 'r'
	case 'œ':
		return 'o', 'e', 2
	case 'æ':
		return 'a', 'e', 2
	}
	if unicode.Is(unicode.Mn, r) {
		return 0, 0, 0
	}
	return r, 0, 1
}

func TestFoldRuneAllRunes(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		f, g, k := FoldRune(r)
		wf, wg, wk := foldRuneUnicode(r)
		if f != wf || g != wg || k != wk {
			t.Fatalf("FoldRune(%U) = %U, %U, %d, want %U, %U, %d", r, f, g, k, wf, wg, wk)
		}
	}
}
