package dedup

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/offer"
)

type pair struct {
	name string
	same bool
	a, b string
}

// readPairs reads testdata/pairs.txt.
func readPairs(t *testing.T) []pair {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "pairs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	var cur *pair
	var side *string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#") && cur == nil:
		case strings.HasPrefix(l, "=== "):
			label, name, _ := strings.Cut(strings.TrimPrefix(l, "=== "), " ")
			if label != "same" && label != "different" {
				t.Fatalf("pairs.txt:%d: label %q, want same or different", line, label)
			}
			out = append(out, pair{name: name, same: label == "same"})
			cur, side = &out[len(out)-1], nil
		case l == "--- a" && cur != nil:
			side = &cur.a
		case l == "--- b" && cur != nil:
			side = &cur.b
		case side != nil:
			*side += l + "\n"
		case strings.TrimSpace(l) != "":
			t.Fatalf("pairs.txt:%d: text outside a pair", line)
		}
	}
	for _, p := range out {
		if strings.TrimSpace(p.a) == "" || strings.TrimSpace(p.b) == "" {
			t.Fatalf("pairs.txt: pair %q lacks a text", p.name)
		}
	}
	return out
}

// madePairs are the same offers reformatted: each seed as the text a PDF
// of it reads to, as an HTML page, rewrapped at 60 columns, and quoted in
// a forwarded mail.
func madePairs(t *testing.T) []pair {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	var out []pair
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		name := filepath.Base(p)
		pdf := pdfText(t, doctest.PDF(t, text, 2))
		var html strings.Builder
		html.WriteString("<html><body><h1>Offre</h1>")
		for _, l := range strings.Split(text, "\n") {
			html.WriteString("<p>" + l + "</p>\n")
		}
		html.WriteString("</body></html>")
		var fwd strings.Builder
		fwd.WriteString("Bonjour,\nà diffuser auprès des étudiants.\n\n-------- Message transféré --------\nDe : rh@example.org\nObjet : offre\n\n")
		for _, l := range strings.Split(text, "\n") {
			fwd.WriteString("> " + l + "\n")
		}
		out = append(out,
			pair{name + " as PDF", true, text, pdf},
			pair{name + " as HTML", true, text, offer.HTMLToText(html.String())},
			pair{name + " rewrapped", true, text, rewrap(text, 60)},
			pair{name + " forwarded", true, text, fwd.String()})
	}
	return out
}

func rewrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n+len(w) > width {
			b.WriteByte('\n')
			n = 0
		}
		b.WriteString(w + " ")
		n += len(w) + 1
	}
	return b.String()
}

type scored struct {
	pair
	exact, est float64
}

func score(ps []pair) []scored {
	out := make([]scored, len(ps))
	for i, p := range ps {
		sa, _ := Of(p.a)
		sb, _ := Of(p.b)
		out[i] = scored{p, jaccard(Shingles(p.a), Shingles(p.b)), Similarity(sa, sb)}
	}
	return out
}

func precisionRecall(s []scored, threshold float64) (precision, recall float64, tp, fp, fn int) {
	for _, p := range s {
		switch got := p.exact >= threshold; {
		case got && p.same:
			tp++
		case got && !p.same:
			fp++
		case !got && p.same:
			fn++
		}
	}
	precision, recall = 1, 1
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	return precision, recall, tp, fp, fn
}

// TestLabelledPairs scores every labelled pair, prints the similarities and
// the precision and recall over a range of thresholds, and checks that at
// Threshold no two different offers are taken for one and that the same
// offers are recognised at least as often as README.md says.
func TestLabelledPairs(t *testing.T) {
	written := readPairs(t)
	all := append(written, madePairs(t)...)
	s := score(all)
	sort.Slice(s, func(i, j int) bool { return s[i].exact < s[j].exact })
	var same, diff int
	for _, p := range s {
		label := "different"
		if p.same {
			label = "same"
			same++
		} else {
			diff++
		}
		t.Logf("%-9s similarity %.2f (sketch %.2f)  %s", label, p.exact, p.est, p.name)
	}
	fmt.Printf("dedup: %d labelled pairs (%d same offer, %d different offers of one employer), shingles of %d words, %d hashes\n",
		len(s), same, diff, Shingle, Size)
	for _, th := range []float64{0.20, 0.30, 0.40, 0.45, 0.50, 0.55, Threshold, 0.60, 0.65, 0.70} {
		p, r, tp, fp, fn := precisionRecall(s, th)
		mark := ""
		if th == Threshold {
			mark = "  <- Threshold"
		}
		fmt.Printf("dedup: threshold %.2f: precision %.3f recall %.3f (tp %d, fp %d, fn %d)%s\n", th, p, r, tp, fp, fn, mark)
	}
	p, r, _, _, _ := precisionRecall(s, Threshold)
	if p < 1 || r < 0.86 {
		t.Errorf("at Threshold %.2f: precision %.3f, recall %.3f; want 1 and at least 0.86", Threshold, p, r)
	}
	// The lookup finds every pair the decision would call the same: their
	// sketches share a band key.
	for _, p := range s {
		sa, _ := Of(p.a)
		sb, _ := Of(p.b)
		if p.exact >= Threshold && !Candidates(sa, sb) {
			t.Errorf("%s: similarity %.2f but no band key in common", p.name, p.exact)
		}
	}
}

func TestSketchRoundTrip(t *testing.T) {
	s, ok := Of("Stage de médiation à Grenoble, candidatures avant le 31 octobre.")
	if !ok {
		t.Fatal("no sketch")
	}
	back, err := Parse(s.Bytes())
	if err != nil || back != s {
		t.Fatalf("round trip: %v", err)
	}
	if _, ok := Of(" \n-- "); ok {
		t.Error("a text without words has a sketch")
	}
	a, _ := Of("Stage de médiation, Grenoble")
	b, _ := Of("STAGE DE MEDIATION — grenoble")
	if Similarity(a, b) != 1 || a.Keys() != b.Keys() || !Same("Stage de médiation, Grenoble", "STAGE DE MEDIATION — grenoble") {
		t.Error("case, accents and punctuation change the sketch")
	}
}

func BenchmarkSketch(b *testing.B) {
	text, err := os.ReadFile(filepath.Join("..", "seeds", "004_53de70d564f89c27.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Of(string(text))
	}
}
