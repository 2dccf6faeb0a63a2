package facts

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
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

// communes is communesGz read once, when a place first needs it.
var communes = sync.OnceValue(func() map[string][]string {
	m := make(map[string][]string, 6400)
	zr, err := gzip.NewReader(bytes.NewReader(communesGz))
	if err != nil {
		return m
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		code, names, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			m[code] = strings.Split(names, "|")
		}
	}
	return m
})

// communeOf returns the commune a postal code serves, for a place that
// names no city or names it otherwise ("Lyon 7e", "LYON CEDEX 07"): the
// commune of the code that the named city is, else the one its mail is
// routed to. It returns "" for a code the table does not hold.
func communeOf(code, named string) string {
	names := communes()[code]
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
