package facts

import (
	"strings"
	"testing"
)

// plainOrgIntro is orgIntro as it was, testing one byte at a time.
func plainOrgIntro(txt string) (at, start, end int) {
	for p := 0; p+1 < len(txt); p++ {
		switch txt[p] | 0x20 {
		case 'l':
			switch txt[p+1] {
			case '\'', 'a', 'A', 'e', 'E':
			default:
				continue
			}
		case 't':
			if txt[p+1]|0x20 != 'h' {
				continue
			}
		default:
			continue
		}
		if !boundaryAt(txt, p) {
			continue
		}
		e := p + strings.IndexByte(txt[p:], ' ')
		if e < p {
			return -1, -1, -1
		}
		first, pair := txt[p:e], -1
		for k, ph := range introPairs {
			if lowerIs(first, ph.first) {
				pair = k
				break
			}
		}
		if pair >= 0 {
			e2 := e + 1 + strings.IndexByte(txt[e+1:], ' ')
			if e2 <= e || !lowerIsAny(txt[e+1:e2], introPairs[pair].seconds) {
				continue
			}
			e = e2
		} else if !lowerIsAny(first, introWords) {
			continue
		}
		if n := nameEnd(txt, e+1); n >= 0 {
			return p, e + 1, n
		}
	}
	return -1, -1, -1
}

// introInputs are the inputs of fasterInputs, with phrases of introWords
// and introPairs put at every place eight bytes may start from.
func introInputs(t *testing.T) []string {
	t.Helper()
	in := fasterInputs(t)
	for _, lead := range []string{"", "x", "xy", "xyz", "abcd", "abcde", "abcdef", "abcdefg", " L", "Lt "} {
		for _, w := range []string{"l'association Acme Énergie", "La société Kelvin", "THE company Acme",
			"le laboratoire LPNC", "L", "T", "l", "th", "la ", "The", "Le"} {
			in = append(in, lead+w, lead+w+" ", w+lead)
		}
	}
	return in
}

func TestOrgIntroAsBytewise(t *testing.T) {
	n := 0
	for _, s := range introInputs(t) {
		a, b, c := orgIntro(s)
		wa, wb, wc := plainOrgIntro(s)
		if a != wa || b != wb || c != wc {
			t.Fatalf("orgIntro(%q) = %d, %d, %d, want %d, %d, %d", s, a, b, c, wa, wb, wc)
		}
		if a >= 0 {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no input has a phrase orgIntro reads")
	}
}

// plainSplitLabel is splitLabel as it was, searching the whole line for
// its colon.
func plainSplitLabel(p string) (label, value string) {
	i := strings.IndexByte(p, ':')
	if i <= 0 || i > 60 {
		return "", ""
	}
	head := p[:i]
	if i+1 < len(p) && p[i+1] == '/' || i+1 < len(p) && isDigitByte(p[i+1]) && isDigitByte(p[i-1]) {
		return "", ""
	}
	if fields(head) > 7 {
		return "", ""
	}
	return foldLabel(head), strings.TrimSpace(p[i+1:])
}

func TestSplitLabelAsWholeLine(t *testing.T) {
	in := fasterInputs(t)
	for _, n := range []int{59, 60, 61, 62} {
		in = append(in, strings.Repeat("a", n)+": b", strings.Repeat("a", n)+":", "x"+strings.Repeat(" ", n-1)+":b")
	}
	n := 0
	for _, s := range in {
		l, v := splitLabel(s)
		wl, wv := plainSplitLabel(s)
		if l != wl || v != wv {
			t.Fatalf("splitLabel(%q) = %q, %q, want %q, %q", s, l, v, wl, wv)
		}
		if l != "" {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no input has a label")
	}
}

// BenchmarkOrgIntro times orgIntro and the version it replaced on the
// part of each text bodyOrg reads.
func BenchmarkOrgIntro(b *testing.B) {
	texts := benchTexts(b)
	for k, s := range texts {
		texts[k] = s[:min(len(s), maxOrgText)]
	}
	for _, f := range []struct {
		name string
		read func(string) (int, int, int)
	}{{"words", orgIntro}, {"bytes", plainOrgIntro}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range texts {
					f.read(s)
				}
			}
		})
	}
}
