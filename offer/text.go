package offer

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// Decode turns the raw bytes of an offer into UTF-8 text.
//
// A UTF-8 byte order mark is dropped. UTF-16 is recognised by its byte order
// mark, or without one when every other byte is zero as in plain Latin text.
// Valid UTF-8 is kept as is; any byte that does not start a valid UTF-8
// sequence is read as Windows-1252, which covers ISO-8859-1 and is what
// French files that are not UTF-8 almost always use. Mixed files (UTF-8 with
// a pasted Latin-1 word) therefore come out right too.
//
// Data with NUL bytes or with many control characters is rejected with an
// error wrapping ErrBinary. Empty data decodes to "" without error.
func Decode(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		s = decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		s = decodeUTF16(data[2:], true)
	default:
		if bigEndian, ok := sniffUTF16(data); ok {
			s = decodeUTF16(data, bigEndian)
		} else {
			if bytes.IndexByte(data, 0) >= 0 {
				return "", fmt.Errorf("NUL byte: %w", ErrBinary)
			}
			s = decodeUTF8OrCP1252(data)
		}
	}
	if err := checkControls(s); err != nil {
		return "", err
	}
	return s, nil
}

// decodeUTF16 decodes UTF-16 text; a trailing odd byte is dropped and
// unpaired surrogates become U+FFFD.
func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// sniffUTF16 recognises UTF-16 without a byte order mark: in text made of
// Latin letters one byte of each pair is zero and the other almost never.
func sniffUTF16(b []byte) (bigEndian, ok bool) {
	n := min(len(b), 4096) &^ 1
	if n < 4 {
		return false, false
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			evenZero++
		}
		if b[i+1] == 0 {
			oddZero++
		}
	}
	pairs := n / 2
	switch {
	case oddZero*10 >= pairs*9 && evenZero*20 <= pairs:
		return false, true
	case evenZero*10 >= pairs*9 && oddZero*20 <= pairs:
		return true, true
	}
	return false, false
}

// cp1252 maps the bytes 0x80 to 0x9F of Windows-1252; the five unassigned
// bytes map to the C1 control of the same value, as browsers do.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

func decodeUTF8OrCP1252(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			c := b[0]
			if c >= 0x80 && c < 0xa0 {
				sb.WriteRune(cp1252[c-0x80])
			} else {
				sb.WriteRune(rune(c))
			}
			b = b[1:]
			continue
		}
		sb.WriteRune(r)
		b = b[size:]
	}
	return sb.String()
}

// checkControls rejects text in which control characters other than line
// and page breaks and tabs make up more than one character in twenty, a sure
// sign of binary data.
func checkControls(s string) error {
	var total, controls int
	for _, r := range s {
		total++
		switch {
		case r == 0:
			return fmt.Errorf("NUL character: %w", ErrBinary)
		case r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == '\v':
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			controls++
		}
	}
	if controls > 0 && controls*20 > total {
		return fmt.Errorf("%d control characters in %d: %w", controls, total, ErrBinary)
	}
	return nil
}

// htmlBlockTags are enough to tell HTML from plain text or Markdown that
// happens to use a tag or two.
var htmlBlockTags = []string{"<p>", "<p ", "<div", "<br", "<li>", "<li ", "<h1", "<h2", "<h3", "<table", "<ul>"}

// looksLikeHTML reports whether the offer is HTML: by its name, by its
// first tag, or because it uses several block tags.
func looksLikeHTML(name, text string) bool {
	if u, err := url.Parse(name); err == nil && u.Path != "" {
		name = u.Path
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	head := strings.ToLower(strings.TrimLeftFunc(text[:min(len(text), 512)], unicode.IsSpace))
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") {
		return true
	}
	if strings.HasPrefix(head, "<?xml") && strings.Contains(head, "<html") {
		return true
	}
	lower := strings.ToLower(text)
	count := 0
	for _, tag := range htmlBlockTags {
		count += strings.Count(lower, tag)
		if count >= 3 {
			return true
		}
	}
	return false
}

// htmlSkip are elements whose content is never part of the offer's text.
var htmlSkip = map[string]bool{
	"head": true, "script": true, "style": true, "noscript": true,
	"template": true, "svg": true, "title": true, "iframe": true, "object": true, "select": true,
}

