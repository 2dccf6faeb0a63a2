package metrics

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/echeance/echeance/scheduler"
	"github.com/echeance/echeance/store"
)

type fakeRuns scheduler.Stats

func (f fakeRuns) Stats() scheduler.Stats { return scheduler.Stats(f) }

type fakeStore struct {
	status store.Status
	rows   map[string]int
	offers map[string]int
}

func (f fakeStore) Status(context.Context, time.Time, time.Time) (store.Status, error) {
	return f.status, nil
}
func (f fakeStore) ReminderCounts(context.Context) (map[string]int, error) { return f.rows, nil }
func (f fakeStore) OfferCounts(context.Context) (map[string]int, error)    { return f.offers, nil }

// Parse reads a scrape with Prometheus's own text parser.
func Parse(t *testing.T, r io.Reader) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		t.Fatalf("the scrape does not parse: %v", err)
	}
	return fams
}

// value returns the sample of family name whose labels include want.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("no family %s", name)
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(want); i += 2 {
			found := false
			for _, l := range m.Label {
				if l.GetName() == want[i] && l.GetValue() == want[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Summary != nil:
			return m.Summary.GetSampleSum()
		}
	}
	t.Fatalf("no sample %s%v", name, want)
	return 0
}

func TestWriteParses(t *testing.T) {
	now := time.Date(2025, 10, 30, 9, 0, 0, 0, time.UTC)
	oldest := now.Add(-90 * time.Minute)
	runs := fakeRuns{Runs: 3, RunErrors: 1, Sent: 7, Confirmations: 2, Summaries: 1, TempFailures: 4, PermFailures: 5,
		Expired: 6, Skipped: 8, RunSeconds: 1.5, LastRunDuration: 250 * time.Millisecond, LastRun: now.Add(-time.Minute)}
	st := fakeStore{status: store.Status{DueNow: 9, Pending: 11, Retrying: 4, OldestUnsent: &oldest, ToReview: 2},
		rows:   map[string]int{"pending": 11, "sent": 20, "failed": 5},
		offers: map[string]int{"explicit": 3, "estimated": 2, "none": 1}}
	srv := httptest.NewServer(Handler(runs, st, `v1 "x"`, func() time.Time { return now }, time.UTC,
		slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fams := Parse(t, bytes.NewReader(body))
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"echeance_build_info", []string{"version", `v1 "x"`}, 1},
		{"echeance_messages_sent_total", []string{"kind", "reminder"}, 7},
		{"echeance_messages_sent_total", []string{"kind", "confirmation"}, 2},
		{"echeance_messages_sent_total", []string{"kind", "weekly"}, 1},
		{"echeance_messages_failed_total", []string{"failure", "temporary"}, 4},
		{"echeance_messages_failed_total", []string{"failure", "permanent"}, 5},
		{"echeance_reminders_expired_total", nil, 6},
		{"echeance_reminders_skipped_total", nil, 8},
		{"echeance_runs_total", nil, 3},
		{"echeance_run_errors_total", nil, 1},
		{"echeance_run_duration_seconds", nil, 1.5},
		{"echeance_last_run_duration_seconds", nil, 0.25},
		{"echeance_last_run_timestamp_seconds", nil, float64(now.Add(-time.Minute).Unix())},
		{"echeance_reminders_due", nil, 9},
		{"echeance_reminders_pending", nil, 11},
		{"echeance_reminders_retrying", nil, 4},
		{"echeance_oldest_unsent_age_seconds", nil, 5400},
		{"echeance_reminders", []string{"state", "sent"}, 20},
		{"echeance_reminders", []string{"state", "expired"}, 0},
		{"echeance_offers", []string{"deadline", "explicit"}, 3},
		{"echeance_offers", []string{"deadline", "none"}, 1},
		{"echeance_offers_to_review", nil, 2},
	} {
		if got := value(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if got := fams["echeance_run_duration_seconds"].Metric[0].Summary.GetSampleCount(); got != 3 {
		t.Errorf("run duration count = %d, want 3", got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}
