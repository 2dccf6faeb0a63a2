package facts

import (
	"strings"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// Facts are the plain fields of an offer, read from its normalised text.
type Facts struct {
	Title, Organisation string
	Places              []Place
	Duration            string
	HoursPerWeek        *float64
	Stipend             string
	Contacts            []string
	Degree              string
	Language            string
}

// maxFactsText bounds the text the facts are read from. Offers are a few
// kilobytes; the bound keeps pathological inputs (up to a mebibyte) fast.
const maxFactsText = 128 << 10

// Extract reads the facts of an offer text, normalised by text.Normalize.
func Extract(txt string) Facts {
	var (
		r  Reader
		tz text.Tokenizer
	)
	tz.TokenizeShared(txt)
	return r.Extract(txt, tz.FunctionWords())
}

// Reader reads the facts of offers one after the other in the same
// memory: the lines of a text, its lower case and their grams, about four
// times the text's size, are kept for the next text instead of allocated
// anew. Its zero value is ready to use; it is not safe for concurrent use.
// Nothing of its memory is reachable from the Facts it returns.
type Reader struct {
	low   []byte // the text in lower case, when lowering changed it
	lines []factLine
	grams []uint64
}

// Extract is the package's Extract, in r's memory, given the function
// words of txt as a text.Tokenizer counts them while it reads txt for the
// dates: the language is told from them without a pass of its own.
func (r *Reader) Extract(txt string, words text.FunctionWords) Facts {
	if len(txt) > maxFactsText {
		cut := maxFactsText
		if i := strings.LastIndexByte(txt[:cut], '\n'); i > 0 {
			cut = i
		}
		for cut > 0 && !utf8.RuneStart(txt[cut]) {
			cut--
		}
		txt = txt[:cut]
		words = text.CountFunctionWords(text.Tokenize(txt))
	}
	lines := r.factLines(txt)
	var f Facts
	f.Title, f.Organisation = readHeader(lines)
	if f.Organisation == "" {
		// readHeader gives the labelled organisation when a line labels
		// one: what is left is the body's.
		f.Organisation = bodyOrg(txt, lines)
	}
	f.Places = readPlaces(lines)
	if len(f.Places) == 0 {
		f.Places = fallbackPlace(f.Organisation, lines)
	}
	f.Duration = readDuration(lines)
	f.HoursPerWeek = readHours(lines)
	f.Stipend = readStipend(lines)
	f.Contacts = readContacts(lines)
	f.Degree = readDegree(lines)
	f.Language = readLanguage(words)
	return f
}