// htmlParagraph are block elements separated from their neighbours by a
// blank line; htmlLine are block elements that only start a new line.
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

// HTMLToText returns the visible text of an HTML document. Tags, comments,
// the head, scripts and styles are dropped; block elements become line
// breaks (paragraphs and headings a blank line), list items start with
// "- ", table cells are separated by spaces and entities are decoded. The
// address of a mailto link is kept after the link's text unless the text
// already shows it, so that contacts survive.
func HTMLToText(s string) string {
	var w htmlWriter
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	skipTag := ""
	pre := 0
	mailto := ""
	linkStart := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			if skip > 0 {
				continue
			}
			w.text(string(z.Text()), pre > 0)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			nameB, hasAttr := z.TagName()
			name := string(nameB)
			if skip > 0 {
				switch {
				case name == skipTag && tt == html.StartTagToken:
					skip++
				case name == skipTag && tt == html.EndTagToken:
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
			if tt == html.StartTagToken && htmlSkip[name] {
				skip, skipTag = 1, name
				continue
			}
			end := tt == html.EndTagToken
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
				w.space = true
			case name == "a" && !end && hasAttr:
				mailto, linkStart = "", w.b.Len()
				for {
					k, v, more := z.TagAttr()
					if string(k) == "href" {
						mailto = mailtoAddress(string(v))
					}
					if !more {
						break
					}
				}
			case name == "a" && end && mailto != "":
				shown := w.b.String()[min(linkStart, w.b.Len()):]
				if !strings.Contains(strings.ToLower(shown), strings.ToLower(mailto)) {
					w.text(" ("+mailto+")", false)
				}
				mailto = ""
			}
		}
	}
	return w.finish()
}

