package mailbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // the charsets of real mail: ISO-8859-1, Windows-1252...

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

// MaxMessage is the largest message read, in bytes; a larger one is
// rejected, never half read.
const MaxMessage = 32 << 20

// Message is a mail as echeance reads it.
type Message struct {
	// ID is the Message-ID with its angle brackets.
	ID      string
	From    string
	Subject string
	Date    time.Time
	header  message.Header
	// texts are the body's text/plain parts, htmls its text/html parts as
	// text; the HTML is read only when there is no plain text (in a
	// multipart/alternative the two say the same).
	texts, htmls []string
	files        []file
	// report holds the fields of a delivery status notification.
	report *report
	// returned is the header of the message a report is about.
	returned *message.Header
}

type file struct {
	name, contentType string
	data              []byte
}

// Parse reads a raw message (RFC 5322, MIME). A part in an unknown charset
// is read as it is; a message without a Message-ID gets one from its
// content, so that reading it again gives the same name.
func Parse(raw []byte) (*Message, error) {
	if len(raw) > MaxMessage {
		return nil, fmt.Errorf("mailbox: message larger than %d bytes", MaxMessage)
	}
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("mailbox: %w", err)
	}
	m := &Message{header: e.Header}
	m.ID = strings.TrimSpace(e.Header.Get("Message-Id"))
	if m.ID == "" {
		m.ID = fmt.Sprintf("<%s@echeance.invalid>", offer.Offer{Text: string(raw)}.Digest()[:32])
	}
	if !strings.HasPrefix(m.ID, "<") {
		m.ID = "<" + m.ID + ">"
	}
	m.From = decodeHeader(e.Header.Get("From"))
	if a, err := mail.ParseAddress(m.From); err == nil {
		m.From = a.Address
	}
	m.Subject = decodeHeader(e.Header.Get("Subject"))
	if d, err := mail.ParseDate(e.Header.Get("Date")); err == nil {
		m.Date = d
	}
	if err := m.walk(e); err != nil {
		return nil, fmt.Errorf("mailbox: message %s: %w", m.ID, err)
	}
	return m, nil
}

func decodeHeader(v string) string {
	if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		v = d
	}
	return strings.Join(strings.Fields(v), " ")
}

// walk collects the texts, attachments and report parts of e.
func (m *Message) walk(e *message.Entity) error {
	return e.Walk(func(p []int, part *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return err
		}
		ct, params, _ := part.Header.ContentType()
		disp, dparams, _ := part.Header.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		name = path.Base(decodeHeader(name))
		if name == "." || name == "/" {
			name = ""
		}
		if strings.HasPrefix(ct, "multipart/") {
			return nil
		}
		body, err := io.ReadAll(io.LimitReader(part.Body, document.MaxSize+1))
		if err != nil {
			return err
		}
		switch {
		case ct == "message/delivery-status" || ct == "message/global-delivery-status":
			r := parseReport(body)
			m.report = &r
		case ct == "text/rfc822-headers" || (ct == "message/rfc822" || ct == "message/global") && m.isReport():
			if inner, err := message.Read(bytes.NewReader(append(body, '\r', '\n'))); err == nil || message.IsUnknownCharset(err) {
				h := inner.Header
				m.returned = &h
			}
		case ct == "message/rfc822" || ct == "message/global":
			// A mail forwarded as an attachment: read as the offer.
			inner, err := Parse(body)
			if err != nil {
				return nil
			}
			m.texts = append(m.texts, inner.forwardedText())
			m.files = append(m.files, inner.files...)
		case len(body) > document.MaxSize:
			// Too large to be an offer; left out.
		case (ct == "text/plain" || ct == "text/html" || ct == "") && disp != "attachment" && name == "":
			if ct == "text/html" {
				m.htmls = append(m.htmls, offer.HTMLToText(string(body)))
			} else {
				m.texts = append(m.texts, string(body))
			}
		default:
			m.files = append(m.files, file{name: name, contentType: ct, data: body})
		}
		return nil
	})
}

// isReport reports whether the message is a delivery status notification.
func (m *Message) isReport() bool {
	ct, params, _ := m.header.ContentType()
	return ct == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status")
}

