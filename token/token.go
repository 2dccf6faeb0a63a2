// Package token owns the signed tokens in echeance's one-click links. A
// token binds one subscriber, one action and (for offer actions) one offer
// with an HMAC-SHA256 under the server's key, so that it works for nobody
// else and for nothing else; verification compares in constant time.
//
// Tokens do not expire: a link in an old email must still unsubscribe.
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Actions a token can carry.
const (
	Unsubscribe   = "unsubscribe"
	Pause         = "pause"
	Resume        = "resume"
	Language      = "lang"
	Feed          = "feed"
	Applied       = "applied"
	NotInterested = "not_interested"
	Confirm       = "confirm"
)

// ErrInvalid is returned for a token that is malformed, forged or altered.
var ErrInvalid = errors.New("token: invalid link")

// macSize is the truncated MAC length: 128 bits are plenty against forgery
// and keep links short.
const macSize = 16

// Claim is what a token says.
type Claim struct {
	Subscriber int64
	Action     string
	// Offer is 0 for actions about the subscriber as a whole.
	Offer int64
}

// Signer signs and verifies tokens with one key.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer; key should hold at least 32 random bytes.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("token: key of %d bytes, want at least 32", len(key))
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

func (c Claim) payload() string {
	return strconv.FormatInt(c.Subscriber, 10) + "." + c.Action + "." + strconv.FormatInt(c.Offer, 10)
}

func (s *Signer) mac(payload string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("echeance link v1\n"))
	h.Write([]byte(payload))
	return h.Sum(nil)[:macSize]
}

// Sign returns the token for c, safe in a URL path.
func (s *Signer) Sign(c Claim) string {
	p := c.payload()
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(p)) + "." + enc.EncodeToString(s.mac(p))
}

// Verify checks tok and returns its claim.
func (s *Signer) Verify(tok string) (Claim, error) {
	enc := base64.RawURLEncoding
	p64, m64, ok := strings.Cut(tok, ".")
	if !ok {
		return Claim{}, ErrInvalid
	}
	payload, err1 := enc.DecodeString(p64)
	mac, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil || len(mac) != macSize {
		return Claim{}, ErrInvalid
	}
	if !hmac.Equal(mac, s.mac(string(payload))) {
		return Claim{}, ErrInvalid
	}
	parts := strings.Split(string(payload), ".")
	if len(parts) != 3 {
		return Claim{}, ErrInvalid
	}
	sub, err1 := strconv.ParseInt(parts[0], 10, 64)
	offer, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || sub < 1 || offer < 0 {
		return Claim{}, ErrInvalid
	}
	return Claim{Subscriber: sub, Action: parts[1], Offer: offer}, nil
}
