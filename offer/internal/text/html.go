package text

import (
	"bytes"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlBlockTags are enough to tell HTML from plain text or Markdown that
// happens to use a tag or two.
var htmlBlockTags = []string{"<p>", "<p ", "<div", "<br", "<li>", "<li ", "<h1", "<h2", "<h3", "<table", "<ul>"}

// LooksLikeHTML reports whether the offer is HTML: by its name, by its
// first tag, or because it uses several block tags.
func LooksLikeHTML(name, text string) bool {
	// A name without a scheme, query, fragment, escape or host, as a
	// file's path, is its own URL path: url.Parse would return it after
	// allocating a URL, which cost more than the rest of the test.
	if strings.ContainsAny(name, ":?#%") || strings.HasPrefix(name, "//") {
		if u, err := url.Parse(name); err == nil && u.Path != "" {
			name = u.Path
		}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	// The head is lowered only for an XML declaration: lowering 512 bytes
	// of accented text costs as much as the rest of the test.
	head := strings.TrimLeftFunc(text[:min(len(text), 512)], unicode.IsSpace)
	if hasPrefixFold(head, "<!doctype html") || hasPrefixFold(head, "<html") {
		return true
	}
	if hasPrefixFold(head, "<?xml") && strings.Contains(strings.ToLower(head), "<html") {
		return true
	}
	count := 0
	for i := 0; ; i++ {
		k := strings.IndexByte(text[i:], '<')
		if k < 0 {
			return false
		}
		i += k
		for _, tag := range htmlBlockTags {
			if i+len(tag) <= len(text) && asciiEqualFold(text[i:i+len(tag)], tag) {
				if count++; count >= 3 {
					return true
				}
			}
		}
	}
}

// hasPrefixFold reports whether s starts with prefix, an ASCII lower-case
// string, in any case. (No other character lowers to one of its letters
// but the Kelvin sign to "k", which the prefixes it is given do not hold.)
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && asciiEqualFold(s[:len(prefix)], prefix)
}

// asciiEqualFold reports whether s is lower, an ASCII lower-case string,
// in any case.
func asciiEqualFold(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// tagSkip marks elements whose content is never part of the offer's text;
// tagParagraph block elements separated from their neighbours by a blank
// line; tagLine block elements that only start a new line; tagCell table
// cells.
const (
	tagSkip = 1 << iota
	tagParagraph
	tagLine
	tagCell
)

// tagKind returns the kind of the element a, looked up once for each tag
// of a page: a switch on atoms costs less than hashing the name.
func tagKind(a atom.Atom) uint8 {
	switch a {
	case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Title,
		atom.Iframe, atom.Object, atom.Select:
		return tagSkip
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Main, atom.Aside, atom.Nav, atom.Blockquote, atom.Pre, atom.Table,
		atom.Ul, atom.Ol, atom.Dl, atom.Form, atom.Fieldset, atom.Figure, atom.Address, atom.Hr:
		return tagParagraph
	case atom.Br, atom.Div, atom.Li, atom.Tr, atom.Dt, atom.Dd, atom.Caption, atom.Figcaption,
		atom.Summary, atom.Details, atom.Option, atom.Legend, atom.Tbody, atom.Thead, atom.Tfoot,
		atom.Body, atom.Html:
		return tagLine
	case atom.Td, atom.Th:
		return tagCell
	}
	return 0
}

// tagName returns the lower-cased name of the tag z has just read. The
// name is read from the raw tag and, for the tags the HTML standard
// knows, returned as the atom's string: Tokenizer.TagName copies the name
// and string() would copy it again, at every tag of the page. Names of
// other characters than ASCII letters and digits, or unknown, are left to
// TagName. The atom is 0 for a name the standard does not know.
func tagName(z *html.Tokenizer) (string, atom.Atom) {
	raw := z.Raw()
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	var buf [16]byte
	n := 0
	j := i
	for ; j < len(raw) && n < len(buf); j++ {
		c := raw[j]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9' && n > 0:
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			goto end
		}
		buf[n] = c
		n++
	}
end:
	if n > 0 && j < len(raw) && raw[0] == '<' {
		switch raw[j] {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			if a := atom.Lookup(buf[:n]); a != 0 {
				return a.String(), a
			}
		}
	}
	name, _ := z.TagName()
	return string(name), atom.Lookup(name)
}

// HTMLToText returns the visible text of an HTML document. Tags, comments,
// the head, scripts and styles are dropped, and so is the site around the
// offer (see ReadHTML); block elements become line breaks (paragraphs and
// headings a blank line), list items start with "- ", table cells are
// separated by spaces and entities are decoded. The address of a mailto
// link is kept after the link's text unless the text already shows it, so
// that contacts survive.
func HTMLToText(s string) string { return ReadHTML(s).Text }

// Page is what ReadHTML reads of an HTML document.
type Page struct {
	// Text is the visible text of the offer, without the site around it.
	Text string
	// Title is the document's <title>, SiteName its og:site_name, and H1
	// the text of its only <h1> in the offer ("" when it has none or
	// several).
	Title, SiteName, H1 string
	// JobPosting is the first schema.org JobPosting of its JSON-LD
	// blocks, nil when there is none.
	JobPosting *JobPosting
}

// chromeWords, in an element's class or id, mark the site around the
// offer: cookie banners, share bars, related posts, sidebars, breadcrumbs.
var chromeWords = []string{
	"cookie", "consent", "gdpr", "rgpd", "share", "sharing", "social", "related", "similar", "sidebar",
	"breadcrumb", "navbar", "menu", "newsletter", "recommend", "read-also", "a-lire", "lire-aussi",
	"site-header", "site-footer", "masthead", "colophon", "widget",
}

// chromeRoles are ARIA roles of the site around the offer.
var chromeRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true, "search": true,
}

