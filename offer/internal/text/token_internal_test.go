package text

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestFoldRuneAllRunes checks FoldRune's shortcuts against the unicode
// package on every rune: lowering without its table search, and combining
// marks looked for only from U+0300.
func TestFoldRuneAllRunes(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := lowerRune(r), unicode.ToLower(r); got != want {
			t.Fatalf("lowerRune(%U) = %U, want %U", r, got, want)
		}
		if got, want := isMark(r), unicode.Is(unicode.Mn, r); got != want {
			t.Fatalf("isMark(%U) = %v, want %v", r, got, want)
		}
	}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if f, g, k := FoldRune(r); f != unicode.ToLower(r) || g != 0 || k != 1 {
			t.Fatalf("FoldRune(%U) = %U, %U, %d, want it lowered", r, f, g, k)
		}
	}
}
