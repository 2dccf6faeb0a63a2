package facts

import (
	"unicode"
	"unicode/utf8"
)

// frenchWords and englishWords are the frequent function words
// readLanguage counts, in lower case; none is shorter than two letters or
// longer than five.
var (
	frenchWords = []string{"le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "pour", "dans", "avec",
		"sur", "au", "aux", "vous", "nous", "qui", "que", "par", "en", "ou", "votre", "sont"}
	englishWords = []string{"the", "and", "of", "to", "in", "is", "for", "with", "you", "we", "our", "are", "will",
		"be", "an", "as", "this", "that", "your", "from", "or", "by", "at"}
)

// functionWords is a perfect hash table of frenchWords and englishWords:
// a word of two to five letters, packed in the low bytes of a uint64
// (wordKey), stands only in the slot its key hashes to, so that telling
// a word is one multiplication and one comparison rather than a string
// switch's comparisons. The multiplier is the first of a fixed sequence
// that separates the words (one in ten or so does, at this size).
type functionWords struct {
	mul  uint64
	keys [1 << functionBits]uint64 // 0 in a free slot: no word packs to 0
	lang [1 << functionBits]int8   // +1 French, -1 English
}

const functionBits = 9

var functionTable = func() *functionWords {
	mul := uint64(0x9e3779b97f4a7c15)
	for range 1 << 16 {
		mul = mul*6364136223846793005 + 1442695040888963407 | 1
		t := &functionWords{mul: mul}
		ok := true
		for k, list := range [][]string{frenchWords, englishWords} {
			for _, w := range list {
				key := wordKey(w)
				h := t.slot(key)
				if t.keys[h] != 0 {
					ok = false
					break
				}
				t.keys[h], t.lang[h] = key, int8(1-2*k)
			}
		}
		if ok {
			return t
		}
	}
	panic("facts: no multiplier separates the function words")
}()

// wordKey packs a word of five ASCII letters at most, lower-cased, into
// the low bytes of a uint64, its first letter highest.
func wordKey(w string) uint64 {
	var key uint64
	for k := range len(w) {
		key = key<<8 | uint64(w[k]|0x20)
	}
	return key
}

func (t *functionWords) slot(key uint64) uint64 { return key * t.mul >> (64 - functionBits) }

// readLanguage tells French from English by counting their frequent
// function words; French wins ties and texts without words.
func readLanguage(txt string) string {
	if fr, en := languageCounts(txt); en > fr {
		return "en"
	}
	return "fr"
}

// languageCounts counts the French and the English function words of txt.
// The words are the runs of letters of txt; the function words are short
// and ASCII, so longer words and words with other letters are skipped
// without a copy, and a word of ASCII letters is looked up by its key.
func languageCounts(txt string) (fr, en int) {
	t := functionTable
	for i := 0; i < len(txt); {
		c := txt[i]
		if c < utf8.RuneSelf && !isASCIILetter(c) {
			// Spaces and punctuation, the most of what is not a word.
			i++
			continue
		}
		// A run of letters, whose ASCII letters are most words, and
		// whose key is packed as they are read.
		start := i
		var key uint64
		for i < len(txt) && isASCIILetter(txt[i]) {
			key = key<<8 | uint64(txt[i]|0x20)
			i++
		}
		ascii := true
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
			// A character that is no letter and no ASCII.
			_, n := utf8.DecodeRuneInString(txt[i:])
			i += n
			continue
		}
		if n := i - start; !ascii || n < 2 || n > 5 {
			continue
		}
		if h := t.slot(key); t.keys[h] == key {
			if t.lang[h] > 0 {
				fr++
			} else {
				en++
			}
		}
	}
	return fr, en
}
