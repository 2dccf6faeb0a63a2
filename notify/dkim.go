package notify

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
	gomail "github.com/wneessen/go-mail"
)

// signedHeaders are the header fields the DKIM signature covers (RFC 6376
// 5.4.1, plus RFC 8058's List-Unsubscribe pair). A field listed once more
// than it appears is oversigned: the signature then also covers its
// absence, so a receiver sees a From, Subject, Reply-To, Cc or
// List-Unsubscribe added on the way as a broken signature.
var signedHeaders = []string{
	"From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
	"Content-Language", "Auto-Submitted", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
	// Oversigned.
	"From", "Subject", "Reply-To", "Cc", "List-Unsubscribe", "List-Unsubscribe-Post",
}

// sign adds a DKIM-Signature to msg when DKIM is configured. go-mail
// renders a message the same way every time once its boundaries are drawn,
// so the signature is computed over a first rendering (with
// emersion/go-msgauth, whose folding of h= receivers can read back) and
// added as a preformatted header, which go-mail writes verbatim.
func (m *Mailer) sign(msg *gomail.Msg) error {
	if m.dkimKey == nil {
		return nil
	}
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		return fmt.Errorf("dkim: %w", err)
	}
	s, err := dkim.NewSigner(&dkim.SignOptions{Domain: m.dkim.Domain, Selector: m.dkim.Selector, Signer: m.dkimKey,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
		HeaderKeys: signedHeaders})
	if err != nil {
		return fmt.Errorf("dkim: %w", err)
	}
	if _, err := s.Write(raw.Bytes()); err != nil {
		s.Close()
		return fmt.Errorf("dkim: %w", err)
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("dkim: %w", err)
	}
	field := strings.TrimSuffix(s.Signature(), "\r\n")
	name, value, ok := strings.Cut(field, ":")
	if !ok || !strings.EqualFold(name, "DKIM-Signature") {
		return fmt.Errorf("dkim: unexpected signature field %.40q", field)
	}
	msg.SetGenHeaderPreformatted(gomail.Header("DKIM-Signature"), strings.TrimPrefix(value, " "))
	return nil
}
