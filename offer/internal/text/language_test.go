package text

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// plainFunctionWords counts the function words among ts's tokens with a
// switch on each word, lower-cased: what Tokenizer.FunctionWords and
// CountFunctionWords count without one.
func plainFunctionWords(ts Tokens) FunctionWords {
	var c FunctionWords
	for i := range ts.Len() {
		t := ts.At(i)
		w := ts.text[t.Pos:t.End]
		if t.Kind == Word && IsASCII(w) {
			c.add(w)
		}
	}
	return c
}

// add counts w, of ASCII letters, when it is a function word.
func (c *FunctionWords) add(w string) {
	switch strings.ToLower(w) {
	case "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "pour", "dans", "avec", "sur", "au",
		"aux", "vous", "nous", "qui", "que", "par", "en", "ou", "votre", "sont":
		c.French++
	case "the", "and", "of", "to", "in", "is", "for", "with", "you", "we", "our", "are", "will", "be", "an",
		"as", "this", "that", "your", "from", "or", "by", "at":
		c.English++
	}
}

// letterRunWords counts the function words among the runs of letters of
// s, as the language used to be told from the text itself rather than
// its tokens.
func letterRunWords(s string) FunctionWords {
	var c FunctionWords
	for i := 0; i < len(s); {
		start, ascii := i, true
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) {
				break
			}
			ascii = ascii && r < utf8.RuneSelf
			i += n
		}
		if i == start {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			continue
		}
		if ascii {
			c.add(s[start:i])
		}
	}
	return c
}

// functionWordInputs returns the tokenizer's inputs and random texts of
// function words in every case, glued to letters, digits, accents and
// marks on either side, cut at every length near the end of the text.
func functionWordInputs(t *testing.T) []string {
	in := tokenizeInputs(t)
	pieces := []string{"le", "LES", "Votre", "the", "THIS", "tHat", "de", "De", "and", "au", "aux", "a", "x", "é", "É",
		"recherche", "entreprises", "stagiaires", " ", " ", ", ", ".", "'", "-", "\u0301", "2", "1er", "\xc3", "\xff",
		"\u00a0", "ǅ", "Ω", "K", "_", "\n"}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 30000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in = append(in, b.String())
	}
	for _, w := range append(append([]string{}, frenchWords...), englishWords...) {
		for _, s := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:], " " + w, w + "s", "x" + w,
			w + "é", "é" + w, "2" + w, w + "2"} {
			in = append(in, s, s+" ", "z "+s)
		}
	}
	return in
}

func TestFunctionWordsAsSwitch(t *testing.T) {
	var tz Tokenizer
	for _, s := range functionWordInputs(t) {
		ts := tz.TokenizeShared(s)
		want := plainFunctionWords(ts)
		if got := tz.FunctionWords(); got != want {
			t.Fatalf("Tokenizer.FunctionWords(%.80q) = %+v, want %+v", s, got, want)
		}
		if got := CountFunctionWords(ts); got != want {
			t.Fatalf("CountFunctionWords(%.80q) = %+v, want %+v", s, got, want)
		}
	}
}

// TestFunctionWordsOfLetterRuns checks that on the corpora the words
// counted are those of the runs of letters, as they were before they
// were counted on the tokens.
func TestFunctionWordsOfLetterRuns(t *testing.T) {
	var tz Tokenizer
	for _, s := range seedtest.CorpusTexts(t) {
		s = Normalize(s)
		tz.TokenizeShared(s)
		if got, want := tz.FunctionWords(), letterRunWords(s); got != want {
			t.Fatalf("FunctionWords(%.80q) = %+v, want %+v", s, got, want)
		}
	}
}

func TestFunctionWordsPhrases(t *testing.T) {
	for _, c := range []struct {
		s    string
		want FunctionWords
	}{
		{"Le stage de la direction", FunctionWords{French: 3}},
		{"LES candidatures ET votre CV", FunctionWords{French: 3}},
		{"The internship and the pay", FunctionWords{English: 3}},
		{"dès que", FunctionWords{French: 1}},              // "dès" is not "des"
		{"l'offre d'un stage", FunctionWords{French: 1}},   // "un" after the apostrophe
		{"leur lettre des deux", FunctionWords{French: 1}}, // a function word inside a longer one is none
		{"2de et 1er", FunctionWords{French: 2}},           // a word glued to a number
		{"de", FunctionWords{French: 1}},                   // at the text's end
		{"lesquelles Dessinateur", FunctionWords{}},        // long words that start with one
		{"", FunctionWords{}},
	} {
		var tz Tokenizer
		tz.TokenizeShared(c.s)
		if got := tz.FunctionWords(); got != c.want {
			t.Errorf("FunctionWords(%q) = %+v, want %+v", c.s, got, c.want)
		}
	}
}
