package dates

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

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
		"15h30", "10:00", "23:59:59", "Noël", "août", "févr.", "ET", "CET", "maison", "ans", "postes",
		"`", "’", "–", "«", "»", "\u00a0", "jANVIER", "eBay", "1erjanvier", "1ERjanvier", "1ere", "1re")
	// Each word before the beginnings of dates, so that every rule is
	// tried at every word with a date it could read after it.
	for _, w := range words {
		for _, tail := range []string{" 15 mars 2026", " 10h le 15 mars", " 15h30 samedi 21 septembre", " midi demain",
			"'debut mars", " - 13 au 15 juillet", " partir du 8 mars", " 2 au 5 mai", " quinzaine d'avril", " 1er/12",
			" mois de juin", " jour de l'an", " de la Toussaint", " du 3 mars", " et 7 septembre 2025",
			" day of October 2025", " jour d'octobre 2015"} {
			lines = append(lines, w+tail)
		}
	}
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
	return &parser{toks: toks, n: toks.Len(), t: tokensInto(nil, toks)}
}

// plainExpr is expr without the test of the token after the first nor
// the choice of rules by the first (ruleStarts): it tries every rule at a
// number or a starter word, whatever they are and whatever follows.
func (p *parser) plainExpr(i int) (expr, bool) {
	switch k := p.t[i].kind(); {
	case k == text.Punct, k == text.Word && p.t[i].flags&cStarter == 0, !p.canStart(i):
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

// plainClasses is how the classes of a line's tokens were read before
// tokensInto gathered them with the rest of what the rules read: each
// word looked up in the lexicon by its folded form.
func plainClasses(toks text.Tokens) []class {
	cls := make([]class, toks.Len())
	for i := range cls {
		switch toks.Kind(i) {
		case text.Word:
			cls[i] = lexicon[toks.S(i)]
		case text.Number:
			cls[i] = class{flags: cAnchor}
		}
	}
	return cls
}

// plainNum is num as it read the folded form of the token.
func plainNum(toks text.Tokens, i int) (v, digits int, ok bool) {
	if toks.Kind(i) != text.Number {
		return 0, 0, false
	}
	d := toks.S(i)
	if len(d) > 4 {
		return 0, 0, false
	}
	for k := 0; k < len(d); k++ {
		v = v*10 + int(d[k]-'0')
	}
	return v, len(d), true
}

// TestTokensIntoFaster checks that the parser reads every token of every
// line from tokensInto, reusing its buffer from line to line as Find does,
// as it read them from text.Tokens and plainClasses, and that the lines
// hold words of the lexicon, words that are not, numbers short and long,
// and signs plain and folded.
func TestTokensIntoFaster(t *testing.T) {
	var buf []tok
	var words, others, numbers, long, signs, folded int
	for _, line := range fasterLines(t) {
		toks := text.Tokenize(line)
		buf = tokensInto(buf, toks)
		p := &parser{toks: toks, n: toks.Len(), t: buf}
		cls := plainClasses(toks)
		if len(buf) != toks.Len() {
			t.Fatalf("%q: %d tokens, want %d", line, len(buf), toks.Len())
		}
		for i := -1; i <= toks.Len(); i++ {
			if i < 0 || i == toks.Len() {
				if p.s(i) != "" || p.kind(i) != 0 || p.c(i) != (class{}) || p.upper(i) || p.caps(i) || p.adj(i) {
					t.Fatalf("%q: token %d out of the line reads as one", line, i)
				}
				continue
			}
			tk := toks.At(i)
			v, d, ok := p.num(i)
			wv, wd, wok := plainNum(toks, i)
			switch {
			case p.s(i) != toks.S(i), p.w(i) != "" && p.w(i) != toks.S(i):
				t.Fatalf("%q, token %d: s = %q, w = %q, want %q", line, i, p.s(i), p.w(i), toks.S(i))
			case p.kind(i) != tk.Kind, p.c(i) != cls[i]:
				t.Fatalf("%q, token %d: kind %d, class %+v, want %d, %+v", line, i, p.kind(i), p.c(i), tk.Kind, cls[i])
			case p.space(i) != tk.Space(), p.upper(i) != tk.Upper(), p.caps(i) != tk.Caps():
				t.Fatalf("%q, token %d: space, upper, caps %v %v %v, want %v %v %v", line, i,
					p.space(i), p.upper(i), p.caps(i), tk.Space(), tk.Upper(), tk.Caps())
			case v != wv || d != wd || ok != wok:
				t.Fatalf("%q, token %d: num = %d, %d, %v, want %d, %d, %v", line, i, v, d, ok, wv, wd, wok)
			}
			for _, sign := range []string{"'", "-", "/", ".", ",", "€", "x"} {
				if want := tk.Kind == text.Punct && toks.S(i) == sign; p.punct(i, sign) != want {
					t.Fatalf("%q, token %d: punct(%q) = %v, want %v", line, i, sign, !want, want)
				}
			}
			switch {
			case tk.Kind == text.Word && cls[i].read:
				words++
			case tk.Kind == text.Word:
				others++
			case tk.Kind == text.Number && wok:
				numbers++
			case tk.Kind == text.Number:
				long++
			case toks.S(i) != line[tk.Pos:tk.End]:
				folded++
			default:
				signs++
			}
		}
	}
	if words < 1000 || others < 1000 || numbers < 1000 || long < 100 || signs < 1000 || folded < 100 {
		t.Errorf("%d words of the lexicon, %d others, %d numbers, %d long ones, %d plain signs and %d folded, too few to compare",
			words, others, numbers, long, signs, folded)
	}
}

// TestTokSize checks that a tok takes eight bytes: a text of one-byte
// tokens on one line takes as many toks as bytes, and offer's
// TestParseLinear bounds the memory a byte may cost.
func TestTokSize(t *testing.T) {
	if n := unsafe.Sizeof(tok{}); n != 8 {
		t.Errorf("a tok takes %d bytes, want 8", n)
	}
}

// plainLexKey is lexKey as a loop over the bytes it packs.
func plainLexKey(w string) uint64 {
	k := uint64(len(w)) << 56
	for i := 0; i < len(w) && i < lexPacked; i++ {
		k |= uint64(w[i]) << (8 * i)
	}
	return k
}

// TestLexKeyFaster checks that lexKey packs as plainLexKey every word of
// the lexicon and of the test corpora, and random strings of every length
// up to 20 bytes.
func TestLexKeyFaster(t *testing.T) {
	var ws []string
	for w := range lexicon {
		ws = append(ws, w)
	}
	for _, line := range fasterLines(t)[:20000] {
		toks := text.Tokenize(line)
		for i := range toks.Len() {
			ws = append(ws, toks.S(i))
		}
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 20000 {
		b := make([]byte, rng.IntN(21))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		ws = append(ws, string(b))
	}
	for _, w := range ws {
		if got, want := lexKey(w), plainLexKey(w); got != want {
			t.Fatalf("lexKey(%q) = %#x, want %#x", w, got, want)
		}
	}
}

// plainDaysIn is daysIn as time.Date counts it.
func plainDaysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// TestDaysInFaster checks that daysIn counts as plainDaysIn the months
// of every year from 1 BC (year 0) to 2500 and of many a year around, and
// months out of 1…12 as far as three years around.
func TestDaysInFaster(t *testing.T) {
	years := []int{-801, -400, -100, -4, -1}
	for y := 0; y <= 2500; y++ {
		years = append(years, y)
	}
	years = append(years, 9999, 10000, 32767, -32768)
	for _, y := range years {
		for m := -36; m <= 48; m++ {
			if got, want := daysIn(y, m), plainDaysIn(y, m); got != want {
				t.Fatalf("daysIn(%d, %d) = %d, want %d", y, m, got, want)
			}
		}
	}
}

// plainScan is scan as it tracked the last word no rule reads on its way
// to each anchor.
func (p *parser) plainScan(out []expr) []expr {
	start := len(out)
	next := -1
	unread := -1
	for i := 0; i < p.n && (p.limit <= 0 || len(out)-start < p.limit); {
		if next < i {
			next, unread = i, -1
			for next < p.n && !p.isAnchor(next) {
				if p.unread(next) {
					unread = next
				}
				next++
			}
		}
		if next == p.n {
			break
		}
		if next-i > anchorReach {
			i = next - anchorReach
			continue
		}
		if unread >= i {
			i = unread + 1
			continue
		}
		if e, ok := p.expr(i); ok {
			if !e.bad() {
				out = append(out, e)
			}
			i = e.j
			continue
		}
		i++
	}
	return out
}

// TestScanFaster checks that scan reads every line as plainScan, with and
// without a limit, and that the lines hold expressions.
func TestScanFaster(t *testing.T) {
	found := 0
	for k, line := range fasterLines(t) {
		p, q := lineParser(line), lineParser(line)
		p.limit, q.limit = k%3, k%3
		got, want := p.scan(nil), q.plainScan(nil)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: scan = %+v, want %+v", line, got, want)
		}
		found += len(got)
	}
	if found < 10000 {
		t.Errorf("%d expressions found, too few to compare", found)
	}
}

// plainResolve is point.resolve as it read the anchor's date with Year,
// Month and Day, always, and the days of a month from time.Date.
func (pt point) plainResolve(anchor, ref time.Time, back int) (t time.Time, inferred, ok bool) {
	loc := ref.Location()
	date := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc) }
	from := date(anchor.Year(), int(anchor.Month()), anchor.Day())
	switch {
	case pt.rel:
		t = date(ref.Year(), int(ref.Month()), ref.Day())
	case pt.yearOnly:
		t = date(int(pt.y), 1, 1)
	case pt.y != 0 && pt.monthOnly():
		t = date(pt.fullYear(), int(pt.m), 1)
	case pt.y != 0:
		y := pt.fullYear()
		d := pt.dayIn(y)
		if d == 0 {
			return t, false, false
		}
		t = date(y, int(pt.m), d)
	case pt.monthOnly():
		inferred = true
		y := anchor.Year()
		if time.Month(pt.m) < anchor.Month() {
			y++
		}
		t = date(y, int(pt.m), 1)
	case pt.m != 0:
		inferred = true
		found := false
		// A day at most back days before the anchor is this one, passed.
		since := from.AddDate(0, 0, -back)
		for y := anchor.Year() - 1; y < anchor.Year()+9 && !found; y++ {
			if d := pt.dayIn(y); d != 0 {
				if c := date(y, int(pt.m), d); !c.Before(since) {
					t, found = c, true
				}
			}
		}
		if !found {
			return t, false, false
		}
		// A written weekday that does not match may settle the year:
		// "lundi 3 mars" is in the next year that has a Monday 3 March.
		if wd := int(pt.wd); wd != 0 && weekdayNum(t) != wd {
			if c := date(t.Year()+1, int(pt.m), int(pt.d)); pt.dayIn(t.Year()+1) != 0 && weekdayNum(c) == wd {
				t = c
			}
		}
	case pt.d != 0:
		inferred = true
		found := false
		y, m := anchor.Year(), int(anchor.Month())
		for n := 0; n < 400 && !found; n++ {
			if int(pt.d) <= plainDaysIn(y, m) {
				c := date(y, m, int(pt.d))
				if !c.Before(from) && (pt.wd == 0 || weekdayNum(c) == int(pt.wd)) {
					t, found = c, true
				}
			}
			if m++; m > 12 {
				y, m = y+1, 1
			}
		}
		if !found {
			return t, false, false
		}
	default:
		return t, false, false
	}
	if pt.shift != 0 {
		t = date(t.Year(), int(t.Month()), t.Day()+int(pt.shift))
	}
	if pt.clock {
		zl := pt.zone.location()
		if zl == nil {
			zl = loc
		}
		t = time.Date(t.Year(), t.Month(), t.Day(), int(pt.hh), int(pt.mm), 0, 0, zl).In(loc)
	}
	return t, inferred, true
}

