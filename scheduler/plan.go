package scheduler

import (
	"sort"
	"time"

	"github.com/echeance/echeance/store"
)

// Clock is when, in local time, reminders are due on their day.
type Clock struct {
	Hour, Minute int
	Location     *time.Location
	// BusinessDays counts offsets in working days, skipping weekends and
	// French public holidays.
	BusinessDays bool
}

// day returns t's local date, YYYY-MM-DD.
func (c Clock) day(t time.Time) string { return t.In(c.Location).Format("2006-01-02") }

// nextSend returns the send time of the local day after t's.
func (c Clock) nextSend(t time.Time) time.Time {
	y, m, d := t.In(c.Location).Date()
	return time.Date(y, m, d+1, c.Hour, c.Minute, 0, 0, c.Location)
}

// dayBefore returns the date off days (or business days) before y-m-d.
func (c Clock) dayBefore(y int, m time.Month, d, off int) (int, time.Month, int) {
	if c.BusinessDays {
		return businessDaysBefore(y, m, d, off)
	}
	return y, m, d - off // time.Date normalises
}

// plan decides the reminders of one follow at now. Each offset gives a
// reminder due at the send time, offset days before the last day to apply.
// Reminders still ahead are pending. Of those already past (a student who
// follows late, or a deadline that moved closer), only the most urgent is
// kept, due at once, so a late follower gets one notice and never a burst;
// the others are recorded as skipped. A follow whose deadline has passed,
// or that has none, gets nothing.
func plan(f store.Follow, offsets []int, clock Clock, now time.Time) []store.NewReminder {
	if f.DueAt.IsZero() || !now.Before(f.DueAt) {
		return nil
	}
	last, err := time.ParseInLocation("2006-01-02", f.LastDay, clock.Location)
	if err != nil {
		// No usable last day: count back from the closing instant instead.
		last = f.DueAt.In(clock.Location)
	}
	y, m, d := last.Date()

	sorted := append([]int(nil), offsets...)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted))) // earliest reminder first
	var out []store.NewReminder
	var latestPast = -1
	for i, off := range sorted {
		// time.Date on calendar fields keeps 08:00 at 08:00 across DST.
		ry, rm, rd := clock.dayBefore(y, m, d, off)
		due := time.Date(ry, rm, rd, clock.Hour, clock.Minute, 0, 0, clock.Location)
		if !due.Before(f.DueAt) {
			// Applications close before the send time on the last day
			// ("jusqu'au 15 mars à 7h"): remind at the start of that day.
			due = time.Date(ry, rm, rd, 0, 0, 0, 0, clock.Location)
			if !due.Before(f.DueAt) {
				continue
			}
		}
		r := store.NewReminder{SubscriberID: f.SubscriberID, OfferID: f.OfferID, Revision: f.Revision, OffsetDays: off,
			DueAt: due, State: store.ReminderPending}
		if due.Before(now) {
			r.State = store.ReminderSkipped
			latestPast = i
		}
		out = append(out, r)
	}
	if latestPast >= 0 {
		// sorted is earliest first, so the last past one is the most urgent.
		for i := range out {
			if out[i].OffsetDays == sorted[latestPast] {
				out[i].State = store.ReminderPending
			}
		}
	}
	return out
}
