package offer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestParseKeepsNothing checks that the working memory Parse keeps between
// calls carries nothing from one offer to the next: every offer of the
// corpora and seeds, read after a different offer each time (in order, in
// reverse, after a long text, on several goroutines at once), gives the
// Offer a new reader gives, and none holds the bytes it was read from.
func TestParseKeepsNothing(t *testing.T) {
	var names []string
	var files [][]byte
	for _, pattern := range []string{filepath.Join("testdata", "deadlines*", "*"), filepath.Join("..", "seeds", "*")} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, ".want") {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			names, files = append(names, p), append(files, data)
		}
	}
	if len(files) < 300 {
		t.Fatalf("read %d offers, want the corpora's 300 and more", len(files))
	}
	opts := Options{Now: goldenNow(t)}
	show := func(o Offer, err error) string {
		if err != nil {
			t.Error(err)
			return ""
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + o.Text
	}
	read := func(i int) string {
		return show(Parse(names[i], files[i], opts))
	}
	first := make([]string, len(files))
	for i := range files {
		first[i] = show(new(reader).parse(names[i], files[i], opts))
	}
	check := func(how string, i int, got string) {
		if got != first[i] {
			t.Errorf("%s: read %s, Parse gave another Offer than a new reader", how, names[i])
		}
	}
	// The Offers are kept and shown again once every other offer has been
	// read in the same memory, so that none holds a part of it.
	kept := make([]Offer, len(files))
	for i := range files {
		o, err := Parse(names[i], files[i], opts)
		check("in order", i, show(o, err))
		kept[i] = o
	}
	for i, o := range kept {
		check("kept while the others were read", i, show(o, nil))
	}
	for i := len(files) - 1; i >= 0; i-- {
		check("in reverse", i, read(i))
	}
	// A long text grows every buffer; what follows must not see its rest.
	long := []byte(strings.Repeat("Candidatures avant le 12 mars 2026 à Lyon. ", 300))
	for i := range files {
		if _, err := Parse("long.txt", long, opts); err != nil {
			t.Fatal(err)
		}
		check("after a long text", i, read(i))
	}
	// Parse reads valid UTF-8 in the caller's memory: the Offer must hold
	// none of it, so writing over the bytes once Parse returned changes
	// nothing of what it gave.
	for i := range files {
		data := slices.Clone(files[i])
		o, err := Parse(names[i], data, opts)
		for k := range data {
			data[k] = 'x'
		}
		check("with its bytes written over after Parse", i, show(o, err))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(files); i += 4 {
				check("on four goroutines", i, read(i))
			}
		})
	}
	wg.Wait()
}
