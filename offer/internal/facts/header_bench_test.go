package facts

import "testing"

// BenchmarkHeaderCorpora reads the title and organisation of the deadline
// corpora's offers as Extract does, their lines read before: the header,
// then the body when the header names no organisation.
func BenchmarkHeaderCorpora(b *testing.B) {
	texts := corporaTexts(b)
	lines := make([][]factLine, len(texts))
	for i, s := range texts {
		lines[i] = factLines(s)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range texts {
			// The header's lines keep their folds from the run before;
			// each run folds them anew, as Extract does.
			ls := lines[i]
			for j := range ls[:min(len(ls), 16)] {
				ls[j].fold, ls[j].foldDone = "", false
			}
			if _, org := readHeader(ls); org == "" {
				bodyOrg(s, ls)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "offers/s")
}
