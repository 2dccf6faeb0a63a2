package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// This file holds the console's accounts: administrators, the one-time
// links that set their passwords, and their sessions. Secrets are kept
// hashed: a password by the caller (argon2id, package console), a link or
// a session id here, by SHA-256 of its 32 random bytes.

// Admin is an administrator's account.
type Admin struct {
	ID    int64
	Email string
	// PasswordHash is "" until a password was set.
	PasswordHash  string
	CreatedAt     time.Time
	PasswordSetAt *time.Time
	// Sessions counts the sessions open.
	Sessions int
}

// Session lifetimes: a session ends after IdleTimeout without a request,
// and after MaxSessionAge whatever happens.
const (
	IdleTimeout   = 8 * time.Hour
	MaxSessionAge = 7 * 24 * time.Hour
	// SetupLinkTTL is how long a one-time link to set a password works.
	SetupLinkTTL = 24 * time.Hour
)

// Session is an administrator's open session.
type Session struct {
	AdminID int64
	Email   string
	// CSRF is the token every form of the session carries.
	CSRF string
}

// ErrExpired is returned (wrapped) for a session or a link past its time.
var ErrExpired = errors.New("expired")

func secretHash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func randomHex() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// AddAdmin creates an administrator without a password and returns a
// one-time secret, valid SetupLinkTTL from now, that sets it (see
// SetPassword); only its hash is stored. An address already taken is
// ErrExists.
func (s *Store) AddAdmin(ctx context.Context, email string, now time.Time) (string, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return "", fmt.Errorf("store: add admin: %w", err)
	}
	secret, err := randomHex()
	if err != nil {
		return "", fmt.Errorf("store: add admin %s: %w", e, err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO admins (email, created_at) VALUES (?, ?)`, e, utc(now))
		var se sqlite3.Error
		if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
			return ErrExists
		}
		if err != nil {
			return err
		}
		id, err := r.LastInsertId()
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO admin_tokens (hash, admin_id, expires_at) VALUES (?, ?, ?)`,
			secretHash(secret), id, utc(now.Add(SetupLinkTTL)))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: add admin %s: %w", e, err)
	}
	return secret, nil
}

