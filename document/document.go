// Package document owns reading the text out of offer documents that are
// not plain text: PDF (its text layer), Word's DOCX and OpenDocument's ODT
// (their XML). Plain text, Markdown and HTML pass through untouched, for
// package offer to decode.
//
// PDFs are read by poppler's pdftotext (Debian's poppler-utils), run with
// a timeout on the document's bytes: measured on PDFs typeset from the
// seed offers, in one and two columns with hyphenation, it keeps words,
// lines and reading order where the pure Go readers tried glued words
// together, kept the hyphens of split words and mixed the columns (see
// README.md). A PDF without a text layer (a scan) is reported with
// ErrNoText and gives no text at all.
//
// The package reads bytes and returns bytes; it stores nothing and never
// touches the network.
package document

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxSize is the largest document accepted, in bytes: PDFs and Word files
// carry images and fonts, so they are allowed more than a text.
const MaxSize = 20 << 20

// maxText bounds the text taken out of one document (and the XML read
// from an archive), so that a zip bomb cannot fill the memory.
const maxText = 8 << 20

// Kinds of document.
const (
	KindText = "text" // plain text, Markdown, HTML: read by package offer
	KindPDF  = "pdf"
	KindDOCX = "docx"
	KindODT  = "odt"
)

// Errors returned (wrapped) by Text.
var (
	// ErrNoText is a document with no text to read: a scanned PDF, an
	// empty Word file.
	ErrNoText = errors.New("no text layer: a scanned document? nothing was read")
	// ErrUnsupported is a document of a kind this package does not read.
	ErrUnsupported = errors.New("unsupported document")
)

// Kind tells what a document is, from its first bytes, then from its
// content type and its name.
func Kind(name, contentType string, data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return KindPDF
	}
	ct := strings.ToLower(contentType)
	ext := strings.ToLower(path.Ext(name))
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		switch {
		case strings.Contains(ct, "wordprocessingml") || ext == ".docx":
			return KindDOCX
		case strings.Contains(ct, "opendocument.text") || ext == ".odt":
			return KindODT
		}
		// An archive named otherwise: look inside.
		if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
			for _, f := range zr.File {
				switch f.Name {
				case "word/document.xml":
					return KindDOCX
				case "content.xml":
					return KindODT
				}
			}
		}
	}
	switch {
	case ct == "application/pdf" || ext == ".pdf":
		return KindPDF
	case strings.Contains(ct, "wordprocessingml") || ext == ".docx":
		return KindDOCX
	case strings.Contains(ct, "opendocument.text") || ext == ".odt":
		return KindODT
	}
	return KindText
}

// Supported reports whether a file name is one of the documents read here
// (beside the text formats package offer reads).
func Supported(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf", ".docx", ".odt":
		return true
	}
	return false
}

// Reader reads documents.
type Reader struct {
	// PDFToText is the pdftotext program ("pdftotext" on the PATH when "").
	PDFToText string
	// Timeout bounds one PDF (20 s when 0).
	Timeout time.Duration
}

// Text returns the text of the document named name (for errors): the
// bytes themselves for text, the extracted text, as UTF-8 with one line
// per paragraph or line, for PDF, DOCX and ODT.
func (r Reader) Text(ctx context.Context, name, contentType string, data []byte) ([]byte, string, error) {
	kind := Kind(name, contentType, data)
	if kind == KindText {
		return data, kind, nil
	}
	if len(data) > MaxSize {
		return nil, kind, fmt.Errorf("document: %s: larger than %d bytes", name, MaxSize)
	}
	var text string
	var err error
	switch kind {
	case KindPDF:
		text, err = r.pdf(ctx, data)
	case KindDOCX:
		text, err = docx(data)
	case KindODT:
		text, err = odt(data)
	}
	if err != nil {
		return nil, kind, fmt.Errorf("document: %s: %s: %w", name, kind, err)
	}
	if strings.TrimSpace(text) == "" {
		return nil, kind, fmt.Errorf("document: %s: %s: %w", name, kind, ErrNoText)
	}
	return []byte(text), kind, nil
}

