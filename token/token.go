// Package token owns the signed tokens in echeance's one-click links. A
// token names one student, one action, one object (an offer, for offer
// actions) and the day it was written, and carries an HMAC-SHA256 under
// the server's key that also covers the student's own random link key.
// So a token works for that student only, for that action only, and only
// while that student's link key is unchanged: removing a student,
// unsubscribing and `subscriber revoke-links` change or delete the key,
// which revokes every link written before, whatever ids the database
// gives later rows.
//
// Each token has exactly one spelling: a fixed-size binary payload in
// strict unpadded base64url, so no two strings verify as the same link.
//
// Expiry: the unsubscribe link and the calendar feed live as long as the
// subscription (until the student's link key changes); a confirmation
// link lives ConfirmLifetime; every other action link lives
// ActionLifetime from the day it was written. Verification compares MACs
// in constant time.
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
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
	// OfferPage shows an offer's page when offers are not public.
	OfferPage = "offer"
	// StopSearch deletes one saved search; the claim's Offer field holds
	// the search id.
	StopSearch = "stop_search"
	// Manage opens the student's own page, where they see and change
	// everything about their reminders ("Gérer mes rappels").
	Manage = "manage"
)

// actions are the action codes of the binary payload; a code is never
// reused for another action.
var actions = [...]string{1: Unsubscribe, 2: Pause, 3: Resume, 4: Language, 5: Feed, 6: Applied,
	7: NotInterested, 8: Confirm, 9: OfferPage, 10: StopSearch, 11: Manage}

func actionCode(a string) byte {
	for i, name := range actions {
		if name != "" && name == a {
			return byte(i)
		}
	}
	return 0
}

// Lifetimes of action links, counted from the day they were written.
const (
	ActionLifetime  = 180 * 24 * time.Hour
	ConfirmLifetime = 30 * 24 * time.Hour
)

// Lifetime returns how long a link for action stays valid; 0 means as long
// as the student's link key.
func Lifetime(action string) time.Duration {
	switch action {
	case Unsubscribe, Feed:
		return 0
	case Confirm:
		return ConfirmLifetime
	}
	return ActionLifetime
}

var (
	// ErrInvalid is returned for a token that is malformed, forged, altered,
	// revoked, or whose student no longer exists.
	ErrInvalid = errors.New("token: invalid link")
	// ErrExpired is returned for a genuine token past its lifetime.
	ErrExpired = errors.New("token: expired link")
)

const (
	version = 2
	// macSize is the truncated MAC length: 128 bits are plenty against
	// forgery and keep links short.
	macSize = 16
	// payloadSize: version, action, student, object, issue day.
	payloadSize = 1 + 1 + 8 + 8 + 4
	tokenSize   = payloadSize + macSize
)

var enc = base64.RawURLEncoding.Strict()

// Claim is what a token says.
type Claim struct {
	Subscriber int64
	Action     string
	// Offer is the object of the action: an offer id for offer actions,
	// 0 for actions about the student as a whole.
	Offer int64
	// Issued is the UTC day the link was written.
	Issued time.Time
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

func day(t time.Time) uint32 {
	d := t.Unix() / 86400
	if d < 0 {
		return 0
	}
	return uint32(d)
}

func (s *Signer) mac(payload, studentKey []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("echeance link v2\n"))
	h.Write(payload)
	h.Write(studentKey)
	return h.Sum(nil)[:macSize]
}

// Sign returns the token for c, bound to the student's link key, safe in a
// URL path. c.Issued is when the link is written (its day is kept).
func (s *Signer) Sign(c Claim, studentKey []byte) string {
	code := actionCode(c.Action)
	if code == 0 || c.Subscriber < 1 || c.Offer < 0 {
		// Never a valid token: a caller bug must not become a working link.
		return "invalid"
	}
	b := make([]byte, payloadSize, tokenSize)
	b[0] = version
	b[1] = code
	binary.BigEndian.PutUint64(b[2:], uint64(c.Subscriber))
	binary.BigEndian.PutUint64(b[10:], uint64(c.Offer))
	binary.BigEndian.PutUint32(b[18:], day(c.Issued))
	b = append(b, s.mac(b, studentKey)...)
	return enc.EncodeToString(b)
}

// Verify checks tok at now and returns its claim. keyOf returns the link
// key of the student the token names; an error from it (a student who no
// longer exists) makes the token invalid, and is returned joined to
// ErrInvalid so callers can tell a database failure apart.
func (s *Signer) Verify(tok string, keyOf func(subscriber int64) ([]byte, error), now time.Time) (Claim, error) {
	if enc.EncodedLen(tokenSize) != len(tok) {
		return Claim{}, ErrInvalid
	}
	b, err := enc.DecodeString(tok)
	if err != nil || len(b) != tokenSize || b[0] != version {
		return Claim{}, ErrInvalid
	}
	payload, mac := b[:payloadSize], b[payloadSize:]
	code := int(b[1])
	sub := binary.BigEndian.Uint64(b[2:])
	obj := binary.BigEndian.Uint64(b[10:])
	if code >= len(actions) || actions[code] == "" || sub < 1 || sub > 1<<62 || obj > 1<<62 {
		return Claim{}, ErrInvalid
	}
	c := Claim{Subscriber: int64(sub), Action: actions[code], Offer: int64(obj),
		Issued: time.Unix(int64(binary.BigEndian.Uint32(b[18:]))*86400, 0).UTC()}
	key, err := keyOf(c.Subscriber)
	if err != nil {
		return Claim{}, errors.Join(ErrInvalid, err)
	}
	if !hmac.Equal(mac, s.mac(payload, key)) {
		return Claim{}, ErrInvalid
	}
	if life := Lifetime(c.Action); life > 0 && now.Sub(c.Issued) > life+24*time.Hour {
		return c, ErrExpired
	}
	return c, nil
}

