package offer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// factsCorpusNow returns the Now of each deadline corpus, as in
// deadlines_test.go. The facts do not depend on Now; Parse needs one.
func factsCorpusNow(t *testing.T) map[string]time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]time.Time{
		"deadlines5": time.Date(2025, 11, 28, 14, 0, 0, 0, loc),
		"deadlines7": time.Date(2025, 12, 1, 9, 0, 0, 0, loc),
		"deadlines8": time.Date(2025, 12, 3, 10, 0, 0, 0, loc),
		"deadlines9": time.Date(2025, 12, 5, 10, 0, 0, 0, loc),
	}
}

// Thresholds of TestFactsCorpus: the scores reached when the set was
// labelled and the rules written (before them: title 24/76, organisation
// 28/78). The rules were written looking at these offers, so the scores
// overstate what unseen offers get; the thresholds only catch regressions.
//
// The city is scored on the 21 pages and mails of testdata/deadlines8 and
// deadlines9 labelled afterwards (blind: 11 of 21; with the postal table
// and the fallbacks of facts/city.go: 19). Those 21 scored blind 17 titles
// and 17 organisations; a page's one <h1> as its title took titles to 18.
// With them the set has 97 titles and 99 organisations labelled.
const (
	minTitleScore = 92
	minOrgScore   = 94
	minCityScore  = 19
)

// factsWant is a testdata/facts/*.want.json file: the offer it labels, by
// path under testdata, and the values a careful reader accepts for each
// field. A missing field is not scored; [""] means the text names none.
type factsWant struct {
	Offer        string   `json:"offer"`
	Title        []string `json:"title"`
	Organisation []string `json:"organisation"`
	// City is the city of the workplace, the first place's.
	City []string `json:"city"`
}

// TestFactsCorpus scores title and organisation on labelled offers of the
// deadline corpora, which the facts code was not tuned on.
func TestFactsCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "facts", "*.want.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no cases in testdata/facts")
	}
	nows := factsCorpusNow(t)
	var titleOK, titleN, orgOK, orgN, cityOK, cityN int
	for _, p := range paths {
		spec, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var w factsWant
		if err := json.Unmarshal(spec, &w); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(w.Offer)))
		if err != nil {
			t.Fatal(err)
		}
		now, ok := nows[strings.Split(w.Offer, "/")[0]]
		if !ok {
			t.Fatalf("%s: no Now for %s", p, w.Offer)
		}
		o, err := Parse(filepath.Base(w.Offer), data, Options{Now: now})
		if err != nil {
			t.Errorf("%s: %v", w.Offer, err)
			continue
		}
		if w.Title != nil {
			titleN++
			if acceptable(o.Title, w.Title) {
				titleOK++
			} else {
				t.Logf("%s: title %q, want one of %q", w.Offer, o.Title, w.Title)
			}
		}
		if w.Organisation != nil {
			orgN++
			if acceptable(o.Organisation, w.Organisation) {
				orgOK++
			} else {
				t.Logf("%s: organisation %q, want one of %q", w.Offer, o.Organisation, w.Organisation)
			}
		}
		if w.City != nil {
			cityN++
			city := ""
			if len(o.Places) > 0 {
				city = o.Places[0].City
			}
			if acceptable(city, w.City) {
				cityOK++
			} else {
				t.Logf("%s: city %q, want one of %q", w.Offer, city, w.City)
			}
		}
	}
	fmt.Printf("facts: title %d/%d, organisation %d/%d, city %d/%d\n", titleOK, titleN, orgOK, orgN, cityOK, cityN)
	if titleOK < minTitleScore || orgOK < minOrgScore || cityOK < minCityScore {
		t.Errorf("facts: title %d (want ≥ %d), organisation %d (want ≥ %d), city %d (want ≥ %d)",
			titleOK, minTitleScore, orgOK, minOrgScore, cityOK, minCityScore)
	}
}

// acceptable compares a value with the accepted ones, ignoring case and
// spacing: a name written in capitals is given the usual case.
func acceptable(got string, want []string) bool {
	got = strings.Join(strings.Fields(got), " ")
	for _, w := range want {
		if strings.EqualFold(got, strings.Join(strings.Fields(w), " ")) {
			return true
		}
	}
	return false
}
