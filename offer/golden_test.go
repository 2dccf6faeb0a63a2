package offer

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenNow is the reference time the seed goldens were made with.
func goldenNow(t testing.TB) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2025, 10, 1, 12, 0, 0, 0, loc)
}

// TestGolden parses each seed offer and compares the result with
// testdata/<seed>.golden.json, which was reviewed by hand. Run
// go test ./offer -run Golden -update to rewrite them after a change,
// then review the diff.
func TestGolden(t *testing.T) {
	opts := Options{Now: goldenNow(t)}
	for name, data := range seedtest.Files(t) {
		t.Run(name, func(t *testing.T) {
			o, err := Parse(name, data, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(o, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", strings.TrimSuffix(name, ".txt")+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./offer -run Golden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file:\ngot:\n%s\nwant:\n%s", name, got, want)
			}
		})
	}
}
