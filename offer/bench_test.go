package offer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// BenchmarkParse measures Parse on the seed offers: one op parses all of
// them; offers/s and MB/s are reported.
func BenchmarkParse(b *testing.B) {
	files := seedtest.Files(b)
	names := make([]string, 0, len(files))
	size := 0
	for name, data := range files {
		names = append(names, name)
		size += len(data)
	}
	slices.Sort(names)
	opts := Options{Now: goldenNow(b)}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range names {
			if _, err := Parse(name, files[name], opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(names))/b.Elapsed().Seconds(), "offers/s")
}

// BenchmarkFindDates measures the date grammar alone on the seeds'
// normalised text, as bench/ compares it with go-dateparser.
func BenchmarkFindDates(b *testing.B) {
	files := seedtest.Files(b)
	var texts []string
	size := 0
	for _, data := range files {
		text, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		text = Normalize(text)
		texts = append(texts, text)
		size += len(text)
	}
	ref := goldenNow(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range texts {
			FindDates(text, ref)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "offers/s")
}

// BenchmarkParseLarge parses the pathological inputs of TestParseLinear,
// each of MaxSize bytes, and reports the bytes allocated per input byte.
func BenchmarkParseLarge(b *testing.B) {
	for _, unit := range largeUnits {
		b.Run(strings.TrimSpace(unit), func(b *testing.B) {
			name, data := largeInput(unit)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var total uint64
			for b.Loop() {
				total += allocated(func() {
					if _, err := Parse(name, data, Options{}); err != nil {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(float64(total)/float64(b.N)/float64(len(data)), "B/input-B")
		})
	}
}

// BenchmarkParseCorpora measures Parse on the 305 offers of the deadline
// corpora (testdata/deadlines*), shorter than the seeds: one op parses
// them all.
func BenchmarkParseCorpora(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join("testdata", "deadlines*", "*"))
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	var files [][]byte
	size := 0
	for _, p := range paths {
		if strings.HasSuffix(p, ".want") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		names, files = append(names, p), append(files, data)
		size += len(data)
	}
	opts := Options{Now: goldenNow(b)}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for i, data := range files {
			if _, err := Parse(names[i], data, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(files))/b.Elapsed().Seconds(), "offers/s")
}
