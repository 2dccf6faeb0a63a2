package notify

import (
	"context"
	"fmt"
)

// CheckRelay connects to the SMTP relay as Send does (TLS as configured,
// EHLO, login when a username is set), then quits: no mail is sent. It
// says what it did.
func (m *Mailer) CheckRelay(ctx context.Context) (string, error) {
	if m.transport != "smtp" {
		return "", fmt.Errorf("notify: mail.transport is %q, not smtp", m.transport)
	}
	c, err := m.client()
	if err == nil {
		err = c.DialWithContext(ctx)
	}
	if err != nil {
		return "", fmt.Errorf("notify: smtp %s:%d: %w", m.smtp.Host, m.smtp.Port, err)
	}
	if err := c.Close(); err != nil {
		return "", fmt.Errorf("notify: smtp %s:%d: quit: %w", m.smtp.Host, m.smtp.Port, err)
	}
	tls := map[string]string{"none": "no TLS", "starttls": "STARTTLS", "tls": "TLS"}[m.smtp.Security]
	login := "no login"
	if m.smtp.Username != "" {
		login = "logged in as " + m.smtp.Username
	}
	return fmt.Sprintf("%s:%d: connected, EHLO, %s, %s; no mail sent", m.smtp.Host, m.smtp.Port, tls, login), nil
}
