package dovecottest

import (
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"
)

// Mail is a message to deliver, written as mail clients write them.
type Mail struct {
	ID      string // Message-ID without brackets
	From    string
	To      string
	Subject string
	Date    time.Time
	// Headers are extra header fields, "Auto-Submitted: auto-replied".
	Headers []string
	Text    string // the text/plain body
	HTML    string // an text/html alternative, if any
	Files   []File
	// Raw, when set, is the whole body after the header (with its own
	// Content-Type in Headers), for reports.
	Raw string
}

// File is an attachment.
type File struct {
	Name, Type string
	Data       []byte
}

func qp(s string) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
	return b.String()
}

// Bytes writes the message.
func (m Mail) Bytes() []byte {
	var b strings.Builder
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", m.From)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", m.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.ID+">")
	h("MIME-Version", "1.0")
	for _, x := range m.Headers {
		b.WriteString(x + "\r\n")
	}
	if m.Raw != "" {
		b.WriteString("\r\n" + m.Raw)
		return []byte(b.String())
	}
	text := "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(m.Text) + "\r\n"
	body := text
	if m.HTML != "" {
		body = "Content-Type: multipart/alternative; boundary=alt\r\n\r\n--alt\r\n" + text +
			"--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			qp(m.HTML) + "\r\n--alt--\r\n"
	}
	if len(m.Files) == 0 {
		b.WriteString(body)
		return []byte(b.String())
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=mixed\r\n\r\n--mixed\r\n" + body)
	for _, f := range m.Files {
		fmt.Fprintf(&b, "--mixed\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s",
			f.Type, f.Name, f.Name, b64(f.Data))
	}
	b.WriteString("--mixed--\r\n")
	return []byte(b.String())
}
