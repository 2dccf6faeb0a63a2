package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The passes of Normalize below were made faster; each test here keeps
// the plain version and checks that both give the same on the texts of
// the test corpora and on random texts.

// plainSplitLabels is splitLabels one byte at a time.
func plainSplitLabels(s string) string {
	var b strings.Builder
	done := 0
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c < 'A' || c > 'Z' || s[i-1] < 'a' || s[i-1] > 'z' {
			continue
		}
		for _, w := range labelGlue {
			if strings.HasPrefix(s[i:], w) && i+len(w) < len(s) && s[i+len(w)] == ' ' {
				b.WriteString(s[done:i])
				b.WriteByte(' ')
				done = i
				break
			}
		}
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// plainMapRunes is mapRunes one byte at a time.
func plainMapRunes(s string) (_ string, stable bool) {
	var b strings.Builder
	done := 0
	stable = true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			if done == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:i])
			if c != '\r' || i+1 == len(s) || s[i+1] != '\n' {
				if m := normRune(rune(c)); m >= 0 {
					b.WriteByte(byte(m))
				}
			}
			i++
			done = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		m := normRune(r)
		if m == r && n > 1 {
			stable = stable && nfcStable(r)
			i += n
			continue
		}
		if done == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:i])
		if m >= 0 {
			b.WriteRune(m)
			stable = stable && nfcStable(m)
		}
		i += n
		done = i
	}
	if done == 0 {
		return s, stable
	}
	b.WriteString(s[done:])
	return b.String(), stable
}

// labelTexts returns random texts made of the pieces splitLabels looks
// for: small letters and capitals, the words of labelGlue and spaces.
func labelTexts(n int) []string {
	pieces := append([]string{"a", "z", "A", "Z", "J", " ", "\n", "é", "\x80", "`", "`a", "0"}, labelGlue...)
	for _, w := range labelGlue {
		pieces = append(pieces, w[:len(w)-1])
	}
	out := make([]string, n)
	for k := range out {
		var b strings.Builder
		for range (k*7 + 3) % 23 {
			b.WriteString(pieces[(k*31+b.Len()*17)%len(pieces)])
		}
		out[k] = b.String()
	}
	return out
}

func TestSplitLabelsWordAtATime(t *testing.T) {
	in := append(fasterInputs(t), labelTexts(20000)...)
	for _, s := range in {
		for _, u := range []string{s, "x" + s, "xy" + s + "e"} {
			if got, want := splitLabels(u), plainSplitLabels(u); got != want {
				t.Fatalf("splitLabels(%q) = %q, want %q", u, got, want)
			}
		}
	}
}

func TestMapRunesWordAtATime(t *testing.T) {
	in := append(fasterInputs(t), labelTexts(20000)...)
	for _, s := range in {
		for _, u := range []string{s, "x" + s, "\r" + s + "\r\n"} {
			got, gotStable := mapRunes(u)
			want, wantStable := plainMapRunes(u)
			if got != want || gotStable != wantStable {
				t.Fatalf("mapRunes(%q) = %q, %v, want %q, %v", u, got, gotStable, want, wantStable)
			}
		}
	}
}

// TestRangeBytes checks rangeBytes and plainEnd against each byte on
// its own, in every lane and next to every other byte.
func TestRangeBytes(t *testing.T) {
	for c := range 256 {
		for d := range 256 {
			for lane := range 7 {
				x := uint64(c)<<(8*lane) | uint64(d)<<(8*lane+8)
				mask := func(f func(b int) bool) (m uint64) {
					for k := range 8 {
						if f(int(x >> (8 * k) & 0xff)) {
							m |= 0x80 << (8 * k)
						}
					}
					return m
				}
				for _, r := range [][2]byte{{'a', 'z'}, {'A', 'Z'}} {
					if got, want := rangeBytes(x, r[0], r[1]), mask(func(b int) bool { return b >= int(r[0]) && b <= int(r[1]) }); got != want {
						t.Fatalf("rangeBytes(%#x, %q, %q) = %#x, want %#x", x, r[0], r[1], got, want)
					}
				}
				w := string([]byte{byte(x), byte(x >> 8), byte(x >> 16), byte(x >> 24), byte(x >> 32), byte(x >> 40), byte(x >> 48), byte(x >> 56)})
				want := 0
				for want < 8 && w[want] < utf8.RuneSelf && plainASCII[w[want]] {
					want++
				}
				if got := plainEnd(w, 0); got != want {
					t.Fatalf("plainEnd(%q, 0) = %d, want %d", w, got, want)
				}
			}
		}
	}
}

func TestIndexSpacesWordAtATime(t *testing.T) {
	in := append(fasterInputs(t), labelTexts(20000)...)
	for _, s := range in {
		for _, u := range []string{s, " " + s, s + " ", "a " + s + "  "} {
			if got, want := indexSpaces(u), strings.Index(u, "  "); got != want {
				t.Fatalf("indexSpaces(%q) = %d, want %d", u, got, want)
			}
		}
	}
}
