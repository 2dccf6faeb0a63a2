package scheduler

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/store/storetest"
)

// The benchmarks here run the scheduler on databases the size of a large
// deployment, built by package storetest (the store's benchmarks use the same
// databases), and send through a real SMTP server on
// loopback. make bench runs them and prints the figures.

var (
	// large: 200,000 students following 5 offers each out of 20,000, one
	// pending reminder per follow (1,000,000), nothing due at benchNow.
	large = storetest.Params{Subscribers: 200_000, Offers: 20_000, Follows: 5, Planned: true, Days: 240}
	// imported: the same students and follows, none planned yet.
	imported = storetest.Params{Subscribers: 200_000, Offers: 20_000, Follows: 5, Planned: false, Days: 240}
	// dueMorning: 50,000 students following one offer each, all offers due
	// on 1 November 2025, so at sendNow every student has one reminder due.
	dueMorning = storetest.Params{Subscribers: 50_000, Offers: 1_000, Follows: 1, Planned: true, Days: 1}
)

var (
	benchNow = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	sendNow  = time.Date(2025, 10, 31, 10, 0, 0, 0, time.UTC)
)

func openStore(tb testing.TB, path string) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// mustNotSend is a Notifier for runs that must send nothing.
type mustNotSend struct{ tb testing.TB }

func (n mustNotSend) MessageID(ids []int64) string {
	n.tb.Errorf("MessageID called on an idle run: %v", ids)
	return "x@example.org"
}

func (n mustNotSend) Build(r notify.Reminder) (*gomail.Msg, error) {
	n.tb.Errorf("Build called on an idle run: %s", r.To)
	return nil, errors.New("idle run built a message")
}

func (n mustNotSend) BuildConfirmation(notify.Confirmation) (*gomail.Msg, error) {
	n.tb.Fatal("a run that must send nothing built a confirmation")
	return nil, nil
}

func (n mustNotSend) ConfirmationID(int64) string { return "" }

func (n mustNotSend) SummaryID(int64, string) string { return "" }

func (n mustNotSend) ReviewID(string) string { return "" }

func (n mustNotSend) BuildReview(notify.ReviewDigest) (*gomail.Msg, error) {
	n.tb.Error("BuildReview called on an idle run")
	return nil, errors.New("idle")
}

func (n mustNotSend) Send(_ context.Context, msgs []*gomail.Msg) []error {
	n.tb.Errorf("Send called on an idle run with %d messages", len(msgs))
	errs := make([]error, len(msgs))
	for i := range errs {
		errs[i] = errors.New("idle run sent a message")
	}
	return errs
}

