// Package storetest builds echeance databases the size of a large
// deployment, for the benchmarks of the store and the scheduler. A database
// is made with store.Open (so it has the real schema), then filled by
// bigdb.sql in one transaction; it is cached under os.TempDir(), named after
// the schema, the script and the sizes, so a schema change builds a new one.
package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/echeance/echeance/store"
)

//go:embed bigdb.sql
var script string

// Params sizes a database (see the header of bigdb.sql).
type Params struct {
	Subscribers, Offers, Follows int
	// Planned gives each follow one pending reminder.
	Planned bool
	// Days spreads the offers' deadlines over that many days.
	Days int
}

// BigDB returns the path of a database built with p. Callers must not write
// to it: those that do work on a Copy.
func BigDB(tb testing.TB, p Params) string {
	tb.Helper()
	h := sha256.New()
	h.Write([]byte(store.SchemaDigest()))
	h.Write([]byte(script))
	fmt.Fprintf(h, "%+v", p)
	dir := filepath.Join(os.TempDir(), "echeance-bench")
	path := filepath.Join(dir, "big-"+hex.EncodeToString(h.Sum(nil))[:16]+".db")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	tmp := path + fmt.Sprintf(".tmp%d", os.Getpid())
	defer os.Remove(tmp)
	if err := fill(tmp, p); err != nil {
		tb.Fatalf("storetest: build %s: %v", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("built %s in %s", path, time.Since(start).Round(time.Millisecond))
	return path
}

// fill creates the schema with store.Open, then runs the script in one
// transaction on a connection of its own, and leaves a single file.
func fill(path string, p Params) error {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []struct {
		query string
		args  []any
	}{
		{`CREATE TEMP TABLE bench (subscribers, offers, follows, planned, days)`, nil},
		{`INSERT INTO bench VALUES (?, ?, ?, ?, ?)`, []any{p.Subscribers, p.Offers, p.Follows, p.Planned, p.Days}},
		{script, nil},
		{`DROP TABLE temp.bench`, nil},
	} {
		if _, err := tx.ExecContext(ctx, q.query, q.args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// Copy copies the database file src into a fresh folder and returns the
// copy's path.
func Copy(tb testing.TB, src string) string {
	tb.Helper()
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	dst := filepath.Join(tb.TempDir(), "copy.db")
	out, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return dst
}
