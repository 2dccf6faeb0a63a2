package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// This file holds what operations need from the database: a ping for the
// watchdog and the health check, counts for the metrics, consistent backups
// and a read-only inspection for echeance doctor.

// Ping checks that the database still answers and that its file is still
// the one opened: a database file removed or replaced under a running
// daemon would make it write into a file nobody reads.
func (s *Store) Ping(ctx context.Context) error {
	if s.file != nil {
		fi, err := os.Stat(s.path)
		if err != nil {
			return fmt.Errorf("store: ping %s: %w", s.path, err)
		}
		if !os.SameFile(fi, s.file) {
			return fmt.Errorf("store: ping %s: the database file was replaced", s.path)
		}
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM settings`).Scan(&n); err != nil {
		return fmt.Errorf("store: ping %s: %w", s.path, err)
	}
	return nil
}

// OfferCounts returns how many offers there are of each deadline kind
// (explicit, estimated, none).
func (s *Store) OfferCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT deadline_kind, count(*) FROM offers GROUP BY deadline_kind`)
	if err != nil {
		return nil, fmt.Errorf("store: count offers: %w", err)
	}
	defer rows.Close()
	out := map[string]int{"explicit": 0, "estimated": 0, "none": 0}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("store: count offers: %w", err)
		}
		out[kind] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count offers: %w", err)
	}
	return out, nil
}

// Backup writes a consistent copy of the database to path (which must not
// exist) while other connections go on reading and writing, then checks
// the copy and returns what Inspect finds in it. The copy is private (0600)
// and appears whole or not at all: it is written beside path under a
// temporary name and renamed once checked.
func (s *Store) Backup(ctx context.Context, path string) (Info, error) {
	if _, err := os.Lstat(path); err == nil {
		return Info{}, fmt.Errorf("store: backup %s: already exists", path)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	os.Remove(tmp) // a leftover of an interrupted backup
	defer os.Remove(tmp)
	// VACUUM INTO reads one snapshot of the database (a read transaction,
	// which WAL lets writers run beside) and writes a compact copy.
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return Info{}, fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return Info{}, fmt.Errorf("store: backup %s: %w", path, err)
	}
	info, err := Inspect(ctx, tmp)
	if err != nil {
		return Info{}, fmt.Errorf("store: backup %s: the copy does not check: %w", path, err)
	}
	f, err := os.Open(tmp)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return Info{}, fmt.Errorf("store: backup %s: %w", path, err)
	}
	return info, nil
}

// Info is what Inspect finds in a database file.
type Info struct {
	// Version is the schema version (PRAGMA user_version); Latest is the
	// one this echeance migrates to.
	Version, Latest int
	Offers          int
	Subscribers     int
	Reminders       int
}

// ErrNoDatabase is returned (wrapped) by Inspect when the file does not
// exist.
var ErrNoDatabase = errors.New("no database file")

// Inspect opens the database at path read-only, without migrating nor
// creating it, runs PRAGMA integrity_check and reads its schema version and
// size. A schema newer than this echeance's is an error; an older one is
// reported in Info (Open migrates it).
func Inspect(ctx context.Context, path string) (Info, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return Info{}, fmt.Errorf("store: %s: %w", path, ErrNoDatabase)
	} else if err != nil {
		return Info{}, fmt.Errorf("store: %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "5000")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return Info{}, fmt.Errorf("store: %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	info := Info{Latest: len(migrationNames())}
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return Info{}, fmt.Errorf("store: %s: integrity check: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return Info{}, fmt.Errorf("store: %s: integrity check: %w", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Info{}, fmt.Errorf("store: %s: integrity check: %w", path, err)
	}
	if len(problems) > 0 {
		return Info{}, fmt.Errorf("store: %s: integrity check: %s", path, strings.Join(problems, "; "))
	}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&info.Version); err != nil {
		return Info{}, fmt.Errorf("store: %s: schema version: %w", path, err)
	}
	if info.Version > info.Latest {
		return info, fmt.Errorf("store: %s: schema version %d is newer than this echeance (%d)", path, info.Version, info.Latest)
	}
	if info.Version == 0 {
		return info, nil
	}
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM offers), (SELECT count(*) FROM subscribers),
  (SELECT count(*) FROM reminders)`).Scan(&info.Offers, &info.Subscribers, &info.Reminders)
	if err != nil {
		return info, fmt.Errorf("store: %s: %w", path, err)
	}
	return info, nil
}

// BackupName is the file name of a backup taken at t, as backup writes it
// into a folder: names sort by time.
func BackupName(t time.Time) string {
	return "echeance-" + t.UTC().Format("20060102-150405") + ".db"
}

func migrationNames() []string {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	return names
}
