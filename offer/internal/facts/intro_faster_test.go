package facts

import (
	"math/rand/v2"
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
		a, b, c, _ := orgIntro(s, 0, len(s))
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
	}{{"words", func(s string) (int, int, int) {
		a, b, c, _ := orgIntro(s, 0, len(s))
		return a, b, c
	}}, {"bytes", plainOrgIntro}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range texts {
					f.read(s)
				}
			}
		})
	}
}

// TestEmailAtAsRegexp compares emailAt with emailRe on every "@" of the
// test inputs and of random strings of the characters an address is made
// of, read around as lineContacts reads.
func TestEmailAtAsRegexp(t *testing.T) {
	in := fasterInputs(t)
	rng := rand.New(rand.NewPCG(5, 6))
	const chars = "aZ09.-_%+@@ é.."
	for range 200000 {
		b := make([]byte, 1+rng.IntN(40))
		for k := range b {
			b[k] = chars[rng.IntN(len(chars))]
		}
		in = append(in, string(b))
	}
	for _, tld := range []string{"f", "fr", "fr2", "fr-x", "fr_", strings.Repeat("a", 24), strings.Repeat("a", 25)} {
		for _, after := range []string{"", " ", "_", ".", "..", "-", "2", "é"} {
			in = append(in, "x@a."+tld+after, "x@a.b."+tld+after+".c", ".-x@a-b."+tld+after)
		}
	}
	found := 0
	for _, s := range in {
		for a := strings.IndexByte(s, '@'); a >= 0; {
			ws := a
			for ws > 0 && isLocalByte(s[ws-1]) {
				ws--
			}
			we := a + 1
			for we < len(s) && isDomainByte(s[we]) {
				we++
			}
			st, e := emailAt(s, ws, a, we)
			want := []int{-1, -1}
			if m := emailRe.get().FindStringIndex(s[ws:min(we+1, len(s))]); m != nil {
				want = []int{ws + m[0], ws + m[1]}
				found++
			}
			if st != want[0] || e != want[1] {
				t.Fatalf("emailAt(%q, %d, %d, %d) = %d, %d, want %v", s, ws, a, we, st, e, want)
			}
			k := strings.IndexByte(s[a+1:], '@')
			if k < 0 {
				break
			}
			a += 1 + k
		}
	}
	if found == 0 {
		t.Fatal("no input holds an address")
	}
}

// BenchmarkEmailAt times emailAt and emailRe on the "@" of the texts,
// read around as lineContacts reads.
func BenchmarkEmailAt(b *testing.B) {
	type at struct {
		s         string
		ws, a, we int
	}
	var ats []at
	for _, s := range benchTexts(b) {
		for a := range len(s) {
			if s[a] != '@' {
				continue
			}
			ws, we := a, a+1
			for ws > 0 && isLocalByte(s[ws-1]) {
				ws--
			}
			for we < len(s) && isDomainByte(s[we]) {
				we++
			}
			ats = append(ats, at{s, ws, a, we})
		}
	}
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			for _, x := range ats {
				emailAt(x.s, x.ws, x.a, x.we)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			for _, x := range ats {
				emailRe.get().FindStringIndex(x.s[x.ws:min(x.we+1, len(x.s))])
			}
		}
	})
}
