package ingest

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkLoadFiles reads the files of the deadline corpora as extract
// does, one Load a file, and reports the time a file: the system calls
// and the copy from the page cache, not the parsing.
func BenchmarkLoadFiles(b *testing.B) {
	paths, err := filepath.Glob("../offer/testdata/deadlines*/*.txt")
	if err != nil || len(paths) == 0 {
		b.Fatalf("no corpus files: %v", err)
	}
	for b.Loop() {
		for _, p := range paths {
			if _, err := Load(context.Background(), p, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths))/1000, "µs/file")
}