func benchScheduler(tb testing.TB, st Store, n Notifier, now time.Time) *Scheduler {
	tb.Helper()
	cfg, err := config.Default()
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(st, n, nil, cfg.Schedule, cfg.Reminders, func() time.Time { return now }, log)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// BenchmarkRunOnceIdle is a whole pass of the reminder job (new offers,
// planning, sending) on the large database when nothing is due: the cost of
// every cron wake-up of a large deployment on a quiet day.
func BenchmarkRunOnceIdle(b *testing.B) {
	ctx := context.Background()
	st := openStore(b, storetest.BigDB(b, large))
	s := benchScheduler(b, st, mustNotSend{b}, benchNow)
	for b.Loop() {
		rep, err := s.RunOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Planned != 0 || len(rep.Sent) != 0 || rep.Expired != 0 || rep.Skipped != 0 {
			b.Fatalf("idle run did something: %+v", rep)
		}
	}
}

// BenchmarkPlanImport plans every reminder after a large import: 200,000
// students following 5 offers each, nothing planned yet, three offsets each
// (3,000,000 reminders). One iteration is one whole pass on a fresh copy.
func BenchmarkPlanImport(b *testing.B) {
	ctx := context.Background()
	src := storetest.BigDB(b, imported)
	var planned int
	var spent time.Duration
	for b.Loop() {
		b.StopTimer()
		st := openStore(b, storetest.Copy(b, src))
		s := benchScheduler(b, st, mustNotSend{b}, benchNow)
		b.StartTimer()
		start := time.Now()
		rep, err := s.RunOnce(ctx)
		spent += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		want := imported.Subscribers * imported.Follows * 3
		if rep.Planned != want {
			b.Fatalf("planned %d reminders, want %d", rep.Planned, want)
		}
		planned += rep.Planned
	}
	b.ReportMetric(float64(planned)/spent.Seconds(), "reminders/s")
	b.ReportMetric(spent.Seconds()/float64(b.N), "s/pass")
}

// BenchmarkSendDue sends 50,000 due reminders (one per student) to an SMTP
// sink on loopback four times in each iteration: twice through a bare
// go-mail loop (messages built beforehand, untimed), over one connection
// and over four, then as echeance does it (one scheduler pass on a fresh
// copy of the database: read, decide, build, send in batches, record), on
// one connection and on four (smtp.connections = 4). It reports the rates,
// echeance's share of the bare rate on one connection, and the bare loop's
// own gain from four connections, the most echeance can draw from them on
// this machine.
func BenchmarkSendDue(b *testing.B) {
	ctx := context.Background()
	src := storetest.BigDB(b, dueMorning)
	sink := startSink(b)
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	cfg.Mail.Transport = "smtp"
	cfg.Mail.From = "Échéances <rappels@echeance.example>"
	cfg.SMTP.Host, cfg.SMTP.Port, cfg.SMTP.Security = "127.0.0.1", sink.port(), "none"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mailer, err := notify.New(cfg.Mail, cfg.SMTP, cfg.DKIM, cfg.Site, mustCatalog(), cfg.Schedule.Location, []byte("0123456789abcdef0123456789abcdef"), log)
	if err != nil {
		b.Fatal(err)
	}
	pooled := cfg.SMTP
	pooled.Connections = 4
	mailer4, err := notify.New(cfg.Mail, pooled, cfg.DKIM, cfg.Site, mustCatalog(), cfg.Schedule.Location, []byte("0123456789abcdef0123456789abcdef"), log)
	if err != nil {
		b.Fatal(err)
	}
	want := dueMorning.Subscribers
	var bare, bare4, ours, ours4 time.Duration
	for b.Loop() {
		b.StopTimer()
		st := openStore(b, storetest.Copy(b, src))
		dues, err := st.DueReminders(ctx, sendNow)
		if err != nil {
			b.Fatal(err)
		}
		if len(dues) != want {
			b.Fatalf("%d reminders due, want %d", len(dues), want)
		}
		b.StartTimer()

		before := sink.count()
		bare += bareSend(b, mailer, cfg.SMTP, dues, 1)
		if got := sink.count() - before; got != int64(want) {
			b.Fatalf("bare loop: sink got %d messages, want %d", got, want)
		}
		before = sink.count()
		bare4 += bareSend(b, mailer, cfg.SMTP, dues, 4)
		if got := sink.count() - before; got != int64(want) {
			b.Fatalf("bare loop on 4 connections: sink got %d messages, want %d", got, want)
		}

		before = sink.count()
		s := benchScheduler(b, st, mailer, sendNow)
		s.batch = cfg.Reminders.BatchSize
		start := time.Now()
		rep, err := s.RunOnce(ctx)
		ours += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Sent) != want || rep.Retrying+rep.Failed != 0 {
			b.Fatalf("echeance sent %d, %d retrying, %d failed; want %d sent", len(rep.Sent), rep.Retrying, rep.Failed, want)
		}
		if got := sink.count() - before; got != int64(want) {
			b.Fatalf("echeance: sink got %d messages, want %d", got, want)
		}

		// The same on 4 connections (smtp.connections = 4), another copy.
		b.StopTimer()
		st4 := openStore(b, storetest.Copy(b, src))
		b.StartTimer()
		before = sink.count()
		s4 := benchScheduler(b, st4, mailer4, sendNow)
		s4.batch = cfg.Reminders.BatchSize
		start = time.Now()
		rep, err = s4.RunOnce(ctx)
		ours4 += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Sent) != want || rep.Retrying+rep.Failed != 0 {
			b.Fatalf("echeance on 4 connections sent %d, %d retrying, %d failed; want %d sent", len(rep.Sent), rep.Retrying, rep.Failed, want)
		}
		if got := sink.count() - before; got != int64(want) {
			b.Fatalf("echeance on 4 connections: sink got %d messages, want %d", got, want)
		}
	}
	n := float64(want * b.N)
	b.ReportMetric(n/bare.Seconds(), "bare-msgs/s")
	b.ReportMetric(n/ours.Seconds(), "echeance-msgs/s")
	b.ReportMetric(bare.Seconds()/ours.Seconds(), "ratio")
	b.ReportMetric(n/ours4.Seconds(), "echeance-4conn-msgs/s")
	b.ReportMetric(bare.Seconds()/ours4.Seconds(), "ratio-4conn")
	b.ReportMetric(n/bare4.Seconds(), "bare-4conn-msgs/s")
	// What four connections can give at most on this machine: the bare
	// loop's own rate on four, as a share of its rate on one.
	b.ReportMetric(bare.Seconds()/bare4.Seconds(), "bare-4conn-ratio")
}