// mailtoAddress returns the address of a mailto: link, or "".
func mailtoAddress(href string) string {
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

func (w *htmlWriter) text(t string, pre bool) {
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

func (w *htmlWriter) finish() string {
	lines := strings.Split(w.b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// Normalize cleans a decoded text so the readers can rely on its shape:
//   - line ends become "\n" (also for CR, NEL and the Unicode separators);
//   - text is put in Unicode NFC form, so accents are single characters;
//   - tabs and exotic spaces (no-break, narrow, thin, ...) become spaces;
//   - typographic apostrophes (’ ‘ ʼ ´ `) become ';
//   - soft hyphens, zero-width characters and stray controls are removed;
//   - a number glued to a date word is split from it ("du 13au 15/06" gives
//     "du 13 au 15/06", "1erjanvier" gives "1er janvier", "juin2025" gives
//     "juin 2025"), while "35h", "2nde", "1er" or "C2D" are left alone;
//   - runs of spaces inside a line become one, trailing spaces go, runs of
//     more than two blank lines become two, and blank lines at either end of
//     the text are dropped.
//
// Leading indentation and Markdown markup are kept. Normalize is
// idempotent.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(normRune, s)
	s = norm.NFC.String(s)
	// NFC maps some spaces (U+2000) to others; map again.
	s = strings.Map(normRune, s)
	s = splitGlued(s)

	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		l = collapseSpaces(l)
		if l == "" {
			blank++
			if blank > 2 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// normRune maps one character for Normalize; -1 drops it.
func normRune(r rune) rune {
	switch r {
	case '\r', '\u0085', '\u2028', '\u2029', '\v', '\f':
		return '\n'
	case '\t', '\u00a0', '\u1680', '\u202f', '\u205f', '\u3000', '\u180e':
		return ' '
	case '\u2019', '\u2018', '\u02bc', '\u00b4', '`', '\u2032':
		return '\''
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u200f':
		return -1
	}
	switch {
	case r == '\n':
		return r
	case r >= '\u2000' && r <= '\u200a':
		return ' '
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return -1
	}
	return r
}

// collapseSpaces keeps a line's indentation, turns inner runs of spaces into
// one and drops trailing spaces.
func collapseSpaces(l string) string {
	l = strings.TrimRight(l, " ")
	body := strings.TrimLeft(l, " ")
	if !strings.Contains(body, "  ") {
		return l
	}
	indent := l[:len(l)-len(body)]
	var b strings.Builder
	b.Grow(len(l))
	b.WriteString(indent)
	prev := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == ' ' && prev {
			continue
		}
		prev = c == ' '
		b.WriteByte(c)
	}
	return b.String()
}

// dateWords are the words that, glued to a number, make a date expression
// worth splitting: months in French and English (with usual abbreviations)
// and the small words of ranges and deadlines.
var gluedWords = map[string]bool{
	"janvier": true, "février": true, "fevrier": true, "mars": true, "avril": true,
	"mai": true, "juin": true, "juillet": true, "août": true, "aout": true,
	"septembre": true, "octobre": true, "novembre": true, "décembre": true, "decembre": true,
	"janv": true, "févr": true, "fevr": true, "fév": true, "avr": true, "juil": true,
	"sept": true, "oct": true, "nov": true, "déc": true, "dec": true,
	"january": true, "february": true, "march": true, "april": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true,
	"december": true, "jan": true, "feb": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true,
	"au": true, "du": true, "le": true, "et": true, "à": true, "ou": true, "dès": true,
	"avant": true, "après": true, "entre": true, "jusqu": true,
	"to": true, "and": true, "from": true, "until": true, "till": true, "by": true,
	"before": true, "after": true,
}

// ordinals may sit between a day number and a month ("1erjanvier").
var gluedOrdinals = []string{"er", "ère", "re", "st", "nd", "rd", "th"}

// splitGlued separates numbers from date words they are glued to. It works
// on runs of letters and digits: each run is cut into alternating letter
// and digit segments and a space is put where a digit segment meets a date
// word. Tokens that look like addresses or URLs are left alone.
func splitGlued(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	i := 0
	for i < len(s) {
		// Copy separators.
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
			j++
		}
		b.WriteString(s[i:j])
		i = j
		for j < len(s) && s[j] != ' ' && s[j] != '\n' {
			j++
		}
		tok := s[i:j]
		i = j
		if strings.Contains(tok, "@") || strings.Contains(tok, "://") || strings.Contains(strings.ToLower(tok), "www.") {
			b.WriteString(tok)
			continue
		}
		splitToken(&b, tok)
	}
	return b.String()
}

type gluedKind int

const (
	gluedOther gluedKind = iota
	gluedLetters
	gluedDigits
)

func gluedKindOf(r rune) gluedKind {
	switch {
	case r >= '0' && r <= '9':
		return gluedDigits
	case unicode.IsLetter(r):
		return gluedLetters
	}
	return gluedOther
}

// splitToken writes tok to b with spaces inserted between numbers and date
// words glued to them.
func splitToken(b *strings.Builder, tok string) {
	type seg struct {
		kind       gluedKind
		start, end int
	}
	var segs []seg
	for i, r := range tok {
		k := gluedKindOf(r)
		if n := len(segs); n > 0 && segs[n-1].kind == k && segs[n-1].end == i {
			segs[n-1].end = i + utf8.RuneLen(r)
			continue
		}
		segs = append(segs, seg{k, i, i + utf8.RuneLen(r)})
	}
	// cuts are byte offsets in tok before which a space goes.
	var cuts []int
	for n := 0; n+1 < len(segs); n++ {
		a, c := segs[n], segs[n+1]
		if a.end != c.start {
			continue
		}
		switch {
		case a.kind == gluedDigits && c.kind == gluedLetters:
			word := strings.ToLower(tok[c.start:c.end])
			if gluedWords[word] {
				cuts = append(cuts, c.start)
				continue
			}
			for _, o := range gluedOrdinals {
				if rest, ok := strings.CutPrefix(word, o); ok && gluedWords[rest] {
					cuts = append(cuts, c.start+len(o))
					break
				}
			}
		case a.kind == gluedLetters && c.kind == gluedDigits:
			word := strings.ToLower(tok[a.start:a.end])
			if gluedWords[word] {
				cuts = append(cuts, c.start)
				continue
			}
			// "1erjanvier2026": the month ends the letter segment.
			if n > 0 && segs[n-1].kind == gluedDigits {
				for _, o := range gluedOrdinals {
					if rest, ok := strings.CutPrefix(word, o); ok && gluedWords[rest] {
						cuts = append(cuts, c.start)
						break
					}
				}
			}
		}
	}
	prev := 0
	for _, c := range cuts {
		b.WriteString(tok[prev:c])
		b.WriteByte(' ')
		prev = c
	}
	b.WriteString(tok[prev:])
}
