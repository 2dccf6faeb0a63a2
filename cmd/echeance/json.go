package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/store"
)

// statusJSON is status --json: the same figures, for scripts and monitoring.
type statusJSON struct {
	Now          time.Time  `json:"now"`
	NextRun      time.Time  `json:"next_run"`
	Schedule     string     `json:"schedule"`
	DueNow       int        `json:"due_now"`
	Pending      int        `json:"pending"`
	SentToday    int        `json:"sent_today"`
	Retrying     int        `json:"retrying"`
	Failed       int        `json:"failed"`
	Expired      int        `json:"expired"`
	OldestUnsent *time.Time `json:"oldest_unsent"`
	// LateSeconds is how late the oldest unsent reminder is (0 when none).
	LateSeconds int64 `json:"oldest_unsent_late_seconds"`
	// ToReview counts the offers waiting for review.
	ToReview int `json:"to_review"`
}

func writeStatusJSON(e *env, s store.Status, now, next time.Time) error {
	out := statusJSON{Now: now, NextRun: next, Schedule: e.cfg.Schedule.Reminders, DueNow: s.DueNow, Pending: s.Pending,
		SentToday: s.SentToday, Retrying: s.Retrying, Failed: s.Failed, Expired: s.Expired, ToReview: s.ToReview}
	if s.OldestUnsent != nil {
		t := s.OldestUnsent.In(now.Location())
		out.OldestUnsent = &t
		out.LateSeconds = int64(now.Sub(t).Seconds())
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// subscriberShowJSON is subscriber show --json.
type subscriberShowJSON struct {
	subscriberJSON
	StateReason string              `json:"state_reason"`
	Weekly      bool                `json:"weekly"`
	CreatedAt   time.Time           `json:"created_at"`
	Reminders   []store.ReminderRow `json:"reminders"`
}

func writeSubscriberJSON(ctx context.Context, e *env, st *store.Store, email string) error {
	sub, err := st.SubscriberByEmail(ctx, email)
	if err != nil {
		return err
	}
	rows, err := st.Reminders(ctx, nil)
	if err != nil {
		return err
	}
	out := subscriberShowJSON{subscriberJSON: subscriberJSON{ID: sub.ID, Email: sub.Email, Name: sub.Name, Lang: sub.Lang,
		State: sub.State, Offsets: offsetList(sub.Offsets, e.cfg), FollowAll: sub.FollowAll,
		Offers: append([]int64{}, sub.Offers...), Searches: append([]string{}, sub.Searches...)},
		StateReason: sub.StateReason, Weekly: sub.Weekly, CreatedAt: sub.CreatedAt, Reminders: []store.ReminderRow{}}
	for _, r := range rows {
		if r.Email == sub.Email {
			r.DueAt = r.DueAt.In(e.cfg.Schedule.Location)
			out.Reminders = append(out.Reminders, r)
		}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func offsetList(days []int, cfg config.Config) []string {
	out := []string{}
	for _, d := range strings.Split(offsetsText(days, cfg), ",") {
		if _, err := strconv.Atoi(strings.TrimSuffix(d, "d")); err == nil {
			out = append(out, d)
		}
	}
	return out
}
