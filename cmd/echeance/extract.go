package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"

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

// extractJob is one source to read, in input order; src is already loaded
// when the source is stdin, which is read by one goroutine in order.
type extractJob struct {
	name   string
	src    *ingest.Source
	result chan extracted
}

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
	sources, expandErr := ingest.Expand(paths)
	errs := []error{expandErr}
	opts := offer.Options{Now: e.now(), Location: e.cfg.Schedule.Location,
		EstimateLead: e.cfg.Offers.EstimateLead.Duration()}

	// Files are read and parsed by one worker per core; the results are
	// printed in input order, as one reader reading them in turn would.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(runtime.GOMAXPROCS(0), len(sources))
	jobs := make(chan extractJob)
	order := make(chan extractJob, 4*workers) // bounds the results held
	go func() {
		defer close(jobs)
		defer close(order)
		for _, name := range sources {
			j := extractJob{name: name, result: make(chan extracted, 1)}
			if name == "-" {
				src, err := ingest.Load(ctx, name, e.stdin)
				if err != nil {
					j.result <- extracted{err: err}
				} else {
					j.src = &src
				}
			}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
			if j.name == "-" && j.src == nil {
				continue // its error is already its result
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
				j.result <- extractOne(ctx, e, docs, j, opts, *asJSON)
			}
		}()
	}

	w := bufio.NewWriterSize(e.stdout, 64<<10)
	for j := range order {
		r := <-j.result
		if r.err != nil {
			errs = append(errs, r.err)
		}
		if _, err := w.Write(r.out); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// extractOne reads and parses one source and returns what extract prints
// for it.
func extractOne(ctx context.Context, e *env, docs document.Reader, j extractJob, opts offer.Options, asJSON bool) extracted {
	var src ingest.Source
	if j.src != nil {
		src = *j.src
	} else {
		var err error
		if src, err = ingest.Load(ctx, j.name, e.stdin); err != nil {
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
			return extracted{err: fmt.Errorf("extract: %s: %w", j.name, err)}
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
