package notify

import (
	"context"
	"errors"
	"io"
	"net"
	"net/textproto"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/echeance/echeance/config"
)

// fakeClock drives a pace: sleeping moves it on.
type fakeClock struct{ t time.Time }

func (c *fakeClock) pace(r config.Rate) *pace {
	p := newPace(r)
	p.now = func() time.Time { return c.t }
	p.sleep = func(_ context.Context, d time.Duration) error { c.t = c.t.Add(d); return nil }
	return p
}

func TestPaceSlidingWindow(t *testing.T) {
	start := time.Date(2025, 10, 30, 8, 0, 0, 0, time.UTC)
	c := &fakeClock{t: start}
	p := c.pace(config.Rate{N: 3, Per: time.Second})
	var got []time.Duration
	for range 7 {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		got = append(got, c.t.Sub(start))
		c.t = c.t.Add(100 * time.Millisecond) // building the next message
	}
	// Three at once, then each waits for the one three places before it to
	// leave the window.
	want := []time.Duration{0, 100, 200, 1000, 1100, 1200, 2000}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Errorf("send %d at %s, want %s (all: %v)", i, got[i], want[i]*time.Millisecond, got)
		}
	}
	// Without a rate nothing waits.
	c = &fakeClock{t: start}
	p = c.pace(config.Rate{})
	for range 100 {
		p.wait(context.Background())
	}
	if !c.t.Equal(start) {
		t.Errorf("no rate: waited %s", c.t.Sub(start))
	}
}

func TestPaceSlowDown(t *testing.T) {
	c := &fakeClock{t: time.Date(2025, 10, 30, 8, 0, 0, 0, time.UTC)}
	p := c.pace(config.Rate{})
	var gaps []time.Duration
	for range 3 {
		gaps = append(gaps, p.slowDown())
	}
	if gaps[0] != 100*time.Millisecond || gaps[1] != 200*time.Millisecond || gaps[2] != 400*time.Millisecond {
		t.Errorf("gaps without a rate: %v", gaps)
	}
	start := c.t
	p.wait(context.Background())
	p.wait(context.Background())
	if d := c.t.Sub(start); d != 400*time.Millisecond {
		t.Errorf("two sends after slowing down took %s, want the 400 ms gap", d)
	}
	// With 30 a minute (one every 2 s), the first slow-down keeps 4 s.
	p = c.pace(config.Rate{N: 30, Per: time.Minute})
	if g := p.slowDown(); g != 4*time.Second {
		t.Errorf("first gap at 30/min: %s", g)
	}
	for range 10 {
		p.slowDown()
	}
	if g := p.currentGap(); g != maxGap {
		t.Errorf("gap after many slow-downs: %s, want %s", g, maxGap)
	}
}