// isChrome reports whether the start tag name with attributes class, id
// and role is the site around the offer; inContent is set inside <main>
// or <article>, where a header or footer is the offer's own.
func isChrome(name, class, id, role string, inContent bool) bool {
	switch name {
	case "nav", "aside":
		return true
	case "header", "footer":
		if !inContent {
			return true
		}
	case "html", "body", "main", "article":
		return false
	}
	if chromeRoles[role] && (!inContent || role == "navigation" || role == "complementary") {
		return true
	}
	// The words are walked as iterators, not split into slices: most
	// start tags of a page come here, with a class or an id.
	for _, attr := range []string{class, id} {
		for tok := range strings.FieldsSeq(strings.ToLower(attr)) {
			// "has-sidebar", "with-menu", "no-cookie" describe the layout
			// of what they wrap, not chrome.
			if strings.HasPrefix(tok, "has-") || strings.HasPrefix(tok, "with-") || strings.HasPrefix(tok, "no-") ||
				strings.HasPrefix(tok, "is-") || strings.HasPrefix(tok, "js-") {
				continue
			}
			for part := range strings.FieldsFuncSeq(tok, isWordDash) {
				for _, w := range chromeWords {
					if part == w || strings.HasPrefix(part, w) && len(part) <= len(w)+1 {
						return true
					}
				}
			}
			for _, w := range chromeWords {
				if strings.Contains(w, "-") && strings.Contains(tok, w) {
					return true
				}
			}
		}
	}
	return false
}

// isWordDash reports whether r joins the words of a class or an id.
func isWordDash(r rune) bool { return r == '-' || r == '_' }

// ReadHTML reads an HTML document: its visible text without the site
// around the offer (navigation, headers and footers of the site,
// sidebars, related posts, cookie banners, share bars, by element and by
// common class, id and role names), its title, its og:site_name and its
// schema.org JobPosting.
//
// When what is left is less than a tenth of the page's text and short, the
// page is read again with its chrome: a wrapper taken for chrome must not
// lose the offer.
func ReadHTML(s string) Page {
	pg, kept, all := readHTML(s, true)
	if kept*10 < all && kept < 200 {
		pg, _, _ = readHTML(s, false)
	}
	return pg
}

