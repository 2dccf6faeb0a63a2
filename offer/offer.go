// Package offer reads internship and job offers written as free text, in
// French or English, and extracts what a student needs: the application
// deadline, the other dates and their roles, and facts such as the
// organisation, the places, the duration and the contacts.
//
// The package is pure: it takes bytes and a reference time and returns an
// Offer. It touches no database, no network and never reads the clock.
// Fetching URLs and storing offers belong to the callers.
//
// offer is the façade of four layers under internal/, each importing only
// the layers below it:
//
//	               offer  (Parse, Offer, Options, FindDates, Fold, ...)
//	              /     \
//	    deadline          facts
//	(cues, vetoes,     (title, organisation, places,
//	 ranking, roles)    pay, contacts, degree, language)
//	       |               |
//	     dates             |
//	(the date grammar)     |
//	        \             /
//	             text
//	(decoding, HTML, normalisation, fold, tokens)
//
// Parse runs them in that order, bottom up: text turns the bytes into one
// normalised text and its tokens; dates finds every date expression in
// them; deadline gives each date a role and decides the deadline; facts
// reads the other fields.
//
// testdata/ holds the seed goldens, seven corpora of offers with their
// expected deadlines, a labelled facts set and the French date expressions
// of Duckling's and dateparser's test suites; the tests walk them.
package offer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/echeance/echeance/offer/internal/dates"
	"github.com/echeance/echeance/offer/internal/deadline"
	"github.com/echeance/echeance/offer/internal/facts"
	"github.com/echeance/echeance/offer/internal/text"
)

// MaxSize is the largest offer text accepted, in bytes.
const MaxSize = 1 << 20

// pastDays is how many days before Options.Now a day and month written
// without a year may fall and still be this year's: "28 décembre" read on
// 29 December is a deadline just passed, not one a year away, and so is
// "15 décembre"; "15 novembre" read on 29 December (44 days back) is next
// year's, as FindDates reads every year-less date. A month keeps a reader
// from inventing a deadline a year away for an offer a few weeks old. A text
// that writes its years is read by them instead.
const pastDays = 30

// maxDates bounds the dates read in one offer: a real offer holds a few
// dozen; past this the text is a table or a log, and the work and memory
// of reading it stay in proportion to the offer it could be.
const maxDates = 1000

// Errors returned (wrapped) by Parse, for callers that must branch on them.
var (
	ErrEmpty    = errors.New("no text")
	ErrBinary   = text.ErrBinary
	ErrTooLarge = fmt.Errorf("larger than %d bytes", MaxSize)
)

// Deadline kinds.
const (
	KindExplicit  = deadline.KindExplicit
	KindEstimated = deadline.KindEstimated
	KindNone      = deadline.KindNone
)

// Confidences of a deadline: high when nothing casts a doubt on it,
// review when an administrator should check it (Deadline.Reasons then name
// the doubts, "doubt:…").
const (
	ConfidenceHigh   = deadline.ConfidenceHigh
	ConfidenceReview = deadline.ConfidenceReview
)

// Roles a date can play in an offer.
const (
	RoleDeadline  = deadline.RoleDeadline
	RoleStart     = deadline.RoleStart
	RoleEnd       = deadline.RoleEnd
	RolePeriod    = deadline.RolePeriod
	RoleInterview = deadline.RoleInterview
	RoleEvent     = deadline.RoleEvent
	RolePosting   = deadline.RolePosting
	RoleOther     = deadline.RoleOther
)

type (
	// Deadline is the last moment to apply.
	Deadline = deadline.Deadline
	// Moment is a date with its precision, such as a start or end date.
	Moment = deadline.Moment
	// Mention is one date expression found in the text, with its role.
	Mention = deadline.Mention
	// Place is a site where the work happens.
	Place = facts.Place
	// Date is one date expression found in a text.
	Date = dates.Date
	// Grain is the precision of a date expression.
	Grain = dates.Grain
)

// Grains, finest first.
const (
	GrainMinute = dates.GrainMinute
	GrainHour   = dates.GrainHour
	GrainDay    = dates.GrainDay
	GrainMonth  = dates.GrainMonth
	GrainYear   = dates.GrainYear
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

// paris is the default location, loaded once.
var paris = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
})

