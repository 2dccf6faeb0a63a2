package facts

import (
	"unicode"
	"unicode/utf8"
)

// readLanguage tells French from English by counting their frequent
// function words; French wins ties and texts without words. The words are the runs of
// letters of txt; the function words are short and ASCII, so longer words
// and words with other letters are skipped without a copy.
func readLanguage(txt string) string {
	var fr, en int
	var buf [5]byte
	for i := 0; i < len(txt); {
		if c := txt[i]; c < utf8.RuneSelf && !isASCIILetter(c) {
			// Spaces and punctuation, the most of what is not a word.
			i++
			continue
		}
		// A run of letters.
		start, ascii := i, true
		for i < len(txt) {
			if c := txt[i]; c < utf8.RuneSelf {
				if !isASCIILetter(c) {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(txt[i:])
			if !unicode.IsLetter(r) {
				break
			}
			ascii = false
			i += n
		}
		if i == start {
			_, n := utf8.DecodeRuneInString(txt[i:])
			i += n
			continue
		}
		if !ascii || i-start > len(buf) {
			continue
		}
		w := buf[:i-start]
		for k := range w {
			w[k] = txt[start+k] | 0x20 // lower case, as w holds only letters
		}
		switch string(w) {
		case "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "pour", "dans", "avec", "sur", "au",
			"aux", "vous", "nous", "qui", "que", "par", "en", "ou", "votre", "sont":
			fr++
		case "the", "and", "of", "to", "in", "is", "for", "with", "you", "we", "our", "are", "will", "be", "an",
			"as", "this", "that", "your", "from", "or", "by", "at":
			en++
		}
	}
	if en > fr {
		return "en"
	}
	return "fr"
}
