// Package offer reads internship and job offers written as free text, in
// French or English, and extracts what a student needs: the application
// deadline, the other dates and their roles, and facts such as the
// organisation, the places, the duration and the contacts.
//
// The package is pure: it takes bytes and a reference time and returns an
// Offer. It touches no database, no network and never reads the clock.
// Fetching URLs and storing offers belong to the callers.
//
// Parse runs in stages, one file each:
//   - text.go: decoding (UTF-8, UTF-16, Windows-1252), HTML to text, and
//     normalisation (spaces, apostrophes, glued words);
//   - dates_lex.go, dates_parse.go, dates.go, dates_zone.go: the date
//     grammar, which finds every date expression with its span and resolves
//     it against the reference time (FindDates);
//   - roles.go: the role of each date from its context, the deadline and its
//     semantics, the start and end;
//   - facts.go: title, organisation, places, duration, hours, stipend,
//     contacts, degree and language.
//
// testdata/ holds the seed goldens and seven corpora of offers with their
// expected deadlines; the tests walk them.
package offer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxSize is the largest offer text accepted, in bytes.
const MaxSize = 1 << 20

// Errors returned (wrapped) by Parse, for callers that must branch on them.
var (
	ErrEmpty    = errors.New("no text")
	ErrBinary   = errors.New("binary data, not text")
	ErrTooLarge = fmt.Errorf("larger than %d bytes", MaxSize)
)

// Deadline kinds.
const (
	KindExplicit  = "explicit"
	KindEstimated = "estimated"
	KindNone      = "none"
)

// Roles a date can play in an offer.
const (
	RoleDeadline  = "deadline"
	RoleStart     = "start"
	RoleEnd       = "end"
	RolePeriod    = "period"
	RoleInterview = "interview"
	RoleEvent     = "event"
	RolePosting   = "posting"
	RoleOther     = "other"
)

// Options are the inputs of Parse beyond the text itself.
type Options struct {
	// Now is the reference time: years missing from the text are inferred
	// from it and from the text's other dates.
	Now time.Time
	// Location is the time zone deadlines are expressed in (Europe/Paris
	// when nil).
	Location *time.Location
	// EstimateLead is how long before a start date an estimated deadline
	// falls when the offer states none and has no interview dates (30 days
	// when zero).
	EstimateLead time.Duration
}

func (o Options) withDefaults() Options {
	if o.Location == nil {
		loc, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			loc = time.UTC
		}
		o.Location = loc
	}
	if o.EstimateLead == 0 {
		o.EstimateLead = 30 * 24 * time.Hour
	}
	if o.Now.IsZero() {
		o.Now = time.Date(2000, 1, 1, 12, 0, 0, 0, o.Location)
	}
	o.Now = o.Now.In(o.Location)
	return o
}

// Offer is what was understood of one offer text.
type Offer struct {
	File         string    `json:"file"`
	Title        string    `json:"title"`
	Organisation string    `json:"organisation"`
	Places       []Place   `json:"places"`
	Deadline     Deadline  `json:"deadline"`
	Start        *Moment   `json:"start"`
	End          *Moment   `json:"end"`
	Duration     string    `json:"duration"`
	HoursPerWeek *float64  `json:"hours_per_week"`
	Stipend      string    `json:"stipend"`
	Contacts     []string  `json:"contacts"`
	Degree       string    `json:"degree"`
	Language     string    `json:"language"`
	Dates        []Mention `json:"dates"`

	// Text is the normalised text the fields were read from.
	Text string `json:"-"`
}

// Place is a site where the work happens.
type Place struct {
	Text       string `json:"text"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
}

// Deadline is the last moment to apply.
type Deadline struct {
	// Kind is KindExplicit when the text states the deadline, KindEstimated
	// when it was derived from other dates (see Basis), KindNone otherwise.
	Kind string `json:"kind"`
	// Date is the date as written ("avant le 31 octobre 2025" gives
	// 2025-10-31), YYYY-MM-DD, or "".
	Date string `json:"date"`
	// Time is the stated time of day, HH:MM, or "".
	Time string `json:"time"`
	// Phrase is the text that states the deadline, as written.
	Phrase string `json:"phrase"`
	// LastDay is the last day on which one can apply, YYYY-MM-DD, or "".
	LastDay string `json:"last_day"`
	// DueAt is the instant applications close, nil when Kind is none.
	DueAt *time.Time `json:"due_at"`
	// Basis says what an estimate was derived from ("interview", "start").
	Basis string `json:"basis,omitempty"`
}

// Moment is a date with its precision, such as a start or end date.
type Moment struct {
	Text  string `json:"text"`
	Date  string `json:"date"`
	Grain string `json:"grain"`
}

// Mention is one date expression found in the text, with its role.
type Mention struct {
	Text  string `json:"text"`
	Start string `json:"start"`
	End   string `json:"end"`
	Grain string `json:"grain"`
	Role  string `json:"role"`
}

// Digest identifies an offer by its normalised text, so that adding the
// same text twice can be recognised.
func (o Offer) Digest() string {
	sum := sha256.Sum256([]byte(o.Text))
	return hex.EncodeToString(sum[:])
}

// Parse reads one offer. name is where the bytes came from (a path, a URL or
// "-"); it is used in errors and recorded in Offer.File. A text with no date
// is not an error: its deadline kind is KindNone.
func Parse(name string, data []byte, opts Options) (Offer, error) {
	opts = opts.withDefaults()
	if len(data) > MaxSize {
		return Offer{}, fmt.Errorf("offer: %s: %w", name, ErrTooLarge)
	}
	text, err := Decode(data)
	if err != nil {
		return Offer{}, fmt.Errorf("offer: %s: %w", name, err)
	}
	if looksLikeHTML(name, text) {
		text = HTMLToText(text)
	}
	text = Normalize(text)
	if strings.TrimSpace(text) == "" {
		return Offer{}, fmt.Errorf("offer: %s: %w", name, ErrEmpty)
	}

	o := Offer{File: name, Text: text}
	f := extractFacts(text)
	o.Title, o.Organisation, o.Places = f.Title, f.Organisation, f.Places
	o.Duration, o.HoursPerWeek, o.Stipend = f.Duration, f.HoursPerWeek, f.Stipend
	o.Contacts, o.Degree, o.Language = f.Contacts, f.Degree, f.Language

	dates := FindDates(text, opts.Now)
	r := assignRoles(text, dates, opts)
	o.Deadline, o.Start, o.End, o.Dates = r.Deadline, r.Start, r.End, r.Mentions

	if o.Places == nil {
		o.Places = []Place{}
	}
	if o.Contacts == nil {
		o.Contacts = []string{}
	}
	if o.Dates == nil {
		o.Dates = []Mention{}
	}
	if o.Deadline.Kind == "" {
		o.Deadline.Kind = KindNone
	}
	return o, nil
}
