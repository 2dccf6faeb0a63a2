package deadline

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/text"
)

// TestTokens checks that doc.tokens reads any stretch of the texts of the
// seeds and the corpora as text.Tokenize reads it alone, and spanIndex
// against a reading of every token: the stretches before each date, and
// random ones.
func TestTokens(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, in := range assignInputs(t) {
		dc := &doc{txt: in.txt, toks: in.toks}
		check := func(from, to int) {
			t.Helper()
			// spanIndex, from wherever the last call left its hint,
			// against a reading of every token.
			i, j := dc.spanIndex(from, to)
			wi := 0
			for wi < in.toks.Len() && int(in.toks.At(wi).Pos) < from {
				wi++
			}
			wj := wi
			for wj < in.toks.Len() && int(in.toks.At(wj).End) <= to {
				wj++
			}
			if i != wi || j != wj {
				t.Fatalf("%s: spanIndex(%d, %d) = %d, %d, want %d, %d", in.name, from, to, i, j, wi, wj)
			}
			got, base := dc.tokens(from, to)
			want := text.Tokenize(in.txt[from:to])
			if got.Len() != want.Len() {
				t.Fatalf("%s [%d:%d]: %d tokens, want %d", in.name, from, to, got.Len(), want.Len())
			}
			for k := range want.Len() {
				g, w := got.At(k), want.At(k)
				if got.S(k) != want.S(k) || g.Kind != w.Kind || g.Accent() != w.Accent() ||
					int(g.Pos)+base-from != int(w.Pos) || int(g.End)+base-from != int(w.End) {
					t.Fatalf("%s [%d:%d]: token %d is %q, want %q", in.name, from, to, k, got.S(k), want.S(k))
				}
			}
		}
		for _, d := range in.ds {
			for _, from := range []int{max(0, d.Pos-40), max(0, d.Pos-200), sentenceStart(in.txt, d)} {
				check(from, d.Pos)
			}
		}
		for range 200 {
			from := r.IntN(len(in.txt) + 1)
			to := from + r.IntN(min(300, len(in.txt)-from)+1)
			check(from, to)
		}
	}
}

// sentenceStart returns where the sentence of d starts, as read.
func sentenceStart(txt string, d dates.Date) int {
	from, _ := sentenceAround(txt, d.Pos, d.EndPos)
	return labelAbove(txt, from, d.Pos)
}

// TestAppendFormat checks appendFormat against dates.Format, whose text
// it writes in a buffer.
func TestAppendFormat(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range []time.Time{
		time.Date(2025, 12, 5, 17, 30, 0, 0, paris), time.Date(2026, 7, 1, 0, 0, 0, 0, paris),
		time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(12025, 1, 2, 0, 0, 0, 0, time.UTC), {},
	} {
		for _, g := range []dates.Grain{dates.GrainMinute, dates.GrainHour, dates.GrainDay, dates.GrainMonth, dates.GrainYear} {
			if got, want := string(appendFormat([]byte("x"), tm, g)), "x"+dates.Format(tm, g); got != want {
				t.Errorf("appendFormat(%v, %v) = %q, want %q", tm, g, got, want)
			}
		}
	}
}
