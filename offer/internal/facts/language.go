package facts

import (
	"math/bits"
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
// the low bytes of a uint64, its first letter lowest, as the word is
// loaded from a text.
func wordKey(w string) uint64 {
	var key uint64
	for k := range len(w) {
		key |= uint64(w[k]|0x20) << (8 * k)
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
// without a copy. The ASCII bytes are read eight at once, as one word of
// the machine: a mask of their letters tells where a word starts and
// ends without a test of each byte, and the word's letters, lower-cased,
// are its key.
func languageCounts(txt string) (fr, en int) {
	const highs = 0x8080808080808080
	t := functionTable
	for i := 0; i < len(txt); {
		if txt[i] >= utf8.RuneSelf {
			// A word that starts with a letter that is not ASCII is no
			// function word.
			n := letterLen(txt, i)
			if n < 0 {
				i -= n
				continue
			}
			i = lettersEnd(txt, i+n)
			continue
		}
		var x uint64
		if i+8 <= len(txt) {
			b := txt[i : i+8]
			x = uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		} else {
			x = loadTail(txt, i)
		}
		y, letters := asciiLetters(x)
		if letters&0x80 == 0 {
			// Spaces and punctuation, up to the next letter or byte that
			// is not ASCII. Past the text's end, load8 reads zeros.
			stop := letters | x&highs
			if stop == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(stop) / 8
			continue
		}
		run := bits.TrailingZeros64(^letters&highs) / 8 // 8 when no byte ends the word
		if run == 8 {
			i = lettersEnd(txt, i+8)
			continue
		}
		start := i
		i += run
		if i < len(txt) && txt[i] >= utf8.RuneSelf {
			if n := letterLen(txt, i); n > 0 {
				i = lettersEnd(txt, i+n)
				continue
			}
		} else {
			// The word ends at a byte of ASCII: the next word, or byte
			// that is not ASCII, is looked for in the bytes already
			// loaded after it.
			if next := (letters | x&highs) & (^uint64(0) << (8 * (run + 1))); next != 0 {
				i = start + bits.TrailingZeros64(next)/8
			} else {
				i = start + 8
			}
		}
		if run < 2 || run > 5 {
			continue
		}
		key := y & (1<<(8*run) - 1)
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

// loadTail returns the bytes of s from s[i], fewer than eight, the first
// lowest, and zeros for those past its end.
func loadTail(s string, i int) uint64 {
	var x uint64
	for k := range len(s) - i {
		x |= uint64(s[i+k]) << (8 * k)
	}
	return x
}

// asciiLetters returns the eight bytes of x in lower case, and a mask of
// the high bit of each that is an ASCII letter: 'a' or above in lower case
// and not above 'z'. The bytes that are not ASCII are cleared of their
// high bit first, so that no sum carries from a byte into the next.
func asciiLetters(x uint64) (y, letters uint64) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	y = x&^highs | 0x20*ones
	return y, (y + (0x80-'a')*ones) &^ (y + (0x80-'z'-1)*ones) &^ x & highs
}

// letterLen returns the length in bytes of the character at s[i], not
// ASCII, when it is a letter, and minus it when it is not. The letters of
// Latin-1, which French is written with, are told without decoding: all
// of U+00C0 to U+00FF but × and ÷.
func letterLen(s string, i int) int {
	if s[i] == 0xc3 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0xbf {
		if d := s[i+1]; d != 0x97 && d != 0xb7 {
			return 2
		}
		return -2
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsLetter(r) {
		return n
	}
	return -n
}

// lettersEnd returns where the run of letters from s[i] ends. The ASCII
// letters of a long word are passed over eight at once.
func lettersEnd(s string, i int) int {
	const highs = 0x8080808080808080
	for i < len(s) {
		if i+8 <= len(s) {
			b := s[i : i+8]
			x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
			_, letters := asciiLetters(x)
			run := bits.TrailingZeros64(^letters&highs) / 8
			if i += run; run == 8 {
				continue
			}
		} else if isASCIILetter(s[i]) {
			i++
			continue
		}
		if s[i] < utf8.RuneSelf {
			break
		}
		n := letterLen(s, i)
		if n < 0 {
			break
		}
		i += n
	}
	return i
}