// readHTML reads s, without its chrome when dropChrome is set, and returns
// the page, the bytes of text kept and the bytes of text in the body.
func readHTML(s string, dropChrome bool) (Page, int, int) {
	all := 0
	var w htmlWriter
	var pg Page
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	skipTag := ""
	skipHidden := false // skipTag's content is never shown
	pre := 0
	mailto := ""
	linkStart := 0
	content := 0 // depth of <main> and <article>
	inTitle, inLD := false, false
	lastCell := "" // the cell before, in the row
	h1s, h1Start := 0, -1
	var ld strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			// Text consumes the token's text: read it once. It is read
			// in place, valid until the next token.
			t := z.Text()
			switch {
			case inLD:
				ld.Write(t)
				continue
			case inTitle:
				pg.Title += string(t)
				continue
			}
			if skip > 0 {
				if !skipHidden {
					all += len(bytes.TrimSpace(t))
				}
				continue
			}
			all += len(bytes.TrimSpace(t))
			w.text(t, pre > 0)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, a := tagName(z)
			end := tt == html.EndTagToken
			kind := tagKind(a)
			// Only a link needs to know whether its tag has attributes;
			// TagAttr returns none when it has not.
			hasAttr := false
			if name == "a" && !end {
				_, hasAttr = z.TagName()
			}
			var class, id, role, typ, prop, content2, href string
			if !end {
				for {
					k, v, more := z.TagAttr()
					switch string(k) {
					case "class":
						class = string(v)
					case "id":
						id = string(v)
					case "role":
						role = string(v)
					case "type":
						typ = string(v)
					case "property":
						prop = string(v)
					case "content":
						content2 = string(v)
					case "href":
						href = string(v)
					}
					if !more {
						break
					}
				}
			}
			switch {
			case name == "title":
				inTitle = tt == html.StartTagToken
			case name == "script" && tt == html.StartTagToken && strings.EqualFold(strings.TrimSpace(typ), "application/ld+json"):
				inLD = true
				ld.Reset()
				continue
			case name == "script" && end && inLD:
				inLD = false
				if pg.JobPosting == nil {
					pg.JobPosting = findJobPosting(ld.String())
				}
				continue
			case name == "meta" && prop == "og:site_name":
				pg.SiteName = strings.TrimSpace(content2)
			}
			if (name == "main" || name == "article") && skip == 0 {
				if end {
					content = max(content-1, 0)
				} else if tt == html.StartTagToken {
					content++
				}
			}
			if skip > 0 {
				switch {
				case name == skipTag && tt == html.StartTagToken:
					skip++
				case name == skipTag && end:
					skip--
				case skipTag == "head" && name == "body":
					skip = 0
				}
				if skip > 0 {
					continue
				}
				if name == skipTag {
					continue
				}
			}
			if tt == html.StartTagToken && (kind&tagSkip != 0 || dropChrome && isChrome(name, class, id, role, content > 0)) {
				skip, skipTag, skipHidden = 1, name, kind&tagSkip != 0
				if name == "title" {
					inTitle = true
				}
				continue
			}
			if name == "h1" && skip == 0 {
				if tt == html.StartTagToken {
					h1s++
					w.breakLines(2)
					h1Start = w.b.Len()
				} else if end && h1Start >= 0 {
					if h1s == 1 {
						pg.H1 = strings.Join(strings.Fields(w.b.String()[h1Start:]), " ")
					}
					h1Start = -1
				}
			}
			switch {
			case name == "pre":
				if end {
					pre = max(pre-1, 0)
				} else if tt == html.StartTagToken {
					pre++
				}
				w.breakLines(2)
			case kind&tagParagraph != 0:
				w.breakLines(2)
			case name == "li" && !end:
				w.breakLines(1)
				w.raw("- ")
			case kind&tagLine != 0:
				w.breakLines(1)
			case kind&tagCell != 0 && !end:
				// A header cell's label and its value read as a labelled
				// line: "Lieu : Grenoble (38)".
				if name == "td" && lastCell == "th" && w.newlines == 0 {
					w.text([]byte(" :"), false)
				}
				w.space = true
				lastCell = name
			case kind&tagCell != 0 && end:
			case name == "tr":
				lastCell = ""
			case name == "a" && !end && hasAttr:
				mailto, linkStart = MailtoAddress(href), w.b.Len()
			case name == "a" && end && mailto != "":
				shown := w.b.String()[min(linkStart, w.b.Len()):]
				if !strings.Contains(strings.ToLower(shown), strings.ToLower(mailto)) {
					w.text([]byte(" ("+mailto+")"), false)
				}
				mailto = ""
			}
		}
	}
	pg.Title = strings.Join(strings.Fields(html.UnescapeString(pg.Title)), " ")
	pg.Text = w.finish()
	if h1s != 1 {
		pg.H1 = ""
	}
	return pg, len(pg.Text), all
}

