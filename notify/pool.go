package notify

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/config"
)

// This file sends at the relay's pace: smtp.connections parallel
// connections share one sliding window of smtp.rate (at most N messages in
// any window of a second, minute or hour), as listmonk's messenger does.
// A "slow down" answer (421, or 450/451 with a 4.7.x status) doubles the
// gap kept between two messages for the rest of the run, and the message
// is tried again on a new connection, instead of being put off to a later
// run with all those after it.

// slowDownTries is how many times one message is tried again after a slow
// down answer within a run; then it is put off like any temporary failure.
const slowDownTries = 3

// maxGap bounds the gap slow-downs build up.
const maxGap = time.Minute

// pace is the pace of one run, shared by its connections.
type pace struct {
	mu sync.Mutex
	// n messages at most in any window of per (n == 0: no window).
	n    int
	per  time.Duration
	sent []time.Time // the last n send times, oldest at next
	next int
	// gap is kept between two messages once the relay asked to slow down.
	gap  time.Duration
	last time.Time

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

func newPace(r config.Rate) *pace {
	return &pace{n: r.N, per: r.Per, now: time.Now, sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait blocks until one more message may go, and counts it as sent.
func (p *pace) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := p.now()
		var until time.Time
		if p.n > 0 && len(p.sent) == p.n {
			until = p.sent[p.next].Add(p.per)
		}
		if p.gap > 0 && !p.last.IsZero() && p.last.Add(p.gap).After(until) {
			until = p.last.Add(p.gap)
		}
		if !until.After(now) {
			if p.n > 0 {
				if len(p.sent) < p.n {
					p.sent = append(p.sent, now)
				} else {
					p.sent[p.next] = now
					p.next = (p.next + 1) % p.n
				}
			}
			p.last = now
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		if err := p.sleep(ctx, until.Sub(now)); err != nil {
			return err
		}
	}
}

// slowDown doubles the gap between messages (starting from the rate's own
// spacing, or 100 ms without a rate) and returns it.
func (p *pace) slowDown() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.gap > 0:
		p.gap *= 2
	case p.n > 0:
		p.gap = 2 * p.per / time.Duration(p.n)
	default:
		p.gap = 100 * time.Millisecond
	}
	p.gap = min(p.gap, maxGap)
	return p.gap
}

func (p *pace) currentGap() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gap
}

// runKey carries the pace of one run in a context.
type runKey struct{}

// runPace is what the Sends of one run share: the pace, and the
// connections left open between two batches.
type runPace struct {
	once sync.Once
	p    *pace
	mu   sync.Mutex
	idle []*gomail.Client
}

// StartRun returns a context in which every Send shares one pace (a
// relay's "slow down" keeps the later batches of the same run slower) and
// reuses the connections of the previous batch, and the function that
// closes them at the end of the run. Without it, each Send has a pace and
// connections of its own.
func StartRun(ctx context.Context) (context.Context, func()) {
	rp := &runPace{}
	return context.WithValue(ctx, runKey{}, rp), func() {
		rp.mu.Lock()
		defer rp.mu.Unlock()
		for _, c := range rp.idle {
			c.Close()
		}
		rp.idle = nil
	}
}

func (m *Mailer) paceFor(ctx context.Context) *pace {
	if rp, ok := ctx.Value(runKey{}).(*runPace); ok {
		rp.once.Do(func() { rp.p = newPace(m.smtp.Rate) })
		return rp.p
	}
	return newPace(m.smtp.Rate)
}

// reuse returns a connection the run left open, or nil.
func reuse(ctx context.Context) *gomail.Client {
	rp, ok := ctx.Value(runKey{}).(*runPace)
	if !ok {
		return nil
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if n := len(rp.idle); n > 0 {
		c := rp.idle[n-1]
		rp.idle = rp.idle[:n-1]
		return c
	}
	return nil
}

// release keeps a healthy connection open for the run's next batch, or
// closes it outside a run.
func release(ctx context.Context, c *gomail.Client, healthy bool) {
	if rp, ok := ctx.Value(runKey{}).(*runPace); ok && healthy {
		rp.mu.Lock()
		rp.idle = append(rp.idle, c)
		rp.mu.Unlock()
		return
	}
	c.Close()
}

// SlowDown reports whether err is the relay asking to send more slowly:
// 421 (service not available, closing), or 450/451 with an enhanced
// status 4.7.x (policy: rate limit, too many messages).
func SlowDown(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return slowCode(se.ErrorCode(), se.EnhancedStatusCode(), se.Error())
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return slowCode(te.Code, "", te.Msg)
	}
	return false
}

