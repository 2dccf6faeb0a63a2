package document_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/offer"
)

var opts = offer.Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)}

// facts are what must read the same from a document as from its text.
type facts struct {
	Deadline     offer.Deadline
	Title        string
	Organisation string
	Start, End   *offer.Moment
	Duration     string
	HoursPerWeek *float64
	Stipend      string
	Contacts     []string
	Degree       string
	Language     string
	Places       []offer.Place
}

func factsOf(o offer.Offer) facts {
	return facts{o.Deadline, o.Title, o.Organisation, o.Start, o.End, o.Duration, o.HoursPerWeek, o.Stipend,
		o.Contacts, o.Degree, o.Language, o.Places}
}

func seeds(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	if err != nil || len(paths) != 5 {
		t.Fatalf("seeds: %v, %v", paths, err)
	}
	out := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = string(b)
	}
	return out
}

// TestSeedDocuments makes a PDF (one column, then two), a DOCX and an ODT
// of each seed offer and checks that each reads to the same deadline and
// facts as the seed's .txt.
func TestSeedDocuments(t *testing.T) {
	ctx := context.Background()
	var r document.Reader
	for name, text := range seeds(t) {
		want, err := offer.Parse(name, []byte(text), opts)
		if err != nil {
			t.Fatal(err)
		}
		docs := map[string][]byte{
			"1col.pdf": doctest.PDF(t, text, 1),
			"2col.pdf": doctest.PDF(t, text, 2),
			"docx":     doctest.DOCX(t, text),
			"odt":      doctest.ODT(t, text),
		}
		for kind, data := range docs {
			t.Run(name+"/"+kind, func(t *testing.T) {
				docName := strings.TrimSuffix(name, ".txt") + "." + strings.TrimPrefix(filepath.Ext("x."+kind), ".")
				got, k, err := r.Text(ctx, docName, "", data)
				if err != nil {
					t.Fatal(err)
				}
				if wantKind := strings.TrimPrefix(filepath.Ext("x."+kind), "."); k != wantKind {
					t.Errorf("kind = %s, want %s", k, wantKind)
				}
				o, err := offer.Parse(docName, got, opts)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := factsOf(o), factsOf(want); !reflect.DeepEqual(g, w) {
					t.Errorf("read from %s:\n got %+v\nwant %+v\ntext:\n%s", kind, g, w, got)
				}
			})
		}
	}
}

func TestScannedPDF(t *testing.T) {
	_, kind, err := document.Reader{}.Text(context.Background(), "scan.pdf", "", doctest.ScannedPDF())
	if !errors.Is(err, document.ErrNoText) || kind != document.KindPDF || !strings.Contains(err.Error(), "scan.pdf") {
		t.Errorf("scanned PDF: kind %s, error %v; want ErrNoText naming the file", kind, err)
	}
}

func TestBrokenDocuments(t *testing.T) {
	ctx := context.Background()
	for name, data := range map[string][]byte{
		"broken.pdf":  []byte("%PDF-1.4\nnot really"),
		"broken.docx": []byte("PK\x03\x04 not a zip"),
		"empty.odt":   doctest.ODT(t, ""),
	} {
		if _, _, err := (document.Reader{}).Text(ctx, name, "", data); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want an error naming it", name, err)
		}
	}
	if _, _, err := (document.Reader{PDFToText: "/nonexistent/pdftotext"}).Text(ctx, "a.pdf", "", doctest.PDF(t, "Stage", 1)); err == nil ||
		!strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("without pdftotext: %v", err)
	}
}

func TestKind(t *testing.T) {
	docx := doctest.DOCX(t, "Stage")
	for _, tt := range []struct {
		name, ct string
		data     []byte
		want     string
	}{
		{"offre.txt", "", []byte("Stage"), document.KindText},
		{"offre.html", "text/html", []byte("<p>Stage"), document.KindText},
		{"offre", "application/octet-stream", doctest.ScannedPDF(), document.KindPDF},
		{"offre.bin", "", docx, document.KindDOCX},
		{"offre.odt", "", doctest.ODT(t, "Stage"), document.KindODT},
		{"offre.docx", "", docx, document.KindDOCX},
	} {
		if got := document.Kind(tt.name, tt.ct, tt.data); got != tt.want {
			t.Errorf("Kind(%s, %s) = %s, want %s", tt.name, tt.ct, got, tt.want)
		}
	}
}

func BenchmarkPDF(b *testing.B) {
	data := doctest.PDF(b, strings.Repeat("Stage en médiation. Date limite : 31 octobre 2025.\n", 40), 2)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := (document.Reader{}).Text(ctx, "b.pdf", "", data); err != nil {
			b.Fatal(err)
		}
	}
}
