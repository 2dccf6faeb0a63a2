package text

// FunctionWords counts the frequent function words of French and English
// in a text, which tell its language.
type FunctionWords struct {
	French, English int
}

// frenchWords and englishWords are the function words counted, in lower
// case; none is shorter than two letters or longer than five.
var (
	frenchWords = []string{"le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "pour", "dans", "avec",
		"sur", "au", "aux", "vous", "nous", "qui", "que", "par", "en", "ou", "votre", "sont"}
	englishWords = []string{"the", "and", "of", "to", "in", "is", "for", "with", "you", "we", "our", "are", "will",
		"be", "an", "as", "this", "that", "your", "from", "or", "by", "at"}
)

// A word counts when it is a word token of two to five ASCII letters, in
// any case, that is one of the function words. Words are told by their
// key: their letters, lower-cased, packed in the low bytes of a uint64,
// the first lowest, as a word is loaded from a text.
func wordKey(w string) uint64 {
	var key uint64
	for k := range len(w) {
		key |= uint64(w[k]|0x20) << (8 * k)
	}
	return key
}

// noWord is a key no word has: its top byte is not ASCII.
const noWord = 1 << 63

// functionTable is the table of the function words, built once.
var functionTable = newFunctionWords()

// functionWords is a perfect hash table of frenchWords and englishWords:
// a key stands only in the slot it hashes to, so that telling a word is
// one multiplication, one comparison and no branch. The multiplier is the
// first of a fixed sequence that separates the words (one in ten or so
// does, at this size).
type functionWords struct {
	mul  uint64
	keys [1 << functionBits]uint64 // 0 in a free slot: no word's key is 0
	lang [1 << functionBits]uint8  // 0 French, 1 English
}

const functionBits = 9

// newFunctionWords builds the table of frenchWords and englishWords.
func newFunctionWords() *functionWords {
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
				t.keys[h], t.lang[h] = key, uint8(k)
			}
		}
		if ok {
			return t
		}
	}
	panic("text: no multiplier separates the function words")
}

func (t *functionWords) slot(key uint64) uint64 { return key * t.mul >> (64 - functionBits) }

// count adds the word whose key is key to c when it is a function word.
func (t *functionWords) count(c *[2]int32, key uint64) {
	h := t.slot(key)
	hit := int32(0)
	if t.keys[h] == key {
		hit = 1
	}
	c[t.lang[h]] += hit
}

// countWord adds w, a word token written in ASCII letters, to c when it
// is a function word: two to five letters long and in the table.
func (t *functionWords) countWord(c *[2]int32, w string) {
	if len(w) >= 2 && len(w) <= 5 {
		t.count(c, wordKey(w))
	}
}

// smallKey returns the key of the word text[start:end], of ASCII letters
// with a lower-case first letter or a capital one (upper, then only its
// first letter is lowered), or noWord when it is not two to five letters
// long. There is no branch on the length, which changes from word to
// word in a way no processor foresees.
func smallKey(text string, start, end int, upper bool) uint64 {
	var x uint64
	if start+8 <= len(text) {
		x = load64(text, start)
	} else {
		for k := range len(text) - start {
			x |= uint64(text[start+k]) << (8 * k)
		}
	}
	n := uint(end - start)
	x &= 1<<(8*(n&7)) - 1
	if upper {
		x |= 0x20
	}
	// n-2 > 3 for a length outside two to five, n below 2 included.
	far := uint64(0)
	if n-2 > 3 {
		far = noWord
	}
	return x | far
}

// CountFunctionWords counts the function words among ts's tokens.
// Tokenizer.FunctionWords gives the same count for a whole text without
// a pass over its tokens.
func CountFunctionWords(ts Tokens) FunctionWords {
	var c [2]int32
	t := functionTable
	for i := range ts.list {
		if tok := &ts.list[i]; tok.Kind == Word && tok.flags&fAccent == 0 {
			t.countWord(&c, ts.text[tok.Pos:tok.End])
		}
	}
	return FunctionWords{French: int(c[0]), English: int(c[1])}
}
