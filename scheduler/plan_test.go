package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/store"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// describe writes planned reminders as "7d@2025-10-23T08:00+02:00=pending".
func describe(rs []store.NewReminder, loc *time.Location) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%dd@%s=%s", r.OffsetDays, r.DueAt.In(loc).Format("2006-01-02T15:04Z07:00"), r.State))
	}
	return strings.Join(parts, " ")
}

func TestPlan(t *testing.T) {
	loc := paris(t)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	clock := Clock{Hour: 8, Minute: 0, Location: loc}
	std := []int{7, 2, 0}
	tests := []struct {
		name    string
		lastDay string
		dueAt   time.Time
		offsets []int
		now     time.Time
		want    string
	}{
		{
			name: "follow early: all ahead", lastDay: "2025-10-30", dueAt: at("2025-10-31 00:00"), offsets: std,
			now:  at("2025-10-01 12:00"),
			want: "7d@2025-10-23T08:00+02:00=pending 2d@2025-10-28T08:00+01:00=pending 0d@2025-10-30T08:00+01:00=pending",
		},
		{
			// 26 October 2025 is the fall-back day in Europe/Paris: 08:00
			// stays 08:00 on both sides.
			name: "across the October 2025 DST change", lastDay: "2025-10-27", dueAt: at("2025-10-27 23:59"), offsets: []int{2, 1, 0},
			now:  at("2025-10-01 12:00"),
			want: "2d@2025-10-25T08:00+02:00=pending 1d@2025-10-26T08:00+01:00=pending 0d@2025-10-27T08:00+01:00=pending",
		},
		{
			// 29 March 2026 is the spring-forward day.
			name: "across the March 2026 DST change", lastDay: "2026-03-30", dueAt: at("2026-03-30 23:59"), offsets: []int{2, 1, 0},
			now:  at("2026-03-01 12:00"),
			want: "2d@2026-03-28T08:00+01:00=pending 1d@2026-03-29T08:00+02:00=pending 0d@2026-03-30T08:00+02:00=pending",
		},
		{
			name: "offsets across a month end", lastDay: "2026-03-02", dueAt: at("2026-03-02 23:59"), offsets: []int{7, 2},
			now:  at("2026-01-01 12:00"),
			want: "7d@2026-02-23T08:00+01:00=pending 2d@2026-02-28T08:00+01:00=pending",
		},
		{
			name: "late follower: one notice now, then what is ahead", lastDay: "2025-10-30", dueAt: at("2025-10-31 00:00"), offsets: std,
			now:  at("2025-10-24 12:00"),
			want: "7d@2025-10-23T08:00+02:00=pending 2d@2025-10-28T08:00+01:00=pending 0d@2025-10-30T08:00+01:00=pending",
		},
		{
			name: "very late follower: only the most urgent past one", lastDay: "2025-10-30", dueAt: at("2025-10-31 00:00"), offsets: std,
			now:  at("2025-10-29 12:00"),
			want: "7d@2025-10-23T08:00+02:00=skipped 2d@2025-10-28T08:00+01:00=pending 0d@2025-10-30T08:00+01:00=pending",
		},
		{
			name: "deadline today after the send time", lastDay: "2025-10-30", dueAt: at("2025-10-31 00:00"), offsets: std,
			now:  at("2025-10-30 15:00"),
			want: "7d@2025-10-23T08:00+02:00=skipped 2d@2025-10-28T08:00+01:00=skipped 0d@2025-10-30T08:00+01:00=pending",
		},
		{
			name: "closing before the send time on the last day", lastDay: "2026-03-15", dueAt: at("2026-03-15 07:00"), offsets: []int{0},
			now:  at("2026-03-01 12:00"),
			want: "0d@2026-03-15T00:00+01:00=pending",
		},
		{
			name: "expired: nothing", lastDay: "2025-10-30", dueAt: at("2025-10-31 00:00"), offsets: std,
			now: at("2025-10-31 00:00"), want: "",
		},
		{
			name: "no deadline: nothing", lastDay: "", dueAt: time.Time{}, offsets: std,
			now: at("2025-10-01 12:00"), want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := store.Follow{SubscriberID: 1, OfferID: 2, LastDay: tt.lastDay, DueAt: tt.dueAt}
			got := describe(plan(f, tt.offsets, clock, tt.now), loc)
			if got != tt.want {
				t.Errorf("plan =\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
}

func TestPlanBusinessDays(t *testing.T) {
	loc := paris(t)
	clock := Clock{Hour: 8, Location: loc, BusinessDays: true}
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, loc)
	tests := []struct {
		name, lastDay string
		offsets       []int
		want          string
	}{
		{"around 14 July 2025 (a Monday)", "2025-07-15", []int{2, 1, 0},
			"2d@2025-07-10T08:00+02:00=pending 1d@2025-07-11T08:00+02:00=pending 0d@2025-07-15T08:00+02:00=pending"},
		{"around Easter Monday 2026 (6 April)", "2026-04-07", []int{1}, "1d@2026-04-03T08:00+02:00=pending"},
		{"Ascension 2026 (14 May) and a weekend", "2026-05-18", []int{2}, "2d@2026-05-13T08:00+02:00=pending"},
		{"0d on a Sunday stays on the last day", "2025-11-02", []int{0}, "0d@2025-11-02T08:00+01:00=pending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last, _ := time.ParseInLocation("2006-01-02", tt.lastDay, loc)
			f := store.Follow{LastDay: tt.lastDay, DueAt: last.AddDate(0, 0, 1)}
			if got := describe(plan(f, tt.offsets, clock, now), loc); got != tt.want {
				t.Errorf("plan =\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
}

func TestEaster(t *testing.T) {
	for _, tt := range []struct {
		year  int
		month time.Month
		day   int
	}{{2024, time.March, 31}, {2025, time.April, 20}, {2026, time.April, 5}, {2027, time.March, 28}, {2038, time.April, 25}} {
		if m, d := easter(tt.year); m != tt.month || d != tt.day {
			t.Errorf("easter(%d) = %v %d, want %v %d", tt.year, m, d, tt.month, tt.day)
		}
	}
}

func TestDecide(t *testing.T) {
	now := time.Date(2025, 10, 24, 10, 0, 0, 0, time.UTC)
	open := now.Add(72 * time.Hour)
	due := func(id, sub, offer int64, off int, deadline time.Time, state, status string) store.Due {
		return store.Due{ID: id, Kind: "reminder", SubscriberID: sub, OfferID: offer, OffsetDays: off, DeadlineAt: deadline,
			SubscriberState: state, FollowStatus: status}
	}
	notice := func(id, sub, offer int64, kind string, deadline time.Time) store.Due {
		return store.Due{ID: id, Kind: kind, SubscriberID: sub, OfferID: offer, DeadlineAt: deadline,
			SubscriberState: "active", FollowStatus: "following"}
	}
	dues := []store.Due{
		due(1, 1, 10, 2, open, "active", "following"),
		due(2, 1, 10, 7, open, "active", "following"),        // after downtime: superseded by the 2d one
		due(3, 1, 11, 0, now, "active", "following"),         // deadline passed
		due(4, 1, 12, 7, open, "active", "applied"),          // the student applied
		due(5, 2, 10, 7, open, "paused", "following"),        // paused
		due(6, 3, 10, 7, open, "active", "following"),        // another student
		due(7, 3, 13, 7, time.Time{}, "active", "following"), // deadline withdrawn
		notice(8, 4, 14, "new_offer", time.Time{}),           // a new offer with no deadline is news
		notice(9, 4, 15, "deadline_changed", now),            // but not once the offer closed
	}
	d := decide(dues, now)
	ids := func(ds []store.Due) []int64 {
		var out []int64
		for _, x := range ds {
			out = append(out, x.ID)
		}
		return out
	}
	if got := fmt.Sprint(len(d.digests), ids(d.digests[0]), ids(d.digests[1]), ids(d.digests[2])); got != "3 [1] [6] [8]" {
		t.Errorf("digests = %s, want 3 [1] [6] [8]", got)
	}
	if got := fmt.Sprint(d.expired); got != "[3 7 9]" {
		t.Errorf("expired = %s", got)
	}
	if got := fmt.Sprint(d.skipped); got != "[2 4 5]" {
		t.Errorf("skipped = %s", got)
	}
}

func TestRetryDelayGrows(t *testing.T) {
	prev := time.Duration(0)
	for i := 0; i < 12; i++ {
		d := retryDelay(i)
		if d < prev || d > 6*time.Hour {
			t.Fatalf("retryDelay(%d) = %v after %v", i, d, prev)
		}
		prev = d
	}
	if retryDelay(0) != 5*time.Minute || retryDelay(20) != 6*time.Hour {
		t.Errorf("retryDelay bounds: %v %v", retryDelay(0), retryDelay(20))
	}
}
