package deadline

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// The readers below were made faster; each test here keeps the plain
// version a reader replaced and checks that both give the same on the
// texts of the test corpora and on random texts made of the tables' words.

// plainAboutApplying is run.aboutApplying reading every token's words.
func plainAboutApplying(ts text.Tokens) bool {
	for i := range ts.Len() {
		if s := ts.S(i); applyingAt(ts, i, s) || applicationPhrases.at(ts, i, s) {
			return true
		}
	}
	return false
}

// plainHas is has reading every token's words.
func plainHas(ts text.Tokens, set *phraseSet, prefix, atStart bool) bool {
	switch {
	case prefix:
		for i := range ts.Len() {
			if ts.At(i).Kind != text.Word {
				continue
			}
			for _, ph := range set.list {
				if strings.HasPrefix(ts.S(i), ph[0]) {
					return true
				}
			}
		}
		return false
	case atStart:
		return ts.Len() > 0 && set.at(ts, 0, ts.S(0))
	}
	return set.in(ts)
}

// plainSoft is run.soft reading every token's words.
func plainSoft(ts text.Tokens) bool {
	for i := range ts.Len() {
		if softWords[ts.S(i)] {
			return true
		}
	}
	return false
}

// plainSpanIndex is doc.spanIndex reading every token.
func plainSpanIndex(ts text.Tokens, from, to int) (i, j int) {
	for i < ts.Len() && ts.Pos(i) < from {
		i++
	}
	j = i
	for j < ts.Len() && int(ts.At(j).End) <= to {
		j++
	}
	return i, j
}

// markedSets are the phrase sets read through the marks, with how the
// vetoes read them.
func markedSets() (sets []*phraseSet, prefix []bool) {
	sets = []*phraseSet{applicationPhrases, missionPhrases, otherObjectPhrases, correctionPhrases}
	prefix = make([]bool, len(sets))
	for i, v := range vetoes {
		sets = append(sets, vetoWords[i], vetoUnless[i])
		prefix = append(prefix, v.prefix, v.unlessPrefix)
	}
	return sets, prefix
}

// tableWords returns the words of every list of the tables, with a few
// of their variants: the words the marks are read for, and words that
// start as they do.
func tableWords() []string {
	var ws []string
	addAll := func(ss ...string) {
		for _, s := range ss {
			ws = append(ws, strings.Fields(s)...)
		}
	}
	for _, r := range cueRules {
		addAll(r.phrases...)
	}
	for _, r := range afterRules {
		addAll(r.phrases...)
	}
	for _, v := range vetoes {
		addAll(v.words...)
		addAll(v.unless...)
	}
	sets, _ := markedSets()
	sets = append(sets, rollingPhrases, noneSentences, noneWords, correctionNotices)
	for _, set := range sets {
		for _, ph := range set.list {
			addAll(ph...)
		}
	}
	for _, w := range applicationWords {
		ws = append(ws, w, w+"ez", w+"ures", strings.ToUpper(w))
	}
	for w := range applicationVerbs {
		ws = append(ws, w)
	}
	for w := range gapWords {
		ws = append(ws, w)
	}
	for w := range softWords {
		ws = append(ws, w)
	}
	return append(ws, "dès", "des", "Dès", "DES", "dossier", "dossiers", "presse", "candidature", "d'", "l'",
		"de", "12", "2025", "1er", "15/12/2025", "(", ")", ",", ".", ":", "–", "x", "é", "ſ", "İ", "ß")
}

// randomDocs returns docs made of words of the tables in random order.
func randomDocs(n int) []doc {
	vocab := tableWords()
	r := rand.New(rand.NewPCG(5, 6))
	seps := []string{" ", " ", " ", "", "\n", ", ", ". ", "'", "-"}
	var ds []doc
	for range n {
		var b strings.Builder
		for k := range 1 + r.IntN(40) {
			if k > 0 {
				b.WriteString(seps[r.IntN(len(seps))])
			}
			b.WriteString(vocab[r.IntN(len(vocab))])
		}
		s := text.Normalize(b.String())
		ds = append(ds, newDoc(s, text.Tokenize(s)))
	}
	return ds
}

// fasterDocs returns the docs of the seeds, the deadline corpora, the
// other corpus texts and random texts.
func fasterDocs(t *testing.T) []doc {
	t.Helper()
	var ds []doc
	for _, in := range assignInputs(t) {
		ds = append(ds, newDoc(in.txt, in.toks))
	}
	for _, s := range seedtest.CorpusTexts(t) {
		s = text.Normalize(s)
		ds = append(ds, newDoc(s, text.Tokenize(s)))
	}
	return append(ds, randomDocs(3000)...)
}

