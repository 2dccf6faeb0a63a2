package notify

import (
	"context"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/echeance/echeance/config"
)

// farRelay answers MAIL, RCPT and the end of DATA after a millisecond
// each, as a relay on another machine of the network would.
type farRelay struct{}

func (farRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return farSession{}, nil }

type farSession struct{}

func (farSession) Mail(string, *smtp.MailOptions) error { time.Sleep(time.Millisecond); return nil }
func (farSession) Rcpt(string, *smtp.RcptOptions) error { time.Sleep(time.Millisecond); return nil }
func (farSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	time.Sleep(time.Millisecond)
	return err
}
func (farSession) Reset()        {}
func (farSession) Logout() error { return nil }

// BenchmarkSendFarRelay sends batches of 50 messages, built beforehand, in
// one run to a relay 1 ms away per command, on 1 and on 4 connections:
// where the relay's round trips, not the CPU, set the pace.
func BenchmarkSendFarRelay(b *testing.B) {
	srv := smtp.NewServer(farRelay{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(l)
	b.Cleanup(func() { srv.Close() })
	var to []string
	for i := range 50 {
		to = append(to, fmt.Sprintf("s%d@example.org", i))
	}
	for _, conns := range []int{1, 4} {
		b.Run(fmt.Sprintf("connections=%d", conns), func(b *testing.B) {
			m := newMailer(b, func(c *config.Config) {
				c.Mail.Transport = "smtp"
				c.SMTP = config.SMTP{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Security: "none",
					Connections: conns, Timeout: config.Duration{Duration: 5 * time.Second}}
			})
			ctx, done := StartRun(context.Background())
			defer done()
			sent := 0
			var spent time.Duration
			for b.Loop() {
				b.StopTimer()
				msgs := messagesTo(b, m, to...)
				b.StartTimer()
				start := time.Now()
				for _, err := range m.Send(ctx, msgs) {
					if err != nil {
						b.Fatal(err)
					}
				}
				spent += time.Since(start)
				sent += len(msgs)
			}
			b.ReportMetric(float64(sent)/spent.Seconds(), "msgs/s")
		})
	}
}
