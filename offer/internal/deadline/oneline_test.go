package deadline

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestOneLine checks oneLine against the strings.Fields it stands for, on
// chosen phrases and on random ones made of words, accented letters,
// Unicode and ASCII spaces, control and invalid bytes.
func TestOneLine(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"", " ", "avant le 31 octobre", " avant", "avant ", "avant  le", "avant\nle",
		"avant\tle", "avant\u00a0le", "date limite\u2009: 5 mai", "déc.\r\n2025", "a\x7fb", "a\x00b", "é",
		"31 décembre 2025", "le 5 décembre\u00a0", "\u2003déc", "a\u0085b", "a\xc2b", "\xff \xfe", "œuvre  é"} {
		check(s)
	}
	parts := []string{"a", "le", "décembre", "é", " ", "  ", "\n", "\t", "\r", "\u00a0", "\u2009", "\u0085",
		"\x00", "\x7f", "\xc2", "\xff", "15", ":", strings.Repeat("x", 130)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		check(b.String())
	}
}
