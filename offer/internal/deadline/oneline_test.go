package deadline

import (
	"strings"
	"testing"
)

// TestOneLine checks oneLine against the strings.Fields it stands for.
func TestOneLine(t *testing.T) {
	for _, s := range []string{"", " ", "avant le 31 octobre", " avant", "avant ", "avant  le", "avant\nle",
		"avant\tle", "avant\u00a0le", "date limite\u2009: 5 mai", "déc.\r\n2025", "a\x7fb", "a\x00b", "é"} {
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	}
}
