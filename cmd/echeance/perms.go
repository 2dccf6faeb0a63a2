package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/echeance/echeance/config"
)

// exposure is a file that should be private and is not.
type exposure struct {
	key  string // the config key naming it
	path string
	mode fs.FileMode
}

func (x exposure) String() string {
	return fmt.Sprintf("%s (%s) is readable or writable by group or others (mode %04o): chmod 600 %s",
		x.path, x.key, x.mode.Perm(), x.path)
}

// privateFiles lists the files that only echeance should read: the secret
// files and the database with its WAL and shared-memory files.
func privateFiles(cfg config.Config) [][2]string {
	var out [][2]string
	for _, f := range [][2]string{
		{"smtp.password_file", cfg.SMTP.PasswordFile},
		{"web.secret_file", cfg.Web.SecretFile},
		{"dkim.key_file", cfg.DKIM.KeyFile},
	} {
		if f[1] != "" {
			out = append(out, f)
		}
	}
	if cfg.Web.SecretFile == "" {
		// The link key generated beside the database.
		out = append(out, [2]string{"database.path", linkKeyPath(cfg)})
	}
	db := cfg.Database.Path
	return append(out, [2]string{"database.path", db}, [2]string{"database.path", db + "-wal"},
		[2]string{"database.path", db + "-shm"})
}

// exposedFiles returns the private files that group or others may read or
// write. Files that do not exist are not exposed.
func exposedFiles(cfg config.Config) []exposure {
	var out []exposure
	for _, f := range privateFiles(cfg) {
		fi, err := os.Stat(f[1])
		if errors.Is(err, fs.ErrNotExist) || err != nil {
			continue
		}
		if fi.Mode().Perm()&0o077 != 0 {
			out = append(out, exposure{key: f[0], path: f[1], mode: fi.Mode()})
		}
	}
	return out
}

// warnExposed logs a warning per exposed file.
func warnExposed(cfg config.Config, log *slog.Logger) {
	for _, x := range exposedFiles(cfg) {
		log.Warn("file readable or writable by others: chmod 600 it", "file", x.path, "key", x.key,
			"mode", fmt.Sprintf("%04o", x.mode.Perm()))
	}
}
