package facts

import (
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// The benchmarks below time the body's readers one by one, on the texts
// of the corpora and seeds normalised, so that a change to one of them
// shows in figures the header's readers do not blur.

func benchTexts(b *testing.B) []string {
	var texts []string
	for _, s := range seedtest.CorpusTexts(b) {
		texts = append(texts, text.Normalize(s))
	}
	return texts
}

func BenchmarkFactLines(b *testing.B) {
	texts := benchTexts(b)
	var r Reader
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			r.factLines(s)
		}
	}
}

func BenchmarkBodyReaders(b *testing.B) {
	texts := benchTexts(b)
	all := make([][]factLine, len(texts))
	orgs := make([]string, len(texts))
	for i, s := range texts {
		all[i] = factLines(s)
		orgs[i] = Extract(s).Organisation
	}
	for _, rd := range []struct {
		name string
		read func(i int, lines []factLine)
	}{
		{"places", func(_ int, lines []factLine) { readPlaces(lines) }},
		{"fallback", func(i int, lines []factLine) { fallbackPlace(orgs[i], lines) }},
		{"duration", func(_ int, lines []factLine) { readDuration(lines) }},
		{"hours", func(_ int, lines []factLine) { readHours(lines) }},
		{"stipend", func(_ int, lines []factLine) { readStipend(lines) }},
		{"contacts", func(_ int, lines []factLine) { readContacts(lines) }},
		{"degree", func(_ int, lines []factLine) { readDegree(lines) }},
	} {
		b.Run(rd.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i, lines := range all {
					rd.read(i, lines)
				}
			}
		})
	}
}

func BenchmarkPlainLine(b *testing.B) {
	var lines []string
	for _, s := range benchTexts(b) {
		lines = append(lines, strings.Split(s, "\n")...)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			plainLine(l)
		}
	}
}

func BenchmarkFoldLabel(b *testing.B) {
	var lines []string
	for _, s := range benchTexts(b) {
		for _, l := range factLines(s) {
			lines = append(lines, l.plain)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			foldLabel(l)
		}
	}
}
