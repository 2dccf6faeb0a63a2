package facts

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"io"
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

// postalTable is communesGz read: the communes of each postal code, and
// each commune's name by its folded name.
type postalTable struct {
	byCode map[string][]string
	byFold map[string]string
}

// postal is the table, read once, when a place first needs it.
var postal = sync.OnceValue(readPostal)

// readPostal reads communesGz. The whole text is folded at once: folding
// keeps the tabs, bars and line ends where they are, so the folded text
// splits into the same fields as the text, and every name and folded name
// is a part of one of the two strings rather than a string of its own.
// The first commune of the file to fold to a name keeps it.
func readPostal() postalTable {
	t := postalTable{byCode: make(map[string][]string, 6400), byFold: make(map[string]string, 36000)}
	zr, err := gzip.NewReader(bytes.NewReader(communesGz))
	if err != nil {
		return t
	}
	// The last four bytes of a gzip file are its text's size.
	size := binary.LittleEndian.Uint32(communesGz[len(communesGz)-4:])
	data := make([]byte, size)
	if _, err := io.ReadFull(zr, data); err != nil {
		return t
	}
	all := string(data)
	folded := text.Fold(all)
	names := make([]string, 0, 40000)
	for all != "" {
		var line, fline string
		line, all, _ = strings.Cut(all, "\n")
		fline, folded, _ = strings.Cut(folded, "\n")
		code, list, ok := strings.Cut(line, "\t")
		_, flist, _ := strings.Cut(fline, "\t")
		if !ok {
			continue
		}
		first := len(names)
		for list != "" {
			var n, f string
			n, list, _ = strings.Cut(list, "|")
			f, flist, _ = strings.Cut(flist, "|")
			names = append(names, n)
			if _, ok := t.byFold[f]; !ok {
				t.byFold[f] = n
			}
		}
		t.byCode[code] = names[first:len(names):len(names)]
	}
	return t
}

// communeOf returns the commune a postal code serves, for a place that
// names no city or names it otherwise ("Lyon 7e", "LYON CEDEX 07"): the
// commune of the code that the named city is, else the one its mail is
// routed to. It returns "" for a code the table does not hold.
func communeOf(code, named string) string {
	names := postal().byCode[code]
	if len(names) == 0 {
		return ""
	}
	if named != "" {
		f := text.Fold(named)
		for _, n := range names {
			if fn := text.Fold(n); fn == f || strings.HasPrefix(f, fn+" ") {
				return n
			}
		}
	}
	return names[0]
}