// cueHits returns the cues each finds, as pairs of their index and
// where.
func cueHits(each func(fn func(ci, at int))) []int {
	var hits []int
	each(func(ci, at int) { hits = append(hits, ci, at) })
	return hits
}

// TestMarks checks that a token's mark holds the bit of every list of
// which it starts a phrase, as its words say, and that the readers of
// marks agree with the plain readers on stretches of the texts: all of
// each text, random stretches and those of random lengths at each token.
func TestMarks(t *testing.T) {
	sets, prefix := markedSets()
	r := rand.New(rand.NewPCG(7, 8))
	for _, dc := range fasterDocs(t) {
		ts := dc.toks
		all := dc.window(0, ts.Len())
		for i := range ts.Len() {
			m, s := all.ms[i], ts.S(i)
			want := markRead
			if ts.Kind(i) != text.Number && (len(cueIndex[s]) > 0 || s == "des" && ts.At(i).Accent()) {
				want |= markCue
			}
			if applyingAt(ts, i, s) || ts.Kind(i) == text.Word && (s == "dossier" || s == "dossiers") {
				want |= markApplying
			}
			for k, set := range sets {
				if prefix[k] && plainHas(ts.Window(i, i+1), set, true, false) ||
					!prefix[k] && len(set.byFirst[s]) > 0 {
					want |= set.bit
				}
			}
			if softWords[s] {
				want |= markDoubt
			}
			if m&want != want {
				t.Fatalf("%q: token %d %q marked %08b, want %08b set", dc.txt, i, s, m, want)
			}
		}
		check := func(i, j int) {
			t.Helper()
			w, ts := dc.window(i, j), ts.Window(i, j)
			if got, want := w.aboutApplying(), plainAboutApplying(ts); got != want {
				t.Fatalf("%q [%d:%d]: aboutApplying %v, want %v", dc.txt, i, j, got, want)
			}
			if got, want := cueHits(w.eachCue), cueHits(func(fn func(ci, at int)) { eachCue(ts, fn) }); !slices.Equal(got, want) {
				t.Fatalf("%q [%d:%d]: cues %v, want %v", dc.txt, i, j, got, want)
			}
			if got, want := w.soft(), plainSoft(ts); got != want {
				t.Fatalf("%q [%d:%d]: soft %v, want %v", dc.txt, i, j, got, want)
			}
			for k, set := range sets {
				for _, atStart := range []bool{false, true} {
					if got, want := has(w, set, prefix[k], atStart), plainHas(ts, set, prefix[k], atStart); got != want {
						t.Fatalf("%q [%d:%d]: has(%q, %v) %v, want %v", dc.txt, i, j, set.list, atStart, got, want)
					}
				}
			}
		}
		n := ts.Len()
		check(0, n)
		for i := range n {
			check(i, min(n, i+1+r.IntN(12)))
		}
		for range 20 {
			i := r.IntN(n + 1)
			check(i, i+r.IntN(n-i+1))
		}
		// spanIndex from wherever the last call left its hint.
		for range 50 {
			from := r.IntN(len(dc.txt) + 1)
			to := from + r.IntN(len(dc.txt)-from+1)
			if r.IntN(4) == 0 {
				to = from - r.IntN(from+1)
			}
			gi, gj := dc.spanIndex(from, to)
			if wi, wj := plainSpanIndex(ts, from, to); gi != wi || gj != wj {
				t.Fatalf("%q: spanIndex(%d, %d) = %d, %d, want %d, %d", dc.txt, from, to, gi, gj, wi, wj)
			}
		}
	}
}

// plainOpensLine is opensLine trimming the line's start up to pos.
func plainOpensLine(txt string, pos int) bool {
	ls := strings.LastIndexByte(txt[:pos], '\n') + 1
	return strings.Trim(txt[ls:pos], lineMarks) == ""
}

// TestOpensLine compares opensLine with plainOpensLine at every byte of
// the texts and of random lines of line marks.
func TestOpensLine(t *testing.T) {
	var txts []string
	for _, dc := range fasterDocs(t) {
		txts = append(txts, dc.txt)
	}
	r := rand.New(rand.NewPCG(9, 10))
	parts := []string{" ", "\t", "-", "*", "•", "|", ">", "\n", "x", "é", "\xe2\x80", "\xa2", "–", "15/01/2026"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		txts = append(txts, b.String())
	}
	for _, txt := range txts {
		for pos := range len(txt) + 1 {
			if got, want := opensLine(txt, pos), plainOpensLine(txt, pos); got != want {
				t.Fatalf("%q at %d: opensLine %v, want %v", txt, pos, got, want)
			}
		}
	}
}

