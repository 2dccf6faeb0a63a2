package text

import (
	"net/url"
	"path"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// This file keeps the HTML reader as it was before it read tag names from
// the raw tag, text as bytes and runs of ASCII at once, so that
// TestReadHTMLAsBefore can check the two read every page alike.

// readHTMLOld reads s, without its chrome when dropChrome is set, and returns
// the page, the bytes of text kept and the bytes of text in the body.
func readHTMLOld(s string, dropChrome bool) (Page, int, int) {
	all := 0
	var w htmlWriterOld
	var pg Page
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	skipTag := ""
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
			// Text consumes the token's text: read it once.
			t := string(z.Text())
			switch {
			case inLD:
				ld.WriteString(t)
				continue
			case inTitle:
				pg.Title += t
				continue
			}
			if skip > 0 {
				if skipTag != "head" && !htmlSkip[skipTag] {
					all += len(strings.TrimSpace(t))
				}
				continue
			}
			all += len(strings.TrimSpace(t))
			w.text(t, pre > 0)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			nameB, hasAttr := z.TagName()
			name := string(nameB)
			end := tt == html.EndTagToken
			var class, id, role, typ, prop, content2, href string
			if hasAttr && !end {
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
			if tt == html.StartTagToken && (htmlSkip[name] || dropChrome && isChromeOld(name, class, id, role, content > 0)) {
				skip, skipTag = 1, name
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
			case htmlParagraph[name]:
				w.breakLines(2)
			case name == "li" && !end:
				w.breakLines(1)
				w.raw("- ")
			case htmlLine[name]:
				w.breakLines(1)
			case htmlCell[name] && !end:
				// A header cell's label and its value read as a labelled
				// line: "Lieu : Grenoble (38)".
				if name == "td" && lastCell == "th" && w.newlines == 0 {
					w.text(" :", false)
				}
				w.space = true
				lastCell = name
			case htmlCell[name] && end:
			case name == "tr":
				lastCell = ""
			case name == "a" && !end && hasAttr:
				mailto, linkStart = MailtoAddress(href), w.b.Len()
			case name == "a" && end && mailto != "":
				shown := w.b.String()[min(linkStart, w.b.Len()):]
				if !strings.Contains(strings.ToLower(shown), strings.ToLower(mailto)) {
					w.text(" ("+mailto+")", false)
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

// htmlWriterOld accumulates text, collapsing HTML white space and tracking how
// many line breaks end the output so block boundaries never pile up.
type htmlWriterOld struct {
	b        strings.Builder
	newlines int  // line breaks at the end of b
	space    bool // a space is pending before the next word
}

func (w *htmlWriterOld) text(t string, pre bool) {
	if pre {
		for _, r := range t {
			w.rune(r)
		}
		return
	}
	for _, r := range t {
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

func (w *htmlWriterOld) rune(r rune) {
	w.b.WriteRune(r)
	if r == '\n' {
		w.newlines++
	} else {
		w.newlines = 0
	}
}

func (w *htmlWriterOld) raw(s string) {
	w.space = false
	for _, r := range s {
		w.rune(r)
	}
}

// breakLines ends the current line so that at least n line breaks separate
// it from what follows.
func (w *htmlWriterOld) breakLines(n int) {
	w.space = false
	if w.b.Len() == 0 {
		return
	}
	for w.newlines < n {
		w.rune('\n')
	}
}

func (w *htmlWriterOld) finish() string {
	s := w.b.String()
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

// htmlSkip, htmlParagraph, htmlLine and htmlCell are the sets of tags the
// reader above looks names up in.
var htmlSkip = map[string]bool{
	"head": true, "script": true, "style": true, "noscript": true,
	"template": true, "svg": true, "title": true, "iframe": true, "object": true, "select": true,
}

var (
	htmlParagraph = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"section": true, "article": true, "header": true, "footer": true, "main": true,
		"aside": true, "nav": true, "blockquote": true, "pre": true, "table": true,
		"ul": true, "ol": true, "dl": true, "form": true, "fieldset": true, "figure": true,
		"address": true, "hr": true,
	}
	htmlLine = map[string]bool{
		"br": true, "div": true, "li": true, "tr": true, "dt": true, "dd": true,
		"caption": true, "figcaption": true, "summary": true, "details": true,
		"option": true, "legend": true, "tbody": true, "thead": true, "tfoot": true,
		"body": true, "html": true,
	}
	htmlCell = map[string]bool{"td": true, "th": true}
)

// isChromeOld reports whether the start tag name with attributes class, id
// and role is the site around the offer; inContent is set inside <main>
// or <article>, where a header or footer is the offer's own.
func isChromeOld(name, class, id, role string, inContent bool) bool {
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
	for _, attr := range []string{class, id} {
		for _, tok := range strings.Fields(strings.ToLower(attr)) {
			// "has-sidebar", "with-menu", "no-cookie" describe the layout
			// of what they wrap, not chrome.
			if strings.HasPrefix(tok, "has-") || strings.HasPrefix(tok, "with-") || strings.HasPrefix(tok, "no-") ||
				strings.HasPrefix(tok, "is-") || strings.HasPrefix(tok, "js-") {
				continue
			}
			for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r == '-' || r == '_' }) {
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

// looksLikeHTMLOld reports whether the offer is HTML: by its name, by its
// first tag, or because it uses several block tags.
func looksLikeHTMLOld(name, text string) bool {
	if u, err := url.Parse(name); err == nil && u.Path != "" {
		name = u.Path
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
