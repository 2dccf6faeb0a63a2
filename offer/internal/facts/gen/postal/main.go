// Command postal lays out the postal table so that communes.go can read it
// in place, with no work at start-up. It reads communes.tsv, whose lines
// are a postal code, a tab and the code's communes separated by "|" (as
// gen/communes.mjs writes them), and writes two files:
//
//   - communes.tsv again, each line given a third column: its communes
//     folded by text.Fold, in the same order, so that the folding done
//     here and the folding done when reading an offer are the same code;
//   - communes.idx, the index of the table, little-endian uint32 words:
//     the number of lines n; the n offsets in communes.tsv where the lines
//     start, then the text's length; then a hash table of the folded names,
//     a power of two of slots, each 0 (empty) or the offset of a folded name
//     in communes.tsv. A name goes to the slot given by the low bits of the
//     32-bit FNV-1a hash of its folded name, or the next empty one after it
//     (linear probing, wrapping round). Names are added in file order, so
//     the first commune to fold to a name keeps it.
//
// Run it from offer/internal/facts, as go generate does:
//
//	go run ./gen/postal
//
// Any third column already in communes.tsv is dropped and written again,
// so running it twice gives the same bytes, and running it alone (without
// Node) refreshes the table after a change to text.Fold.
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/bits"
	"os"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

func main() {
	if err := run("communes.tsv", "communes.idx"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(tsvPath, idxPath string) error {
	in, err := os.ReadFile(tsvPath)
	if err != nil {
		return fmt.Errorf("postal: %w", err)
	}
	tsv, idx, err := layOut(string(in))
	if err != nil {
		return fmt.Errorf("postal: %s: %w", tsvPath, err)
	}
	if err := os.WriteFile(tsvPath, []byte(tsv), 0o644); err != nil {
		return fmt.Errorf("postal: %w", err)
	}
	if err := os.WriteFile(idxPath, idx, 0o644); err != nil {
		return fmt.Errorf("postal: %w", err)
	}
	fmt.Printf("%s, %s: %d postal codes\n", tsvPath, idxPath, len(strings.Split(strings.TrimSuffix(tsv, "\n"), "\n")))
	return nil
}

// layOut returns the table with its folded column, and its index.
func layOut(in string) (string, []byte, error) {
	var out strings.Builder
	var starts []uint32
	// folds are the offsets of the folded names, in file order.
	var folds []uint32
	prev := ""
	for i, line := range strings.Split(strings.TrimSuffix(in, "\n"), "\n") {
		code, list, ok := strings.Cut(line, "\t")
		if !ok || len(code) != 5 || code <= prev {
			return "", nil, fmt.Errorf("line %d: want a code above %q, a tab and the communes: %q", i+1, prev, line)
		}
		prev = code
		list, _, _ = strings.Cut(list, "\t")
		starts = append(starts, uint32(out.Len()))
		out.WriteString(code + "\t" + list + "\t")
		if list == "" {
			out.WriteString("\n")
			continue
		}
		for k, name := range strings.Split(list, "|") {
			f := text.Fold(name)
			if name == "" || strings.ContainsAny(f, "|\t\n") {
				return "", nil, fmt.Errorf("line %d: commune %q folds to %q", i+1, name, f)
			}
			if k > 0 {
				out.WriteString("|")
			}
			folds = append(folds, uint32(out.Len()))
			out.WriteString(f)
		}
		out.WriteString("\n")
	}
	tsv := out.String()
	starts = append(starts, uint32(len(tsv)))

	// The first commune to fold to a name keeps it.
	seen := make(map[string]bool, len(folds))
	firsts := folds[:0]
	for _, o := range folds {
		if f := folded(tsv, o); !seen[f] {
			seen[f] = true
			firsts = append(firsts, o)
		}
	}
	if len(firsts) == 0 {
		return "", nil, fmt.Errorf("no communes")
	}
	// A table at most half full keeps the probes short.
	slots := make([]uint32, 1<<bits.Len(uint(2*len(firsts)-1)))
	mask := uint32(len(slots) - 1)
	for _, o := range firsts {
		j := fnv1a(folded(tsv, o)) & mask
		for slots[j] != 0 {
			j = (j + 1) & mask
		}
		slots[j] = o
	}

	var idx bytes.Buffer
	words := append(append([]uint32{uint32(len(starts) - 1)}, starts...), slots...)
	if err := binary.Write(&idx, binary.LittleEndian, words); err != nil {
		return "", nil, err
	}
	return tsv, idx.Bytes(), nil
}

// folded returns the folded name at offset o of the table: up to the next
// "|" or line end.
func folded(tsv string, o uint32) string {
	s := tsv[o:]
	return s[:strings.IndexAny(s, "|\n")]
}

// fnv1a is the 32-bit FNV-1a hash of s, from the standard library:
// communes.go computes it with a loop of its own that allocates nothing,
// and TestPostalTable finds every name by it.
func fnv1a(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
