// Package metrics owns the daemon's Prometheus endpoint: it writes, in the
// Prometheus text format (version 0.0.4), what the runs of this process did
// (messages sent and failed, rows expired, run durations), read from the
// scheduler's counts, and the state of the outbox and of the offers, read
// from the database at each scrape.
//
// It writes the format itself (a few dozen lines) rather than carry a
// client library; it keeps no state of its own.
package metrics

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/scheduler"
	"github.com/echeance/echeance/store"
)

// Runs is what the metrics need from the scheduler.
type Runs interface {
	Stats() scheduler.Stats
}

// Store is what the metrics need from the database.
type Store interface {
	Status(ctx context.Context, now, dayStart time.Time) (store.Status, error)
	ReminderCounts(ctx context.Context) (map[string]int, error)
	OfferCounts(ctx context.Context) (map[string]int, error)
}

// Handler serves /metrics. now is the clock the outbox is read with (due
// now, age of the oldest unsent reminder) and loc the zone of "today".
func Handler(runs Runs, st Store, version string, now func() time.Time, loc *time.Location, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		if err := Write(r.Context(), &b, runs, st, version, now(), loc); err != nil {
			log.Error("metrics", "error", err)
			http.Error(w, "metrics: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write(b.Bytes())
	})
}

// Write writes every metric to w at now.
func Write(ctx context.Context, w io.Writer, runs Runs, st Store, version string, now time.Time, loc *time.Location) error {
	local := now.In(loc)
	status, err := st.Status(ctx, now, time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc))
	if err != nil {
		return err
	}
	rows, err := st.ReminderCounts(ctx)
	if err != nil {
		return err
	}
	offers, err := st.OfferCounts(ctx)
	if err != nil {
		return err
	}
	s := runs.Stats()
	e := &enc{w: w}
	e.family("echeance_build_info", "gauge", "The running echeance, by version.")
	e.sample("echeance_build_info", 1, "version", version)

	e.family("echeance_messages_sent_total", "counter", "Emails the relay (or the mail folder) accepted since start, by kind.")
	e.sample("echeance_messages_sent_total", float64(s.Sent), "kind", "reminder")
	e.sample("echeance_messages_sent_total", float64(s.Confirmations), "kind", "confirmation")
	e.sample("echeance_messages_sent_total", float64(s.Summaries), "kind", "weekly")
	e.family("echeance_messages_failed_total", "counter",
		"Emails not delivered since start: temporary failures are tried again later, permanent ones are not.")
	e.sample("echeance_messages_failed_total", float64(s.TempFailures), "failure", "temporary")
	e.sample("echeance_messages_failed_total", float64(s.PermFailures), "failure", "permanent")
	e.counter("echeance_reminders_expired_total", "Reminders expired since start: their deadline passed before they went out.", float64(s.Expired))
	e.counter("echeance_reminders_skipped_total", "Reminders skipped since start (a more urgent one went out, or the student stopped).", float64(s.Skipped))

	e.counter("echeance_runs_total", "Runs of the reminder job since start.", float64(s.Runs))
	e.counter("echeance_run_errors_total", "Runs that failed since start.", float64(s.RunErrors))
	e.family("echeance_run_duration_seconds", "summary", "How long the finished runs took.")
	e.sample("echeance_run_duration_seconds_sum", s.RunSeconds)
	e.sample("echeance_run_duration_seconds_count", float64(s.Runs))
	e.gauge("echeance_last_run_duration_seconds", "How long the latest finished run took.", s.LastRunDuration.Seconds())
	last := 0.0
	if !s.LastRun.IsZero() {
		last = float64(s.LastRun.Unix())
	}
	e.gauge("echeance_last_run_timestamp_seconds", "When the latest run started (Unix time; 0 before the first).", last)

	e.gauge("echeance_reminders_due", "Reminders pending and due now.", float64(status.DueNow))
	e.gauge("echeance_reminders_pending", "Reminders pending, due now or later.", float64(status.Pending))
	e.gauge("echeance_reminders_retrying", "Pending reminders that failed at least once and wait to be tried again.", float64(status.Retrying))
	age := 0.0
	if status.OldestUnsent != nil {
		age = now.Sub(*status.OldestUnsent).Seconds()
	}
	e.gauge("echeance_oldest_unsent_age_seconds", "How late the oldest due and unsent reminder is (0 when none).", age)
	e.family("echeance_reminders", "gauge", "Rows of the reminder outbox, by state.")
	for _, state := range []string{store.ReminderPending, store.ReminderSent, store.ReminderSkipped, store.ReminderExpired, store.ReminderFailed} {
		e.sample("echeance_reminders", float64(rows[state]), "state", state)
	}
	e.family("echeance_offers", "gauge", "Stored offers, by kind of deadline (explicit, estimated, none).")
	kinds := make([]string, 0, len(offers))
	for k := range offers {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		e.sample("echeance_offers", float64(offers[k]), "deadline", k)
	}
	e.gauge("echeance_offers_to_review", "Offers waiting for review (offers.review): their reminders are held.", float64(status.ToReview))
	return e.err
}

// labelEscaper escapes a label value as the text format wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// enc writes the text format, keeping the first write error.
type enc struct {
	w   io.Writer
	err error
}

func (e *enc) family(name, typ, help string) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
}

func (e *enc) sample(name string, v float64, labels ...string) {
	if e.err != nil {
		return
	}
	var b bytes.Buffer
	b.WriteString(name)
	for i := 0; i+1 < len(labels); i += 2 {
		if i == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(labels[i] + `="` + labelEscaper.Replace(labels[i+1]) + `"`)
	}
	if len(labels) > 0 {
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	b.WriteByte('\n')
	_, e.err = e.w.Write(b.Bytes())
}

func (e *enc) counter(name, help string, v float64) {
	e.family(name, "counter", help)
	e.sample(name, v)
}

func (e *enc) gauge(name, help string, v float64) {
	e.family(name, "gauge", help)
	e.sample(name, v)
}
