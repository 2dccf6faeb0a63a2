package token

import (
	"bytes"
	"errors"
	"testing"
)

func signer(t *testing.T, b byte) *Signer {
	t.Helper()
	s, err := NewSigner(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	s := signer(t, 1)
	for _, c := range []Claim{{1, Unsubscribe, 0}, {42, Applied, 7}, {9, Feed, 0}} {
		got, err := s.Verify(s.Sign(c))
		if err != nil || got != c {
			t.Errorf("Verify(Sign(%+v)) = %+v, %v", c, got, err)
		}
	}
}

func TestRejects(t *testing.T) {
	s := signer(t, 1)
	tok := s.Sign(Claim{42, Applied, 7})
	other := s.Sign(Claim{43, Applied, 7})
	p, m, _ := cut(tok)
	p2, _, _ := cut(other)
	cases := map[string]string{
		"empty":          "",
		"truncated":      tok[:len(tok)-3],
		"no mac":         p,
		"other student":  p2 + "." + m, // payload of another student with this MAC
		"flipped char":   flip(tok),
		"other key":      signer(t, 2).Sign(Claim{42, Applied, 7}),
		"garbage":        "%%%.###",
		"extra dot part": tok + ".x",
	}
	for name, bad := range cases {
		if _, err := s.Verify(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

func cut(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// flip changes one character inside the MAC (not the last one, whose low
// bits base64 ignores).
func flip(s string) string {
	b := []byte(s)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
