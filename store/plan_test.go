package store

import (
	"context"
	"strings"
	"testing"
)

// TestQueryPlansUseIndexes keeps the questions every run asks cheap however
// large the history grows: each must read its partial index, never scan the
// reminders, subscriptions or offers table. SQLite without ANALYZE data (as
// the daemon runs) picks these plans from the schema alone, so a fresh
// database shows the plan a large one gets.
func TestQueryPlansUseIndexes(t *testing.T) {
	s, _ := newTestStore(t)
	tests := []struct {
		name  string
		query string
		args  []any
		uses  string // the index the query must read
	}{
		{"due reminders", selectDue, []any{t0, t0}, "INDEX reminders_pending_due"},
		{"unplanned follows", selectUnplanned, []any{5000}, "INDEX subscriptions_unplanned"},
		{"unmatched offers", selectUnmatched, []any{1000}, "INDEX offers_unmatched"},
		// Planning marks a page of follows at once: each found by key.
		{"mark planned", markPlanned, []any{t0, "[[1,2]]"}, "SEARCH subscriptions USING"},
		// The dashboard's counts: the outbox by state from reminder_counts,
		// the rest from partial indexes.
		{"outbox due now", countOutbox, []any{t0, t0}, "INDEX reminders_pending_due"},
		{"outbox sent today", countOutbox, []any{t0, t0}, "INDEX reminders_sent_at"},
		{"outbox retrying", countOutbox, []any{t0, t0}, "INDEX reminders_retrying"},
		{"outbox by state", countOutbox, []any{t0, t0}, "SEARCH reminder_counts USING PRIMARY KEY"},
		{"oldest unsent", selectOldestDue, []any{t0}, "INDEX reminders_pending_due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, s, tt.query, tt.args...)
			t.Logf("plan:\n%s", strings.Join(plan, "\n"))
			used := false
			for _, step := range plan {
				if strings.Contains(step, tt.uses+" ") || strings.HasSuffix(step, tt.uses) {
					used = true
				}
				if table, ok := fullScan(step); ok {
					t.Errorf("plan scans table %s: %q", table, step)
				}
			}
			if !used {
				t.Errorf("plan does not use %s:\n%s", tt.uses, strings.Join(plan, "\n"))
			}
		})
	}
}

// queryPlan returns the detail column of EXPLAIN QUERY PLAN for query.
func queryPlan(t *testing.T, s *Store, query string, args ...any) []string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// bigTables are the ones that grow without bound, by name and by the aliases
// the store's queries give them.
var bigTables = map[string]string{
	"reminders": "reminders", "r": "reminders",
	"subscriptions": "subscriptions", "f": "subscriptions",
	"offers": "offers", "o": "offers",
}

// fullScan reports whether a plan step reads a whole large table: "SCAN r"
// is one, "SCAN r USING INDEX reminders_pending_due" (a partial index) and
// "SEARCH ..." are not.
func fullScan(step string) (string, bool) {
	rest, ok := strings.CutPrefix(step, "SCAN ")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(rest, " ")
	table, big := bigTables[name]
	if !big {
		return "", false
	}
	return table, !strings.Contains(rest, " USING ") || strings.Contains(rest, "PRIMARY KEY")
}

func TestFullScan(t *testing.T) {
	tests := []struct {
		step string
		want bool
	}{
		{"SCAN r", true},
		{"SCAN offers", true},
		{"SCAN f USING PRIMARY KEY", true},
		{"SCAN f USING INDEX subscriptions_unplanned", false},
		{"SCAN offers USING INDEX offers_unmatched", false},
		{"SEARCH r USING INDEX reminders_pending_due (due_at<?)", false},
		{"SEARCH s USING INTEGER PRIMARY KEY (rowid=?)", false},
		{"SCAN s", false}, // subscribers: only ever looked up here
		{"USE TEMP B-TREE FOR ORDER BY", false},
	}
	for _, tt := range tests {
		if _, got := fullScan(tt.step); got != tt.want {
			t.Errorf("fullScan(%q) = %v, want %v", tt.step, got, tt.want)
		}
	}
	// And on a real plan: a question no index answers is caught.
	s, _ := newTestStore(t)
	scans := false
	for _, step := range queryPlan(t, s, `SELECT id FROM reminders r WHERE r.last_error = ?`, "x") {
		if _, ok := fullScan(step); ok {
			scans = true
		}
	}
	if !scans {
		t.Error("a query on an unindexed column is not reported as a scan")
	}
}
