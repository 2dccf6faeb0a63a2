// Package catalog owns the words echeance says to students: one embedded
// TOML file per language (fr.toml, en.toml) holds every message of the
// emails, calendar entries and web pages, their plural forms, how dates and
// times are written, and the language's typography. Code asks for a
// message by key and never branches on a language: adding a language is
// adding one file.
//
// A message is text with {name} placeholders. A message with plural forms
// is a table with "one" and "other" entries, chosen by the argument named
// n and the language's plural_one list. Every language must define every
// message of the default language (French) with the same placeholders;
// Load checks it, so a missing translation stops the daemon at start, not
// in a student's inbox.
//
// Typeset applies the language's typography to any text: in French, a
// narrow no-break space before ; : ! ? and inside « », and a no-break
// hyphen in "J-7", so that nothing wraps where a reader would not expect.
package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

//go:embed *.toml
var files embed.FS

// Default is the language used when a student's language is unknown.
const Default = "fr"

// Catalog is every language's messages.
type Catalog struct {
	langs map[string]*Lang
	tags  []string
}

// Lang is one language's messages, dates and typography.
type Lang struct {
	Tag  string
	Name string

	msgs       map[string]message
	pluralOne  map[int]bool
	nbspBefore string
	quoteOpen  string
	quoteClose string
	hyphens    []string // words whose hyphen must not break ("J-")
	// noBreak are the hyphens words with a no-break hyphen, and marks
	// every character Typeset may put a space next to: both are worked
	// out once, as Typeset runs on every message of every email.
	noBreak []string
	marks   string
	// markLead marks the first byte of each of marks, so that Typeset
	// finds the next mark by looking at each byte once.
	markLead [256]bool

	months, weekdays       []string
	monthsShort            []string
	longDate, shortDate    string
	firstDay               string
	timeFmt, timeOnTheHour string
	dateTime               string
}

type message struct {
	text       string
	one, other string
	plural     bool
	// typeset is text already typeset, for a message without
	// placeholders (fixed set true): the same whatever the arguments.
	typeset string
	fixed   bool
}

// file is the shape of a catalogue file.
type file struct {
	Language struct {
		Tag               string   `toml:"tag"`
		Name              string   `toml:"name"`
		PluralOne         []int    `toml:"plural_one"`
		NbspBefore        string   `toml:"nbsp_before"`
		QuoteOpen         string   `toml:"quote_open"`
		QuoteClose        string   `toml:"quote_close"`
		NoBreakHyphenated []string `toml:"no_break_hyphen"`
	} `toml:"language"`
	Dates struct {
		Months        []string `toml:"months"`
		MonthsShort   []string `toml:"months_short"`
		Weekdays      []string `toml:"weekdays"`
		Long          string   `toml:"long"`
		Short         string   `toml:"short"`
		FirstDay      string   `toml:"first_day"`
		Time          string   `toml:"time"`
		TimeOnTheHour string   `toml:"time_on_the_hour"`
		DateTime      string   `toml:"date_time"`
	} `toml:"dates"`
	Messages map[string]any `toml:"messages"`
}

// Load reads the embedded catalogues and checks that each language has
// every message of the default one, with the same placeholders.
func Load() (*Catalog, error) {
	return load(files)
}

func load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	c := &Catalog{langs: map[string]*Lang{}}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		l, err := parse(name, data)
		if err != nil {
			return nil, err
		}
		c.langs[l.Tag] = l
		c.tags = append(c.tags, l.Tag)
	}
	sort.Strings(c.tags)
	def, ok := c.langs[Default]
	if !ok {
		return nil, fmt.Errorf("catalog: no %s.toml, the default language", Default)
	}
	for _, tag := range c.tags {
		l := c.langs[tag]
		for key, m := range def.msgs {
			lm, ok := l.msgs[key]
			if !ok {
				return nil, fmt.Errorf("catalog: %s.toml: no message %q", tag, key)
			}
			if lm.plural != m.plural {
				return nil, fmt.Errorf("catalog: %s.toml: message %q: plural forms in one language only", tag, key)
			}
			if a, b := placeholders(m.text+m.one+m.other), placeholders(lm.text+lm.one+lm.other); a != b {
				return nil, fmt.Errorf("catalog: %s.toml: message %q has placeholders {%s}, %s.toml has {%s}", tag, key, b, Default, a)
			}
		}
		for key := range l.msgs {
			if _, ok := def.msgs[key]; !ok {
				return nil, fmt.Errorf("catalog: %s.toml: message %q is not in %s.toml", tag, key, Default)
			}
		}
	}
	return c, nil
}

