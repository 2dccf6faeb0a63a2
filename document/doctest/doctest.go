// Package doctest makes the documents the tests read: PDFs typeset by groff
// (Debian's groff, installed by make test-deps) from an offer's text, in
// one or two justified and hyphenated columns, a PDF with no text layer
// (a scan), and DOCX and ODT files written as Word and LibreOffice write
// them. Nothing here is copied from elsewhere: each document is made from
// the text it is given.
package doctest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// paragraphs splits text into its non-empty lines.
func paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// PDF typesets text with groff's ms macros into a PDF of columns columns
// (1 or 2), justified and hyphenated as groff does by default: each line of
// the text is a paragraph.
func PDF(tb testing.TB, text string, columns int) []byte {
	tb.Helper()
	var src strings.Builder
	src.WriteString(".nr PS 10\n.nr VS 12\n.nr HY 1\n")
	if columns == 2 {
		src.WriteString(".2C\n")
	}
	for _, p := range paragraphs(text) {
		p = strings.ReplaceAll(p, `\`, `\e`)
		if p[0] == '.' || p[0] == '\'' {
			p = `\&` + p
		}
		src.WriteString(".PP\n" + p + "\n")
	}
	cmd := exec.Command("groff", "-k", "-ms", "-Tpdf", "-dpaper=a4", "-P-pa4")
	cmd.Stdin = strings.NewReader(src.String())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		tb.Fatalf("groff (make test-deps installs it): %v: %s", err, errb.String())
	}
	return out.Bytes()
}

// ScannedPDF is a one-page PDF that draws shapes and holds no text, as a
// scanner's output has none.
func ScannedPDF() []byte {
	content := "0.2 g 72 700 450 20 re f 72 650 300 20 re f 72 600 400 20 re f\n"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func archive(tb testing.TB, files [][2]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		method := zip.Deflate
		if f[0] == "mimetype" {
			method = zip.Store // ODF: stored first, uncompressed
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: method})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// DOCX writes text as a Word document: one justified paragraph per line,
// each split into a bold and a plain run as Word stores styled text.
func DOCX(tb testing.TB, text string) []byte {
	tb.Helper()
	var body strings.Builder
	for _, p := range paragraphs(text) {
		body.WriteString(`<w:p><w:pPr><w:jc w:val="both"/></w:pPr>`)
		words := strings.Fields(p)
		half := len(words) / 2
		// Two runs, the first bold, as a styled line is stored.
		body.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + escape(strings.Join(words[:half], " ")) + ` </w:t></w:r>`)
		body.WriteString(`<w:r><w:t xml:space="preserve">` + escape(strings.Join(words[half:], " ")) + `</w:t></w:r>`)
		body.WriteString("</w:p>")
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` +
		body.String() + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
	return archive(tb, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", doc},
	})
}

// ODT writes text as an OpenDocument text: one paragraph per line, runs of
// spaces as text:s.
func ODT(tb testing.TB, text string) []byte {
	tb.Helper()
	var body strings.Builder
	for i, p := range paragraphs(text) {
		tag := "text:p"
		if i == 0 {
			tag = "text:h"
		}
		words := strings.Fields(p)
		body.WriteString("<" + tag + ">")
		for j, w := range words {
			if j > 0 {
				body.WriteString(" ")
			}
			body.WriteString(`<text:span text:style-name="T1">` + escape(w) + "</text:span>")
		}
		body.WriteString("</" + tag + ">")
	}
	content := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:automatic-styles/><office:body><office:text>` +
		body.String() + `</office:text></office:body></office:document-content>`
	return archive(tb, [][2]string{
		{"mimetype", "application/vnd.oasis.opendocument.text"},
		{"content.xml", content},
		{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
	})
}
