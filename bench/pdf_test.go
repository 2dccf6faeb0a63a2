package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/offer"
	"github.com/ledongthuc/pdf"
)

// pdfReaders are the ways to read a PDF's text compared here: echeance's
// (pdftotext -bbox-layout, paragraphs rebuilt from the lines' geometry),
// pdftotext's plain output, and the pure Go reader github.com/ledongthuc/pdf.
var pdfReaders = []struct {
	name string
	read func(tb testing.TB, data []byte) string
}{
	{"echeance (pdftotext, paragraphs rebuilt)", func(tb testing.TB, data []byte) string {
		b, _, err := document.Reader{}.Text(context.Background(), "seed.pdf", "", data)
		if err != nil {
			tb.Fatal(err)
		}
		return string(b)
	}},
	{"pdftotext, plain output", func(tb testing.TB, data []byte) string {
		cmd := exec.Command("pdftotext", "-q", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(data)
		out, err := cmd.Output()
		if err != nil {
			tb.Fatal(err)
		}
		return string(out)
	}},
	{"github.com/ledongthuc/pdf (pure Go)", func(tb testing.TB, data []byte) string {
		r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			tb.Fatal(err)
		}
		t, err := r.GetPlainText()
		if err != nil {
			tb.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(t)
		return b.String()
	}},
}

// TestPDFReaders typesets each seed offer into a PDF of one and of two
// justified, hyphenated columns and counts, for each reader, the PDFs
// whose deadline, and whose deadline and facts (title, organisation,
// places, contacts, dates, stipend...), read the same as the seed's .txt.
func TestPDFReaders(t *testing.T) {
	opts := offer.Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)}
	paths, _ := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	type doc struct {
		want offer.Offer
		data []byte
	}
	var docs []doc
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := offer.Parse(p, text, opts)
		if err != nil {
			t.Fatal(err)
		}
		for cols := 1; cols <= 2; cols++ {
			docs = append(docs, doc{want, doctest.PDF(t, string(text), cols)})
		}
	}
	facts := func(o offer.Offer) []any {
		return []any{o.Title, o.Organisation, o.Places, o.Start, o.End, o.Duration, o.HoursPerWeek, o.Stipend,
			o.Contacts, o.Degree, o.Language}
	}
	for _, r := range pdfReaders {
		deadlines, all := 0, 0
		start := time.Now()
		for _, d := range docs {
			o, err := offer.Parse("seed.pdf", []byte(r.read(t, d.data)), opts)
			if err != nil {
				continue
			}
			if reflect.DeepEqual(o.Deadline, d.want.Deadline) {
				deadlines++
				if reflect.DeepEqual(facts(o), facts(d.want)) {
					all++
				}
			}
		}
		fmt.Printf("pdf: %-42s deadline right %2d/%d, deadline and facts right %2d/%d, %.1f ms a PDF\n",
			r.name, deadlines, len(docs), all, len(docs), float64(time.Since(start).Microseconds())/1000/float64(len(docs)))
	}
}
