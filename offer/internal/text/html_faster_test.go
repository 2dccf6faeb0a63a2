package text

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/echeance/echeance/offer/internal/seedtest"
)

// htmlPieces are what random pages are made of: the tags the reader
// treats apart, in both cases, attributes of chrome, links, entities,
// white space of every kind, accents, invalid UTF-8 and NUL bytes.
var htmlPieces = []string{
	"<p>", "</p>", "<P class=x>", "<div>", "</div>", "<DIV id=\"menu\">", "<br>", "<br/>", "<li>", "</li>",
	"<ul>", "</ul>", "<h1>", "</h1>", "<H1>", "<table>", "<tr>", "</tr>", "<th>", "</th>", "<td>", "</td>",
	"<pre>", "</pre>", "<main>", "</main>", "<article>", "</article>", "<header>", "</header>",
	"<footer>", "</footer>", "<nav>", "</nav>", "<aside>", "<head>", "</head>", "<body>", "<title>",
	"</title>", "<script>", "</script>", "<script type=\"application/ld+json\">", "<style>", "</style>",
	"<a href=\"mailto:rh@example.fr\">", "<a>", "<a href=x>", "</a>", "<A HREF='mailto:a%40b.fr?x'>",
	"<span>", "</span>", "<div class=\"share-bar\">", "<div role=navigation>", "<section class=related>",
	"<meta property=\"og:site_name\" content=\" Site \">", "<my-widget>", "</my-widget>", "<x\x00y>",
	"<h1\x00>", "<Tr>", "</ TD>", "<!-- c -->", "<!doctype html>", "<", ">", "</", "&amp;", "&nbsp;",
	"&eacute;", "&#233;", " ", "  ", "\n", "\r\n", "\t", "\v", "\f", "\u00a0", "\u2003", "\u0085",
	"é", "Date limite : 15 janvier 2026", "rh@example.fr", "mot", "x", "\xff", "\xc3", "\x00",
	"{\"@type\":\"JobPosting\",\"title\":\"T\"}", "<svg>", "</svg>", "<textarea>", "<plaintext>",
}

// randomPages returns n pages made of htmlPieces.
func randomPages(n int) []string {
	rng := rand.New(rand.NewPCG(7, 8))
	pages := make([]string, n)
	var b strings.Builder
	for i := range pages {
		b.Reset()
		for range rng.IntN(80) {
			b.WriteString(htmlPieces[rng.IntN(len(htmlPieces))])
		}
		pages[i] = b.String()
	}
	return pages
}

// TestReadHTMLAsBefore checks that readHTML reads the corpus pages, every
// corpus text taken as a page, and random pages as readHTMLOld did, with
// and without the site's chrome.
func TestReadHTMLAsBefore(t *testing.T) {
	pages := append(htmlCorpus(t), fasterInputs(t)...)
	pages = append(pages, randomPages(30000)...)
	for _, s := range pages {
		for _, drop := range []bool{true, false} {
			pg, kept, all := readHTML(s, drop)
			opg, okept, oall := readHTMLOld(s, drop)
			if !reflect.DeepEqual(pg, opg) || kept != okept || all != oall {
				t.Fatalf("readHTML(%q, %v) = %+v, %d, %d; before %+v, %d, %d", s, drop, pg, kept, all, opg, okept, oall)
			}
		}
	}
}

// chromePieces are what random classes and ids are made of.
var chromePieces = []string{
	"cookie", "share", "menu", "menus", "menuX", "Sidebar", "read-also", "a-lire", "site-footer", "has-",
	"with-", "no-", "is-", "js-", "-", "_", " ", "\t", "\u00a0", "\u2003", "É", "x", "post", "\xff",
}

// TestIsChromeAsBefore checks that isChrome tells chrome from content as
// isChromeOld did, on random classes and ids.
func TestIsChromeAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	names := []string{"div", "nav", "header", "footer", "main", "section", "span"}
	roles := []string{"", "navigation", "banner", "main", "complementary"}
	var b strings.Builder
	word := func() string {
		b.Reset()
		for range rng.IntN(8) {
			b.WriteString(chromePieces[rng.IntN(len(chromePieces))])
		}
		return b.String()
	}
	for range 100000 {
		name, role, in := names[rng.IntN(len(names))], roles[rng.IntN(len(roles))], rng.IntN(2) == 0
		class, id := word(), word()
		if got, want := isChrome(name, class, id, role, in), isChromeOld(name, class, id, role, in); got != want {
			t.Fatalf("isChrome(%q, %q, %q, %q, %v) = %v, before %v", name, class, id, role, in, got, want)
		}
	}
}

// namePieces are what random offer names are made of: paths, URLs and
// what url.Parse reads apart.
var namePieces = []string{
	"offer", "/", "//", "///", "x.html", ".htm", ".HTML", ".txt", ".md", "https:", "http://h", "file:",
	"?", "#", "%", "%2e", "%zz", "html", ":", " ", "\x01", "*", "é", "a.b", "c_d:e",
}

// TestLooksLikeHTMLAsBefore checks that LooksLikeHTML tells HTML as
// looksLikeHTMLOld did, on the corpus texts and random pages under
// random names.
func TestLooksLikeHTMLAsBefore(t *testing.T) {
	texts := append(seedtest.CorpusTexts(t), randomPages(2000)...)
	rng := rand.New(rand.NewPCG(11, 12))
	var b strings.Builder
	for range 50000 {
		b.Reset()
		for range rng.IntN(6) {
			b.WriteString(namePieces[rng.IntN(len(namePieces))])
		}
		name, s := b.String(), texts[rng.IntN(len(texts))]
		if got, want := LooksLikeHTML(name, s), looksLikeHTMLOld(name, s); got != want {
			t.Fatalf("LooksLikeHTML(%q, %q) = %v, before %v", name, s, got, want)
		}
	}
}
