// Package seedtest gives the reader's tests the five seed offers of the
// repository's seeds/ folder and the texts of its test corpora. Only tests
// import it.
package seedtest

import (
	"os"
	"path/filepath"
	"strings"
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

// CorpusTexts returns the texts of offer/testdata and seeds/, whole, but
// the goldens (.json): the offers, the expected values and the tables the
// readers' faster scans are compared on. It fails the test when there are
// none.
func CorpusTexts(t testing.TB) []string {
	t.Helper()
	var in []string
	for _, dir := range []string{filepath.Join("offer", "testdata"), "seeds"} {
		err := filepath.WalkDir(filepath.Join(repotest.Root(t), dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			in = append(in, string(data))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(in) == 0 {
		t.Fatal("seedtest: no corpus texts in offer/testdata and seeds/")
	}
	return in
}
