package deadline

import (
	"maps"
	"slices"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

// This file reads the tokens of the dates' sentences once for all the
// word lists of the tables. Each token gets a mark, one byte: a bit for
// each group of lists of which it may start a phrase, read the first time
// a rule reads the token. A date's sentence is read by a dozen
// rules (the cues, the vetoes, the words about applying or about the
// work), each of which used to read every word of its stretch; each now
// reads the marks, and reads the words of a token only where its bit says
// a phrase of its lists may start there, as it read them before.
//
// A bit is set on every token at which a phrase of its lists starts, and
// on a few more: the marks are read from a hash of the word, without
// comparing it with the lists' words, so that a token costs a few
// instructions; the rules compare the words, so that the marks decide
// nothing by themselves (TestMarks checks both).

// mark holds the groups of word lists of which a token may start a phrase.
type mark uint8

const (
	// markCue: the cues (cues, by their first words), and "dès".
	markCue mark = 1 << iota
	// markApplying: applicationWords, applicationVerbs, "dossier" and
	// applicationPhrases.
	markApplying
	// markMission: missionPhrases.
	markMission
	// markVeto: the words of the vetoes, and those that lift them.
	markVeto
	// markDoubt: otherObjectPhrases, correctionPhrases and softWords.
	markDoubt
	// markRead is set on every mark read, so that a token whose mark is
	// 0 is one not read yet.
	markRead mark = 1 << 7
)

// lexicon holds the marks of the words of the tables' lists, by the hash
// of the word, and those of the starts of words of the lists read by
// prefix, by the hash of their first three bytes. Two words of one hash
// share their marks, and a word of no list that hashes as one of them
// takes theirs: the rules compare the words anyway.
type lexicon struct {
	words, prefixes [lexSlots]mark
	// cues holds, by the hash of a cue's first word, 1 + the index in
	// cueGroups of the cues that start with it; manyCues where two first
	// words share a hash.
	cues [lexSlots]uint16
}

// manyCues marks a hash shared by the first words of several groups of
// cues, read from cueIndex.
const manyCues = 1<<16 - 1

// cueGroups are the runs of cueIndex, by first word in order.
var cueGroups = func() [][]int {
	words := slices.Sorted(maps.Keys(cueIndex))
	gs := make([][]int, len(words))
	for i, w := range words {
		gs[i] = cueIndex[w]
	}
	return gs
}()

// lexSlots is the size of the lexicon's tables, a power of two more than
// ten times the number of words, so that few words of a text take marks
// not theirs.
const lexSlots = 1 << 12

// lexHash mixes the length of w and three of its bytes; w is not empty.
func lexHash(w string) uint32 {
	n := len(w)
	x := uint32(n)<<24 | uint32(w[0])<<16 | uint32(w[n>>1])<<8 | uint32(w[n-1])
	return (x * 0x9E3779B1) >> (32 - 12)
}

// prefixHash mixes the first three bytes of w, the third 0 when w has
// two; w has two bytes at least.
func prefixHash(w string) uint32 {
	x := uint32(w[0])<<16 | uint32(w[1])<<8
	if len(w) > 2 {
		x |= uint32(w[2])
	}
	return (x * 0x9E3779B1) >> (32 - 12)
}

// lex is the lexicon of the tables: each list's words with its group's
// mark. A phrase set names its own (phraseSet.bit).
var lex = func() *lexicon {
	lx := &lexicon{}
	add := func(w string, m mark) { lx.words[lexHash(w)] |= m }
	// A start of two bytes marks the words of any third byte, and those
	// of two bytes.
	addPrefix := func(p string, m mark) {
		if len(p) > 2 {
			lx.prefixes[prefixHash(p)] |= m
			return
		}
		lx.prefixes[prefixHash(p[:2])] |= m
		for c := range 256 {
			lx.prefixes[prefixHash(p+string(byte(c)))] |= m
		}
	}
	for _, cu := range cues {
		add(cu.words[0], markCue)
	}
	for g, ci := range cueGroups {
		h := lexHash(cues[ci[0]].words[0])
		if lx.cues[h] == 0 {
			lx.cues[h] = uint16(g + 1)
		} else {
			lx.cues[h] = manyCues
		}
	}
	for w := range applicationVerbs {
		add(w, markApplying)
	}
	add("dossier", markApplying)
	add("dossiers", markApplying)
	for _, p := range applicationWords {
		addPrefix(p, markApplying)
	}
	sets := []*phraseSet{applicationPhrases, missionPhrases, otherObjectPhrases, correctionPhrases}
	for i, v := range vetoes {
		if v.prefix {
			for _, ph := range vetoWords[i].list {
				addPrefix(ph[0], vetoWords[i].bit)
			}
		} else {
			sets = append(sets, vetoWords[i])
		}
		if v.unlessPrefix {
			for _, ph := range vetoUnless[i].list {
				addPrefix(ph[0], vetoUnless[i].bit)
			}
		} else {
			sets = append(sets, vetoUnless[i])
		}
	}
	for _, set := range sets {
		for w := range set.byFirst {
			add(w, set.bit)
		}
	}
	for w, ok := range softWords {
		if ok {
			add(w, markDoubt)
		}
	}
	return lx
}()

// markOf returns the mark of token i of r.
func (r *run) markOf(i int) mark {
	ts := &r.ts
	s := ts.S(i)
	if s == "" {
		return markRead
	}
	m := markRead | lex.words[lexHash(s)]
	if len(s) >= 2 && ts.Kind(i) == text.Word {
		m |= lex.prefixes[prefixHash(s)]
		// "dès" is written with its accent, so the token is "des".
		if s == "des" && ts.At(i).Accent() {
			m |= markCue
		}
	}
	return m
}

// run is a stretch of the text's tokens with their marks.
type run struct {
	ts text.Tokens
	ms []mark
}

// Len returns the number of tokens.
func (r run) Len() int { return len(r.ms) }

// Window returns tokens i to j-1.
func (r run) Window(i, j int) run { return run{r.ts.Window(i, j), r.ms[i:j:j]} }

// eachCue calls fn with the index of every cue that matches r and where,
// in the order of r, as eachCue does on r's tokens.
func (r run) eachCue(fn func(ci, at int)) {
	ts := r.ts
	for i, m := range r.ms {
		if m&markCue == 0 || ts.Kind(i) == text.Number {
			continue
		}
		s := ts.S(i)
		var group []int
		switch g := lex.cues[lexHash(s)]; g {
		case 0:
		case manyCues:
			group = cueIndex[s]
		default:
			if group = cueGroups[g-1]; cues[group[0]].words[0] != s {
				group = nil
			}
		}
		for _, ci := range group {
			if matchRest(ts, i, cues[ci].words) {
				fn(ci, i)
			}
		}
		if s == "des" && ts.At(i).Accent() {
			for _, ci := range cueIndex["dès"] {
				if matchRest(ts, i, cues[ci].words) {
					fn(ci, i)
				}
			}
		}
	}
}

// holds reports whether one of the phrases of set is in r.
func (r run) holds(set *phraseSet) bool {
	if set.bit == 0 {
		return set.in(r.ts)
	}
	for i, m := range r.ms {
		if m&set.bit != 0 && set.at(r.ts, i, r.ts.S(i)) {
			return true
		}
	}
	return false
}

// startsWith reports whether one of the phrases of set starts r.
func (r run) startsWith(set *phraseSet) bool {
	return r.Len() > 0 && r.ms[0]&set.bit != 0 && set.at(r.ts, 0, r.ts.S(0))
}

// holdsPrefix reports whether a word of r starts with one of the single
// words of set.
func (r run) holdsPrefix(set *phraseSet) bool {
	for i, m := range r.ms {
		if m&set.bit == 0 || r.ts.Kind(i) != text.Word {
			continue
		}
		for _, ph := range set.list {
			if strings.HasPrefix(r.ts.S(i), ph[0]) {
				return true
			}
		}
	}
	return false
}

// soft reports whether r holds one of softWords.
func (r run) soft() bool {
	for i, m := range r.ms {
		if m&markDoubt != 0 && softWords[r.ts.S(i)] {
			return true
		}
	}
	return false
}

// aboutApplying reports whether r holds an application word, verb or
// phrase: "candidature", "postulez", "CV", "envoyez", "dossiers complets",
// "réponse souhaitée".
func (r run) aboutApplying() bool {
	for i, m := range r.ms {
		if m&markApplying == 0 {
			continue
		}
		if s := r.ts.S(i); applyingAt(r.ts, i, s) || applicationPhrases.at(r.ts, i, s) {
			return true
		}
	}
	return false
}
