package facts

import (
	"math/bits"
	"strings"
)

// degreeSrc matches the degree asked for, as written. Every match starts
// with one of degreeStarts and is shorter than 40 bytes: the longest,
// "master's degree II – master II", takes 32.
const degreeSrc = `(?i)\bbac ?\+ ?\d(?: ?(?:à|a|ou|/|-|–|to|or) ?(?:bac ?)?\+? ?\d\b)?|\bmaster'?s?(?: degree)?(?: ?(?:1|2|I{1,2})\b(?: ?(?:ou|/|et|or|-|–) ?(?:master ?)?(?:1|2|I{1,2})\b)?)?|\b(?:licence|bachelor)(?:'s)?(?: degree| pro(?:fessionnelle)?)?(?: ?[123]\b)?|\bdoctorat|(?:\be|é)cole d'ing[ée]nieurs?|(?:\be|é)cole de commerce|\bengineering school|\bbusiness school`

// degreeRe is degreeSrc; degreeAt is it anchored at the start of the text,
// as findStarting tries it at each of degreeStarts in turn.
var (
	degreeRe = lazyRegexp{src: degreeSrc}
	degreeAt = lazyRegexp{src: `^(?:` + degreeSrc + `)`}
)

// degreeM matches M1, M2, "M1/M2" and acronyms in capitals only: "20 m2"
// is a surface and "but" a conjunction.
var degreeM = lazyRegexp{src: `\bM[12](?: ?(?:/|ou|or|-|–|et) ?M?[12])?\b|\b(?:L3|BTS|DUT|BUT|DEUST|MBA|PhD|Ph\.D\.?)\b`}

// degreeContext are the words of a line about studies.
var degreeContext = []string{"formation", "diplôm", "diplom", "niveau", "étudiant", "etudiant", "profil", "education",
	"degree", "student", "enrolled", "cursus", "études", "etudes", "level", "qualification"}

// degreeStarts are what every match of degreeRe starts with, in any case.
var degreeStarts = []string{"bac", "master", "licence", "bachelor", "doctorat", "ecole", "école", "engineering",
	"business"}

// degreeMatches are where the matches of degreeRe start: at one of
// degreeStarts, each match shorter than half of the window.
var degreeMatches = matchStarts{words: degreeStarts, window: 80}

// degreeWords are what every match of degreeRe holds, in lower case, and
// degreeAcronyms what every match of degreeM holds, as written.
var (
	degreeWords    = []string{"bac", "master", "licence", "bachelor", "doctorat", "cole d", "engineering school", "business school"}
	degreeAcronyms = []string{"M1", "M2", "L3", "BTS", "DUT", "BUT", "DEUST", "MBA", "PhD", "Ph.D"}
)

// degreeAcronymsLow are degreeAcronyms in lower case, in the same order,
// as a line's grams hold them.
var degreeAcronymsLow = []string{"m1", "m2", "l3", "bts", "dut", "but", "deust", "mba", "phd", "ph.d"}

// mayHold reports whether s, a part of the line l or of its lower case,
// holds one of words, as containsAny(s, words) does; lowWords are words
// in lower case. The line's grams rule out most words without a search,
// and words with a digit need a line with one.
func mayHold(l *factLine, s string, words, lowWords []string) bool {
	for k, w := range words {
		if !l.grams.may(lowWords[k]) || !l.digits && hasDigit(w) {
			continue
		}
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func readDegree(lines []factLine) string {
	// find reads the degree in s, a part of l, whose lower case is low.
	find := func(l *factLine, s, low string) string {
		var a, b []int
		if mayHold(l, low, degreeWords, degreeWords) {
			a = findStarting(degreeRe.get(), degreeAt.get(), s, firstOf(s, degreeStarts, false), degreeMatches)
		}
		if mayHold(l, s, degreeAcronyms, degreeAcronymsLow) {
			first := -1
			for _, w := range degreeAcronyms {
				if k := strings.Index(s, w); k >= 0 && (first < 0 || k < first) {
					first = k
				}
			}
			b = findFrom(degreeM.get(), s, first)
		}
		switch {
		case a == nil && b == nil:
			return ""
		case a == nil || b != nil && b[0] < a[0]:
			return s[b[0]:b[1]]
		}
		return s[a[0]:a[1]]
	}
	// Labelled lines, then lines about studies, then anywhere.
	for i := range lines {
		l := &lines[i]
		if l.label != "" && hasLabel(l.label, "formation", "diplome", "diplomes", "niveau", "niveau d'etudes",
			"profil", "education", "degree", "level", "qualification", "niveau requis", "cursus", "etudes") && mayHaveDegree(l) {
			if d := find(l, l.value, strings.ToLower(l.value)); d != "" {
				return cleanDegree(d)
			}
		}
	}
	var any string
	for i := range lines {
		l := &lines[i]
		if !mayHaveDegree(l) {
			continue
		}
		d := find(l, l.plain, l.low)
		if d == "" {
			continue
		}
		if l.has(degreeContext...) {
			return cleanDegree(d)
		}
		if any == "" {
			any = d
		}
	}
	return cleanDegree(any)
}

// mayHaveDegree is a cheap test that spares the degree expressions most
// lines.
func mayHaveDegree(l *factLine) bool {
	// "m1", "m2" and "l3", too short for the line's grams to rule out,
	// are looked for only in lines with digits.
	return l.has("bac", "master", "licence", "bachelor", "doctorat", "cole", "school", "phd", "mba", "bts", "dut", "but", "deust") ||
		l.digits && hasDegreeCode(l.low)
}

// hasDegreeCode reports whether s holds "m1", "m2" or "l3". The digits 1
// to 3, rare in a text, are found eight bytes at a time, as one word:
// adding 0x80-'1' to a byte of seven bits sets its high bit when it is '1'
// or above, and adding 0x80-'3'-1 when it is above '3'; the bytes that are
// not ASCII are cleared of their high bit first, so that no sum carries
// into the next byte.
func hasDegreeCode(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 1; i < len(s); i++ {
		if i+8 <= len(s) {
			b := s[i : i+8]
			x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			y := x &^ highs
			m := (y + (0x80-'1')*ones) &^ (y + (0x80-'3'-1)*ones) &^ x & highs
			if m == 0 {
				i += 7
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		}
		switch c := s[i]; {
		case c == '1' || c == '2':
			if s[i-1] == 'm' {
				return true
			}
		case c == '3':
			if s[i-1] == 'l' {
				return true
			}
		}
	}
	return false
}

func cleanDegree(d string) string { return strings.Join(strings.Fields(d), " ") }
