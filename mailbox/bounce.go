package mailbox

import (
	"bufio"
	"bytes"
	"errors"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"sync"

	"github.com/echeance/echeance/offer"
)

// report is a delivery status notification's message/delivery-status part
// (RFC 3464): the per-message fields, then one block per recipient.
type report struct {
	recipients []textproto.MIMEHeader
}

func parseReport(body []byte) report {
	var r report
	// Blocks are separated by blank lines; each block is header fields.
	blocks := bytes.Split(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\n\n"))
	for i, b := range blocks {
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(b, '\n', '\n')))).ReadMIMEHeader()
		if err != nil && len(h) == 0 {
			continue
		}
		if i > 0 || h.Get("Final-Recipient") != "" || h.Get("Action") != "" {
			r.recipients = append(r.recipients, h)
		}
	}
	return r
}

// VERP is the bounce address template: a local part with "{token}" in it,
// "bounces+{token}@example.org".
type VERP struct {
	prefix, suffix string
}

// ParseVERP reads mail.bounce_address.
func ParseVERP(tmpl string) (VERP, error) {
	before, after, ok := strings.Cut(tmpl, "{token}")
	at := strings.LastIndexByte(after, '@')
	if !ok || at < 0 || strings.Contains(before, "@") || strings.Count(tmpl, "{token}") != 1 {
		return VERP{}, errors.New(`want a local part with {token} then the domain, such as "bounces+{token}@example.org"`)
	}
	if _, err := mail.ParseAddress(before + "x" + after); err != nil {
		return VERP{}, errors.New("not an address once {token} is filled in")
	}
	return VERP{prefix: strings.ToLower(before), suffix: strings.ToLower(after)}, nil
}

// Address returns the bounce address carrying tok.
func (v VERP) Address(tok string) string { return v.prefix + tok + v.suffix }

// Token returns the token of a bounce address, or "".
func (v VERP) Token(addr string) string {
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	l := strings.ToLower(addr)
	if v.prefix == "" && v.suffix == "" || !strings.HasPrefix(l, v.prefix) || !strings.HasSuffix(l, v.suffix) ||
		len(l) <= len(v.prefix)+len(v.suffix) {
		return ""
	}
	return l[len(v.prefix) : len(l)-len(v.suffix)]
}

// Bounce is what a bounce says about one recipient.
type Bounce struct {
	// Token is the VERP token the bounce came back to.
	Token string
	// Hard is a permanent failure (5.x.x): the address does not work.
	Hard bool
	// Recipient is the address that failed, as the report gives it.
	Recipient string
	// Reason is the status and diagnostic.
	Reason string
}

// statusRE finds an enhanced status code (RFC 3463) in a text. It and the
// package's other expressions are compiled when first used, so that the
// commands that read no mail do not compile them at every start (1.3 ms).
var statusRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b([245])\.\d{1,3}\.\d{1,3}\b`) })

// bounceSubjects are the subjects of the bounces that are not RFC 3464
// reports (Exchange, old qmail, and their translations), folded.
var bounceSubjects = []string{"undeliverable", "undelivered mail", "delivery status notification", "mail delivery failed",
	"failure notice", "returned mail", "delivery failure", "non remis", "echec de la remise", "message non delivre",
	"non distribuable", "mail delivery system", "delivery has failed"}

// hardWords say that an address does not exist, in bounces without a code.
var hardWords = []string{"user unknown", "does not exist", "no such user", "mailbox unavailable", "recipient rejected",
	"address rejected", "n'existe pas", "introuvable", "adresse inconnue", "utilisateur inconnu", "invalid recipient"}

// Bounce reads the message as a bounce to a VERP address of v: an RFC 3464
// report (Action failed with a 5.x.x status is hard; delayed, or a 4.x.x
// status, soft) or a common non-standard bounce, recognised by its subject
// and read for a status code or words such as "user unknown". ok is false
// when the message is no bounce, or was not sent to a VERP address.
func (m *Message) Bounce(v VERP) (b Bounce, ok bool) {
	for _, k := range []string{"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"} {
		for _, a := range m.header.Values(k) {
			if list, err := mail.ParseAddressList(a); err == nil {
				for _, x := range list {
					if t := v.Token(x.Address); t != "" && b.Token == "" {
						b.Token = t
					}
				}
			} else if t := v.Token(a); t != "" && b.Token == "" {
				b.Token = t
			}
		}
	}
	if b.Token == "" && m.returned != nil {
		b.Token = v.Token(m.returned.Get("Return-Path"))
	}
	if b.Token == "" {
		return Bounce{}, false
	}
	if m.isReport() && m.report != nil {
		for _, r := range m.report.recipients {
			action := strings.ToLower(strings.TrimSpace(r.Get("Action")))
			status := strings.TrimSpace(r.Get("Status"))
			if action != "failed" && action != "delayed" {
				continue
			}
			b.Recipient = recipient(r.Get("Final-Recipient"))
			if b.Recipient == "" {
				b.Recipient = recipient(r.Get("Original-Recipient"))
			}
			b.Hard = action == "failed" && strings.HasPrefix(status, "5")
			b.Reason = strings.TrimSpace(status + " " + strings.Join(strings.Fields(r.Get("Diagnostic-Code")), " "))
			if b.Hard {
				return b, true
			}
		}
		return b, b.Reason != ""
	}
	subj := offer.Fold(m.Subject)
	isBounce := false
	for _, s := range bounceSubjects {
		isBounce = isBounce || strings.Contains(subj, s)
	}
	if !isBounce {
		return Bounce{}, false
	}
	text := m.body()
	if code := statusRE().FindString(text); code != "" {
		b.Hard = code[0] == '5'
		b.Reason = code + " " + strings.TrimSpace(m.Subject)
		return b, true
	}
	f := offer.Fold(text)
	for _, w := range hardWords {
		if strings.Contains(f, w) {
			b.Hard = true
			b.Reason = strings.TrimSpace(m.Subject) + ": " + w
			return b, true
		}
	}
	b.Reason = strings.TrimSpace(m.Subject)
	return b, true
}

// recipient reads "rfc822; student@example.org".
func recipient(v string) string {
	if _, addr, ok := strings.Cut(v, ";"); ok {
		return strings.ToLower(strings.TrimSpace(addr))
	}
	return strings.ToLower(strings.TrimSpace(v))
}
