// Package repotest finds the repository's own files for tests, wherever
// in the tree the test runs. Only tests import it.
package repotest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository's root: the nearest parent of the working
// directory that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("repotest: no go.mod above the working directory")
		}
		dir = parent
	}
}