// forwardedText is the text of a message forwarded as an attachment, with
// its own headers above it, as a forward quotes them.
func (m *Message) forwardedText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "De : %s\nDate : %s\nObjet : %s\n\n", m.From, m.Date.Format(time.RFC1123Z), m.Subject)
	b.WriteString(m.body())
	return b.String()
}

// body is the message's text: its plain text parts, else its HTML ones.
func (m *Message) body() string {
	if len(m.texts) > 0 {
		return strings.Join(m.texts, "\n")
	}
	return strings.Join(m.htmls, "\n")
}

// offerFile reports whether an attachment is an offer document: PDF, DOCX,
// ODT, HTML or text, by its name or its type.
func offerFile(f file) bool {
	switch strings.ToLower(path.Ext(f.name)) {
	case ".pdf", ".docx", ".odt", ".html", ".htm", ".txt", ".md":
		return true
	case "":
	default:
		return false
	}
	switch f.contentType {
	case "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.oasis.opendocument.text", "text/html", "text/plain":
		return true
	}
	return document.Kind(f.name, f.contentType, f.data) != document.KindText
}

// AutoReply says why the message is an automatic reply or a mailing, or
// "" when it is neither: Auto-Submitted (RFC 3834), the headers of
// vacation responders and Exchange, Precedence bulk with a list header,
// and the subjects of out-of-office replies.
func (m *Message) AutoReply() string {
	h := m.header
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "auto-reply (Auto-Submitted: " + v + ")"
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply"} {
		if h.Get(k) != "" {
			return "auto-reply (" + k + ")"
		}
	}
	prec := strings.ToLower(strings.TrimSpace(h.Get("Precedence")))
	if prec == "auto_reply" {
		return "auto-reply (Precedence: auto_reply)"
	}
	if (prec == "bulk" || prec == "list" || prec == "junk") && (h.Get("List-Unsubscribe") != "" || h.Get("List-Id") != "") {
		return "newsletter (Precedence: " + prec + " with a list header)"
	}
	subj := offer.Fold(m.Subject)
	for _, p := range []string{"reponse automatique", "automatic reply", "auto reply", "autoreply", "out of office",
		"absence du bureau", "absent du bureau", "message d'absence", "je suis absent", "i am out of the office"} {
		if strings.Contains(subj, p) {
			return "auto-reply (subject " + fmt.Sprintf("%q", m.Subject) + ")"
		}
	}
	return ""
}

// subjectPrefix matches what forwarding and replying put before a subject.
var subjectPrefix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^\s*((tr|fwd?|fw|re|ref|wg|rv)\s*(\[\d+\])?\s*:\s*)+`)
})

// Original is what a forwarded mail says of the mail it forwards.
type Original struct {
	From, Subject string
	Date          time.Time
}

// quotedHeader matches a header line quoted in a forward ("De : ...",
// "From: ...", "Envoyé : ...", "Objet : ...").
var quotedHeader = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^\s*\**(de|from|envoy[ée]|sent|date|objet|subject|[àa]|to|cc|r[ée]pondre [àa]|reply-to)\**\s*:\s*(.*)$`)
})

// forwardMarker matches the line a mail client writes above a forwarded
// mail.
var forwardMarker = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^\s*(-{2,}.*(forwarded message|message transf[ée]r[ée]|original message|message d'origine|message original).*-*|d[ée]but du message r[ée]exp[ée]di[ée]\s*:?|begin forwarded message\s*:?)\s*$`)
})

// Unwrap finds the mail a forwarded text carries: the last block of quoted
// headers (with a sender and a subject) or forwarding line, the text below
// it without its quote marks, and what the headers said. ok is false when
// the text forwards nothing.
func Unwrap(text string, ref time.Time) (body string, orig Original, ok bool) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = unquote(l)
	}
	start := -1 // the first line of the forwarded text
	for i := 0; i < len(lines); i++ {
		if forwardMarker().MatchString(lines[i]) {
			start, orig = i+1, Original{}
			continue
		}
		// A block of quoted headers with a sender and a subject.
		j := i
		var o Original
		var from, subj bool
		for ; j < len(lines); j++ {
			mm := quotedHeader().FindStringSubmatch(lines[j])
			if mm == nil {
				break
			}
			key, val := offer.Fold(mm[1]), strings.TrimSpace(mm[2])
			switch key {
			case "de", "from":
				from, o.From = true, val
				if a, err := mail.ParseAddress(val); err == nil {
					o.From = a.Address
				} else if k := strings.LastIndexByte(val, '<'); k >= 0 {
					o.From = strings.Trim(val[k:], "<> ")
				}
			case "objet", "subject":
				subj, o.Subject = true, subjectPrefix().ReplaceAllString(val, "")
			case "date", "envoye", "sent":
				if d, err := mail.ParseDate(val); err == nil {
					o.Date = d
				} else if ds := offer.FindDates(offer.Normalize(val), ref); len(ds) > 0 {
					o.Date = ds[0].Start
				}
			}
		}
		if from && subj && j-i >= 2 {
			start, orig, i = j, o, j-1
		}
	}
	if start < 0 {
		return text, Original{}, false
	}
	return strings.TrimSpace(strings.Join(lines[start:], "\n")) + "\n", orig, true
}

