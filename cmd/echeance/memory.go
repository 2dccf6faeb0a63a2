package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// This file holds what keeps the daemon small when it idles between runs.

// releaseAfterFirstRun waits for the first run to end, then collects its
// garbage and returns the freed pages to the system at once (the Go
// runtime would keep part of them for the next run, which is hours away).
// Start-up and the catch-up run leave most of their memory behind: the
// offers read from the inbox, the plan of a large import. It returns when
// that is done or when ctx ends. started is closed when the scheduler has
// started; runs counts its finished runs.
func releaseAfterFirstRun(ctx context.Context, started <-chan struct{}, runs func() int64, log *slog.Logger) {
	select {
	case <-started:
	case <-ctx.Done():
		return
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for runs() == 0 {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
	debug.FreeOSMemory()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	log.Debug("memory returned to the system after the first run", "heap_live", s[0].Value.Uint64(),
		"mapped", s[1].Value.Uint64(), "released", s[2].Value.Uint64())
}
