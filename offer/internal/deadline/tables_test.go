package deadline

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/text"
)

// candidatesOf reads txt as offer.Parse does and returns its candidates.
func candidatesOf(t *testing.T, txt string, now time.Time) []candidate {
	t.Helper()
	txt = text.Normalize(txt)
	dc := newDoc(txt, text.Tokenize(txt))
	return dc.candidates(nil, dates.FindDates(txt, now))
}

// TestCueExamples reads the example of each cue of the tables: one of its
// dates must get the cue's role from that cue, and a deadline cue must be
// the first reason of the deadline.
func TestCueExamples(t *testing.T) {
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, paris(t))
	for _, r := range cueRules {
		t.Run(r.name, func(t *testing.T) {
			var got []string
			for _, c := range candidatesOf(t, r.example, now) {
				if c.rule == r.name && (c.role == r.role || c.role == r.otherwise ||
					c.role == RolePeriod && r.role == RoleStart || c.role == RoleStart && r.role == RolePeriod) {
					checkDeadlineReason(t, r.example, r.role, "cue:"+r.name, now)
					return
				}
				got = append(got, c.date.Text+": "+c.role+" by "+c.rule)
			}
			t.Errorf("%q: no date is %s by cue %s; got %q", r.example, r.role, r.name, got)
		})
	}
	for _, r := range afterRules {
		t.Run(r.name, func(t *testing.T) {
			for _, c := range candidatesOf(t, r.example, now) {
				if c.rule == r.name && c.role == RoleDeadline {
					checkDeadlineReason(t, r.example, RoleDeadline, "cue:"+r.name, now)
					return
				}
			}
			t.Errorf("%q: no date is a deadline by cue %s", r.example, r.name)
		})
	}
}

// checkDeadlineReason checks that a deadline cue's example gives the
// offer's deadline with reason first.
func checkDeadlineReason(t *testing.T, example, role, reason string, now time.Time) {
	t.Helper()
	if role != RoleDeadline {
		return
	}
	d := read(t, example, Options{Now: now}).Deadline
	if d.Kind != KindExplicit || len(d.Reasons) == 0 || d.Reasons[0] != reason {
		t.Errorf("%q: deadline %s, reasons %q; want explicit, first reason %s", example, d.Kind, d.Reasons, reason)
	}
}

// TestVetoExamples reads the example of each veto: a date must be taken
// back by that veto, the offer then has no stated deadline, and the
// reasons say which veto ruled.
func TestVetoExamples(t *testing.T) {
	now := time.Date(2025, 10, 1, 12, 0, 0, 0, paris(t))
	for _, v := range vetoes {
		t.Run(v.name, func(t *testing.T) {
			found := false
			for _, c := range candidatesOf(t, v.example, now) {
				found = found || c.vetoed == v.name
			}
			if !found {
				t.Errorf("%q: no date vetoed by %s", v.example, v.name)
			}
			d := read(t, v.example, Options{Now: now}).Deadline
			if d.Kind == KindExplicit || !slices.Contains(d.Reasons, "veto:"+v.name) {
				t.Errorf("%q: deadline %s, reasons %q; want none stated and veto:%s", v.example, d.Kind, d.Reasons, v.name)
			}
		})
	}
}

// TestRuleNames checks that every rule has a name of its own and an
// example, so that a reason names one rule.
func TestRuleNames(t *testing.T) {
	seen := map[string]bool{}
	check := func(kind, name, example string) {
		switch {
		case name == "" || strings.ContainsAny(name, " :"):
			t.Errorf("%s %q: want a name without spaces or colons", kind, name)
		case seen[name]:
			t.Errorf("%s %q: name used twice", kind, name)
		case example == "":
			t.Errorf("%s %q: no example", kind, name)
		}
		seen[name] = true
	}
	for _, r := range cueRules {
		check("cue", r.name, r.example)
		if len(r.phrases) == 0 {
			t.Errorf("cue %q: no phrase", r.name)
		}
	}
	for _, r := range afterRules {
		check("after cue", r.name, r.example)
	}
	for _, v := range vetoes {
		check("veto", v.name, v.example)
	}
	for _, cr := range ranking {
		check("criterion", cr.name, "-")
	}
}

// TestRanking pins what each criterion decides, and that the reasons name
// the criterion that put the deadline before the other candidates.
func TestRanking(t *testing.T) {
	now := time.Date(2025, 11, 20, 12, 0, 0, 0, paris(t))
	tests := []struct{ text, date, reason string }{
		{"Date limite : 10 septembre 2025.\nCandidatures avant le 12 décembre 2025.", "2025-12-12", "rank:future"},
		{"Envoyez votre CV avant le 5 décembre 2025.\nDate limite de candidature : 12 décembre 2025.", "2025-12-12", "rank:stated"},
		{"Date limite : 5 décembre 2025.\nDate limite d'envoi des candidatures : 12 décembre 2025.", "2025-12-12", "rank:applying"},
		{"Priority deadline: December 1, 2025\nFinal deadline: January 16, 2026", "2026-01-16", "rank:firm"},
		{"Date limite : 12 décembre 2025.\nDate limite : 5 décembre 2025.", "2025-12-05", "rank:earliest"},
	}
	for _, tt := range tests {
		d := read(t, tt.text, Options{Now: now}).Deadline
		if d.Date != tt.date || !slices.Contains(d.Reasons, tt.reason) {
			t.Errorf("%q: deadline %s, reasons %q; want %s by %s", tt.text, d.Date, d.Reasons, tt.date, tt.reason)
		}
	}
}
