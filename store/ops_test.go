package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
)

func TestPingNoticesAReplacedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("ping with the file moved away: %v, want an error naming it", err)
	}
	// Another file at the same path is not the database either.
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err == nil || !strings.Contains(err.Error(), "replaced") {
		t.Errorf("ping with another file in its place: %v", err)
	}
	os.Remove(path)
	if err := os.Rename(path+".moved", path); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err != nil {
		t.Errorf("ping with the file back: %v", err)
	}
}

func TestBackupAndInspect(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := newTestStore(t)
	now := t0
	due := t0.Add(30 * 24 * time.Hour)
	for i, o := range []offer.Offer{testOffer("une", nil), testOffer("deux", nil), testOffer("trois", &due)} {
		o.File = string(rune('a'+i)) + ".txt"
		if _, err := st.AddOffer(ctx, o, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddSubscriber(ctx, Subscriber{Email: "a@example.org", Lang: "fr", FollowAll: true}, now); err != nil {
		t.Fatal(err)
	}
	counts, err := st.OfferCounts(ctx)
	if err != nil || counts["none"] != 2 || counts["explicit"] != 1 || counts["estimated"] != 0 {
		t.Errorf("offer counts = %v, %v", counts, err)
	}

	path := filepath.Join(dir, "copy.db")
	backed, err := st.Backup(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	info, err := Inspect(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if info != backed {
		t.Errorf("Backup says %+v, Inspect %+v", backed, info)
	}
	if info.Version != info.Latest || info.Latest < 1 || info.Offers != 3 || info.Subscribers != 1 {
		t.Errorf("inspect backup = %+v", info)
	}
	if _, err := st.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	if _, err := Inspect(ctx, filepath.Join(dir, "missing.db")); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("inspect a missing file: %v", err)
	}
	// A damaged copy fails the integrity check: overwrite the header of
	// every page after the first.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for page := 4096; page+8 < len(raw); page += 4096 {
		copy(raw[page:], []byte{0x0d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	}
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(ctx, bad); err == nil {
		t.Errorf("inspect a damaged file: no error")
	}
	// A schema newer than this echeance is refused.
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Inspect(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("inspect a newer schema: %v", err)
	}
}
