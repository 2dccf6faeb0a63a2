package text

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

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

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, ""},
		{"utf8", []byte("Stage à Grenoble"), "Stage à Grenoble"},
		{"utf8 bom", []byte("\xef\xbb\xbfStage à Grenoble"), "Stage à Grenoble"},
		{"windows-1252", []byte("Dur\xe9e : 6 mois, l\x92\xe9quipe \x80 \x93ok\x94 \x9cuvre"), "Durée : 6 mois, l’équipe € “ok” œuvre"},
		{"latin-1", []byte("Lieu : Orl\xe9ans, \xeele"), "Lieu : Orléans, île"},
		{"mixed utf8 and 1252", []byte("Début le 3 f\xe9vrier"), "Début le 3 février"},
		{"utf16le bom", utf16Bytes("Durée : 6 mois ’", false, true), "Durée : 6 mois ’"},
		{"utf16be bom", utf16Bytes("Durée : 6 mois ’", true, true), "Durée : 6 mois ’"},
		{"utf16le no bom", utf16Bytes("Lieu : Paris\r\nDurée : 6 mois", false, false), "Lieu : Paris\r\nDurée : 6 mois"},
		{"tabs and form feeds", []byte("a\tb\fc\r\nd"), "a\tb\fc\r\nd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got != tt.want {
				t.Errorf("Decode = %q, want %q", got, tt.want)
			}
			if Shares(got, tt.in) {
				t.Errorf("Decode's string shares its input's memory")
			}
			// DecodeShared reads the same, in the input's memory when
			// that is valid UTF-8 (with its BOM dropped).
			shared, err := DecodeShared(tt.in)
			if err != nil {
				t.Fatalf("DecodeShared: %v", err)
			}
			if shared != tt.want {
				t.Errorf("DecodeShared = %q, want %q", shared, tt.want)
			}
			inPlace := strings.HasPrefix(tt.name, "utf8") || tt.name == "tabs and form feeds"
			if Shares(shared, tt.in) != inPlace {
				t.Errorf("DecodeShared's string shares its input's memory: %v, want %v", !inPlace, inPlace)
			}
		})
	}
}

func TestDecodeBinary(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"nul", []byte("PK\x03\x04\x00\x00 archive")},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{"controls", []byte("a\x01b\x02c\x03d\x04e\x05f\x06")},
		{"utf16 binary", append([]byte{0xff, 0xfe}, 0x00, 0x00, 0x41, 0x00)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in)
			if !errors.Is(err, ErrBinary) {
				t.Errorf("Decode error = %v, want ErrBinary", err)
			}
		})
	}
}

