package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// FormLifetime is how long a form token stays valid: a page left open a
// day must be loaded again.
const FormLifetime = 24 * time.Hour

const (
	formVersion     = 4
	formPayloadSize = 1 + 8
)

func (s *Signer) formMAC(payload []byte, bind string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("echeance form v1\n"))
	h.Write(payload)
	h.Write([]byte(bind))
	return h.Sum(nil)[:macSize]
}

// SignForm returns the token a form carries: dated now, and bound to bind,
// which names the form and, for a student's own page, the link it was
// served from. A token of one form or one student never passes for
// another's.
func (s *Signer) SignForm(bind string, now time.Time) string {
	b := make([]byte, formPayloadSize, formPayloadSize+macSize)
	b[0] = formVersion
	binary.BigEndian.PutUint64(b[1:], uint64(now.Unix()))
	b = append(b, s.formMAC(b, bind)...)
	return enc.EncodeToString(b)
}

// VerifyForm checks a form token for bind at now: ErrInvalid when it is
// malformed, forged or bound to something else, ErrExpired when older than
// FormLifetime (or dated in the future beyond a minute of clock skew).
func (s *Signer) VerifyForm(tok, bind string, now time.Time) error {
	if enc.EncodedLen(formPayloadSize+macSize) != len(tok) {
		return ErrInvalid
	}
	b, err := enc.DecodeString(tok)
	if err != nil || len(b) != formPayloadSize+macSize || b[0] != formVersion {
		return ErrInvalid
	}
	if !hmac.Equal(b[formPayloadSize:], s.formMAC(b[:formPayloadSize], bind)) {
		return ErrInvalid
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[1:])), 0)
	if age := now.Sub(issued); age > FormLifetime || age < -time.Minute {
		return ErrExpired
	}
	return nil
}

// Pseudonym returns a keyed digest of b for bookkeeping that must not keep
// b itself, such as the client address of a sign-up: the same b gives the
// same value under one install's key, and the value cannot be turned back
// into b without that key.
func (s *Signer) Pseudonym(purpose string, b []byte) string {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("echeance pseudonym v1\n" + purpose + "\n"))
	h.Write(b)
	return base64.RawStdEncoding.EncodeToString(h.Sum(nil)[:16])
}