// NewStudentKey returns a fresh random link key for a student.
func NewStudentKey() []byte {
	k := make([]byte, 16)
	rand.Read(k)
	return k
}

// KeyFile returns the signing key kept in the file at path, creating it
// (32 random bytes, hex, mode 0600) the first time. Concurrent first calls
// agree on one key: the file appears whole, and only once.
func KeyFile(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		return parseKey(path, b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("token: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".link-key-*")
	if err != nil {
		return nil, fmt.Errorf("token: link key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = fmt.Fprintf(tmp, "%x\n", raw)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("token: link key: %w", err)
	}
	// Link, not rename: it fails if another process created the file
	// first, and then both read that one.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("token: link key: %w", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	return parseKey(path, b)
}

func parseKey(path string, b []byte) ([]byte, error) {
	k := strings.TrimSpace(string(b))
	if len(k) < 32 {
		return nil, fmt.Errorf("token: %s: the key must hold at least 32 characters", path)
	}
	return []byte(k), nil
}

// Review actions, for the buttons of the "Offres à vérifier" email.
const (
	ReviewConfirm    = "review_confirm"
	ReviewNoDeadline = "review_none"
)

// ReviewLifetime is how long a review button works.
const ReviewLifetime = 14 * 24 * time.Hour

var reviewActions = [...]string{1: ReviewConfirm, 2: ReviewNoDeadline}

const (
	reviewVersion     = 3
	reviewPayloadSize = 1 + 1 + 8 + 4 + 4
)

// ReviewClaim is what a review button says: an action on one revision of
// one offer, written on Issued.
type ReviewClaim struct {
	Action   string
	Offer    int64
	Revision int
	Issued   time.Time
}

func (s *Signer) reviewMAC(payload []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("echeance review v1\n"))
	h.Write(payload)
	return h.Sum(nil)[:macSize]
}

// SignReview returns the token of a review button. It names the offer's
// revision, so that a decision taken on what an older text said cannot be
// applied to a newer one; it belongs to no student, and no student's link
// can pass for it.
func (s *Signer) SignReview(c ReviewClaim) string {
	code := 0
	for i, a := range reviewActions {
		if a != "" && a == c.Action {
			code = i
		}
	}
	if code == 0 || c.Offer < 1 || c.Revision < 0 {
		return "invalid"
	}
	b := make([]byte, reviewPayloadSize, reviewPayloadSize+macSize)
	b[0], b[1] = reviewVersion, byte(code)
	binary.BigEndian.PutUint64(b[2:], uint64(c.Offer))
	binary.BigEndian.PutUint32(b[10:], uint32(c.Revision))
	binary.BigEndian.PutUint32(b[14:], day(c.Issued))
	b = append(b, s.reviewMAC(b)...)
	return enc.EncodeToString(b)
}

// VerifyReview checks a review button's token at now: its MAC, its age,
// and that revisionOf (the offer's current revision) is still the one it
// names. A stale revision or a removed offer is ErrInvalid (joined to the
// lookup's error for a removed offer).
func (s *Signer) VerifyReview(tok string, revisionOf func(offer int64) (int, error), now time.Time) (ReviewClaim, error) {
	if enc.EncodedLen(reviewPayloadSize+macSize) != len(tok) {
		return ReviewClaim{}, ErrInvalid
	}
	b, err := enc.DecodeString(tok)
	if err != nil || len(b) != reviewPayloadSize+macSize || b[0] != reviewVersion {
		return ReviewClaim{}, ErrInvalid
	}
	payload, mac := b[:reviewPayloadSize], b[reviewPayloadSize:]
	if !hmac.Equal(mac, s.reviewMAC(payload)) {
		return ReviewClaim{}, ErrInvalid
	}
	code := int(b[1])
	obj := binary.BigEndian.Uint64(b[2:])
	if code >= len(reviewActions) || reviewActions[code] == "" || obj < 1 || obj > 1<<62 {
		return ReviewClaim{}, ErrInvalid
	}
	c := ReviewClaim{Action: reviewActions[code], Offer: int64(obj), Revision: int(binary.BigEndian.Uint32(b[10:])),
		Issued: time.Unix(int64(binary.BigEndian.Uint32(b[14:]))*86400, 0).UTC()}
	rev, err := revisionOf(c.Offer)
	if err != nil {
		return ReviewClaim{}, errors.Join(ErrInvalid, err)
	}
	if rev != c.Revision {
		return c, ErrInvalid
	}
	if now.Sub(c.Issued) > ReviewLifetime+24*time.Hour {
		return c, ErrExpired
	}
	return c, nil
}
