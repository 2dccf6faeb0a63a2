package text

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadHTML reads the HTML offers of the deadline corpora.
func BenchmarkReadHTML(b *testing.B) {
	texts := htmlCorpus(b)
	size := 0
	for _, s := range texts {
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			ReadHTML(s)
		}
	}
}

// htmlCorpus returns the HTML offers of the deadline corpora, decoded.
func htmlCorpus(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/deadlines*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no HTML offers in the deadline corpora")
	}
	var texts []string
	for _, p := range paths {
		d, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Decode(d)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, s)
	}
	return texts
}
