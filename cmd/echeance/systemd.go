package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"
)

// systemd speaks the notify protocol of sd_notify(3), written out: each
// state is one datagram to the socket named by NOTIFY_SOCKET. Without that
// variable (not started by systemd, or Type=simple) every call is a no-op.
type systemd struct {
	socket string
	// watchdog is WATCHDOG_USEC, when it is meant for this process.
	watchdog time.Duration
}

func newSystemd(getenv func(string) string) *systemd {
	s := &systemd{socket: getenv("NOTIFY_SOCKET")}
	usec, err := strconv.ParseInt(getenv("WATCHDOG_USEC"), 10, 64)
	pid := getenv("WATCHDOG_PID")
	if err == nil && usec > 0 && (pid == "" || pid == strconv.Itoa(os.Getpid())) {
		s.watchdog = time.Duration(usec) * time.Microsecond
	}
	return s
}

// notify sends state ("READY=1", "WATCHDOG=1", "STOPPING=1", ...). A name
// starting with @ is in the abstract namespace, which Go's net package
// understands as is.
func (s *systemd) notify(state string) error {
	if s.socket == "" {
		return nil
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: s.socket, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("systemd notify: %w", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return fmt.Errorf("systemd notify: %w", err)
	}
	return nil
}

// tell sends state and logs a failure: systemd not hearing from us is worth
// a line, never worth stopping.
func (s *systemd) tell(log *slog.Logger, state string) {
	if err := s.notify(state); err != nil {
		log.Warn("cannot notify systemd", "state", state, "error", err)
	}
}

// watch sends WATCHDOG=1 at half the watchdog interval for as long as
// alive says the daemon works, until ctx ends. When alive fails, systemd
// hears nothing and restarts the service once the interval runs out.
func (s *systemd) watch(ctx context.Context, log *slog.Logger, alive func(ctx context.Context) error) {
	if s.watchdog <= 0 || s.socket == "" {
		return
	}
	every := s.watchdog / 2
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		check, cancel := context.WithTimeout(ctx, every)
		err := alive(check)
		cancel()
		if err != nil {
			if !failing {
				log.Error("watchdog: not alive, systemd will restart the service", "error", err)
			}
			failing = true
			continue
		}
		if failing {
			log.Info("watchdog: alive again")
		}
		failing = false
		s.tell(log, "WATCHDOG=1")
	}
}
