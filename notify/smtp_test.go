package notify

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
)

// relay is an in-process SMTP server whose answers the test chooses.
type relay struct {
	mu       sync.Mutex
	received []string // recipients of accepted messages
	mailFrom error
	rcpt     map[string]error // per recipient
}

func (r *relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }

type session struct {
	r  *relay
	to []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return s.r.mailFrom }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.r.rcpt[to]; err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.received = append(s.r.received, s.to...)
	return nil
}
func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }

func startRelay(t *testing.T, r *relay) int {
	t.Helper()
	srv := smtp.NewServer(r)
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Second, 5*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

func smtpMailer(t *testing.T, port int) *Mailer {
	t.Helper()
	return newMailer(t, func(c *config.Config) {
		c.Mail.Transport = "smtp"
		c.SMTP = config.SMTP{Host: "127.0.0.1", Port: port, Security: "none",
			Password: "secret", Timeout: config.Duration{Duration: 5 * time.Second}}
	})
}

func messagesTo(t testing.TB, m *Mailer, to ...string) []*gomail.Msg {
	t.Helper()
	var msgs []*gomail.Msg
	for i, addr := range to {
		msg, err := m.Build(Reminder{To: addr, Lang: "fr", Now: testNow, Items: []Item{seedItem(m.loc)},
			SubscriberID: int64(i + 1), MessageID: m.MessageID([]int64{int64(i + 1)})})
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, msg)
	}
	return msgs
}

// TestSendOutcomes: a refused recipient fails only its own message, for
// good; the relay refusing the sender or its service, or not answering, is
// temporary for every message: it says nothing about the students.
func TestSendOutcomes(t *testing.T) {
	unknown := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	full := &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}
	r := &relay{rcpt: map[string]error{"gone@example.org": unknown, "full@example.org": full}}
	m := smtpMailer(t, startRelay(t, r))
	errs := m.Send(context.Background(), messagesTo(t, m, "ok@example.org", "gone@example.org", "full@example.org", "ok2@example.org"))
	if errs[0] != nil || errs[3] != nil {
		t.Errorf("accepted messages failed: %v %v", errs[0], errs[3])
	}
	if errs[1] == nil || Temporary(errs[1]) {
		t.Errorf("550 on RCPT: %v, temporary %v; want a permanent failure", errs[1], Temporary(errs[1]))
	}
	if errs[2] == nil || !Temporary(errs[2]) {
		t.Errorf("452 on RCPT: %v; want a temporary failure", errs[2])
	}
	if got := strings.Join(r.received, ","); got != "ok@example.org,ok2@example.org" {
		t.Errorf("received %s", got)
	}

	t.Run("sender refused", func(t *testing.T) {
		rel := &relay{mailFrom: &smtp.SMTPError{Code: 550, Message: "sender not allowed"}}
		m := smtpMailer(t, startRelay(t, rel))
		for i, err := range m.Send(context.Background(), messagesTo(t, m, "a@example.org", "b@example.org")) {
			if err == nil || !Temporary(err) {
				t.Errorf("message %d: %v, want a temporary failure", i, err)
			}
		}
	})
	t.Run("relay refuses service", func(t *testing.T) {
		// A 554 greeting: the relay as a whole says no.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				io.WriteString(c, "554 5.3.2 service unavailable\r\n")
				c.Close()
			}
		}()
		m := smtpMailer(t, l.Addr().(*net.TCPAddr).Port)
		for i, err := range m.Send(context.Background(), messagesTo(t, m, "a@example.org")) {
			if err == nil || !Temporary(err) {
				t.Errorf("message %d: %v, want a temporary failure", i, err)
			}
		}
	})

	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := dead.Addr().(*net.TCPAddr).Port
	dead.Close()
	m = smtpMailer(t, port)
	for _, err := range m.Send(context.Background(), messagesTo(t, m, "a@example.org")) {
		if err == nil || !Temporary(err) || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("dead relay: %v", err)
		}
	}
}