// TestResolveFaster checks that point.resolve answers as plainResolve for
// every point of the expressions found in the lines, from anchors and
// references around the year, with and without days back.
func TestResolveFaster(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	var pts []point
	for _, line := range fasterLines(t) {
		for _, e := range lineParser(line).scan(nil) {
			pts = append(pts, e.a)
			if e.rng {
				pts = append(pts, e.b, fillFrom(e.a, e.b))
			}
		}
	}
	if len(pts) < 10000 {
		t.Fatalf("%d points, too few to compare", len(pts))
	}
	refs := []time.Time{
		time.Date(2025, 10, 1, 12, 0, 0, 0, paris), time.Date(2026, 2, 28, 23, 30, 0, 0, paris),
		time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2016, 3, 27, 2, 30, 0, 0, paris),
	}
	resolved := 0
	for k, pt := range pts {
		ref := refs[k%len(refs)]
		anchor := refs[(k/len(refs))%len(refs)].AddDate(0, -k%7, 0)
		back := k % 40
		got, gi, gok := pt.resolve(anchor, ref, back)
		want, wi, wok := pt.plainResolve(anchor, ref, back)
		if !got.Equal(want) || got.Location() != want.Location() || gi != wi || gok != wok {
			t.Fatalf("%+v from %v, %v, %d: resolve = %v, %v, %v; want %v, %v, %v", pt, anchor, ref, back, got, gi, gok, want, wi, wok)
		}
		if gok {
			resolved++
		}
	}
	if resolved < len(pts)/2 {
		t.Errorf("%d of %d points resolved, too few to compare", resolved, len(pts))
	}
}
