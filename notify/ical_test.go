package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runICalCheck parses .ics files with Mozilla's ical.js through
// scripts/ical-check.mjs and returns its summary, one entry per file.
func runICalCheck(t *testing.T, files ...string) []icalSummary {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed: the calendar tests need it (run make test-deps): %v", err)
	}
	if _, err := os.Stat(filepath.Join("..", "scripts", "node_modules", "ical.js", "package.json")); err != nil {
		t.Fatalf("ical.js is not installed in scripts/node_modules (run make test-deps): %v", err)
	}
	cmd := exec.Command(node, append([]string{filepath.Join("..", "scripts", "ical-check.mjs")}, files...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("ical.js rejects the calendar:\n%s", stderr.String())
		}
		t.Fatalf("node scripts/ical-check.mjs: %v\n%s", err, stderr.String())
	}
	var out []icalSummary
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("ical-check output: %v\n%s", err, stdout.String())
	}
	return out
}

type icalSummary struct {
	File      string
	Calname   *string
	Timezones []string
	Events    []struct {
		UID, Dtstart, Dtend, Dtstamp, Summary, Description, URL string
		Sequence                                                int
		Alarms                                                  []string
		Closes                                                  *struct{ Local, Tzid, UTC string } `json:"x-echeance-closes"`
	}
}

