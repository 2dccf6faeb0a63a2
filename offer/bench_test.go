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

// corporaFiles returns the names and bytes of the offers of the deadline
// corpora (testdata/deadlines*), and their total size.
func corporaFiles(b *testing.B) (names []string, files [][]byte, size int) {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "deadlines*", "*"))
	if err != nil {
		b.Fatal(err)
	}
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
	return names, files, size
}

// BenchmarkParseCorpora measures Parse on the 305 offers of the deadline
// corpora (testdata/deadlines*), shorter than the seeds: one op parses
// them all.
func BenchmarkParseCorpora(b *testing.B) {
	names, files, size := corporaFiles(b)
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

// BenchmarkParseRepeated reads the offers of BenchmarkParseCorpora each
// ten times in a row, and reports the time of one round over them all, to
// set beside BenchmarkParseCorpora's ns/op: a text read again and again
// has its branches learnt, which one read after others does not.
func BenchmarkParseRepeated(b *testing.B) {
	names, files, _ := corporaFiles(b)
	opts := Options{Now: goldenNow(b)}
	const repeats = 10
	for b.Loop() {
		for i, data := range files {
			for range repeats {
				if _, err := Parse(names[i], data, opts); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*repeats), "ns/round")
}

// BenchmarkParseOffers reads, each on its own, the corpus offers that
// cost the most for their size before their expressions were tried only
// where a match can start.
func BenchmarkParseOffers(b *testing.B) {
	for _, p := range []string{"deadlines7/contrat_doctoral.txt", "deadlines5/e06_us_full_consideration.txt",
		"deadlines2/eu_bluebook.txt", "deadlines/gallery_midnight.md", "deadlines3/en_us_before.txt"} {
		b.Run(filepath.Base(p), func(b *testing.B) {
			path := filepath.Join("testdata", p)
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			opts := Options{Now: goldenNow(b)}
			for b.Loop() {
				if _, err := Parse(path, data, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
