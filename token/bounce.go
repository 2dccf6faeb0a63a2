package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// Bounce tokens name the student a reminder went to in its VERP return path
// (mail.bounce_address, "bounces+{token}@example.org"), so that a bounce
// coming back to that address says whose address failed. A bounce token is
// 38 lower-case hex digits (a version, the student id and a 80-bit MAC
// under the server's key): it fits in a local part with room to spare,
// survives relays that change the case of addresses, and cannot be forged
// for another student. Unlike a link, it is not bound to the student's link
// key, so a bounce of a message sent before `subscriber revoke-links` still
// counts.
const (
	bounceVersion = 1
	bounceMAC     = 10
	bounceSize    = 1 + 8 + bounceMAC
)

func (s *Signer) bounceMAC(payload []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("echeance bounce v1\n"))
	h.Write(payload)
	return h.Sum(nil)[:bounceMAC]
}

// SignBounce returns the bounce token of subscriber sub.
func (s *Signer) SignBounce(sub int64) string {
	if sub < 1 {
		return "invalid"
	}
	b := make([]byte, 9, bounceSize)
	b[0] = bounceVersion
	binary.BigEndian.PutUint64(b[1:], uint64(sub))
	return hex.EncodeToString(append(b, s.bounceMAC(b)...))
}

// VerifyBounce returns the subscriber a bounce token names, or ErrInvalid
// for a token that was not signed with this key.
func (s *Signer) VerifyBounce(tok string) (int64, error) {
	b, err := hex.DecodeString(strings.ToLower(tok))
	if err != nil || len(b) != bounceSize || b[0] != bounceVersion {
		return 0, ErrInvalid
	}
	if !hmac.Equal(b[9:], s.bounceMAC(b[:9])) {
		return 0, ErrInvalid
	}
	sub := binary.BigEndian.Uint64(b[1:9])
	if sub < 1 || sub > 1<<62 {
		return 0, ErrInvalid
	}
	return int64(sub), nil
}
