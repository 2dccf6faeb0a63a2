package facts

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"hash/maphash"
	"io"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/echeance/echeance/offer/internal/text"
)

//go:generate sh -c "npm ci --prefix gen --no-audit --no-fund && node gen/communes.mjs"

// communesGz is the table of French postal codes and the communes each
// serves, the routed one first, written by gen/communes.mjs from the
// codes-postaux package (see gen/README.md for its sources and licence).
//
//go:embed communes.tsv.gz
var communesGz []byte

// postalTable is communesGz read: one line per postal code, in the
// file's order (the codes ascending), and an index of the communes by
// folded name. Every name is a part of one string, the whole text or the
// whole folded text, so reading the table makes a few large allocations
// rather than one per name or per map entry.
type postalTable struct {
	lines []postalLine
	// names are the communes in file order; slots is an open-addressing
	// hash table of them by folded name, each slot 1 + an index of names
	// (0 for an empty slot).
	text, folded string
	names        []postalName
	slots        []uint32
	seed         maphash.Seed
}

// postalLine is one postal code and its communes, the routed one first,
// as "A|B|C", and the same folded.
type postalLine struct {
	code, list, folded string
}

// postalName is one commune: where its name stands in the text and its
// folded name in the folded text.
type postalName struct {
	start, end, fstart, fend uint32
}

func (t *postalTable) name(n postalName) string    { return t.text[n.start:n.end] }
func (t *postalTable) folding(n postalName) string { return t.folded[n.fstart:n.fend] }

// postal is the table, read once, when a place first needs it.
var postal = sync.OnceValue(readPostal)

// readPostal reads communesGz. The whole text is folded at once: folding
// keeps the tabs, bars and line ends where they are, so the folded text
// splits into the same fields as the text. The first commune of the file
// to fold to a name keeps it.
func readPostal() *postalTable {
	t := &postalTable{seed: maphash.MakeSeed()}
	zr, err := gzip.NewReader(bytes.NewReader(communesGz))
	if err != nil {
		return t
	}
	// The last four bytes of a gzip file are its text's size.
	size := binary.LittleEndian.Uint32(communesGz[len(communesGz)-4:])
	var b strings.Builder
	b.Grow(int(size))
	if _, err := io.Copy(&b, zr); err != nil {
		return t
	}
	all := b.String()
	folded := text.Fold(all)
	t.text, t.folded = all, folded
	t.lines = make([]postalLine, 0, strings.Count(all, "\n")+1)
	t.names = make([]postalName, 0, strings.Count(all, "|")+cap(t.lines))
	// i walks the text and j the folded text, field by field.
	for i, j := 0, 0; i < len(all); {
		end, fend := lineEnd(all, i), lineEnd(folded, j)
		tab, ftab := strings.IndexByte(all[i:end], '\t'), strings.IndexByte(folded[j:fend], '\t')
		if tab < 0 || ftab < 0 {
			i, j = end+1, fend+1
			continue
		}
		t.lines = append(t.lines, postalLine{code: all[i : i+tab], list: all[i+tab+1 : end], folded: folded[j+ftab+1 : fend]})
		for i, j = i+tab+1, j+ftab+1; i < end; i, j = i+1, j+1 {
			n := postalName{start: uint32(i), fstart: uint32(j)}
			for i < end && all[i] != '|' {
				i++
			}
			for j < fend && folded[j] != '|' {
				j++
			}
			n.end, n.fend = uint32(i), uint32(j)
			t.names = append(t.names, n)
		}
		i, j = end+1, fend+1
	}
	// A table at most half full: probes stay short.
	t.slots = make([]uint32, 1<<bits.Len(uint(2*len(t.names))))
	for i, n := range t.names {
		if j, found := t.slot(t.folding(n)); !found {
			t.slots[j] = uint32(i + 1)
		}
	}
	return t
}

// lineEnd returns where the line starting at i ends: its line end or the
// end of s.
func lineEnd(s string, i int) int {
	if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(s)
}

// slot returns the slot of the commune whose folded name is f, found, or
// the empty slot where it would go.
func (t *postalTable) slot(f string) (int, bool) {
	mask := len(t.slots) - 1
	for j := int(maphash.String(t.seed, f)) & mask; ; j = (j + 1) & mask {
		k := t.slots[j]
		if k == 0 {
			return j, false
		}
		if t.folding(t.names[k-1]) == f {
			return j, true
		}
	}
}

// byFold returns the commune whose folded name is f, "" for none.
func (t *postalTable) byFold(f string) string {
	if len(t.slots) == 0 {
		return ""
	}
	if j, found := t.slot(f); found {
		return t.name(t.names[t.slots[j]-1])
	}
	return ""
}

// byCode returns the line of a postal code, ok false for a code the table
// does not hold.
func (t *postalTable) byCode(code string) (postalLine, bool) {
	i, found := slices.BinarySearchFunc(t.lines, code, func(l postalLine, c string) int {
		return strings.Compare(l.code, c)
	})
	if !found {
		return postalLine{}, false
	}
	return t.lines[i], true
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
