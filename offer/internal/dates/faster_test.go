package dates

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// The grammar was made faster; the tests here keep the plain version of
// what was replaced and check that both give the same on the lines of the
// test corpora and on random lines of the grammar's words.

// fasterLines returns the lines of the test corpora and random lines made
// of the lexicon's words, numbers and punctuation.
func fasterLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	for _, s := range seedtest.CorpusTexts(t) {
		lines = append(lines, strings.Split(text.Normalize(s), "\n")...)
	}
	if len(lines) < 1000 {
		t.Fatalf("%d lines in the corpora, too few", len(lines))
	}
	words := slices.Sorted(func(yield func(string) bool) {
		for w := range lexicon {
			if !yield(w) || !yield(strings.ToUpper(w[:1])+w[1:]) {
				return
			}
		}
	})
	words = append(words, "1", "2", "7", "12", "13", "15", "24", "29", "30", "31", "59", "60", "99", "00", "0000",
		"1999", "2025", "2026", "123456", "/", "-", ".", ":", ",", "'", "(", ")", "€", "$", "%", "+", "1er", "2e",
		"15h30", "10:00", "23:59:59", "Noël", "août", "févr.", "ET", "CET", "maison", "ans", "postes")
	rng := rand.New(rand.NewPCG(7, 9))
	seps := []string{" ", " ", " ", "", "", ", ", "  ", "-", "/", "'"}
	for range 40000 {
		var b strings.Builder
		for k := range 1 + rng.IntN(14) {
			if k > 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		lines = append(lines, b.String())
	}
	return lines
}

// lineParser returns a parser of the tokens of line, as Find sets it.
func lineParser(line string) *parser {
	toks := text.Tokenize(line)
	return &parser{toks: toks, n: toks.Len(), cls: classesInto(nil, toks)}
}

// plainExpr is expr without the test of the token after the first, which
// tries every rule at a number or a starter word whatever follows.
func (p *parser) plainExpr(i int) (expr, bool) {
	switch k := p.toks.Kind(i); {
	case k == text.Punct, k == text.Word && p.cls[i].flags&cStarter == 0, !p.canStart(i):
		return expr{}, false
	}
	var best expr
	found := false
	try := func(e expr, ok bool) {
		if ok && e.j > e.i && p.endOK(e.j) && (!found || e.j > best.j) {
			best, found = e, true
		}
	}
	try(p.single(i))
	try(p.vague(i))
	try(p.ranged(i))
	try(p.opened(i))
	try(p.timeFirst(i))
	return best, found
}

// TestExprFaster checks that expr answers as plainExpr at every token of
// every line, and that some of the answers are expressions.
func TestExprFaster(t *testing.T) {
	found := 0
	for _, line := range fasterLines(t) {
		p, q := lineParser(line), lineParser(line)
		for i := range p.n {
			e, ok := p.expr(i)
			want, wok := q.plainExpr(i)
			if ok != wok || e != want {
				t.Fatalf("%q at token %d: expr = %+v, %v; plainExpr = %+v, %v", line, i, e, ok, want, wok)
			}
			if ok {
				found++
			}
		}
	}
	if found < 1000 {
		t.Errorf("%d expressions found, too few to compare", found)
	}
}

// plainLineStop is lineStop as a walk over the tokens.
func plainLineStop(toks text.Tokens, k, end int) int {
	for k < toks.Len() && toks.Pos(k) < end {
		k++
	}
	return k
}

// TestLineStopFaster checks that lineStop answers as plainLineStop from
// every token of texts of many lines, for every byte offset of the line
// that token starts and of the next.
func TestLineStopFaster(t *testing.T) {
	lines := fasterLines(t)
	checked := 0
	for at := 0; at < len(lines); at += 97 {
		s := strings.Join(lines[at:min(at+5, len(lines))], "\n")
		toks := text.Tokenize(s)
		for k := 0; k <= toks.Len(); k++ {
			from := len(s)
			if k < toks.Len() {
				from = toks.Pos(k)
			}
			for end := from; end <= min(len(s)+1, from+300); end++ {
				if got, want := lineStop(toks, k, end), plainLineStop(toks, k, end); got != want {
					t.Fatalf("%q: lineStop(%d, %d) = %d, want %d", s, k, end, got, want)
				}
				checked++
			}
		}
	}
	if checked < 100000 {
		t.Errorf("%d cases checked, too few", checked)
	}
}
