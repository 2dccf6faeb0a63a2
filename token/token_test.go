package token

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func signer(t *testing.T, b byte) *Signer {
	t.Helper()
	s, err := NewSigner(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	day0 = time.Date(2025, 10, 24, 0, 0, 0, 0, time.UTC)
	now  = day0.Add(9 * time.Hour)
)

// keys is a fake key store: student id to link key.
type keys map[int64][]byte

func (k keys) of(id int64) ([]byte, error) {
	if key, ok := k[id]; ok {
		return key, nil
	}
	return nil, errors.New("no such student")
}

func TestRoundTrip(t *testing.T) {
	s := signer(t, 1)
	ks := keys{1: NewStudentKey(), 42: NewStudentKey(), 9: NewStudentKey()}
	for _, c := range []Claim{{1, Unsubscribe, 0, day0}, {42, Applied, 7, day0}, {9, Feed, 0, day0}, {9, Confirm, 0, day0}} {
		got, err := s.Verify(s.Sign(c, ks[c.Subscriber]), ks.of, now)
		if err != nil || got != c {
			t.Errorf("Verify(Sign(%+v)) = %+v, %v", c, got, err)
		}
	}
}

func TestRejects(t *testing.T) {
	s := signer(t, 1)
	ks := keys{42: NewStudentKey(), 43: NewStudentKey()}
	tok := s.Sign(Claim{42, Applied, 7, day0}, ks[42])
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	// The same bytes with student 43 in the payload, and the MAC of 42.
	forged := append([]byte(nil), raw...)
	forged[9] = 43
	other := func(mut func(b []byte)) string {
		b := append([]byte(nil), raw...)
		mut(b)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	cases := map[string]string{
		"empty":           "",
		"truncated":       tok[:len(tok)-3],
		"extra character": tok + "A",
		"padded":          base64.URLEncoding.EncodeToString(raw),
		"std alphabet":    base64.RawStdEncoding.EncodeToString(append([]byte{0xfb, 0xff}, raw[2:]...)),
		"other student":   base64.RawURLEncoding.EncodeToString(forged),
		"other action":    other(func(b []byte) { b[1] = 2 }),
		"other offer":     other(func(b []byte) { b[17] = 8 }),
		"later day":       other(func(b []byte) { b[21]++ }),
		"unknown action":  other(func(b []byte) { b[1] = 200 }),
		"old version":     other(func(b []byte) { b[0] = 1 }),
		"flipped mac":     other(func(b []byte) { b[len(b)-1] ^= 1 }),
		"other key":       signer(t, 2).Sign(Claim{42, Applied, 7, day0}, ks[42]),
		"other student's key": func() string {
			return s.Sign(Claim{42, Applied, 7, day0}, ks[43])
		}(),
		"garbage":  "%%%.###",
		"v1 token": "NDIuYXBwbGllZC43.AAAAAAAAAAAAAAAAAAAAAA",
	}
	for name, bad := range cases {
		if _, err := s.Verify(bad, ks.of, now); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	// One spelling per token: changing the unused low bits of the last
	// character gives another string for the same bytes, which is refused.
	last := tok[len(tok)-1]
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := bytes.IndexByte([]byte(alphabet), last)
	alt := tok[:len(tok)-1] + string(alphabet[i^1])
	if _, err := s.Verify(alt, ks.of, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a second spelling of a token verified: %v", err)
	}
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
	if got := s.Sign(Claim{42, "reboot", 0, day0}, ks[42]); got != "invalid" {
		t.Errorf("Sign of an unknown action = %q", got)
	}
}

// TestRevoked: a new link key (revoke-links, unsubscribe) or a removed
// student invalidates every earlier token, and a new student given the
// same id cannot use them.
func TestRevoked(t *testing.T) {
	s := signer(t, 1)
	ks := keys{5: NewStudentKey()}
	tok := s.Sign(Claim{5, Unsubscribe, 0, day0}, ks[5])
	if _, err := s.Verify(tok, ks.of, now); err != nil {
		t.Fatal(err)
	}
	ks[5] = NewStudentKey()
	if _, err := s.Verify(tok, ks.of, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("after a new key: err = %v", err)
	}
	delete(ks, 5)
	if _, err := s.Verify(tok, ks.of, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("after removal: err = %v", err)
	}
}

func TestExpiry(t *testing.T) {
	s := signer(t, 1)
	ks := keys{3: NewStudentKey()}
	cases := []struct {
		action string
		after  time.Duration
		want   error
	}{
		{Pause, 179 * 24 * time.Hour, nil},
		{Pause, 182 * 24 * time.Hour, ErrExpired},
		{Applied, 200 * 24 * time.Hour, ErrExpired},
		{Confirm, 29 * 24 * time.Hour, nil},
		{Confirm, 32 * 24 * time.Hour, ErrExpired},
		{Unsubscribe, 10 * 365 * 24 * time.Hour, nil},
		{Feed, 10 * 365 * 24 * time.Hour, nil},
	}
	for _, c := range cases {
		tok := s.Sign(Claim{3, c.action, 0, day0}, ks[3])
		if _, err := s.Verify(tok, ks.of, day0.Add(c.after)); !errors.Is(err, c.want) && err != c.want {
			t.Errorf("%s after %s: err = %v, want %v", c.action, c.after, err, c.want)
		}
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "echeance.db.link-key")
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = KeyFile(path)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || !bytes.Equal(got[i], got[0]) || len(got[i]) != 64 {
			t.Fatalf("call %d: %q, %v; want the same 64 hex characters as call 0 (%q)", i, got[i], errs[i], got[0])
		}
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", info.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the key: %v", entries)
	}
	again, err := KeyFile(path)
	if err != nil || !bytes.Equal(again, got[0]) {
		t.Errorf("second read = %q, %v", again, err)
	}
	os.WriteFile(path, []byte("short\n"), 0o600)
	if _, err := KeyFile(path); err == nil {
		t.Error("a short key file was accepted")
	}
}

func TestBounceToken(t *testing.T) {
	s, err := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSigner([]byte("another key, another install....."))
	tok := s.SignBounce(42)
	if len(tok) != 38 || strings.ToLower(tok) != tok {
		t.Errorf("token %q: want 38 lower-case hex digits", tok)
	}
	for _, in := range []string{tok, strings.ToUpper(tok)} {
		if id, err := s.VerifyBounce(in); err != nil || id != 42 {
			t.Errorf("VerifyBounce(%s) = %d, %v", in, id, err)
		}
	}
	forged := []string{other.SignBounce(42), tok[:36] + "00", "", "zz" + tok[2:], s.SignBounce(43)[:20] + tok[20:]}
	for _, f := range forged {
		if id, err := s.VerifyBounce(f); err == nil {
			t.Errorf("forged %q verified as %d", f, id)
		}
	}
}

func TestReviewTokens(t *testing.T) {
	s := signer(t, 1)
	revs := map[int64]int{7: 2}
	revOf := func(id int64) (int, error) {
		if r, ok := revs[id]; ok {
			return r, nil
		}
		return 0, errors.New("no such offer")
	}
	tok := s.SignReview(ReviewClaim{Action: ReviewConfirm, Offer: 7, Revision: 2, Issued: day0})
	got, err := s.VerifyReview(tok, revOf, now)
	if err != nil || got.Action != ReviewConfirm || got.Offer != 7 || got.Revision != 2 {
		t.Fatalf("VerifyReview = %+v, %v", got, err)
	}
	// A student's token is no review token, nor the reverse.
	ks := keys{7: NewStudentKey()}
	if _, err := s.VerifyReview(s.Sign(Claim{7, Unsubscribe, 0, day0}, ks[7]), revOf, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a student's link passed as a review button: %v", err)
	}
	if _, err := s.Verify(tok, ks.of, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a review button passed as a student's link: %v", err)
	}
	if _, err := signer(t, 2).VerifyReview(tok, revOf, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("another key: %v", err)
	}
	// The offer changed since the email: its old buttons do nothing.
	revs[7] = 3
	if _, err := s.VerifyReview(tok, revOf, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a stale revision: %v", err)
	}
	revs[7] = 2
	if _, err := s.VerifyReview(tok, revOf, now.Add(20*24*time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("after 20 days: %v", err)
	}
	delete(revs, 7)
	if _, err := s.VerifyReview(tok, revOf, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a removed offer: %v", err)
	}
	if got := s.SignReview(ReviewClaim{Action: "delete", Offer: 7}); got != "invalid" {
		t.Errorf("an unknown review action signed: %q", got)
	}
}

func TestFormTokens(t *testing.T) {
	s, err := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tok := s.SignForm("manage:1:tokA", now)
	if err := s.VerifyForm(tok, "manage:1:tokA", now.Add(time.Hour)); err != nil {
		t.Errorf("genuine form token: %v", err)
	}
	if err := s.VerifyForm(tok, "manage:2:tokB", now); err != ErrInvalid {
		t.Errorf("replayed on another student: %v, want ErrInvalid", err)
	}
	if err := s.VerifyForm(tok, "manage:1:tokA", now.Add(FormLifetime+time.Minute)); err != ErrExpired {
		t.Errorf("a day old: %v, want ErrExpired", err)
	}
	if err := s.VerifyForm(tok, "manage:1:tokA", now.Add(-time.Hour)); err != ErrExpired {
		t.Errorf("dated in the future: %v, want ErrExpired", err)
	}
	b := []byte(tok)
	b[3] ^= 1
	if err := s.VerifyForm(string(b), "manage:1:tokA", now); err != ErrInvalid {
		t.Errorf("altered: %v", err)
	}
	if err := s.VerifyForm("", "subscribe", now); err != ErrInvalid {
		t.Errorf("empty: %v", err)
	}
	pa, again, pb := s.Pseudonym("client", []byte("192.0.2.1")), s.Pseudonym("client", []byte("192.0.2.1")), s.Pseudonym("client", []byte("192.0.2.2"))
	if pa == pb || pa != again || strings.Contains(pa, "192.0.2") {
		t.Errorf("pseudonyms %q %q %q: not stable, or do not tell addresses apart", pa, again, pb)
	}
}

func TestManageAction(t *testing.T) {
	s, _ := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	keyA, keyB := NewStudentKey(), NewStudentKey()
	tok := s.Sign(Claim{Subscriber: 1, Action: Manage, Issued: now}, keyA)
	c, err := s.Verify(tok, func(int64) ([]byte, error) { return keyA, nil }, now)
	if err != nil || c.Action != Manage || c.Subscriber != 1 {
		t.Fatalf("manage token: %+v %v", c, err)
	}
	if _, err := s.Verify(tok, func(int64) ([]byte, error) { return keyB, nil }, now); err != ErrInvalid {
		t.Errorf("manage token under another key: %v", err)
	}
}
