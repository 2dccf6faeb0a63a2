package facts

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
	"github.com/echeance/echeance/offer/internal/text"
)

// The readers below were made faster; each test here keeps the plain
// version a reader replaced and checks that both give the same on the
// texts of the test corpora, their lines and random texts.

// randomTexts returns texts made of the words and characters the readers
// test, in random order.
func randomTexts(n int) []string {
	vocab := strings.Fields(`le la les des du de et est une un pour dans avec sur au aux vous nous qui que par en
		ou votre sont the and of to in is for with you we our are will be an as this that your from or by at
		LE La THE The Ou OU oUr é É éle leé ſ K İ ß ǅ Straße Société à À l' d' - , . ; : ! ? ( ) [ ] « » " ' 
		recrute recherche cherche propose accueille hiring recruiting looking seeks offers we nous chez
		Acme Kelvin Énergie Lyon Paris 38000 69007 www. @ at`)
	rng := rand.New(rand.NewPCG(3, 4))
	seps := []string{" ", " ", " ", "", "\n", ", ", ". ", "  ", "\xff", "\u00a0", "’", "\t"}
	var out []string
	for range n {
		var b strings.Builder
		for k := range 1 + rng.IntN(30) {
			if k > 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(vocab[rng.IntN(len(vocab))])
		}
		out = append(out, b.String())
	}
	return out
}

// fasterInputs returns the corpus texts, their lines and random texts.
func fasterInputs(t *testing.T) []string {
	t.Helper()
	texts := seedtest.CorpusTexts(t)
	in := append([]string{}, texts...)
	for _, s := range texts {
		in = append(in, strings.Split(s, "\n")...)
	}
	return append(in, randomTexts(5000)...)
}

// TestReaderKeepsNothing checks that a Reader's lines and grams, read in
// the memory of the texts before, are those of a new Reader: every corpus
// text read after every other, in order and in reverse. The facts read are
// checked again once every other text has been read in the same memory,
// so that none of them holds a slice of it (the lower case of a text).
func TestReaderKeepsNothing(t *testing.T) {
	texts := seedtest.CorpusTexts(t)
	var r Reader
	kept := make([]Facts, len(texts))
	for _, order := range []string{"in order", "in reverse"} {
		for i := range texts {
			k := i
			if order == "in reverse" {
				k = len(texts) - 1 - i
			}
			s := texts[k]
			got, want := r.factLines(s), factLines(s)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: the lines of %.40q differ from a new Reader's", order, s)
			}
			gf, wf := r.Extract(s, functionWordsOf(s)), Extract(s)
			if !reflect.DeepEqual(gf, wf) {
				t.Fatalf("%s: the facts of %.40q differ from a new Reader's: %+v, want %+v", order, s, gf, wf)
			}
			kept[k] = gf
		}
		for k, s := range texts {
			if want := Extract(s); !reflect.DeepEqual(kept[k], want) {
				t.Fatalf("%s: the facts of %.40q changed as the Reader read other texts: %+v, want %+v", order, s, kept[k], want)
			}
		}
	}
}

// plainHasPositionMark is hasPositionMark as it was: s lowered whole, then
// searched for each mark.
func plainHasPositionMark(s string) bool {
	if !strings.ContainsAny(s, "/(") {
		return false
	}
	low := lower(s)
	return strings.Contains(low, "h/f") || strings.Contains(low, "f/h") || strings.Contains(low, "(cdi)") || strings.Contains(low, "(cdd")
}

func TestHasPositionMarkAsLowered(t *testing.T) {
	in := fasterInputs(t)
	// The marks in every case, İ among the letters, cut and in invalid text.
	rng := rand.New(rand.NewPCG(5, 6))
	bits := []string{"h", "H", "f", "F", "/", "(", ")", "c", "C", "d", "D", "i", "I", "İ", "K", "\xff", "\xc4", " ", "é", "x"}
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(bits[rng.IntN(len(bits))])
		}
		in = append(in, b.String())
	}
	in = append(in, "Stage H/F", "(CDİ)", "(cdİ", "(CDD)", "f/H", "(cdi", "/f", "h/")
	for _, s := range in {
		if got, want := hasPositionMark(s), plainHasPositionMark(s); got != want {
			t.Fatalf("hasPositionMark(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestFieldsUpTo(t *testing.T) {
	for _, s := range fasterInputs(t) {
		for max := 0; max < 12; max++ {
			if got, want := fieldsUpTo(s, max), min(fields(s), max); got != want {
				t.Fatalf("fieldsUpTo(%q, %d) = %d, want %d", s, max, got, want)
			}
		}
	}
}

// functionWordsOf returns the function words of s, as offer.Parse gives them to
// Reader.Extract.
func functionWordsOf(s string) text.FunctionWords {
	var tz text.Tokenizer
	tz.TokenizeShared(s)
	return tz.FunctionWords()
}

// randomLines returns n lines of the pieces in bits, in random order, cut
// UTF-8 and Unicode case variants among them when bits holds them.
func randomLines(seed uint64, n int, bits []string) []string {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	out := make([]string, 0, n)
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(bits[rng.IntN(len(bits))])
		}
		out = append(out, b.String())
	}
	return out
}

func TestFindAmountAsFindString(t *testing.T) {
	in := fasterInputs(t)
	in = append(in, randomLines(7, 50000, []string{"1", "200", " ", " ", " ", ",", ".", "5", "€", "$", "£", "\xc2", "\xe2\x82",
		"\xa3", "k", "K", "K", "euros", "EUR", "usd", "Gbp", "chf", "par", "/", "mois", "h", "heure", "an", "année",
		"ANNÉE", "brut", "nets", "mensuels", "to", "à", "-", "–", "de l'", "week", "é", "x", "ſ", "\xff"})...)
	for _, s := range in {
		if got, want := findAmount(s), amountRe.get().FindString(s); got != want {
			t.Fatalf("findAmount(%q) = %q, want %q", s, got, want)
		}
	}
}