func TestSlowDownAnswers(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&textproto.Error{Code: 421, Msg: "4.7.0 too many connections, try later"}, true},
		{&textproto.Error{Code: 451, Msg: "4.7.1 rate limit exceeded"}, true},
		{&textproto.Error{Code: 450, Msg: "4.7.0 slow down"}, true},
		{&textproto.Error{Code: 451, Msg: "4.3.0 local error"}, false},
		{&textproto.Error{Code: 452, Msg: "4.2.2 mailbox full"}, false},
		{&textproto.Error{Code: 550, Msg: "5.7.1 rejected"}, false},
		{errors.New("connection reset"), false},
	} {
		if got := SlowDown(tc.err); got != tc.want {
			t.Errorf("SlowDown(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// paceRelay is an SMTP server that counts its connections and answers
// "451 4.7.1 slow down" to the first try of chosen recipients.
type paceRelay struct {
	mu       sync.Mutex
	sessions int
	received []string
	slowOnce map[string]bool
}

func (r *paceRelay) NewSession(*smtp.Conn) (smtp.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sessions++
	return &paceSession{r: r}, nil
}

type paceSession struct {
	r  *paceRelay
	to string
}

func (s *paceSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *paceSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.slowOnce[to] {
		delete(s.r.slowOnce, to)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "slow down"}
	}
	s.to = to
	return nil
}
func (s *paceSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.received = append(s.r.received, s.to)
	return nil
}
func (s *paceSession) Reset()        {}
func (s *paceSession) Logout() error { return nil }

func startPaceRelay(t *testing.T, r *paceRelay) int {
	t.Helper()
	srv := smtp.NewServer(r)
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Second, 5*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

// TestSendConnectionsAndSlowDown sends 12 messages over 3 connections to a
// relay that asks twice to slow down: every message arrives once, within
// the same Send, and the run's later batches keep the slower pace.
func TestSendConnectionsAndSlowDown(t *testing.T) {
	r := &paceRelay{slowOnce: map[string]bool{"s3@example.org": true, "s7@example.org": true}}
	port := startPaceRelay(t, r)
	m := newMailer(t, func(c *config.Config) {
		c.Mail.Transport = "smtp"
		c.SMTP = config.SMTP{Host: "127.0.0.1", Port: port, Security: "none", Connections: 3,
			Timeout: config.Duration{Duration: 5 * time.Second}}
	})
	var to []string
	for i := range 12 {
		to = append(to, "s"+string(rune('0'+i%10))+string(rune('a'+i/10))+"@example.org")
	}
	to[3], to[7] = "s3@example.org", "s7@example.org"
	ctx, done := StartRun(context.Background())
	defer done()
	for i, err := range m.Send(ctx, messagesTo(t, m, to...)) {
		if err != nil {
			t.Errorf("message %d to %s: %v", i, to[i], err)
		}
	}
	r.mu.Lock()
	got := append([]string(nil), r.received...)
	sessions := r.sessions
	r.mu.Unlock()
	sort.Strings(got)
	want := append([]string(nil), to...)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("received %v\nwant     %v", got, want)
	}
	// Three connections, and one more for each slow-down.
	if sessions != 5 {
		t.Errorf("%d connections, want 3 and one new one per slow-down (5)", sessions)
	}
	if gap := m.paceFor(ctx).currentGap(); gap != 200*time.Millisecond {
		t.Errorf("the run's gap after two slow-downs: %s, want 200 ms", gap)
	}
	// A Send outside a run starts at full speed.
	if gap := m.paceFor(context.Background()).currentGap(); gap != 0 {
		t.Errorf("a new run starts slowed down: %s", gap)
	}
}

// A message the relay keeps asking to slow down is put off (temporary)
// after a few tries, not retried forever.
func TestSendSlowDownGivesUp(t *testing.T) {
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
			go func(c net.Conn) {
				defer c.Close()
				tp := textproto.NewConn(c)
				tp.PrintfLine("220 relay ready")
				for {
					line, err := tp.ReadLine()
					if err != nil {
						return
					}
					switch strings.ToUpper(strings.Fields(line + " x")[0]) {
					case "EHLO", "HELO":
						tp.PrintfLine("250-relay\r\n250 ENHANCEDSTATUSCODES")
					case "MAIL":
						tp.PrintfLine("421 4.7.0 too many messages, closing")
						return
					case "QUIT":
						tp.PrintfLine("221 bye")
						return
					default:
						tp.PrintfLine("250 OK")
					}
				}
			}(c)
		}
	}()
	m := newMailer(t, func(c *config.Config) {
		c.Mail.Transport = "smtp"
		c.SMTP = config.SMTP{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Security: "none", Connections: 1,
			Timeout: config.Duration{Duration: 5 * time.Second}}
	})
	ctx, done := StartRun(context.Background())
	defer done()
	errs := m.Send(ctx, messagesTo(t, m, "a@example.org"))
	if errs[0] == nil || !Temporary(errs[0]) || !SlowDown(errs[0]) {
		t.Errorf("a relay that always says slow down: %v, want a temporary slow-down failure", errs[0])
	}
}

// A connection kept between two batches of a run and closed by the relay
// meanwhile is replaced, not reported as a failure.
func TestSendReusesConnectionsWithinARun(t *testing.T) {
	r := &paceRelay{}
	srv := smtp.NewServer(r)
	// The relay drops connections idle for 300 ms.
	srv.ReadTimeout, srv.WriteTimeout = 300*time.Millisecond, 5*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	m := newMailer(t, func(c *config.Config) {
		c.Mail.Transport = "smtp"
		c.SMTP = config.SMTP{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Security: "none", Connections: 2,
			Timeout: config.Duration{Duration: 5 * time.Second}}
	})
	ctx, done := StartRun(context.Background())
	defer done()
	send := func(to ...string) {
		t.Helper()
		for i, err := range m.Send(ctx, messagesTo(t, m, to...)) {
			if err != nil {
				t.Errorf("message to %s: %v", to[i], err)
			}
		}
	}
	send("a@example.org", "b@example.org", "c@example.org", "d@example.org")
	send("e@example.org", "f@example.org") // at once: the same two connections
	r.mu.Lock()
	if r.sessions != 2 {
		t.Errorf("%d connections for two batches in a row, want the same 2", r.sessions)
	}
	r.mu.Unlock()
	time.Sleep(time.Second) // the relay closes both
	send("g@example.org", "h@example.org")
	r.mu.Lock()
	defer r.mu.Unlock()
	// At least one new connection replaced a dropped one (two if both
	// connections took a message).
	if len(r.received) != 8 || r.sessions < 3 || r.sessions > 4 {
		t.Errorf("received %d messages over %d connections, want 8 over 3 or 4", len(r.received), r.sessions)
	}
}
