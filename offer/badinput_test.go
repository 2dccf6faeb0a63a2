package offer

import (
	"strings"
	"testing"
	"time"
)

// TestBadInput pins how Parse reads the small cases of bad input of the
// issue "Links that cannot be turned against a student": dates that do not
// exist, year-less dates just passed, numbers too long to be years, and
// format controls. Each row reads text on now and wants the deadline as
// "kind date last_day".
func TestBadInput(t *testing.T) {
	loc := goldenNow(t).Location()
	dec29 := time.Date(2025, 12, 29, 10, 0, 0, 0, loc)
	oct1 := goldenNow(t)
	tests := []struct {
		name, text string
		now        time.Time
		want       string
	}{
		// Impossible dates are no dates, nor is any part of them.
		{"29 February of a common year", "Candidatures avant le 29 février 2027.", oct1, "none - -"},
		{"31 April", "Envoyez votre CV avant le 31 avril.", oct1, "none - -"},
		{"31/02", "Date limite : 31/02/2026", oct1, "none - -"},
		{"30 February in a range", "Candidatures du 20 au 30 février 2026.", oct1, "none - -"},
		{"February 29 in English", "Apply by February 29, 2027.", oct1, "none - -"},
		{"a real 29 February", "Candidatures avant le 29 février 2028.", oct1, "explicit 2028-02-29 2028-02-28"},
		// A year-less date a few days past is passed, not next year's.
		{"yesterday's deadline", "Candidatures jusqu'au 28 décembre.", dec29, "explicit 2025-12-28 2025-12-28"},
		{"a fortnight ago", "Date limite : 15 décembre", dec29, "explicit 2025-12-15 2025-12-15"},
		{"over a month ago", "Date limite : 15 novembre", dec29, "explicit 2026-11-15 2026-11-15"},
		{"still to come", "Date limite : 5 janvier", dec29, "explicit 2026-01-05 2026-01-05"},
		{"dated by the text", "Stage de mars à août 2024. Date limite : 28 décembre", dec29, "explicit 2023-12-28 2023-12-28"},
		// Absurd numbers are not years.
		{"absurd year", "Date limite : 31 octobre 99999999999999999999", oct1, "none - -"},
		{"absurd year in English", "Deadline: October 31, 99999", oct1, "none - -"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Parse("bad.txt", []byte(tt.text), Options{Now: tt.now})
			if err != nil {
				t.Fatal(err)
			}
			d := o.Deadline
			if got := d.Kind + " " + dash(d.Date) + " " + dash(d.LastDay); got != tt.want {
				t.Errorf("%q on %s: deadline %s (phrase %q, dates %+v), want %s", tt.text, tt.now.Format(time.DateOnly), got, d.Phrase, o.Dates, tt.want)
			}
		})
	}
}

// TestFindDatesFuture checks that FindDates keeps Duckling's convention,
// the future, for a year-less date just passed: only Parse reads it as
// passed.
func TestFindDatesFuture(t *testing.T) {
	dec29 := time.Date(2025, 12, 29, 10, 0, 0, 0, goldenNow(t).Location())
	ds := FindDates("28 décembre", dec29)
	if len(ds) != 1 || ds[0].StartString() != "2026-12-28" {
		t.Errorf("FindDates(28 décembre) on 29 December 2025 = %+v, want 2026-12-28", ds)
	}
}

// TestFormatControls checks that bidi and other format controls reach none
// of the fields shown to students.
func TestFormatControls(t *testing.T) {
	controls := "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2061\ufeff"
	text := "Stage \u202egnitekram\u202c – Association \u2067Les Amis\u2069\n" +
		"Lieu : 2 rue X 38000 Gre\u200enoble\n" +
		"Envoyez votre CV à rh\u200f@x.fr avant le 31\u2066 octobre 2025.\n"
	o, err := Parse("bidi.txt", []byte(text), Options{Now: goldenNow(t)})
	if err != nil {
		t.Fatal(err)
	}
	fields := []string{o.Title, o.Organisation, o.Deadline.Phrase, o.Text}
	for _, p := range o.Places {
		fields = append(fields, p.Text, p.City)
	}
	fields = append(fields, o.Contacts...)
	for _, m := range o.Dates {
		fields = append(fields, m.Text)
	}
	for _, f := range fields {
		if strings.ContainsAny(f, controls) {
			t.Errorf("format control left in %q", f)
		}
	}
	if o.Deadline.Date != "2025-10-31" || o.Organisation != "Les Amis" && o.Title == "" {
		t.Errorf("deadline %s, title %q, organisation %q: the controls changed what was read", o.Deadline.Date, o.Title, o.Organisation)
	}
}
