package facts

import (
	_ "embed"
	"sort"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

//go:generate sh -c "npm ci --prefix gen --no-audit --no-fund && node gen/communes.mjs"
//go:generate go run ./gen/postal

// communesTSV is the table of French postal codes and the communes each
// serves, one line per code in ascending order: the code, a tab, its
// communes separated by "|" (the routed one first), a tab, and the same
// communes folded by text.Fold. gen/communes.mjs writes the first two
// columns from the codes-postaux package (see gen/README.md for its
// sources and licence), and gen/postal the third.
//
//go:embed communes.tsv
var communesTSV string

// communesIdx is the index of communesTSV that gen/postal writes, in
// little-endian uint32 words: the number of lines n; the n offsets where
// the lines start, then the text's length; then a hash table of the
// folded names, a power of two of slots, each 0 (empty) or the offset of
// a folded name in communesTSV, placed by the 32-bit FNV-1a hash of the
// name with linear probing. It is read in place: a lookup reads a few
// words and takes strings of communesTSV, so the table costs no work and
// no memory until it is used.
//
//go:embed communes.idx
var communesIdx string

// postalTable is the table and its index, split into its parts.
type postalTable struct {
	text string
	// starts holds the words of the lines' offsets, n+1 of them; slots the
	// words of the hash table.
	starts, slots string
	mask          uint32
}

// postalLine is one postal code and its communes, the routed one first,
// as "A|B|C", and the same folded.
type postalLine struct {
	code, list, folded string
}

// postal returns the table.
func postal() postalTable { return readPostal() }

// readPostal splits the embedded index into its parts; it reads nothing
// else and allocates nothing.
func readPostal() postalTable {
	n := int(word(communesIdx, 0))
	starts := communesIdx[4 : 4*(n+2)]
	slots := communesIdx[len(starts)+4:]
	return postalTable{text: communesTSV, starts: starts, slots: slots, mask: uint32(len(slots)/4 - 1)}
}

// word returns the i-th little-endian uint32 of s.
func word(s string, i int) uint32 {
	s = s[4*i : 4*i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// lines returns the number of postal codes.
func (t postalTable) lines() int { return len(t.starts)/4 - 1 }

// line returns the i-th line, without its line end.
func (t postalTable) line(i int) string {
	return t.text[word(t.starts, i) : word(t.starts, i+1)-1]
}

// codeLen is the length of a postal code; gen/postal writes no other.
const codeLen = 5

// code returns the postal code of the i-th line.
func (t postalTable) code(i int) string {
	start := word(t.starts, i)
	return t.text[start : start+codeLen]
}

// byCode returns the line of a postal code, ok false for a code the table
// does not hold.
func (t postalTable) byCode(code string) (postalLine, bool) {
	if len(code) != codeLen {
		return postalLine{}, false
	}
	n := t.lines()
	i := sort.Search(n, func(i int) bool { return t.code(i) >= code })
	if i == n || t.code(i) != code {
		return postalLine{}, false
	}
	return splitLine(t.line(i)), true
}

// splitLine returns a line's columns.
func splitLine(l string) postalLine {
	code, rest, _ := strings.Cut(l, "\t")
	list, folded, _ := strings.Cut(rest, "\t")
	return postalLine{code: code, list: list, folded: folded}
}

// foldedIs reports whether the folded name at offset o of the text is f:
// f, then the "|" or the line end that ends a name of the folded list,
// the line's last column.
func (t postalTable) foldedIs(o uint32, f string) bool {
	rest := t.text[o:]
	return strings.HasPrefix(rest, f) && len(rest) > len(f) && (rest[len(f)] == '|' || rest[len(f)] == '\n')
}

// byFold returns the commune whose folded name is f, "" for none; of
// communes that fold alike, the first of the table.
func (t postalTable) byFold(f string) string {
	for j := fnv1a(f) & t.mask; ; j = (j + 1) & t.mask {
		o := word(t.slots, int(j))
		if o == 0 {
			return ""
		}
		if t.foldedIs(o, f) {
			return t.nameAt(o)
		}
	}
}

// nameAt returns the commune whose folded name is at offset o of the text:
// the name in the same place of its line's list.
func (t postalTable) nameAt(o uint32) string {
	start := strings.LastIndexByte(t.text[:o], '\n') + 1
	end := int(o) + strings.IndexByte(t.text[o:], '\n')
	l := splitLine(t.text[start:end])
	// The folded list ends the line, so the name is the k-th of it.
	k := strings.Count(l.folded[:len(l.folded)-(end-int(o))], "|")
	list := l.list
	for ; k > 0; k-- {
		_, list, _ = strings.Cut(list, "|")
	}
	name, _, _ := strings.Cut(list, "|")
	return name
}

// fnv1a is the 32-bit FNV-1a hash of s, the hash gen/postal places the
// names by.
func fnv1a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// communeOf returns the commune a postal code serves, for a place that
// names no city or names it otherwise ("Lyon 7e", "LYON CEDEX 07"): the
// commune of the code that the named city is, else the one its mail is
// routed to. It returns "" for a code the table does not hold.
func communeOf(code, named string) string {
	line, ok := postal().byCode(code)
	if !ok || line.list == "" {
		return ""
	}
	first, _, _ := strings.Cut(line.list, "|")
	if named != "" {
		f := text.Fold(named)
		list, flist := line.list, line.folded
		for list != "" {
			var n, fn string
			n, list, _ = strings.Cut(list, "|")
			fn, flist, _ = strings.Cut(flist, "|")
			if fn == f || strings.HasPrefix(f, fn) && len(f) > len(fn) && f[len(fn)] == ' ' {
				return n
			}
		}
	}
	return first
}