func slowCode(code int, enhanced, msg string) bool {
	if code == 421 {
		return true
	}
	if code != 450 && code != 451 {
		return false
	}
	if enhanced == "" {
		// Without ENHANCEDSTATUSCODES the status may still open the text.
		if i := strings.Index(msg, "4.7."); i >= 0 {
			enhanced = msg[i:]
		}
	}
	return strings.HasPrefix(enhanced, "4.7.")
}

// sendSMTP sends msgs over up to smtp.connections connections, at the run's
// pace, and returns one error per message.
func (m *Mailer) sendSMTP(ctx context.Context, msgs []*gomail.Msg) []error {
	errs := make([]error, len(msgs))
	if len(msgs) == 0 {
		return errs
	}
	p := m.paceFor(ctx)
	jobs := make(chan int, len(msgs))
	for i := range msgs {
		jobs <- i
	}
	close(jobs)
	workers := max(1, min(m.smtp.Connections, len(msgs)))
	var alive atomic.Int32
	alive.Store(int32(workers))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := m.work(ctx, p, msgs, errs, jobs)
			// The last connection to end fails what nobody took: every
			// connection failed.
			if alive.Add(-1) == 0 {
				if err == nil {
					err = errors.New("no connection to the relay")
				}
				for i := range jobs {
					errs[i] = err
				}
			}
		}()
	}
	wg.Wait()
	return errs
}

// work is one connection: it sends the messages it takes from jobs until
// none is left, and returns the error that kept it from connecting.
func (m *Mailer) work(ctx context.Context, p *pace, msgs []*gomail.Msg, errs []error, jobs <-chan int) error {
	c := reuse(ctx)
	reused := c != nil
	if c == nil {
		var err error
		if c, err = m.connect(ctx, p); err != nil {
			return err
		}
	}
	healthy := true
	defer func() {
		if c != nil {
			release(ctx, c, healthy)
		}
	}()
	for i := range jobs {
		for try := 0; ; try++ {
			if ctx.Err() != nil {
				errs[i] = fmt.Errorf("notify: %w", ctx.Err())
				break
			}
			if err := p.wait(ctx); err != nil {
				errs[i] = fmt.Errorf("notify: %w", err)
				break
			}
			err := c.Send(msgs[i])
			// Keep for the next batch only a connection whose last
			// message the relay accepted.
			healthy = err == nil
			if err == nil {
				reused = false
				errs[i] = nil
				break
			}
			if reused && (!relayAnswered(err) || closing(err)) {
				// The relay closed the connection kept from the last
				// batch (idle timeout: no answer, or a 421): open a
				// new one and try again, as a new connection would
				// have been.
				reused = false
				c.Close()
				if c, err = m.connect(ctx, p); err != nil {
					errs[i] = err
					return err
				}
				try--
				continue
			}
			reused = false
			errs[i] = fmt.Errorf("notify: smtp %s:%d: %w", m.smtp.Host, m.smtp.Port, err)
			if !SlowDown(err) || try == slowDownTries {
				break
			}
			gap := p.slowDown()
			m.log.Warn("the relay asks to slow down: sending slower for the rest of the run",
				"gap", gap, "error", err)
			// 421 closes the connection; start a fresh one either way.
			c.Close()
			if c, err = m.connect(ctx, p); err != nil {
				errs[i] = err
				// Leave the other messages to the other connections.
				return err
			}
		}
	}
	return nil
}

// connect dials the relay, waiting and trying again when it answers the
// greeting with a slow down (421: too many connections).
func (m *Mailer) connect(ctx context.Context, p *pace) (*gomail.Client, error) {
	for try := 0; ; try++ {
		c, err := m.client()
		if err == nil {
			err = c.DialWithContext(ctx)
		}
		if err == nil {
			return c, nil
		}
		if !slowGreeting(err) || try == slowDownTries || ctx.Err() != nil {
			return nil, fmt.Errorf("notify: smtp %s:%d: %w", m.smtp.Host, m.smtp.Port, relayError{err})
		}
		gap := p.slowDown()
		if err := p.sleep(ctx, gap); err != nil {
			return nil, fmt.Errorf("notify: smtp %s:%d: %w", m.smtp.Host, m.smtp.Port, relayError{err})
		}
	}
}

// relayAnswered reports whether err carries an SMTP reply, rather than a
// broken connection.
func relayAnswered(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() != 0
	}
	var te *textproto.Error
	return errors.As(err, &te)
}

// closing reports whether err is a 421, the relay closing the connection.
func closing(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() == 421
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code == 421
}

func slowGreeting(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && te.Code == 421 || SlowDown(err)
}