// pdf runs pdftotext on data (standard input to standard output) and
// rebuilds its paragraphs. pdftotext finds the reading order (column after
// column) and groups the lines of the page into blocks; -bbox-layout writes
// those blocks, and each becomes one line of text here: a paragraph typeset
// over several lines reads as the one line its author wrote, so a title or
// an address that wrapped is read whole.
func (r Reader) pdf(ctx context.Context, data []byte) (string, error) {
	prog := r.PDFToText
	if prog == "" {
		prog = "pdftotext"
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 20 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, "-q", "-bbox-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var out, stderr bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: 4 * maxText}
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("cannot read PDFs: %w (install poppler-utils)", err)
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "not a readable PDF"
		}
		return "", fmt.Errorf("pdftotext: %v: %s", err, msg)
	}
	return blocks(out.Bytes())
}

// pdfLine is one line of a PDF page as pdftotext found it.
type pdfLine struct {
	x0, y0, x1, y1 float64
	text           string
}

// blocks turns pdftotext's -bbox-layout output (XHTML: page, flow, block,
// line, word, in reading order) into text with one paragraph a line,
// rebuilt from the geometry of the lines: a paragraph ends after a line
// that stops short of its column's right edge, before a line further
// below than the line spacing, and before an indented first line. A
// paragraph that goes on in the next column or on the next page is kept
// whole. pdftotext's own blocks are not used: they split paragraphs
// after a postcode or a date.
func blocks(x []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = false
	var b strings.Builder
	var page []pdfLine
	var words []string
	var word strings.Builder
	var cur pdfLine
	inWord := false
	attr := func(t xml.StartElement, name string) float64 {
		for _, a := range t.Attr {
			if a.Name.Local == name {
				v, _ := strconv.ParseFloat(a.Value, 64)
				return v
			}
		}
		return 0
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("pdftotext output: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "word":
				inWord = true
				word.Reset()
			case "line":
				cur = pdfLine{x0: attr(t, "xMin"), y0: attr(t, "yMin"), x1: attr(t, "xMax"), y1: attr(t, "yMax")}
				words = words[:0]
			}
		case xml.CharData:
			if inWord {
				word.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "word":
				inWord = false
				words = append(words, word.String())
			case "line":
				cur.text = strings.Join(words, " ")
				page = append(page, cur)
			case "page":
				writeParagraphs(&b, page)
				page = page[:0]
			}
		}
		if b.Len() > maxText {
			return "", fmt.Errorf("text larger than %d bytes", maxText)
		}
	}
	return b.String(), nil
}

// writeParagraphs writes the lines of one page, a paragraph a line. The
// last paragraph of the page is left open when its last line is full, so
// that it goes on with the next page.
func writeParagraphs(b *strings.Builder, lines []pdfLine) {
	// The column of a line is the span of the lines that overlap it.
	left := make([]float64, len(lines))
	right := make([]float64, len(lines))
	for i, l := range lines {
		left[i], right[i] = l.x0, l.x1
		for _, o := range lines {
			if o.x0 < l.x1 && o.x1 > l.x0 {
				left[i], right[i] = math.Min(left[i], o.x0), math.Max(right[i], o.x1)
			}
		}
	}
	short := func(i int) bool {
		return lines[i].x1 < right[i]-0.08*(right[i]-left[i])
	}
	for i, l := range lines {
		if i > 0 {
			p := lines[i-1]
			h := p.y1 - p.y0
			sameColumn := l.x0 < p.x1 && l.x1 > p.x0 && l.y0 > p.y0
			switch {
			case short(i - 1),
				sameColumn && l.y0-p.y1 > 0.6*h,
				sameColumn && l.x0 > left[i]+0.5*h:
				b.WriteByte('\n')
			default:
				joinLine(b, l.text)
				continue
			}
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			joinLine(b, l.text) // the paragraph the previous page left open
			continue
		}
		b.WriteString(l.text)
	}
	if len(lines) > 0 && short(len(lines)-1) {
		b.WriteByte('\n')
	}
}