// unquote drops the "> " marks of a quoted line.
func unquote(l string) string {
	for {
		t := strings.TrimLeft(l, " ")
		if !strings.HasPrefix(t, ">") {
			return l
		}
		l = strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
	}
}

// offerWords are words one of which every offer has (folded).
var offerWords = []string{"stage", "stagiaire", "alternance", "alternant", "emploi", "poste", "offre", "candidature",
	"candidat", "recrute", "recrutement", "mission", "cdd", "cdi", "these", "doctorat", "service civique", "volontaire",
	"benevol", "internship", "intern", "job", "vacancy", "position", "apply", "hiring", "contrat", "postuler"}

// LooksLikeOffer reports whether text can be an offer: some sixty words
// at least, and one of the words every offer uses (stage, poste,
// candidature, internship...).
func LooksLikeOffer(text string) bool {
	f := offer.Fold(text)
	if len(strings.Fields(f)) < 25 {
		return false
	}
	for _, w := range offerWords {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// Sources returns the offers the message may hold, one source each: each
// offer attachment (PDF, DOCX, ODT, HTML, text) in files, and its body,
// unwrapped when it forwards a mail, when the body reads like an offer.
// The attachments are the offers; the body is one only when no attachment
// is (a brochure attached to an offer written in the mail). The sender,
// subject and date (those of the forwarded mail when there is one) are
// each source's provenance, and the date is the reference for dates
// without a year. With neither, reason says why.
func (m *Message) Sources() (files []ingest.Source, body *ingest.Source, reason string) {
	if r := m.AutoReply(); r != "" {
		return nil, nil, r
	}
	orig := Original{From: m.From, Subject: subjectPrefix().ReplaceAllString(m.Subject, ""), Date: m.Date}
	raw := m.body()
	text, fwd, forwarded := Unwrap(raw, m.Date)
	if forwarded {
		if fwd.From != "" {
			orig.From = fwd.From
		}
		if fwd.Subject != "" {
			orig.Subject = fwd.Subject
		}
		if !fwd.Date.IsZero() {
			orig.Date = fwd.Date
		}
	}
	ref := orig.Date
	origin := func(name string) store.Source {
		src := store.Source{Kind: store.SourceMail, Name: name, From: orig.From, Subject: orig.Subject}
		if !orig.Date.IsZero() {
			d := orig.Date
			src.Date = &d
		}
		return src
	}
	for _, f := range m.files {
		if !offerFile(f) {
			continue
		}
		name := m.ID + "/" + f.name
		if f.name == "" {
			name = fmt.Sprintf("%s/%d", m.ID, len(files)+1)
		}
		files = append(files, ingest.Source{Name: name, Data: f.data, ContentType: f.contentType, Ref: ref, Origin: origin(name)})
	}
	if !LooksLikeOffer(text) {
		switch {
		case len(files) > 0:
			return files, nil, ""
		case strings.TrimSpace(raw) == "":
			return nil, nil, "no text and no offer attachment"
		}
		return nil, nil, "no offer in the text (too short, or no word an offer uses) and no offer attachment"
	}
	// The subject line leads the text, as the offer's own header would:
	// it often is the offer's title.
	var b bytes.Buffer
	if orig.Subject != "" {
		fmt.Fprintf(&b, "Objet : %s\n\n", orig.Subject)
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), offer.MaxSize)
	for sc.Scan() {
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return files, &ingest.Source{Name: m.ID, Data: b.Bytes(), ContentType: "text/plain", Ref: ref, Origin: origin(m.ID)}, ""
}
