package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/offer"
)

// extracted is what reading one source gave: its printed lines or the
// error that stopped it.
type extracted struct {
	out []byte
	err error
}

// extractJob is a run of consecutive sources to read, in input order. A
// worker reads a whole run and hands back its results at once: handing
// each file to a worker and its result back cost two goroutine wake-ups a
// file, a large share of a run over many short offers.
type extractJob struct {
	names []string
	// Stdin ("-") is read by one goroutine, in input order, before its run
	// is handed over: srcs holds what it gave by index in names, or
	// failed the error.
	srcs   map[int]ingest.Source
	failed map[int]extracted
	result chan []extracted
}

// extractRun is how many sources one job holds: enough that handing jobs
// over costs little, few enough that every worker gets several jobs, and
// one when there are only a few files.
func extractRun(sources, workers int) int {
	return min(max(sources/(8*workers), 1), 32)
}

// extractGCPercent is the collector's target while extract runs (see
// cmdExtract).
const extractGCPercent = 400

func cmdExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("extract", e)
	asJSON := fs.Bool("json", false, "one JSON object per offer, one per line")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("extract: want at least one PATH")
	}
	sources, expandErr := expandSources(paths)
	errs := []error{expandErr}
	opts := offer.Options{Now: e.now(), Location: e.cfg.Schedule.Location,
		EstimateLead: e.cfg.Offers.EstimateLead.Duration()}

	// A run over many files holds little at a time (an offer per worker)
	// and allocates most of it anew for each file: with the collector's
	// default target, a heap of 4 MB, it collects every thousand offers or
	// so, and while it marks, one of two cores gives it a share of its
	// time. A target of five times what is live (a few MB) leaves the
	// cores to the offers. GOGC, when set, has the last word.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(extractGCPercent))
	}

	// Files are read and parsed by one worker per core, in runs of
	// consecutive files; the results are printed in input order, as one
	// reader reading them in turn would.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(runtime.GOMAXPROCS(0), len(sources))
	run := extractRun(len(sources), workers)
	jobs := make(chan extractJob, workers)
	order := make(chan extractJob, 4*workers) // bounds the results held
	go func() {
		defer close(jobs)
		defer close(order)
		for len(sources) > 0 {
			n := min(run, len(sources))
			j := extractJob{names: sources[:n], result: make(chan []extracted, 1)}
			sources = sources[n:]
			for i, name := range j.names {
				if name != "-" {
					continue
				}
				if j.srcs == nil {
					j.srcs, j.failed = map[int]ingest.Source{}, map[int]extracted{}
				}
				src, err := ingest.Load(ctx, name, e.stdin)
				if err != nil {
					j.failed[i] = extracted{err: err}
				} else {
					j.srcs[i] = src
				}
			}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			var docs document.Reader
			for j := range jobs {
				out := make([]extracted, len(j.names))
				for i, name := range j.names {
					if r, failed := j.failed[i]; failed {
						out[i] = r
						continue
					}
					var loaded *ingest.Source
					if src, ok := j.srcs[i]; ok {
						loaded = &src
					}
					out[i] = extractOne(ctx, e, docs, name, loaded, opts, *asJSON)
				}
				j.result <- out
			}
		}()
	}

	w := bufio.NewWriterSize(e.stdout, 64<<10)
	for j := range order {
		for _, r := range <-j.result {
			if r.err != nil {
				errs = append(errs, r.err)
			}
			if _, err := w.Write(r.out); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// expandSources lists what extract reads, as ingest.Expand does, but
// without a look at the disk for a path named like an offer file
// (offre.txt, page.html, …): a worker reads it as soon as its turn comes.
// Expand looks at each path before the first is read, in one goroutine
// while the workers wait: a tenth of a run over many files.
func expandSources(paths []string) ([]string, error) {
	var out []string
	var errs []error
	for _, p := range paths {
		if ingest.OfferFile(p) { // "-" and most folders have no such name
			out = append(out, p)
			continue
		}
		listed, err := ingest.Expand([]string{p})
		out, errs = append(out, listed...), append(errs, err)
	}
	return out, errors.Join(errs...)
}

// extractOne reads and parses one source and returns what extract prints
// for it. A folder named like an offer file, which expandSources did not
// look at, prints what its files print.
func extractOne(ctx context.Context, e *env, docs document.Reader, name string, loaded *ingest.Source, opts offer.Options, asJSON bool) extracted {
	var src ingest.Source
	if loaded != nil {
		src = *loaded
	} else {
		var err error
		if src, err = ingest.Load(ctx, name, e.stdin); errors.Is(err, ingest.ErrFolder) {
			return extractFolder(ctx, e, docs, name, opts, asJSON)
		} else if err != nil {
			return extracted{err: err}
		}
	}
	o, err := ingest.Parse(ctx, docs, src, opts)
	if err != nil {
		return extracted{err: err}
	}
	var b bytes.Buffer
	if asJSON {
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(o); err != nil {
			return extracted{err: fmt.Errorf("extract: %s: %w", name, err)}
		}
		return extracted{out: b.Bytes()}
	}
	fmt.Fprintf(&b, "%s\n  title: %s\n  organisation: %s\n  deadline: %s", o.File,
		orDefault(o.Title, "-"), orDefault(o.Organisation, "-"), deadlineSummary(o.Deadline))
	if o.Deadline.Phrase != "" {
		fmt.Fprintf(&b, " (%q)", o.Deadline.Phrase)
	}
	b.WriteByte('\n')
	for _, d := range o.Dates {
		fmt.Fprintf(&b, "  %-9s %s", d.Role, d.Text)
		if d.End != "" {
			fmt.Fprintf(&b, " [%s .. %s]\n", d.Start, d.End)
		} else {
			fmt.Fprintf(&b, " [%s]\n", d.Start)
		}
	}
	return extracted{out: b.Bytes()}
}

// extractFolder reads a folder's files in turn, as extractOne reads one.
func extractFolder(ctx context.Context, e *env, docs document.Reader, name string, opts offer.Options, asJSON bool) extracted {
	names, err := ingest.Expand([]string{name})
	errs := []error{err}
	var out []byte
	for _, n := range names {
		r := extractOne(ctx, e, docs, n, nil, opts, asJSON)
		out, errs = append(out, r.out...), append(errs, r.err)
	}
	return extracted{out: out, err: errors.Join(errs...)}
}