func parse(name string, data []byte) (*Lang, error) {
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", name, err)
	}
	for _, k := range md.Undecoded() {
		// The plural tables of [messages] decode into maps, which the
		// decoder still lists; they are checked below.
		if len(k) > 0 && k[0] != "messages" {
			return nil, fmt.Errorf("catalog: %s: unknown key %q", name, k.String())
		}
	}
	d := f.Dates
	if f.Language.Tag == "" || len(d.Months) != 12 || len(d.MonthsShort) != 12 || len(d.Weekdays) != 7 ||
		d.Long == "" || d.Short == "" || d.Time == "" || d.TimeOnTheHour == "" || d.DateTime == "" {
		return nil, fmt.Errorf("catalog: %s: [language] tag and every [dates] key (12 months, 7 weekdays, formats) are required", name)
	}
	l := &Lang{Tag: f.Language.Tag, Name: f.Language.Name, msgs: map[string]message{}, pluralOne: map[int]bool{},
		nbspBefore: f.Language.NbspBefore, quoteOpen: f.Language.QuoteOpen, quoteClose: f.Language.QuoteClose,
		hyphens: f.Language.NoBreakHyphenated, months: d.Months, monthsShort: d.MonthsShort, weekdays: d.Weekdays,
		longDate: d.Long, shortDate: d.Short, firstDay: d.FirstDay, timeFmt: d.Time, timeOnTheHour: d.TimeOnTheHour,
		dateTime: d.DateTime}
	for _, n := range f.Language.PluralOne {
		l.pluralOne[n] = true
	}
	for _, h := range l.hyphens {
		l.noBreak = append(l.noBreak, strings.ReplaceAll(h, "-", "\u2011"))
	}
	l.marks = l.nbspBefore + l.quoteOpen + l.quoteClose
	for _, r := range l.marks {
		var b [utf8.UTFMax]byte
		utf8.EncodeRune(b[:], r)
		l.markLead[b[0]] = true
	}
	for key, v := range f.Messages {
		switch v := v.(type) {
		case string:
			m := message{text: v}
			if !strings.Contains(v, "{") {
				m.typeset, m.fixed = l.Typeset(v), true
			}
			l.msgs[key] = m
		case map[string]any:
			one, ok1 := v["one"].(string)
			other, ok2 := v["other"].(string)
			if !ok1 || !ok2 || len(v) != 2 {
				return nil, fmt.Errorf("catalog: %s: message %q: a table must hold exactly one and other", name, key)
			}
			l.msgs[key] = message{one: one, other: other, plural: true}
		default:
			return nil, fmt.Errorf("catalog: %s: message %q: want text or a table of plural forms", name, key)
		}
	}
	return l, nil
}

