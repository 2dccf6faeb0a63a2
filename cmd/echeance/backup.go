package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/echeance/echeance/store"
)

// cmdBackup writes a consistent, checked copy of the database, while the
// daemon runs. PATH is a new file, or a folder that then receives
// echeance-YYYYMMDD-HHMMSS.db, keeping the newest --keep copies.
func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("backup", e)
	keep := fs.Int("keep", 0, "with a folder: keep only the newest N backups there (0 keeps all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	dest, err := oneArg(fs, pos, "PATH (a new file, or a folder)")
	if err != nil {
		return err
	}
	if *keep < 0 {
		return usagef("backup: --keep: want 0 or more, not %d", *keep)
	}
	folder := false
	if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		folder = true
		dest = filepath.Join(dest, store.BackupName(e.now()))
	} else if *keep > 0 {
		return usagef("backup: --keep needs a folder, and %s is not one", dest)
	}
	if _, err := os.Stat(e.cfg.Database.Path); err != nil {
		return fmt.Errorf("backup: database.path %s: %w", e.cfg.Database.Path, err)
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	info, err := st.Backup(ctx, dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: integrity ok, schema %d, %d offer(s), %d subscriber(s), %d reminder(s)\n",
		dest, info.Version, info.Offers, info.Subscribers, info.Reminders)
	if !folder || *keep == 0 {
		return nil
	}
	removed, err := pruneBackups(filepath.Dir(dest), *keep)
	for _, name := range removed {
		fmt.Fprintf(e.stdout, "removed %s\n", name)
	}
	return err
}

// pruneBackups removes the oldest echeance-*.db files of dir beyond keep.
// Their names sort by time.
func pruneBackups(dir string, keep int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var names []string
	for _, en := range entries {
		n := en.Name()
		if en.Type().IsRegular() && strings.HasPrefix(n, "echeance-") && strings.HasSuffix(n, ".db") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var removed []string
	var errs []error
	for len(names) > keep {
		p := filepath.Join(dir, names[0])
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("backup: %w", err))
		} else {
			removed = append(removed, p)
		}
		names = names[1:]
	}
	return removed, errors.Join(errs...)
}
