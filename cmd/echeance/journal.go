package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
)

// journalHandler prefixes each line with its syslog priority (<3> error,
// <4> warning, <6> info, <7> debug), which journald reads from a service's
// stderr (SyslogLevelPrefix=, on by default), so that `journalctl -p
// warning` shows the problems.
type journalHandler struct {
	slog.Handler
	out *journalWriter
}

// journalWriter writes the prefix of the line being handled; mu makes the
// prefix and the line one write, as the inner handler writes a line at once.
type journalWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
}

func (j *journalWriter) Write(p []byte) (int, error) {
	buf := make([]byte, 0, len(j.prefix)+len(p))
	buf = append(append(buf, j.prefix...), p...)
	if _, err := j.w.Write(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

func newJournalHandler(w io.Writer, newInner func(io.Writer) slog.Handler) slog.Handler {
	out := &journalWriter{w: w}
	return journalHandler{Handler: newInner(out), out: out}
}

func priority(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "<3>"
	case l >= slog.LevelWarn:
		return "<4>"
	case l >= slog.LevelInfo:
		return "<6>"
	}
	return "<7>"
}

func (h journalHandler) Handle(ctx context.Context, r slog.Record) error {
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	h.out.prefix = priority(r.Level)
	return h.Handler.Handle(ctx, r)
}

func (h journalHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return journalHandler{Handler: h.Handler.WithAttrs(attrs), out: h.out}
}

func (h journalHandler) WithGroup(name string) slog.Handler {
	return journalHandler{Handler: h.Handler.WithGroup(name), out: h.out}
}
