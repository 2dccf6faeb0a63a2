package facts

import (
	"strings"
	"unicode/utf8"
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
	if len(txt) > maxFactsText {
		cut := maxFactsText
		if i := strings.LastIndexByte(txt[:cut], '\n'); i > 0 {
			cut = i
		}
		for cut > 0 && !utf8.RuneStart(txt[cut]) {
			cut--
		}
		txt = txt[:cut]
	}
	lines := factLines(txt)
	var f Facts
	f.Title, f.Organisation = readHeader(lines)
	if f.Organisation == "" {
		f.Organisation = readOrganisation(txt, lines)
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
	f.Language = readLanguage(txt)
	return f
}