// ResetAdmin gives an existing administrator a new one-time link (their
// password stays until the link is used); earlier links stop working.
func (s *Store) ResetAdmin(ctx context.Context, email string, now time.Time) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	secret, err := randomHex()
	if err != nil {
		return "", fmt.Errorf("store: reset admin %s: %w", e, err)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM admins WHERE email = ?`, e).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM admin_tokens WHERE admin_id = ?`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO admin_tokens (hash, admin_id, expires_at) VALUES (?, ?, ?)`,
			secretHash(secret), id, utc(now.Add(SetupLinkTTL)))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: reset admin %s: %w", e, err)
	}
	return secret, nil
}

// SetupAdmin returns the administrator a one-time secret is for, without
// using it: ErrNotFound for an unknown or used one, ErrExpired past its time.
func (s *Store) SetupAdmin(ctx context.Context, secret string, now time.Time) (Admin, error) {
	var a Admin
	var expires time.Time
	err := s.db.QueryRowContext(ctx, `SELECT a.id, a.email, t.expires_at FROM admin_tokens t JOIN admins a ON a.id = t.admin_id
WHERE t.hash = ?`, secretHash(secret)).Scan(&a.ID, &a.Email, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Admin{}, fmt.Errorf("store: setup link: %w", ErrNotFound)
	}
	if err != nil {
		return Admin{}, fmt.Errorf("store: setup link: %w", err)
	}
	if !now.Before(expires) {
		return Admin{}, fmt.Errorf("store: setup link of %s: %w", a.Email, ErrExpired)
	}
	return a, nil
}

// SetPassword uses a one-time secret: it stores the password hash of its
// administrator, deletes the secret and ends their open sessions.
func (s *Store) SetPassword(ctx context.Context, secret, passwordHash string, now time.Time) (Admin, error) {
	var a Admin
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT a.id, a.email, t.expires_at FROM admin_tokens t JOIN admins a ON a.id = t.admin_id
WHERE t.hash = ?`, secretHash(secret)).Scan(&a.ID, &a.Email, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !now.Before(expires) {
			return ErrExpired
		}
		for _, q := range []string{
			`DELETE FROM admin_tokens WHERE admin_id = ?2`,
			`DELETE FROM admin_sessions WHERE admin_id = ?2`,
			`UPDATE admins SET password_hash = ?1, password_set_at = ?3 WHERE id = ?2`,
		} {
			if _, err := tx.ExecContext(ctx, q, passwordHash, a.ID, utc(now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Admin{}, fmt.Errorf("store: set password: %w", err)
	}
	return a, nil
}

// AdminByEmail returns the administrator with that address.
func (s *Store) AdminByEmail(ctx context.Context, email string) (Admin, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	var a Admin
	var set sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT id, email, password_hash, created_at, password_set_at FROM admins WHERE email = ?`, e).
		Scan(&a.ID, &a.Email, &a.PasswordHash, &a.CreatedAt, &set)
	if errors.Is(err, sql.ErrNoRows) {
		return Admin{}, fmt.Errorf("store: admin %s: %w", e, ErrNotFound)
	}
	if err != nil {
		return Admin{}, fmt.Errorf("store: admin %s: %w", e, err)
	}
	if set.Valid {
		a.PasswordSetAt = &set.Time
	}
	return a, nil
}

// Admins lists the administrators, by email.
func (s *Store) Admins(ctx context.Context) ([]Admin, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.email, a.password_hash, a.created_at, a.password_set_at,
       (SELECT count(*) FROM admin_sessions WHERE admin_id = a.id)
FROM admins a ORDER BY a.email`)
	if err != nil {
		return nil, fmt.Errorf("store: list admins: %w", err)
	}
	defer rows.Close()
	var out []Admin
	for rows.Next() {
		var a Admin
		var set sql.NullTime
		if err := rows.Scan(&a.ID, &a.Email, &a.PasswordHash, &a.CreatedAt, &set, &a.Sessions); err != nil {
			return nil, fmt.Errorf("store: list admins: %w", err)
		}
		if set.Valid {
			a.PasswordSetAt = &set.Time
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RemoveAdmin deletes an administrator; their sessions and links end with
// the account. Their audit rows stay.
func (s *Store) RemoveAdmin(ctx context.Context, email string) error {
	e := strings.ToLower(strings.TrimSpace(email))
	res, err := s.db.ExecContext(ctx, `DELETE FROM admins WHERE email = ?`, e)
	if err != nil {
		return fmt.Errorf("store: remove admin %s: %w", e, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: remove admin %s: %w", e, ErrNotFound)
	}
	return nil
}

// CreateSession opens a session for administrator id and returns its
// secret id (for the cookie; only its hash is stored) and the session.
func (s *Store) CreateSession(ctx context.Context, adminID int64, now time.Time) (string, Session, error) {
	secret, err := randomHex()
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	}
	csrf, err := randomHex()
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session: %w", err)
	}
	sess := Session{AdminID: adminID, CSRF: csrf}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT email FROM admins WHERE id = ?`, adminID).Scan(&sess.Email); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		// Sessions past their time are cleared as new ones open.
		if _, err := tx.ExecContext(ctx, `DELETE FROM admin_sessions WHERE seen_at < ? OR created_at < ?`,
			utc(now.Add(-IdleTimeout)), utc(now.Add(-MaxSessionAge))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO admin_sessions (hash, admin_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`,
			secretHash(secret), adminID, csrf, utc(now), utc(now))
		return err
	})
	if err != nil {
		return "", Session{}, fmt.Errorf("store: create session for admin %d: %w", adminID, err)
	}
	return secret, sess, nil
}

// SessionFor returns the session of a secret id and records that it was
// seen at now. ErrNotFound: no such session (logged out, account removed);
// ErrExpired: idle too long or too old (it is then deleted).
func (s *Store) SessionFor(ctx context.Context, secret string, now time.Time) (Session, error) {
	h := secretHash(secret)
	var sess Session
	var created, seen time.Time
	err := s.db.QueryRowContext(ctx, `SELECT s.admin_id, a.email, s.csrf, s.created_at, s.seen_at
FROM admin_sessions s JOIN admins a ON a.id = s.admin_id WHERE s.hash = ?`, h).
		Scan(&sess.AdminID, &sess.Email, &sess.CSRF, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	if !now.Before(seen.Add(IdleTimeout)) || !now.Before(created.Add(MaxSessionAge)) {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM admin_sessions WHERE hash = ?`, h); err != nil {
			return Session{}, fmt.Errorf("store: session: %w", err)
		}
		return Session{}, fmt.Errorf("store: session of %s: %w", sess.Email, ErrExpired)
	}
	// One write a minute at most per session, not one per request.
	if now.Sub(seen) >= time.Minute {
		if _, err := s.db.ExecContext(ctx, `UPDATE admin_sessions SET seen_at = ? WHERE hash = ?`, utc(now), h); err != nil {
			return Session{}, fmt.Errorf("store: session: %w", err)
		}
	}
	return sess, nil
}

// EndSession deletes the session of a secret id (logging out); an unknown
// one is not an error.
func (s *Store) EndSession(ctx context.Context, secret string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM admin_sessions WHERE hash = ?`, secretHash(secret)); err != nil {
		return fmt.Errorf("store: end session: %w", err)
	}
	return nil
}
