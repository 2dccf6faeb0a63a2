// Package seedtest gives the reader's tests the five seed offers of the
// repository's seeds/ folder. Only tests import it.
package seedtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/echeance/echeance/internal/repotest"
)

// Files returns the seed offers (seeds/*.txt) by base name; it fails the
// test when there are none.
func Files(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(repotest.Root(t), "seeds", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("seedtest: no seed offers in seeds/")
	}
	files := make(map[string][]byte, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}
