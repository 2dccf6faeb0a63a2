package main

import (
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBulkImportNoBurst: 500 students (half following every offer, half a
// saved search), and 300 offers added ten at a time while the reminder job
// runs every minute of a virtual clock for 30 minutes: each student gets at
// most two emails that day (reminders.max_per_day = 1, plus one for an
// offer closing that day), and what was held goes out in one digest the
// next morning.
func TestBulkImportNoBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary some 60 times")
	}
	dir := t.TempDir()
	outbox := filepath.Join(dir, "outbox")
	cfg := writeFile(t, filepath.Join(dir, "e.toml"), fmt.Sprintf(`
[database]
path = %q
[offers]
inbox = ""
[mail]
transport = "dir"
dir = %q
[web]
listen = ""
`, filepath.Join(dir, "e.db"), outbox))
	const students, offers = 500, 300
	var csv strings.Builder
	csv.WriteString("email,name,lang,offsets,offers,search\n")
	for i := range students {
		search := ""
		if i%2 == 1 {
			search = "stage"
		}
		fmt.Fprintf(&csv, "s%03d@example.org,Student %d,fr,,,%s\n", i, i, search)
	}
	mustRun(t, dir, "--config", cfg, "subscriber", "import", writeFile(t, filepath.Join(dir, "s.csv"), csv.String()))

	// Offers close from today (every 50th) to ten days ahead, so that
	// most are inside the reminder window at once.
	day := time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)
	offerDir := filepath.Join(dir, "offers")
	os.Mkdir(offerDir, 0o700)
	for i := range offers {
		last := day.AddDate(0, 0, 1+i%10)
		if i%50 == 0 {
			last = day
		}
		writeFile(t, filepath.Join(offerDir, fmt.Sprintf("o%03d.txt", i)), fmt.Sprintf(
			"Stage de médiation n°%d\nOrganisation %d recrute un·e stagiaire.\nDate limite de candidature : %s\n",
			i, i, last.Format("02/01/2006")))
	}
	for minute := range 30 {
		batch := make([]string, 0, 10)
		for i := minute * 10; i < minute*10+10; i++ {
			batch = append(batch, filepath.Join(offerDir, fmt.Sprintf("o%03d.txt", i)))
		}
		now := fmt.Sprintf("2025-10-20T09:%02d:00+02:00", minute)
		mustRun(t, dir, append([]string{"--config", cfg, "--now", now, "offer", "add"}, batch...)...)
		mustRun(t, dir, "--config", cfg, "tick", "--now", now)
	}
	perStudent := countByRecipient(t, outbox)
	most := 0
	for who, n := range perStudent {
		if n > 2 {
			t.Errorf("%s got %d emails on 20 October", who, n)
		}
		most = max(most, n)
	}
	if len(perStudent) != students {
		t.Errorf("%d students got an email on the 20th, want all %d", len(perStudent), students)
	}
	t.Logf("20 October: %d students mailed, at most %d emails each", len(perStudent), most)

	// The next morning, what was held goes out: one digest each.
	for _, e := range mustGlob(t, filepath.Join(outbox, "*.eml")) {
		os.Remove(e)
	}
	out := mustRun(t, dir, "--config", cfg, "tick", "--now", "2025-10-21T08:00:00+02:00")
	next := countByRecipient(t, outbox)
	for who, n := range next {
		if n != 1 {
			t.Errorf("%s got %d emails on the morning of the 21st", who, n)
		}
	}
	if len(next) != students {
		t.Errorf("%d students got the held digest, want %d\n%s", len(next), students, out[:min(len(out), 300)])
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// countByRecipient counts the messages of a dir transport by To address.
func countByRecipient(t *testing.T, dir string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, name := range mustGlob(t, filepath.Join(dir, "*.eml")) {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		to, err := m.Header.AddressList("To")
		f.Close()
		if err != nil || len(to) != 1 {
			t.Fatalf("%s: To %v, %v", name, to, err)
		}
		out[to[0].Address]++
	}
	return out
}
