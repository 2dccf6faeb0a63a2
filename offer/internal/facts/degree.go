package facts

import (
	"strings"
)

// degreeRe matches the degree asked for, as written.
var degreeRe = lazyRegexp{src: `(?i)\bbac ?\+ ?\d(?: ?(?:à|a|ou|/|-|–|to|or) ?(?:bac ?)?\+? ?\d\b)?|\bmaster'?s?(?: degree)?(?: ?(?:1|2|I{1,2})\b(?: ?(?:ou|/|et|or|-|–) ?(?:master ?)?(?:1|2|I{1,2})\b)?)?|\b(?:licence|bachelor)(?:'s)?(?: degree| pro(?:fessionnelle)?)?(?: ?[123]\b)?|\bdoctorat|(?:\be|é)cole d'ing[ée]nieurs?|(?:\be|é)cole de commerce|\bengineering school|\bbusiness school`}

// degreeM matches M1, M2, "M1/M2" and acronyms in capitals only: "20 m2"
// is a surface and "but" a conjunction.
var degreeM = lazyRegexp{src: `\bM[12](?: ?(?:/|ou|or|-|–|et) ?M?[12])?\b|\b(?:L3|BTS|DUT|BUT|DEUST|MBA|PhD|Ph\.D\.?)\b`}

// degreeContext are the words of a line about studies.
var degreeContext = []string{"formation", "diplôm", "diplom", "niveau", "étudiant", "etudiant", "profil", "education",
	"degree", "student", "enrolled", "cursus", "études", "etudes", "level", "qualification"}

// degreeStarts are what every match of degreeRe starts with, in any case.
var degreeStarts = []string{"bac", "master", "licence", "bachelor", "doctorat", "ecole", "école", "engineering",
	"business"}

// degreeWords are what every match of degreeRe holds, in lower case, and
// degreeAcronyms what every match of degreeM holds, as written.
var (
	degreeWords    = []string{"bac", "master", "licence", "bachelor", "doctorat", "cole d", "engineering school", "business school"}
	degreeAcronyms = []string{"M1", "M2", "L3", "BTS", "DUT", "BUT", "DEUST", "MBA", "PhD", "Ph.D"}
)

func readDegree(lines []factLine) string {
	find := func(s, low string) string {
		var a, b []int
		if containsAny(low, degreeWords) {
			a = findFrom(degreeRe.get(), s, firstOf(s, degreeStarts, false))
		}
		if containsAny(s, degreeAcronyms) {
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
			if d := find(l.value, strings.ToLower(l.value)); d != "" {
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
		d := find(l.plain, l.low)
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
		l.digits && l.has("m1", "m2", "l3")
}

func cleanDegree(d string) string { return strings.Join(strings.Fields(d), " ") }