func TestLooksLikeHTML(t *testing.T) {
	tests := []struct {
		name, file, text string
		want             bool
	}{
		{"extension", "offre.HTML", "Stage", true},
		{"url", "https://example.org/offres/42.htm?x=1", "Stage", true},
		{"doctype", "-", "  \n<!DOCTYPE html><title>x</title>", true},
		{"html tag", "-", "<html lang=fr>", true},
		{"block tags", "-", "<p>Stage</p><div>Lieu : Paris</div><br>fin", true},
		{"plain", "offre.txt", "Stage à Paris. Écrire à a@b.fr", false},
		{"markdown with one tag", "offre.md", "## Stage\n\nLieu : Paris<br>\n", false},
		{"xml declaration", "-", "<?XML version=\"1.0\"?>\n<!-- x -->\n<HTML xmlns=\"http://www.w3.org/1999/xhtml\">", true},
		{"xml, not html", "-", "<?xml version=\"1.0\"?><rss><channel>Stage</channel></rss>", false},
		{"doctype too short", "-", "<!DOCTYPE htm", false},
		{"accented head", "-", "OFFRE DE STAGE « Énergie » à Évry\n" + strings.Repeat("É", 300), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeHTML(tt.file, tt.text); got != tt.want {
				t.Errorf("LooksLikeHTML(%q, %q) = %v, want %v", tt.file, tt.text, got, tt.want)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			"blocks and lists",
			`<html><head><title>Ignored</title><style>p{color:red}</style></head>
<body><h1>Offre de stage</h1><p>Lieu :   Paris
 &amp; Lyon</p><ul><li>Un</li><li>Deux</li></ul><div>Fin<br>ligne</div></body></html>`,
			"Offre de stage\n\nLieu : Paris & Lyon\n\n- Un\n- Deux\n\nFin\nligne",
		},
		{
			"script and comment",
			`<p>Avant<script>var x = "<p>no</p>";</script> après<!-- <p>caché</p> --></p>`,
			"Avant après",
		},
		{
			"entities",
			`<p>Dur&eacute;e&nbsp;: 6&#160;mois &laquo;&#x20AC;&raquo; l&rsquo;&eacute;quipe</p>`,
			"Durée\u00a0: 6\u00a0mois «€» l’équipe",
		},
		{
			"mailto kept",
			`<p>Contact : <a href="mailto:x@y.fr?subject=Stage">Écrire</a></p>`,
			"Contact : Écrire (x@y.fr)",
		},
		{
			"mailto shown once",
			`<p><a href="mailto:X@y.fr">x@y.fr</a></p>`,
			"x@y.fr",
		},
		{
			"mailto percent-encoded",
			`<a href="mailto:jean%40ville.fr">Jean</a>`,
			"Jean (jean@ville.fr)",
		},
		{
			"table",
			`<table><tr><td>Lieu :</td><td>Paris</td></tr><tr><td>Durée :</td><td>6 mois</td></tr></table>`,
			"Lieu : Paris\nDurée : 6 mois",
		},
		{
			"inline tags",
			`<p>Stage <b>gratifi</b>é, <span>35h</span></p>`,
			"Stage gratifié, 35h",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("HTMLToText:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"crlf", "a\r\nb\rc", "a\nb\nc"},
		{"spaces", "Durée\u00a0:\u202f6\u2009mois\tà\u00a0 Paris  ", "Durée : 6 mois à Paris"},
		{"apostrophes", "l’équipe ‘x’ dʼici l´an `y`", "l'équipe 'x' d'ici l'an 'y'"},
		{"invisible", "stagi\u00aeaire\u00adment zero\u200bwidth\ufeff", "stagi\u00aeairement zerowidth"},
		{"decomposed accents", "e\u0301te\u0301", "été"},
		{"glued range", "du 13au 15/06/2025", "du 13 au 15/06/2025"},
		{"glued ordinal", "le 1erjanvier 2026", "le 1er janvier 2026"},
		{"glued month year", "avant le 31octobre2025", "avant le 31 octobre 2025"},
		{"glued before number", "du13 au15 juin", "du 13 au 15 juin"},
		{"glued english", "from 3to 5 June2025", "from 3 to 5 June 2025"},
		{"left alone", "35h, 2nde, 1er, C2D, QSEC², 3D, 14h30, M2, 16-25 ans, 3maisons", "35h, 2nde, 1er, C2D, QSEC², 3D, 14h30, M2, 16-25 ans, 3maisons"},
		{"addresses left alone", "juin2025@ville.fr www.site.fr/juin2025", "juin2025@ville.fr www.site.fr/juin2025"},
		{"blank lines", "\n\n  \nA\n\n\n\n\nB\n\n\n", "A\n\n\nB"},
		{"indentation kept", "- a\n  - b   c", "- a\n  - b c"},
		{"markdown kept", "## **Titre**\n\n[x](mailto:x@y.fr)", "## **Titre**\n\n[x](mailto:x@y.fr)"},
		// Bidi and other format controls never reach a title or a body.
		{"bidi override", "Stage \u202eegats\u202c ici", "Stage egats ici"},
		{"bidi embeddings", "\u202aA\u202c \u202bB\u202c \u202dC\u202c", "A B C"},
		{"bidi isolates", "\u2066x\u2069 \u2067y\u2069 \u2068z\u2069", "x y z"},
		{"bidi marks", "a\u200eb\u200fc\u061cd", "abcd"},
		{"other format controls", "a\u2061b\u2063c\ufff9d\U000e0041e\u0600f", "abcdef"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) =\n %q\nwant\n %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestNormalizeIdempotentOnSeeds(t *testing.T) {
	for name, data := range seedtest.Files(t) {
		s, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		once := Normalize(s)
		if twice := Normalize(once); twice != once {
			t.Errorf("%s: Normalize is not idempotent", name)
		}
		if strings.Contains(once, "’") || strings.Contains(once, "\r") {
			t.Errorf("%s: Normalize left typographic apostrophes or CR", name)
		}
	}
}

// TestTokenize pins the tokens the grammar and the rules read: folded
// forms, kinds, flags and offsets, a glued ordinal split from its month.
func TestTokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Date limite : 1erjanvier", "date/W/SU limite/W/S :/P/S 1/N/S er/W janvier/W"},
		{"l’École ET dès", "l/W/S '/P ecole/W/UA et/W/SUC des/W/SA"},
		{"35h – 5 pm", "35/N/S h/W -/P/S 5/N/S pm/W/S"},
		{"MÉDIATION", "mediation/W/SUCA"},
	}
	for _, tt := range tests {
		ts := Tokenize(tt.in)
		var got []string
		for i := range ts.Len() {
			tk := ts.At(i)
			desc := ts.S(i) + "/" + map[Kind]string{Word: "W", Number: "N", Punct: "P"}[tk.Kind]
			flags := ""
			for _, f := range []struct {
				on bool
				c  string
			}{{tk.Space(), "S"}, {tk.Upper(), "U"}, {tk.Caps(), "C"}, {tk.Accent(), "A"}} {
				if f.on {
					flags += f.c
				}
			}
			if flags != "" {
				desc += "/" + flags
			}
			if int(tk.End) > len(tt.in) || tk.Pos >= tk.End {
				t.Errorf("%q: token %d spans %d:%d", tt.in, i, tk.Pos, tk.End)
			}
			got = append(got, desc)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Tokenize(%q) =\n %s\nwant\n %s", tt.in, strings.Join(got, " "), tt.want)
		}
	}
	w := Tokenize("avant le 31 octobre").Window(2, 4)
	if w.Len() != 2 || w.S(0) != "31" || w.S(1) != "octobre" {
		t.Errorf("Window(2, 4) = %d tokens, %q %q", w.Len(), w.S(0), w.S(1))
	}
}