func (o Options) withDefaults() Options {
	if o.Location == nil {
		o.Location = paris()
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

// Digest identifies an offer by its normalised text, so that adding the
// same text twice can be recognised.
func (o Offer) Digest() string {
	sum := sha256.Sum256([]byte(o.Text))
	return hex.EncodeToString(sum[:])
}

// Parse reads one offer. name is where the bytes came from (a path, a URL or
// "-"); it is used in errors and recorded in Offer.File. A text with no date
// is not an error: its deadline kind is KindNone.
//
// Dates are read as FindDates reads them, with two differences for a text
// that must be an offer: a day and month written without a year that fell
// at most a month before Options.Now are read as passed, this year, and at
// most 1,000 dates are read.
func Parse(name string, data []byte, opts Options) (Offer, error) {
	r := readers.Get().(*reader)
	o, err := r.parse(name, data, opts)
	if len(o.Text) <= keepReader {
		readers.Put(r)
	}
	return o, err
}

// parse is Parse in r's memory.
func (r *reader) parse(name string, data []byte, opts Options) (Offer, error) {
	opts = opts.withDefaults()
	if len(data) > MaxSize {
		return Offer{}, fmt.Errorf("offer: %s: %w", name, ErrTooLarge)
	}
	// The text is read in data's own memory when it is valid UTF-8: most
	// of the time normalising it writes a new string anyway, and the copy
	// decoding would make is spared. What still shares data's memory is
	// copied before anything is read from it, so that no Offer holds it.
	s, err := text.DecodeShared(data)
	if err != nil {
		return Offer{}, fmt.Errorf("offer: %s: %w", name, err)
	}
	var page text.Page
	if text.LooksLikeHTML(name, s) {
		// (Every string of a Page is a copy: its tokenizer reads s
		// into a buffer of its own.)
		page = text.ReadHTML(s)
		s = page.Text
	}
	s = text.Normalize(s)
	if text.Shares(s, data) {
		s = strings.Clone(s)
	}
	if strings.TrimSpace(s) == "" {
		return Offer{}, fmt.Errorf("offer: %s: %w", name, ErrEmpty)
	}

	o := Offer{File: name, Text: s}
	// The tokens are read first: the tokenizer counts the function words
	// the language is told from as it reads the words. (None of the
	// tokens' strings is kept in the Offer.)
	toks := r.tz.TokenizeShared(s)
	f := r.facts.Extract(s, r.tz.FunctionWords())
	o.Title, o.Organisation, o.Places = f.Title, f.Organisation, f.Places
	if page.H1 != "" && len(page.H1) <= 160 {
		// A page's one heading is its title.
		o.Title = page.H1
	}
	o.Duration, o.HoursPerWeek, o.Stipend = f.Duration, f.HoursPerWeek, f.Stipend
	o.Contacts, o.Degree, o.Language = f.Contacts, f.Degree, f.Language

	dopts := deadline.Options{Now: opts.Now, Location: opts.Location, EstimateLead: opts.EstimateLead}
	ref := opts.Now
	if jp := page.JobPosting; jp != nil {
		o.jobPosting(jp)
		dopts.ValidThrough = jp.ValidThrough
		ref = postedRef(jp.DatePosted, opts)
	}

	ds := r.dates.FindShared(s, toks, ref, dates.Options{PastDays: pastDays, MaxDates: maxDates})
	a := r.assign.Assign(s, toks, ds, dopts)
	o.Deadline, o.Start, o.End, o.Dates = a.Deadline, a.Start, a.End, a.Mentions

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

// reader is the working memory of Parse: the tokens of a text and their
// folded forms, its lines and lower case, its date expressions and dates,
// and their marks and candidates, several times the text's size. Kept
// between calls in readers, it lets a run over many offers allocate little
// more than the Offers it returns, none of which points into it.
type reader struct {
	tz     text.Tokenizer
	facts  facts.Reader
	dates  dates.Finder
	assign deadline.Assigner
}

// keepReader is the longest text whose reader is kept for the next call:
// an offer is a few kilobytes, and the memory one pathological text of a
// mebibyte took is let go with it.
const keepReader = 128 << 10

// readers holds the readers not in use, so that calls in turn, and calls
// on several goroutines, each take one.
var readers = sync.Pool{New: func() any { return new(reader) }}

// postedRef returns the reference for the dates a page writes without
// their year: the day it was posted (schema.org datePosted) when that is
// within a year before opts.Now, else opts.Now.
func postedRef(posted string, opts Options) time.Time {
	t, err := time.ParseInLocation("2006-01-02", posted[:min(len(posted), 10)], opts.Location)
	if err != nil || t.After(opts.Now) || t.Before(opts.Now.AddDate(-1, 0, 0)) {
		return opts.Now
	}
	return t.Add(12 * time.Hour)
}

// jobPosting fills the fields the text left empty from the page's
// schema.org JobPosting.
func (o *Offer) jobPosting(jp *text.JobPosting) {
	if jp.Title != "" {
		o.Title = jp.Title
	}
	if jp.Organisation != "" {
		o.Organisation = jp.Organisation
	}
	if len(o.Places) == 0 && (jp.Locality != "" || jp.PostalCode != "") {
		o.Places = []Place{{Text: strings.TrimSpace(jp.PostalCode + " " + jp.Locality), PostalCode: jp.PostalCode, City: jp.Locality}}
	}
}

// FindDates returns every date expression in text, in text order and never
// overlapping, read in French or English, accents and case ignored.
//
// A date written without its year is resolved to the first matching day
// (or month) at or after an anchor. The anchor is ref, unless the text
// dates itself: when it has dates with a written year (at day or month
// precision), the earliest of those within 18 months of the latest one,
// moved back six months, becomes the anchor if that is before ref. So an
// old offer that says "septembre 2017 … entre le 30 août et 7 septembre"
// reads 30 August 2017, whenever it is read, while an offer with no written
// year keeps Duckling's convention of preferring the future. Deictics
// ("demain") are relative to ref. Two-digit years fall in 1950–2049. A date
// that does not exist ("31 avril", "29 février 2027", a day and month
// followed by a number too long to be a year) is no date, nor is any part
// of it.
func FindDates(text string, ref time.Time) []Date { return dates.FindDates(text, ref) }

// Decode turns the raw bytes of an offer into UTF-8 text: a UTF-8 byte
// order mark is dropped, UTF-16 is recognised, and bytes that are not UTF-8
// are read as Windows-1252. Data that is not text gives an error wrapping
// ErrBinary; empty data decodes to "".
func Decode(data []byte) (string, error) { return text.Decode(data) }

// HTMLToText returns the visible text of an HTML document, blocks as lines.
func HTMLToText(s string) string { return text.HTMLToText(s) }

// Normalize cleans a decoded text so the readers can rely on its shape:
// line ends, Unicode NFC, spaces, apostrophes, invisible characters and
// numbers glued to date words. It is idempotent.
func Normalize(s string) string { return text.Normalize(s) }

// Fold lower-cases s and strips its accents ("Médiation" gives "mediation"),
// for matching words whatever their case and accents.
func Fold(s string) string { return text.Fold(s) }
