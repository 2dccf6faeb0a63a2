package offer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seedFiles returns the seed offers by base name.
func seedFiles(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no seed offers in ../seeds")
	}
	files := make(map[string][]byte, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

func FuzzParse(f *testing.F) {
	for name, data := range seedFiles(f) {
		f.Add(name, data)
	}
	f.Add("offre.html", []byte(`<!doctype html><html><head><title>x</title></head><body><h1>Stage</h1><p>Lieu : 2 rue X 38000 Grenoble</p><script>alert(1)</script><a href="mailto:a@b.fr">écrire</a></body></html>`))
	f.Add("-", []byte("<p>du 13au 15/06/2025</p><div>avant le 1erjanvier</div><br><li>x"))
	f.Add("bin", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add("utf16.txt", utf16Bytes("Date limite : 31 octobre 2025", false, true))
	f.Add("1252.txt", []byte("Dur\xe9e : 6 mois, candidature avant le 3 f\xe9vrier"))
	f.Add("obf.txt", []byte("Contact : nom [at] domaine . fr ; Location: London, UK"))
	opts := Options{Now: time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		o, err := Parse(name, data, opts)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "offer: ") {
				t.Errorf("error %q lacks the offer: prefix", err)
			}
			return
		}
		if o.Places == nil || o.Contacts == nil || o.Dates == nil {
			t.Errorf("nil slices: places %v, contacts %v, dates %v", o.Places == nil, o.Contacts == nil, o.Dates == nil)
		}
		switch o.Deadline.Kind {
		case KindExplicit, KindEstimated, KindNone:
		default:
			t.Errorf("deadline kind %q", o.Deadline.Kind)
		}
		if o.Language != "fr" && o.Language != "en" {
			t.Errorf("language %q", o.Language)
		}
		for _, c := range o.Contacts {
			if c != strings.ToLower(c) || !strings.Contains(c, "@") {
				t.Errorf("contact %q", c)
			}
		}
		if Normalize(o.Text) != o.Text {
			t.Errorf("text is not normalised")
		}
	})
}

// FuzzNormalize checks that Normalize is idempotent on any input.
func FuzzNormalize(f *testing.F) {
	for _, data := range seedFiles(f) {
		f.Add(string(data))
	}
	f.Add("du 13au 15/06/2025 1erjanvier2026 au13au15 e\u0301\u200d\u0301 \u2000x\r\n\r\n\r\n\r\ny")
	f.Fuzz(func(t *testing.T, s string) {
		once := Normalize(s)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize(%q) = %q, then %q", s, once, twice)
		}
	})
}

// TestParseLinear checks that pathological inputs of the largest accepted
// size are parsed in linear time: a quarter of the input must take about a
// quarter of the time (quadratic work would take a sixteenth), and the
// whole must finish in seconds even under the race detector. Without it,
// each input takes well under a second.
func TestParseLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	parse := func(name string, data []byte) time.Duration {
		start := time.Now()
		if _, err := Parse(name, data, Options{}); err != nil {
			t.Logf("Parse: %v", err)
		}
		return time.Since(start)
	}
	for _, unit := range []string{
		"1/1/1 ", "du 1 au ", "13au", "a@b.", "<p>x", "Lieu : 1 ",
		// Deadline cues, zones, ranges and the organisation's patterns,
		// a date every few words.
		"candidatures avant le 1 mars (12h CET) 5pm GMT on 1 May Candidatures du 1 au 2 mars, le stagiaire [at] x est un ",
	} {
		t.Run(strings.TrimSpace(unit), func(t *testing.T) {
			name := "big.txt"
			if strings.HasPrefix(unit, "<") {
				name = "big.html"
			}
			full := []byte(strings.Repeat(unit, MaxSize/len(unit)))
			quarter := full[:len(full)/4]
			tq := parse(name, quarter)
			tf := parse(name, full)
			t.Logf("%d bytes: %v; %d bytes: %v", len(quarter), tq, len(full), tf)
			if tf > 8*tq+200*time.Millisecond {
				t.Errorf("not linear: %v for %d bytes, %v for %d bytes", tq, len(quarter), tf, len(full))
			}
			if tf > 10*time.Second {
				t.Errorf("Parse of %d bytes took %v", len(full), tf)
			}
		})
	}
}
