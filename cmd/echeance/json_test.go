package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

func TestStatusAndSubscriberJSON(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "offer", "add", filepath.Join(seedsDir(t), "000_dc2ab0cf186ec50a.txt"))
	mustRun(t, dir, "subscriber", "add", "alice@example.org", "--name", "Alice", "--weekly")
	mustRun(t, dir, "tick", "--now", "2025-10-20")

	var st struct {
		Now          time.Time  `json:"now"`
		NextRun      time.Time  `json:"next_run"`
		Schedule     string     `json:"schedule"`
		DueNow       int        `json:"due_now"`
		Pending      int        `json:"pending"`
		OldestUnsent *time.Time `json:"oldest_unsent"`
		Late         int64      `json:"oldest_unsent_late_seconds"`
	}
	// On the 25th at noon the 7-day reminder (due the 23rd at 08:00) waits.
	out := mustRun(t, dir, "status", "--json", "--now", "2025-10-25")
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if st.Schedule != "*/10 * * * *" || st.DueNow != 1 || st.Pending != 3 || st.OldestUnsent == nil ||
		st.Late != int64((2*24+4)*3600) || st.NextRun.Sub(st.Now) > 10*time.Minute || !st.NextRun.After(st.Now) {
		t.Errorf("status --json = %+v\n%s", st, out)
	}

	var sub struct {
		Email, Name, State string
		Offsets            []string
		Weekly             bool
		FollowAll          bool `json:"follow_all"`
		Reminders          []struct {
			OfferID    int64  `json:"offer_id"`
			OffsetDays int    `json:"offset_days"`
			State      string `json:"state"`
		}
	}
	out = mustRun(t, dir, "subscriber", "show", "--json", "alice@example.org")
	if err := json.Unmarshal([]byte(out), &sub); err != nil {
		t.Fatalf("subscriber show --json: %v\n%s", err, out)
	}
	if sub.Email != "alice@example.org" || sub.Name != "Alice" || sub.State != "active" || !sub.Weekly || !sub.FollowAll ||
		len(sub.Offsets) != 3 || len(sub.Reminders) != 3 || sub.Reminders[0].State != "pending" || sub.Reminders[0].OffsetDays != 7 {
		t.Errorf("subscriber show --json = %+v\n%s", sub, out)
	}
}