// TestAppendFormatRandom compares appendFormat with dates.Format on
// random instants, in years of any number of digits and in two zones.
func TestAppendFormatRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	zones := []*time.Location{time.UTC, paris(t)}
	for range 20000 {
		y := r.IntN(10200) - 100
		if r.IntN(10) == 0 {
			y = []int{-1, 0, 9999, 10000}[r.IntN(4)]
		}
		tm := time.Date(y, time.Month(1+r.IntN(12)), 1+r.IntN(31), r.IntN(24), r.IntN(60), 0, 0, zones[r.IntN(2)])
		for _, g := range []dates.Grain{dates.GrainMinute, dates.GrainHour, dates.GrainDay, dates.GrainMonth, dates.GrainYear} {
			if got, want := string(appendFormat(nil, tm, g)), dates.Format(tm, g); got != want {
				t.Fatalf("appendFormat(%v, %v) = %q, want %q", tm, g, got, want)
			}
		}
	}
}

// plainSentenceAround is sentenceAround testing every byte.
func plainSentenceAround(txt string, pos, end int) (from, to int) {
	from = max(0, pos-sentenceWindow)
	for i := pos - 1; i >= from; i-- {
		if txt[i] == '\n' && softWrap(txt, i) {
			continue
		}
		if txt[i] == '\n' || (i+1 < pos && isStop(txt[i]) && txt[i+1] == ' ' && !abbreviation(txt, i)) {
			from = i + 1
			break
		}
	}
	to = min(len(txt), end+sentenceWindow)
	for i := end; i < to; i++ {
		if txt[i] == '\n' && softWrap(txt, i) {
			continue
		}
		if txt[i] == '\n' || (isStop(txt[i]) && (i+1 == len(txt) || txt[i+1] == ' ' || txt[i+1] == '\n') && !abbreviation(txt, i)) {
			to = i
			break
		}
	}
	// Stay on rune boundaries when the window cut a character.
	for from < pos && from > 0 && !startsRune(txt[from]) {
		from++
	}
	for to > end && to < len(txt) && !startsRune(txt[to]) {
		to--
	}
	return from, to
}

// TestSentenceAround compares sentenceAround with plainSentenceAround
// around every token of the texts.
func TestSentenceAround(t *testing.T) {
	for _, dc := range fasterDocs(t) {
		for i := range dc.toks.Len() {
			pos, end := dc.toks.Pos(i), int(dc.toks.At(i).End)
			for _, e := range []int{end, min(len(dc.txt), end+7)} {
				gf, gt := sentenceAround(dc.txt, pos, e)
				if wf, wt := plainSentenceAround(dc.txt, pos, e); gf != wf || gt != wt {
					t.Fatalf("%q [%d:%d]: sentence [%d:%d], want [%d:%d]", dc.txt, pos, e, gf, gt, wf, wt)
				}
			}
		}
	}
}

// plainUnstated is doc.unstated in one loop.
func plainUnstated(dc *doc) string {
	ts := dc.toks
	none := false
	for k := range ts.Len() {
		w := ts.S(k)
		if !unstatedFirst.may(w) {
			continue
		}
		if rollingPhrases.at(ts, k, w) {
			return "rolling"
		}
		if !none && (noneSentences.at(ts, k, w) || noneWords.at(ts, k, w) && dc.labelBefore(k)) {
			none = true
		}
	}
	if none {
		return "none-stated"
	}
	return ""
}

// TestUnstated compares unstated with plainUnstated on the texts and on
// random texts of the phrases it looks for, which must give every answer.
func TestUnstated(t *testing.T) {
	docs := fasterDocs(t)
	var phrases []string
	for _, set := range []*phraseSet{rollingPhrases, noneSentences, noneWords} {
		for _, ph := range set.list {
			phrases = append(phrases, strings.Join(ph, " "))
		}
	}
	phrases = append(phrases, "Date limite :", "candidatures", "le 5 mars", "\n", "non", "jusqu'au", "rolling")
	r := rand.New(rand.NewPCG(13, 14))
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteString(phrases[r.IntN(len(phrases))])
			b.WriteString(" ")
		}
		s := text.Normalize(b.String())
		docs = append(docs, newDoc(s, text.Tokenize(s)))
	}
	seen := map[string]bool{}
	for i := range docs {
		dc := &docs[i]
		got, want := dc.unstated(), plainUnstated(dc)
		if got != want {
			t.Fatalf("%q: unstated %q, want %q", dc.txt, got, want)
		}
		seen[got] = true
	}
	if len(seen) != 3 {
		t.Errorf("the texts gave only %v", seen)
	}
}
