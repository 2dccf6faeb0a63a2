package scheduler

// pipeline delivers one batch while the next one is being built: building
// (templates, calendars) and sending (the relay's round trips) then overlap.
// At most one batch is in flight, so a crash still repeats at most one
// batch: the one sent and not yet recorded.
type pipeline struct {
	deliver func([]outgoing) error
	done    chan delivered
	busy    bool
}

// delivered is how a delivery ended: its error, or the value it panicked
// with, raised again in the run's goroutine so the run's recover sees it.
type delivered struct {
	err    error
	panick any
}

func newPipeline(deliver func([]outgoing) error) *pipeline {
	return &pipeline{deliver: deliver, done: make(chan delivered, 1)}
}

// send waits for the batch in flight, then starts delivering b. b must not
// be reused by the caller.
func (p *pipeline) send(b []outgoing) error {
	if err := p.wait(); err != nil {
		return err
	}
	p.busy = true
	go func() {
		var d delivered
		defer func() {
			if v := recover(); v != nil {
				d.panick = v
			}
			p.done <- d
		}()
		d.err = p.deliver(b)
	}()
	return nil
}

// wait waits for the batch in flight, if any, and returns its error.
func (p *pipeline) wait() error {
	if !p.busy {
		return nil
	}
	p.busy = false
	d := <-p.done
	if d.panick != nil {
		panic(d.panick)
	}
	return d.err
}