// TestCalendarParsedByICalJS checks the attachment of every kind of
// reminder, and a feed, with a real calendar parser.
func TestCalendarParsedByICalJS(t *testing.T) {
	m := goldenMailer(t)
	dir := t.TempDir()
	var files []string
	for _, lang := range []string{"fr", "en"} {
		for name, r := range goldenReminders(m, lang) {
			msg, err := m.Build(r)
			if err != nil {
				t.Fatal(err)
			}
			p := parse(t, write(t, msg))
			if p.ics == nil {
				t.Fatalf("%s.%s: no calendar attached", name, lang)
			}
			f := filepath.Join(dir, name+"."+lang+".ics")
			if err := os.WriteFile(f, p.ics, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	loc := m.loc
	feed := m.Feed(3, "fr", []Item{estimatedItem(loc), seedItem(loc), timedItem(loc), movedItem(loc), {Title: "Sans date"}}, testNow)
	feedFile := filepath.Join(dir, "feed.ics")
	if err := os.WriteFile(feedFile, feed, 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, feedFile)

	got := runICalCheck(t, files...)
	if len(got) != len(files) {
		t.Fatalf("ical-check read %d files, want %d", len(got), len(files))
	}
	byFile := map[string]icalSummary{}
	for _, s := range got {
		byFile[filepath.Base(s.File)] = s
	}

	f := byFile["feed.ics"]
	// ical.js does not know X-WR-CALNAME and hands it over raw; calendar
	// apps read it as TEXT, escapes undone.
	if f.Calname == nil || strings.NewReplacer(`\,`, ",", `\;`, ";", `\\`, `\`).Replace(*f.Calname) != testSite.Name {
		t.Errorf("feed name = %q, want %q", deref(f.Calname), testSite.Name)
	}
	if len(f.Events) != 4 {
		t.Fatalf("feed has %d events, want 4 (the offer without a deadline has none)", len(f.Events))
	}
	want := []struct {
		uid, start, end string
		seq             int
	}{
		{"offer-31-3@echeance.example", "2025-10-28", "2025-10-29", 1},
		{"offer-12-3@echeance.example", "2025-10-30", "2025-10-31", 0},
		{"offer-44-3@echeance.example", "2025-11-15", "2025-11-16", 0},
		{"offer-57-3@echeance.example", "2025-11-07", "2025-11-08", 2},
	}
	for i, w := range want {
		e := f.Events[i]
		if e.UID != w.uid || e.Dtstart != w.start || e.Dtend != w.end || e.Sequence != w.seq {
			t.Errorf("feed event %d = %s %s..%s seq %d, want %s %s..%s seq %d", i, e.UID, e.Dtstart, e.Dtend, e.Sequence,
				w.uid, w.start, w.end, w.seq)
		}
		if e.Dtstamp != "2025-10-24T06:00:00Z" {
			t.Errorf("feed event %d DTSTAMP = %s", i, e.Dtstamp)
		}
		if len(e.Alarms) != 1 || e.Alarms[0] != "-PT15H" {
			t.Errorf("feed event %d alarms = %v", i, e.Alarms)
		}
	}
	if !strings.Contains(f.Events[0].Summary, "date estimée") {
		t.Errorf("an estimated deadline is not marked in the calendar: %q", f.Events[0].Summary)
	}
	// The noon deadline: ical.js resolves it through our VTIMEZONE.
	closes := f.Events[2].Closes
	if closes == nil || closes.UTC != "2025-11-15T11:00:00Z" || closes.Tzid != "Europe/Paris" {
		t.Errorf("closing time = %+v, want 12:00 Paris = 11:00Z", closes)
	}
	if !strings.Contains(f.Events[2].Description, "ferment à 12 h") || !strings.Contains(f.Events[2].Summary, "jusqu'à 12 h") {
		t.Errorf("the closing time is not mentioned: %q / %q", f.Events[2].Summary, f.Events[2].Description)
	}
	if got := f.Events[2].Summary; got != "Candidature\u202f: Chargé·e de médiation scientifique\u202f; ateliers, expositions (Muséum d'histoire naturelle), jusqu'à 12 h" {
		t.Errorf("summary read back as %q", got)
	}
	if d := f.Events[1].Description; !strings.Contains(d, "ahlem.elafani@territoire-de-sciences.fr") || !strings.Contains(d, "https://rappels.univ.example/offres/12") {
		t.Errorf("description lacks the contact or the link: %q", d)
	}

	// The same offer has the same UID in a reminder and in the feed.
	if e := byFile["reminder.fr.ics"].Events; len(e) != 1 || e[0].UID != "offer-12-3@echeance.example" {
		t.Errorf("reminder event = %+v", e)
	}
	if e := byFile["deadline-changed.en.ics"].Events; len(e) != 1 || e[0].Sequence != 2 {
		t.Errorf("deadline-changed event = %+v, want SEQUENCE 2", e)
	}
	if z := byFile["new-offer.en.ics"].Timezones; len(z) != 1 || z[0] != "Europe/Paris" {
		t.Errorf("timed deadline: timezones %v, want Europe/Paris", z)
	}
	if z := byFile["reminder.fr.ics"].Timezones; len(z) != 0 {
		t.Errorf("all-day only: timezones %v, want none", z)
	}
}

// TestICSHostileText feeds line breaks, separators and long text through
// every text field: ical.js must read back exactly what went in.
func TestICSHostileText(t *testing.T) {
	m := newMailer(t, nil)
	it := seedItem(m.loc)
	it.Title = "Stage\r\nEND:VEVENT\r\nBEGIN:VEVENT;a,b\\c " + strings.Repeat("é", 60)
	it.Organisation = "Org\nUID:evil\x00"
	it.URL = "javascript:alert(1)"
	it.Source = "https://example.org/a b"
	ics := m.Feed(1, "fr", []Item{it}, testNow)
	f := filepath.Join(t.TempDir(), "hostile.ics")
	if err := os.WriteFile(f, ics, 0o644); err != nil {
		t.Fatal(err)
	}
	got := runICalCheck(t, f)
	if len(got[0].Events) != 1 {
		t.Fatalf("%d events, want 1:\n%s", len(got[0].Events), ics)
	}
	e := got[0].Events[0]
	if want := "Candidature\u202f: Stage\nEND:VEVENT\nBEGIN:VEVENT;a,b\\c " + strings.Repeat("é", 60) + " (Org\nUID:evil )"; e.Summary != want {
		t.Errorf("summary = %q\nwant      %q", e.Summary, want)
	}
	if e.URL != "" || strings.Contains(e.Description, "javascript") || strings.Contains(e.Description, "a b") {
		t.Errorf("an unsafe link got in: URL %q, description %q", e.URL, e.Description)
	}
}

func TestFold(t *testing.T) {
	var b strings.Builder
	line := "DESCRIPTION:" + strings.Repeat("aé€", 40)
	fold(&b, line)
	out := b.String()
	for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i, len(l))
		}
		if i > 0 && !strings.HasPrefix(l, " ") {
			t.Errorf("continuation line %d does not start with a space", i)
		}
	}
	if unfolded := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); unfolded != line {
		t.Errorf("unfolding does not give the line back")
	}
}

func TestVTimezoneParis(t *testing.T) {
	got := strings.Join(vtimezone(mustLoad("Europe/Paris"), []int{2026}), "\n")
	want := strings.Join([]string{"BEGIN:VTIMEZONE", "TZID:Europe/Paris",
		"BEGIN:DAYLIGHT", "DTSTART:20250330T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT",
		"BEGIN:STANDARD", "DTSTART:20251026T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		"TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD", "END:VTIMEZONE"}, "\n")
	if got != want {
		t.Errorf("VTIMEZONE:\n%s\nwant\n%s", got, want)
	}
	// A zone without daylight saving time has one observance.
	if got := strings.Join(vtimezone(mustLoad("Asia/Tokyo"), []int{2026}), "\n"); !strings.Contains(got, "TZOFFSETFROM:+0900\nTZOFFSETTO:+0900") {
		t.Errorf("Tokyo:\n%s", got)
	}
}

func TestHasTimeOfDay(t *testing.T) {
	loc := mustLoad("Europe/Paris")
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2025, 10, 31, 0, 0, 0, 0, loc), false},
		{time.Date(2025, 10, 31, 23, 59, 59, 0, loc), false},
		{time.Date(2025, 10, 31, 12, 0, 0, 0, loc), true},
		{time.Time{}, false},
	} {
		if got := hasTimeOfDay(tc.at, loc); got != tc.want {
			t.Errorf("hasTimeOfDay(%v) = %v", tc.at, got)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