// placeholders lists the distinct {names} of s, sorted, as one string.
func placeholders(s string) string {
	seen := map[string]bool{}
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		seen[s[i+1:i+j]] = true
		s = s[i+j+1:]
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Tags lists the languages, sorted.
func (c *Catalog) Tags() []string { return append([]string(nil), c.tags...) }

// Has reports whether tag is a language of the catalogue.
func (c *Catalog) Has(tag string) bool { _, ok := c.langs[tag]; return ok }

// Lang returns the language tag, or the default one when there is no such
// language.
func (c *Catalog) Lang(tag string) *Lang {
	if l, ok := c.langs[tag]; ok {
		return l
	}
	return c.langs[Default]
}

// Match picks the language of an Accept-Language header ("en-GB,en;q=0.9,
// fr;q=0.8"): the catalogue's language with the highest quality, the
// earliest listed on a tie; the default when none.
func (c *Catalog) Match(accept string) string {
	best, bestQ := Default, 0.0
	for _, part := range strings.Split(accept, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if c.Has(base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

// T returns message key with its placeholders filled from args, given as
// name, value pairs, typeset. A message with plural forms takes the form
// of the argument named n. An unknown key returns the key itself in
// brackets, which tests catch.
func (l *Lang) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	if m.fixed {
		return m.typeset
	}
	text := m.text
	if m.plural {
		text = m.other
		for i := 0; i+1 < len(args); i += 2 {
			if args[i] == "n" {
				if n, ok := args[i+1].(int); ok && l.pluralOne[n] {
					text = m.one
				}
			}
		}
	}
	return l.Typeset(fill(text, args))
}

// Reason says why an offer waits for review in words: the message
// reason_NAME for a reason NAME (a reader's "doubt:NAME" alike), else the
// reason as given, for a rule the catalogue has no words for.
func (l *Lang) Reason(r string) string {
	key := "reason_" + strings.TrimPrefix(r, "doubt:")
	if _, ok := l.msgs[key]; !ok {
		return r
	}
	return l.T(key)
}

// fill replaces each {name} of text by its value in args, the first pair
// named so; a {name} without a value stays as it is.
func fill(text string, args []any) string {
	return expand(text, func(name string) (string, bool) {
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok && k == name || !ok && fmt.Sprint(args[i]) == name {
				return str(args[i+1]), true
			}
		}
		return "", false
	})
}

// str writes an argument as fmt.Sprint does, without its cost for the
// usual strings and ints.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(v)
}

// expand replaces each {name} of text for which value has one, reading
// text once from left to right (one strings.Replacer per message, built on
// each call, cost more than the message).
func expand(text string, value func(name string) (string, bool)) string {
	i := strings.IndexByte(text, '{')
	if i < 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 32)
	for i >= 0 {
		b.WriteString(text[:i])
		text = text[i:]
		if j := strings.IndexByte(text, '}'); j > 0 {
			if v, ok := value(text[1:j]); ok {
				b.WriteString(v)
				text = text[j+1:]
				i = strings.IndexByte(text, '{')
				continue
			}
		}
		b.WriteByte('{')
		text = text[1:]
		i = strings.IndexByte(text, '{')
	}
	b.WriteString(text)
	return b.String()
}

// Typeset applies the language's typography to s: a narrow no-break space
// (U+202F) before each character of nbsp_before that ends a word ("Date
// limite : ", "Date limite: " and "Vraiment ?" alike; "https://", "12:00"
// and "?t=1" are left alone), inside the language's quotes, and a no-break
// hyphen (U+2011) in the words of no_break_hyphen such as "J-". It is
// idempotent.
func (l *Lang) Typeset(s string) string {
	if l.nbspBefore == "" && l.quoteOpen == "" && len(l.hyphens) == 0 {
		return s
	}
	for i, h := range l.hyphens {
		s = strings.ReplaceAll(s, h, l.noBreak[i])
	}
	// Most text has no mark to space: it stays as it is (when valid
	// UTF-8, which the loop below would mend).
	valid := utf8.ValidString(s)
	if valid && l.nextMark(s) < 0 {
		return s
	}
	return l.typeset(s, valid)
}

