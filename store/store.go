// Package store owns echeance's SQLite database: offers, subscribers, what
// they follow, the reminder outbox, the bookkeeping of the students' web
// requests (a keyed digest of client addresses, never the addresses), and
// the console's administrators, their sessions and the audit log of their
// actions. A student's erasure deletes every row about them; secure_delete
// zeroes the freed space.
//
// Open applies the embedded migrations (migrations/NNNN_what.sql, in order,
// each in its own transaction, the count kept in PRAGMA user_version). Every
// write happens in one transaction through a single connection, so the file
// is never left half-written and there is one writer. Times are written in
// UTC, truncated to the second. Business rules live in constraints: a
// reminder is unique per subscriber, offer and offset.
//
// The store decides nothing about dates; planning and sending belong to the
// scheduler.
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned (wrapped) when a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// Store is an open echeance database.
type Store struct {
	db *sql.DB
	// path and file are the database file as opened, so that Ping can tell
	// when it was removed or replaced under the daemon.
	path string
	file os.FileInfo
	// review decides which offers wait for an administrator; nil: none.
	review atomic.Pointer[ReviewPolicy]
}

// Open opens (creating if needed) the SQLite file at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	// Freed space is zeroed, so that what a student's erasure deletes (and
	// the old versions of rows an update rewrote) leaves no bytes behind.
	q.Set("_secure_delete", "on")
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and this keeps every
	// statement of a transaction and the pragmas on the same connection.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.file, _ = os.Stat(path)
	return s, nil
}

// createPrivate creates the database file, readable by its owner only,
// whatever the umask, if it does not exist yet. SQLite gives the -wal and
// -shm files it creates the mode of the database file.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil { // the umask may have removed bits, never added; be explicit
		f.Close()
		return err
	}
	return f.Close()
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	// One connection for the whole migration, so that the foreign-key
	// pragma below holds for every statement.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var version int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("database schema version %d is newer than this echeance (%d)", version, len(names))
	}
	if version == len(names) {
		return nil
	}
	// Rebuilding a table (create, copy, drop, rename) must not cascade the
	// drop to its children, so foreign keys are off while migrating (the
	// pragma is a no-op inside a transaction) and each migration is
	// checked with foreign_key_check before it commits.
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	for i := version; i < len(names); i++ {
		body, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		if err := applyMigration(ctx, conn, string(body), i+1); err != nil {
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
		// By name, not number: the migration may be renumbered.
		if strings.HasSuffix(path.Base(names[i]), "_sources.sql") {
			if err := sketchMissing(ctx, conn); err != nil {
				return fmt.Errorf("migration %s: sketches: %w", names[i], err)
			}
		}
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, body string, version int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		return errors.New("foreign key check failed")
	}
	// PRAGMA takes no placeholders; version is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return err
	}
	return tx.Commit()
}

// tx runs fn in one immediate transaction.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// utc is how every time is written: UTC, whole seconds.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func nullTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return utc(*t)
}

// Secret returns the key kept under name, generating size random bytes the
// first time. Concurrent first calls agree on one key.
func (s *Store) Secret(ctx context.Context, name string, size int) ([]byte, error) {
	fresh := make([]byte, size)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	var key []byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)`, name, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, name).Scan(&key)
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	return key, nil
}

// SchemaDigest identifies the schema the migrations build, so that tools
// caching databases can tell when it changes.
func SchemaDigest() string {
	h := sha256.New()
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		body, _ := migrations.ReadFile(name)
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Setting returns a value echeance keeps for itself, "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT CAST(value AS TEXT) FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting keeps value under key.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("store: set setting %s: %w", key, err)
	}
	return nil
}
