package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// bigParams sizes a database built by scripts/bigdb.sql (see its header).
type bigParams struct {
	Subscribers, Offers, Follows int
	Planned                      bool
	Days                         int
}

// large is the deployment of the issue: 200,000 students following 5 offers
// each out of 20,000, one pending reminder per follow (1,000,000).
// Deadlines spread over 240 days.
var large = bigParams{Subscribers: 200_000, Offers: 20_000, Follows: 5, Planned: true, Days: 240}

// benchNow is a morning when nothing in a bigdb.sql database is due.
var benchNow = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)

// bigDB returns the path of a database built by scripts/bigdb.sql with p.
// Building one takes seconds, so it is cached under os.TempDir(), named
// after a hash of the migrations, the script and p: a schema change builds
// a new one. Callers must not write to it.
func bigDB(tb testing.TB, p bigParams) string {
	tb.Helper()
	script, err := os.ReadFile(filepath.Join("..", "scripts", "bigdb.sql"))
	if err != nil {
		tb.Fatal(err)
	}
	h := sha256.New()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := migrations.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		h.Write(body)
	}
	h.Write(script)
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
	if err := fillBig(tmp, string(script), p); err != nil {
		tb.Fatalf("build %s: %v", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("built %s in %s", path, time.Since(start).Round(time.Millisecond))
	return path
}

// fillBig creates the schema at path with Open, then runs script in one
// transaction and leaves a single file (no WAL) behind.
func fillBig(path, script string, p bigParams) error {
	ctx := context.Background()
	st, err := Open(ctx, path)
	if err != nil {
		return err
	}
	err = st.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE bench (subscribers, offers, follows, planned, days)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench VALUES (?, ?, ?, ?, ?)`,
			p.Subscribers, p.Offers, p.Follows, p.Planned, p.Days); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, script); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DROP TABLE temp.bench`)
		return err
	})
	if err == nil {
		_, err = st.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	return err
}

func openBig(b *testing.B, p bigParams) *Store {
	b.Helper()
	st, err := Open(context.Background(), bigDB(b, p))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkDueRemindersIdle is the question every run asks first, on the
// large database at a time when nothing is due: it must read the partial
// index reminders_pending_due and nothing else.
func BenchmarkDueRemindersIdle(b *testing.B) {
	ctx := context.Background()
	st := openBig(b, large)
	b.ResetTimer()
	for b.Loop() {
		due, err := st.DueReminders(ctx, benchNow)
		if err != nil {
			b.Fatal(err)
		}
		if len(due) != 0 {
			b.Fatalf("%d reminders due, want none", len(due))
		}
	}
}

// BenchmarkUnplannedIdle is the planning pass's first question on the large
// database when every follow is planned.
func BenchmarkUnplannedIdle(b *testing.B) {
	ctx := context.Background()
	st := openBig(b, large)
	for b.Loop() {
		f, err := st.Unplanned(ctx, 5000)
		if err != nil {
			b.Fatal(err)
		}
		if len(f) != 0 {
			b.Fatalf("%d follows unplanned, want none", len(f))
		}
	}
}

// BenchmarkUnmatchedOffersIdle is the saved-search pass's first question on
// the large database when every offer is matched.
func BenchmarkUnmatchedOffersIdle(b *testing.B) {
	ctx := context.Background()
	st := openBig(b, large)
	for b.Loop() {
		o, err := st.UnmatchedOffers(ctx, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(o) != 0 {
			b.Fatalf("%d offers unmatched, want none", len(o))
		}
	}
}