// typeset is Typeset's work on s, once its hyphens are done. With skip,
// the text between marks is copied as it is, which only valid UTF-8
// allows; without, s is read rune by rune.
func (l *Lang) typeset(s string, skip bool) string {
	space := func(r rune) bool { return r == ' ' || r == '\u00a0' }
	// setLast replaces the last character written.
	setLast := func(out []byte, r rune) []byte {
		_, n := utf8.DecodeLastRune(out)
		return utf8.AppendRune(out[:len(out)-n], r)
	}
	out := make([]byte, 0, len(s)+16)
	// narrowNext is set when an opening quote turned the space after it
	// into a narrow one.
	narrowNext := false
	for i := 0; i < len(s); {
		if skip && !narrowNext {
			// What comes before the next mark is written as it is.
			j := l.nextMark(s[i:])
			if j < 0 {
				out = append(out, s[i:]...)
				break
			}
			out = append(out, s[i:i+j]...)
			i += j
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if narrowNext {
			r, narrowNext = '\u202f', false
		}
		i += n
		next, _ := utf8.DecodeRuneInString(s[i:])
		last := i == len(s)
		endsWord := last || unicode.IsSpace(next) || strings.ContainsRune(`"')»`, next)
		switch {
		case strings.ContainsRune(l.nbspBefore, r) && len(out) > 0:
			prev, _ := utf8.DecodeLastRune(out)
			switch {
			case space(prev):
				out = setLast(out, '\u202f')
			case prev == '\u202f':
			case endsWord && !(r == ':' && unicode.IsDigit(prev)):
				out = utf8.AppendRune(out, '\u202f')
			}
		case l.quoteClose != "" && string(r) == l.quoteClose && len(out) > 0:
			prev, _ := utf8.DecodeLastRune(out)
			if space(prev) {
				out = setLast(out, '\u202f')
			} else if prev != '\u202f' {
				out = utf8.AppendRune(out, '\u202f')
			}
		}
		out = utf8.AppendRune(out, r)
		if l.quoteOpen != "" && string(r) == l.quoteOpen {
			if !last && space(next) {
				narrowNext = true
			} else if !last && next != '\u202f' {
				out = utf8.AppendRune(out, '\u202f')
			}
		}
	}
	return string(out)
}

// nextMark returns the offset of the first of l.marks in s, -1 if none.
func (l *Lang) nextMark(s string) int {
	for i := 0; i < len(s); i++ {
		// markLead holds ASCII and the first bytes of longer characters,
		// never a continuation byte: i is at a character's start.
		if l.markLead[s[i]] {
			if r, _ := utf8.DecodeRuneInString(s[i:]); strings.ContainsRune(l.marks, r) {
				return i
			}
		}
	}
	return -1
}

// Quote puts s in the language's quotes.
func (l *Lang) Quote(s string) string {
	if l.quoteOpen == "" {
		return "“" + s + "”"
	}
	return l.Typeset(l.quoteOpen + " " + s + " " + l.quoteClose)
}

// LongDate writes the day the language's long way: "jeudi 30 octobre 2025",
// "Thursday 30 October 2025".
func (l *Lang) LongDate(t time.Time) string {
	return l.date(l.longDate, t)
}

// ShortDate writes the day without weekday or year: "20 octobre",
// "20 October".
func (l *Lang) ShortDate(t time.Time) string {
	return l.date(l.shortDate, t)
}

func (l *Lang) date(format string, t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 && l.firstDay != "" {
		day = l.firstDay
	}
	return l.Typeset(expand(format, func(name string) (string, bool) {
		switch name {
		case "weekday":
			return l.weekdays[t.Weekday()], true
		case "day":
			return day, true
		case "month":
			return l.months[t.Month()-1], true
		case "month_short":
			return l.monthsShort[t.Month()-1], true
		case "year":
			return strconv.Itoa(t.Year()), true
		}
		return "", false
	}))
}

// Time writes a time of day: "12 h", "12 h 30", "12:00".
func (l *Lang) Time(t time.Time) string {
	format := l.timeFmt
	if t.Minute() == 0 {
		format = l.timeOnTheHour
	}
	return expand(format, func(name string) (string, bool) {
		switch name {
		case "h":
			return strconv.Itoa(t.Hour()), true
		case "hh":
			return twoDigits(t.Hour()), true
		case "mm":
			return twoDigits(t.Minute()), true
		}
		return "", false
	})
}

// DateTime writes a day and a time: "jeudi 30 octobre 2025 à 12 h",
// "Thursday 30 October 2025, 12:00".
func (l *Lang) DateTime(t time.Time) string {
	return l.Typeset(expand(l.dateTime, func(name string) (string, bool) {
		switch name {
		case "date":
			return l.LongDate(t), true
		case "time":
			return l.Time(t), true
		}
		return "", false
	}))
}

// twoDigits writes 0 to 99 on two digits, as %02d.
func twoDigits(n int) string {
	if n < 10 && n >= 0 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Mistakes lists the places of s where a character of chars ends a word
// without a no-break space before it: French typography wants one before
// ; : ! ?. URLs, times ("12:00") and URL queries are not words, as in
// Typeset. Tests run rendered messages and pages through it, with the
// characters written out, so that they do not trust the catalogue they
// check.
func Mistakes(s, chars string) []string {
	var out []string
	in := []rune(s)
	for i, r := range in {
		if i == 0 || !strings.ContainsRune(chars, r) {
			continue
		}
		endsWord := i+1 == len(in) || unicode.IsSpace(in[i+1]) || strings.ContainsRune(`"')»`, in[i+1])
		prev := in[i-1]
		if !endsWord || prev == '\u202f' || prev == '\u00a0' || r == ':' && unicode.IsDigit(prev) {
			continue
		}
		out = append(out, fmt.Sprintf("%q at %d: %q", r, i, string(in[max(0, i-30):min(len(in), i+10)])))
	}
	return out
}
