package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// releaseAfterFirstRun waits for the scheduler to start and for one run to
// finish, then returns the memory; it gives up when the daemon stops first.
func TestReleaseAfterFirstRun(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	started := make(chan struct{})
	var runs atomic.Int64
	done := make(chan struct{})
	go func() {
		releaseAfterFirstRun(context.Background(), started, runs.Load, log)
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("returned before the scheduler started")
	case <-time.After(300 * time.Millisecond):
	}
	close(started)
	select {
	case <-done:
		t.Fatal("returned before the first run finished")
	case <-time.After(300 * time.Millisecond):
	}
	runs.Add(1)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting a run after the first one finished")
	}
	if !strings.Contains(logs.String(), "memory returned to the system after the first run") {
		t.Errorf("log: %q", logs.String())
	}

	// Stopped before any run: it returns without waiting.
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		releaseAfterFirstRun(ctx, make(chan struct{}), func() int64 { return 0 }, log)
		close(stopped)
	}()
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("still waiting after the daemon stopped")
	}
}