// bareSend sends one message per due reminder with go-mail alone, over
// conns connections that share the messages, and returns the time spent
// sending (building is not counted). The messages are the ones echeance
// would write, built a chunk at a time to bound memory.
func bareSend(b *testing.B, m *notify.Mailer, cfg config.SMTP, dues []store.Due, conns int) time.Duration {
	b.Helper()
	clients := make([]*gomail.Client, conns)
	var spent time.Duration
	for i := range clients {
		c, err := gomail.NewClient(cfg.Host, gomail.WithPort(cfg.Port), gomail.WithTLSPolicy(gomail.NoTLS),
			gomail.WithTimeout(30*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := c.DialWithContext(context.Background()); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		clients[i] = c
	}
	const chunk = 5000
	msgs := make([]*gomail.Msg, 0, chunk)
	for i := 0; i < len(dues); i += chunk {
		b.StopTimer()
		msgs = msgs[:0]
		for _, d := range dues[i:min(i+chunk, len(dues))] {
			msg, err := m.Build(notify.Reminder{To: d.Email, Name: d.Name, Lang: d.Lang, Now: sendNow,
				MessageID: m.MessageID([]int64{d.ID}),
				Items: []notify.Item{{Title: d.Title, Organisation: d.Organisation, Phrase: d.DeadlinePhrase,
					LastDay: d.LastDay, DeadlineAt: d.DeadlineAt, Contacts: d.Contacts, Source: d.Source}}})
			if err != nil {
				b.Fatal(err)
			}
			msgs = append(msgs, msg)
		}
		b.StartTimer()
		start := time.Now()
		errs := make([]error, conns)
		var wg sync.WaitGroup
		for k, c := range clients {
			wg.Go(func() {
				for j := k; j < len(msgs) && errs[k] == nil; j += conns {
					errs[k] = c.Send(msgs[j])
				}
			})
		}
		wg.Wait()
		spent += time.Since(start)
		if err := errors.Join(errs...); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	for _, c := range clients {
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return spent + time.Since(start)
}

// smtpSink is a real SMTP server on loopback that accepts every message and
// only counts them, so that what is measured is the client.
type smtpSink struct {
	ln   net.Listener
	n    atomic.Int64
	wg   sync.WaitGroup
	mu   sync.Mutex
	conn map[net.Conn]bool
}

func startSink(tb testing.TB) *smtpSink {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &smtpSink{ln: ln, conn: map[net.Conn]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conn[c] = true
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
				s.mu.Lock()
				delete(s.conn, c)
				s.mu.Unlock()
			}()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.conn {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *smtpSink) port() int    { return s.ln.Addr().(*net.TCPAddr).Port }
func (s *smtpSink) count() int64 { return s.n.Load() }

// serve speaks just enough SMTP (RFC 5321) for a client that sends mail:
// EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	if tp.PrintfLine("220 sink.localhost ESMTP ready") != nil {
		return
	}
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			err = tp.PrintfLine("250-sink.localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760")
		case "HELO", "MAIL", "RCPT", "RSET", "NOOP":
			err = tp.PrintfLine("250 OK")
		case "DATA":
			if err = tp.PrintfLine("354 end with <CRLF>.<CRLF>"); err != nil {
				return
			}
			if _, err = io.Copy(io.Discard, bufio.NewReader(tp.DotReader())); err != nil {
				return
			}
			s.n.Add(1)
			err = tp.PrintfLine("250 OK queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			err = tp.PrintfLine("502 command not implemented")
		}
		if err != nil {
			return
		}
	}
}