// MailtoAddress returns the address of a mailto: link, or "".
func MailtoAddress(href string) string {
	href = strings.TrimSpace(href)
	if len(href) < 7 || !strings.EqualFold(href[:7], "mailto:") {
		return ""
	}
	addr := href[7:]
	if i := strings.IndexAny(addr, "?#"); i >= 0 {
		addr = addr[:i]
	}
	if u, err := url.PathUnescape(addr); err == nil {
		addr = u
	}
	if i := strings.IndexByte(addr, ','); i >= 0 {
		addr = addr[:i]
	}
	addr = strings.TrimSpace(addr)
	if !strings.Contains(addr, "@") {
		return ""
	}
	return addr
}

// htmlWriter accumulates text, collapsing HTML white space and tracking how
// many line breaks end the output so block boundaries never pile up.
type htmlWriter struct {
	b        strings.Builder
	newlines int  // line breaks at the end of b
	space    bool // a space is pending before the next word
}

// text writes t, HTML text, collapsing its white space unless pre is set.
// A run of ASCII without spaces, most of a page, is written at once.
func (w *htmlWriter) text(t []byte, pre bool) {
	if pre {
		for _, r := range string(t) {
			w.rune(r)
		}
		return
	}
	for i := 0; i < len(t); {
		if c := t[i]; c < utf8.RuneSelf {
			if isASCIISpace(c) {
				w.space = true
				i++
				continue
			}
			j := i + 1
			for j < len(t) && t[j] < utf8.RuneSelf && !isASCIISpace(t[j]) {
				j++
			}
			if w.space && w.b.Len() > 0 && w.newlines == 0 {
				w.b.WriteByte(' ')
			}
			w.space = false
			w.b.Write(t[i:j])
			w.newlines = 0
			i = j
			continue
		}
		r, n := utf8.DecodeRune(t[i:])
		i += n
		if r != '\u00a0' && unicode.IsSpace(r) {
			w.space = true
			continue
		}
		if w.space && w.b.Len() > 0 && w.newlines == 0 {
			w.b.WriteByte(' ')
		}
		w.space = false
		w.rune(r)
	}
}

// isASCIISpace reports whether c, an ASCII byte, is white space as
// unicode.IsSpace has it.
func isASCIISpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

func (w *htmlWriter) rune(r rune) {
	w.b.WriteRune(r)
	if r == '\n' {
		w.newlines++
	} else {
		w.newlines = 0
	}
}

func (w *htmlWriter) raw(s string) {
	w.space = false
	for _, r := range s {
		w.rune(r)
	}
}

// breakLines ends the current line so that at least n line breaks separate
// it from what follows.
func (w *htmlWriter) breakLines(n int) {
	w.space = false
	if w.b.Len() == 0 {
		return
	}
	for w.newlines < n {
		w.rune('\n')
	}
}

// finish returns the text written, each line without its trailing white
// space and without blank lines around. Spaces are only written before a
// word, so most pages have no line to trim and are returned as written.
func (w *htmlWriter) finish() string {
	s := w.b.String()
	if !trailingSpace(s) {
		return strings.Trim(s, "\n")
	}
	var b strings.Builder
	b.Grow(len(s))
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		if start > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRightFunc(s[start:end], unicode.IsSpace))
		start = end + 1
	}
	return strings.Trim(b.String(), "\n")
}

// trailingSpace reports whether a line of s ends with white space.
func trailingSpace(s string) bool {
	for {
		i := strings.IndexByte(s, '\n')
		line := s
		if i >= 0 {
			line = s[:i]
		}
		if r, _ := utf8.DecodeLastRuneInString(line); unicode.IsSpace(r) {
			return true
		}
		if i < 0 {
			return false
		}
		s = s[i+1:]
	}
}