// joinLine adds the next line of a paragraph. A word hyphenated at the end
// of a line is joined again when the line after goes on in lower case
// ("in-" "dustriel": "industriel"); a hyphen before a capital is kept
// ("Saint-" "Laurent": "Saint-Laurent").
func joinLine(b *strings.Builder, l string) {
	prev := b.String()
	first, _ := utf8.DecodeRuneInString(l)
	if strings.HasSuffix(prev, "-") && len(prev) > 1 && unicode.IsLetter(lastRuneBefore(prev, 1)) {
		if unicode.IsLower(first) {
			b.Reset()
			b.WriteString(strings.TrimSuffix(prev, "-"))
		}
		b.WriteString(l)
		return
	}
	b.WriteByte(' ')
	b.WriteString(l)
}

// lastRuneBefore returns the rune before the last n bytes of s.
func lastRuneBefore(s string, n int) rune {
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-n])
	return r
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if len(p) > l.n {
		l.w.Write(p[:l.n])
		l.n = 0
		return 0, errors.New("text larger than the limit")
	}
	l.n -= len(p)
	return l.w.Write(p)
}

// zipped returns the member name of a zip archive, bounded in size.
func zipped(data []byte, name string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a valid archive: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxText+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(b) > maxText {
			return nil, fmt.Errorf("%s: larger than %d bytes", name, maxText)
		}
		return b, nil
	}
	return nil, fmt.Errorf("no %s in the archive", name)
}

// docx reads word/document.xml: one line per paragraph (w:p), a tab for
// w:tab and table cells, a line break for w:br and w:cr.
func docx(data []byte) (string, error) {
	body, err := zipped(data, "word/document.xml")
	if err != nil {
		return "", err
	}
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	return walkXML(body, func(b *strings.Builder, t xml.Token) {
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Space != w {
				return
			}
			switch t.Name.Local {
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			if t.Name.Space != w {
				return
			}
			switch t.Name.Local {
			case "p":
				b.WriteByte('\n')
			case "tc":
				b.WriteByte('\t')
			}
		}
	}, func(name xml.Name) bool { return name.Space == w && name.Local == "t" })
}

// odt reads content.xml: one line per paragraph and heading, text:s for
// runs of spaces, text:tab, text:line-break.
func odt(data []byte) (string, error) {
	body, err := zipped(data, "content.xml")
	if err != nil {
		return "", err
	}
	const text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	return walkXML(body, func(b *strings.Builder, t xml.Token) {
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Space != text {
				return
			}
			switch t.Name.Local {
			case "s":
				n := 1
				for _, a := range t.Attr {
					if a.Name.Local == "c" {
						fmt.Sscanf(a.Value, "%d", &n)
					}
				}
				b.WriteString(strings.Repeat(" ", min(max(n, 1), 100)))
			case "tab":
				b.WriteByte('\t')
			case "line-break":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			if t.Name.Space == text && (t.Name.Local == "p" || t.Name.Local == "h") {
				b.WriteByte('\n')
			}
		}
	}, func(name xml.Name) bool {
		// The text is the character data inside the office:text body, not
		// that of the styles and metadata around it.
		return name.Space == "urn:oasis:names:tc:opendocument:xmlns:office:1.0" && name.Local == "text"
	})
}

// walkXML writes the character data of the elements inText (and of their
// children) and lets each token add its separators.
func walkXML(body []byte, sep func(*strings.Builder, xml.Token), inText func(xml.Name) bool) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var b strings.Builder
	depth := 0 // nesting inside text elements
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("malformed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth > 0 || inText(t.Name) {
				depth++
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
			}
		case xml.CharData:
			if depth > 0 {
				b.Write(t)
			}
		}
		sep(&b, tok)
		if b.Len() > maxText {
			return "", fmt.Errorf("text larger than %d bytes", maxText)
		}
	}
	return strings.TrimRightFunc(b.String(), unicode.IsSpace) + "\n", nil
}
