package offer

import (
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

func FuzzParse(f *testing.F) {
	for name, data := range seedtest.Files(f) {
		f.Add(name, data)
	}
	f.Add("offre.html", []byte(`<!doctype html><html><head><title>x</title></head><body><h1>Stage</h1><p>Lieu : 2 rue X 38000 Grenoble</p><script>alert(1)</script><a href="mailto:a@b.fr">écrire</a></body></html>`))
	f.Add("-", []byte("<p>du 13au 15/06/2025</p><div>avant le 1erjanvier</div><br><li>x"))
	f.Add("bin", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add("utf16.txt", utf16Bytes("Date limite : 31 octobre 2025", false, true))
	f.Add("1252.txt", []byte("Dur\xe9e : 6 mois, candidature avant le 3 f\xe9vrier"))
	f.Add("obf.txt", []byte("Contact : nom [at] domaine . fr ; Location: London, UK"))
	opts := Options{Now: time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)}
	// Another offer, read after each input in the memory it was read in.
	other := []byte("Stage Éditeur – Société Générale\nCandidatures jusqu'au 3 février 2026, à Évry.\nDÉBUT : 1er mars")
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		own := slices.Clone(data)
		o, err := Parse(name, own, opts)
		if err == nil {
			// The Offer holds none of the bytes it was read from.
			show := func() string {
				b, err := json.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				return string(b) + o.Text
			}
			before := show()
			for k := range own {
				own[k] = 'x'
			}
			if after := show(); after != before {
				t.Errorf("the Offer changed when its bytes were written over: %s, then %s", before, after)
			}
			// Nor any of the memory the next Parse reads in.
			if _, err := Parse("other.txt", other, opts); err != nil {
				t.Fatal(err)
			}
			if after := show(); after != before {
				t.Errorf("the Offer changed when another was read: %s, then %s", before, after)
			}
		}
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
	for _, data := range seedtest.Files(f) {
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

// largeUnits are the pathological inputs of TestParseLinear and
// BenchmarkParseLarge: each is repeated up to MaxSize.
var largeUnits = []string{
	"1/1/1 ", "du 1 au ", "13au", "a@b.", "<p>x", "Lieu : 1 ",
	// Deadline cues, zones, ranges and the organisation's patterns, a
	// date every few words.
	"candidatures avant le 1 mars (12h CET) 5pm GMT on 1 May Candidatures du 1 au 2 mars, le stagiaire [at] x est un ",
	// Month names, each a date: 1 MiB of them once took 180 MiB.
	"janvier février mars avril mai juin juillet août septembre octobre novembre décembre ",
}

// largeInput repeats unit up to MaxSize bytes; its name says HTML when the
// unit is a tag.
func largeInput(unit string) (name string, data []byte) {
	name = "big.txt"
	if strings.HasPrefix(unit, "<") {
		name = "big.html"
	}
	return name, []byte(strings.Repeat(unit, MaxSize/len(unit)))
}

// allocated returns the bytes the heap gave out while f ran. The count is
// exact (ReadMemStats flushes every cache) and does not depend on the
// machine's speed or load. Two collections first empty the pool of
// Parse's working memory, so that what f allocates does not depend on
// what ran before it.
func allocated(f func()) uint64 {
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// maxAllocPerByte bounds the bytes Parse may allocate per input byte: the
// tokens of the densest text (one per byte, 16 bytes each) and a few copies
// of it. An offer of 1 MiB of month names once took 180 MiB.
const maxAllocPerByte = 32

// TestParseLinear checks that pathological inputs of the largest accepted
// size are read with work and memory in proportion to their size: the bytes
// allocated for the whole input must be about four times those for a
// quarter of it (work that grows with the square of the size would allocate
// sixteen times more), and at most maxAllocPerByte per input byte. It
// counts bytes, not time, so a loaded machine cannot make it fail;
// BenchmarkParseLarge measures the time.
func TestParseLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for _, unit := range largeUnits {
		t.Run(strings.TrimSpace(unit), func(t *testing.T) {
			name, full := largeInput(unit)
			quarter := full[:len(full)/4]
			parse := func(data []byte) func() {
				return func() {
					if _, err := Parse(name, data, Options{}); err != nil {
						t.Logf("Parse: %v", err)
					}
				}
			}
			aq := allocated(parse(quarter))
			af := allocated(parse(full))
			t.Logf("%d bytes: %d allocated; %d bytes: %d allocated (%.1f per input byte)",
				len(quarter), aq, len(full), af, float64(af)/float64(len(full)))
			if af > 6*aq+1<<20 {
				t.Errorf("not linear: %d bytes allocated for %d input bytes, %d for %d", aq, len(quarter), af, len(full))
			}
			if af > maxAllocPerByte*uint64(len(full)) {
				t.Errorf("%d bytes allocated for %d input bytes, more than %d per byte", af, len(full), maxAllocPerByte)
			}
		})
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	if bom {
		if bigEndian {
			b = append(b, 0xfe, 0xff)
		} else {
			b = append(b, 0xff, 0xfe)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}
