package dates

import "github.com/echeance/echeance/offer/internal/text"

// This file holds the grammar's word tables.

// monthWords maps month names and abbreviations, French and English, folded.
var monthWords = map[string]int{
	"janvier": 1, "janv": 1, "jan": 1, "january": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
	"mars": 3, "mar": 3, "march": 3,
	"avril": 4, "avr": 4, "apr": 4, "april": 4,
	"mai": 5, "may": 5,
	"juin": 6, "jun": 6, "june": 6,
	"juillet": 7, "juil": 7, "jui": 7, "jul": 7, "july": 7,
	"aout": 8, "aou": 8, "aug": 8, "august": 8,
	"septembre": 9, "sept": 9, "sep": 9, "september": 9,
	"octobre": 10, "oct": 10, "october": 10,
	"novembre": 11, "nov": 11, "november": 11,
	"decembre": 12, "dec": 12, "december": 12,
}

// fullMonths are the month names that may stand alone ("en mars"). English
// "march" and "may" are common words, so they need a day or a year.
var fullMonths = map[string]bool{
	"janvier": true, "fevrier": true, "mars": true, "avril": true, "mai": true, "juin": true,
	"juillet": true, "aout": true, "septembre": true, "octobre": true, "novembre": true, "decembre": true,
	"january": true, "february": true, "april": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
}

// weekdayWords maps weekday names to 1 (Monday) … 7 (Sunday).
var weekdayWords = map[string]int{
	"lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7,
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
	"mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 7,
	// French abbreviations, as calendars write them ("mer. 4 févr."); not
	// "mar", which is also March.
	"lun": 1, "mer": 3, "jeu": 4, "ven": 5, "sam": 6, "dim": 7,
}

// ordinalSuffixes may follow a day number: "1er", "15e", "3rd".
var ordinalSuffixes = []string{"ere", "er", "re", "eme", "ieme", "e", "nde", "nd", "st", "rd", "th"}

var (
	unitWords = map[string]int{"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9}
	teenWords = map[string]int{"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16}
	tensWords = map[string]int{"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
)

// boundaryWords may directly follow a bare number that the grammar reads as
// a day ("le 2 à 5h", "du 13 au 18"); any other word makes it a count
// ("le 2e semestre", "16-25 ans").
var boundaryWords = map[string]bool{
	"a": true, "au": true, "aux": true, "vers": true, "et": true, "ou": true, "jusqu": true,
	"avant": true, "apres": true, "plutot": true, "autour": true, "environ": true,
	"inclus": true, "compris": true, "des": true,
	"at": true, "to": true, "and": true, "or": true, "until": true, "till": true,
	"through": true, "by": true, "before": true, "after": true,
}

// deictics are the words for days relative to the reference day.
var deictics = []struct {
	words []string
	shift int
}{
	{[]string{"aujourd", "'", "hui"}, 0},
	{[]string{"aujourdhui"}, 0},
	{[]string{"ce", "jour"}, 0},
	{[]string{"today"}, 0},
	{[]string{"avant", "-", "hier"}, -2},
	{[]string{"avant", "hier"}, -2},
	{[]string{"hier"}, -1},
	{[]string{"yesterday"}, -1},
	{[]string{"apres", "-", "demain"}, 2},
	{[]string{"apres", "demain"}, 2},
	{[]string{"demain"}, 1},
	{[]string{"tomorrow"}, 1},
}

// holidays are the fixed-date holidays. Like Duckling, "jour des morts" is
// read as Toussaint, the day it is observed in practice.
var holidays = []struct {
	words []string
	m, d  int
}{
	{[]string{"jour", "de", "noel"}, 12, 25},
	{[]string{"noel"}, 12, 25},
	{[]string{"jour", "de", "l", "'", "an"}, 1, 1},
	{[]string{"nouvel", "an"}, 1, 1},
	{[]string{"jour", "de", "la", "toussaint"}, 11, 1},
	{[]string{"journee", "de", "la", "toussaint"}, 11, 1},
	{[]string{"toussaint"}, 11, 1},
	{[]string{"jour", "des", "morts"}, 11, 1},
	{[]string{"fete", "du", "travail"}, 5, 1},
	{[]string{"fete", "nationale"}, 7, 14},
	{[]string{"christmas", "day"}, 12, 25},
	{[]string{"christmas"}, 12, 25},
	{[]string{"new", "year", "'", "s", "day"}, 1, 1},
}

// yearCues may introduce a bare year: "en 2025", "depuis 2022".
var yearCues = map[string]bool{
	"en": true, "in": true, "depuis": true, "since": true, "pour": true, "for": true,
	"courant": true, "annee": true, "year": true,
}

// firstWords returns the set of the first words of phrases.
func firstWords(phrases ...[]string) map[string]bool {
	set := make(map[string]bool)
	for _, ph := range phrases {
		set[ph[0]] = true
	}
	return set
}

var (
	deicticStarts = func() map[string]bool {
		var phs [][]string
		for _, d := range deictics {
			phs = append(phs, d.words)
		}
		return firstWords(phs...)
	}()
	holidayStarts = func() map[string]bool {
		var phs [][]string
		for _, h := range holidays {
			phs = append(phs, h.words)
		}
		return firstWords(phs...)
	}()
)

// starterWords are the words a date expression may begin with; the scanner
// skips any other word at once.
var starterWords = func() map[string]bool {
	set := make(map[string]bool)
	for _, m := range []map[string]int{monthWords, weekdayWords, unitWords, teenWords, tensWords} {
		for w := range m {
			set[w] = true
		}
	}
	for _, m := range []map[string]bool{deicticStarts, holidayStarts, yearCues} {
		for w := range m {
			set[w] = true
		}
	}
	for _, w := range []string{
		"premier", "first", "dernier", "last", "le", "la", "l", "the",
		"du", "from", "entre", "between", "de", "d", "en", "in", "courant", "au", "mois",
		"lendemain", "veille",
		"debut", "early", "beginning", "mi", "mid", "milieu", "middle", "fin", "late", "end",
		"premiere", "deuxieme", "seconde", "2eme", "2nde", "derniere", "second",
		"a", "apres", "plus", "starting", "after", "vers", "at",
		"midi", "noon", "minuit", "midnight",
	} {
		set[w] = true
	}
	return set
}()

// anchorWords are the starter words that can carry a date by themselves;
// the others ("le", "du", "fin", "à" …) only lead to one.
var anchorWords = func() map[string]bool {
	set := make(map[string]bool, len(starterWords))
	for w := range starterWords {
		set[w] = true
	}
	for _, w := range []string{
		"le", "la", "l", "the", "du", "from", "entre", "between", "de", "d", "en", "in", "courant", "au",
		"mois", "debut", "early", "beginning", "mi", "mid", "milieu", "middle", "fin", "late", "end",
		"a", "apres", "plus", "starting", "after", "vers", "at", "premiere", "deuxieme", "seconde",
		"2eme", "2nde", "derniere", "second", "last", "pour", "for", "depuis", "since", "annee", "year",
		"avant", "un", "une",
	} {
		delete(set, w)
	}
	return set
}()

// class is what the word tables say of one folded word, gathered so that a
// token is looked up once. It takes five bytes: a text has one per token.
type class struct {
	// day holds the month, 1…12, in its low four bits and the weekday,
	// 1 (Monday) … 7, above them; 0 for none.
	day   uint8
	num   uint8 // the value of a number word, or 0
	flags uint8
	// tables are the phrase tables a phrase of which starts with the
	// word, so that a rule tries none of a table's phrases at a word that
	// starts none of them.
	tables uint8
	// read is set for the words some rule reads: those of the tables
	// and ruleWords. No expression holds another word before its anchor.
	read bool
}

// Phrase tables, as class.tables marks them.
const (
	tOpener      uint8 = 1 << iota // openers
	tTimeLink                      // timeLinks
	tPeriod                        // periods
	tMonthPrefix                   // monthPrefixes
	tOfLink                        // ofLinks
	tRangeLink                     // rangeLinks and betweenLinks
)

// numKind tells the number words apart: units ("trois"), teens ("dix" …
// "seize") and tens ("vingt" …); a number word is one of them.
const (
	cUnit uint8 = 1 << 6
	cTeen uint8 = 2 << 6
	cTens uint8 = 3 << 6
)

func (c class) numOf(kind uint8) int {
	if c.num&0xc0 == kind {
		return int(c.num & 0x3f)
	}
	return 0
}

// month returns the month the word names, 1…12, or 0.
func (c class) month() int { return int(c.day & 0x0f) }

// weekday returns the weekday the word names, 1 (Monday) … 7, or 0.
func (c class) weekday() int { return int(c.day >> 4) }

func (c class) unit() int { return c.numOf(cUnit) }
func (c class) teen() int { return c.numOf(cTeen) }
func (c class) tens() int { return c.numOf(cTens) }

const (
	cStarter   uint8 = 1 << iota // may begin a date expression
	cAnchor                      // carries a date by itself
	cBoundary                    // may follow a bare number read as a day
	cFullMonth                   // a month name that may stand alone
	cYearCue                     // may introduce a bare year
	cDeictic                     // begins a deictic
	cHoliday                     // begins a holiday
	cZone                        // begins a written time zone
)

// ruleWords are the words the rules read by name that no table holds
// ("quinzaine" in "la première quinzaine d'avril", "partir" in "à partir
// du"). TestRuleWords checks that every word the rules name is in the
// lexicon.
var ruleWords = []string{
	"alentours", "am", "around", "at", "autour", "aux", "avant", "before", "by", "compris", "dans", "day",
	"demi", "demie", "dernier", "derniere", "deuxieme", "e", "eme", "ere", "er", "euros", "h", "heure",
	"heures", "hr", "hrs", "included", "inclus", "incluse", "jour", "m", "mat", "matin", "midday", "min",
	"minutes", "mn", "moins", "month", "nde", "on", "p", "partir", "plutot", "pm", "qu", "quart", "que",
	"quinzaine", "re", "soir", "soiree", "tard", "through", "thru", "time", "x",
}

// lexicon maps every word of the tables to its class.
var lexicon = func() map[string]class {
	lx := make(map[string]class)
	set := func(w string, f func(c *class)) {
		c := lx[w]
		f(&c)
		lx[w] = c
	}
	for w, m := range monthWords {
		set(w, func(c *class) { c.day = c.day&^0x0f | uint8(m) })
	}
	for w, d := range weekdayWords {
		set(w, func(c *class) { c.day = c.day&0x0f | uint8(d)<<4 })
	}
	for w, v := range unitWords {
		set(w, func(c *class) { c.num = cUnit | uint8(v) })
	}
	for w, v := range teenWords {
		set(w, func(c *class) { c.num = cTeen | uint8(v) })
	}
	for w, v := range tensWords {
		set(w, func(c *class) { c.num = cTens | uint8(v) })
	}
	flag := func(words map[string]bool, f uint8) {
		for w := range words {
			set(w, func(c *class) { c.flags |= f })
		}
	}
	flag(starterWords, cStarter)
	flag(anchorWords, cAnchor)
	flag(boundaryWords, cBoundary)
	flag(fullMonths, cFullMonth)
	flag(yearCues, cYearCue)
	flag(deicticStarts, cDeictic)
	flag(holidayStarts, cHoliday)
	for _, zw := range zoneWords {
		set(zw.words[0], func(c *class) { c.flags |= cZone })
	}
	table := func(t uint8, phrases ...[]string) {
		for _, ph := range phrases {
			if len(ph) > 0 {
				set(ph[0], func(c *class) { c.tables |= t })
			}
		}
	}
	table(tOpener, openers...)
	for _, l := range timeLinks {
		table(tTimeLink, l.words)
	}
	for _, pd := range periods {
		table(tPeriod, pd.words)
	}
	table(tMonthPrefix, monthPrefixes...)
	table(tOfLink, ofLinks...)
	table(tRangeLink, rangeLinks...)
	table(tRangeLink, betweenLinks...)

	// Every word above, every word of a phrase and every word of
	// ruleWords is read by some rule.
	read := func(phrases ...[]string) {
		for _, ph := range phrases {
			for _, w := range ph {
				set(w, func(c *class) { c.read = true })
			}
		}
	}
	for w := range lx {
		read([]string{w})
	}
	read(ruleWords, ordinalSuffixes)
	for _, d := range deictics {
		read(d.words)
	}
	for _, h := range holidays {
		read(h.words)
	}
	for _, zw := range zoneWords {
		read(zw.words)
	}
	for _, l := range timeLinks {
		read(l.words)
	}
	for _, pd := range periods {
		read(pd.words)
	}
	read(openers...)
	read(monthPrefixes...)
	read(ofLinks...)
	read(rangeLinks...)
	read(betweenLinks...)
	return lx
}()

// tok is a token as the rules read it, gathered once per line: the rules
// ask about each token near an anchor many times, and text.Tokens, being
// more words than the compiler keeps in registers, is copied through
// memory by each of its methods. It takes eight bytes, as a line may be
// a whole text of one-byte tokens.
type tok struct {
	class
	// shape holds the token's kind below tSpace, then tSpace, for a
	// number its digit count (up to 5, for five or more) above tDigits,
	// and tRead.
	shape uint8
	// v is, for a word of the lexicon, its slot in lexiconTable, whose
	// words hold its folded form; for a sign whose folded form is one
	// ASCII byte, that byte; for a number of four digits or fewer, its
	// value; else 0.
	v uint16
}

const (
	tKind   uint8 = 3 // the mask of the kind, 1 to 3
	tSpace  uint8 = 4 // white space (or the start of the text) comes before it
	tDigits       = 3 // the shift of the digit count
	// tRead marks a tok whose space, v and digit count are read (see
	// parser.at); tokensInto reads only the kind, the class and a
	// word's v.
	tRead uint8 = 1 << 6
)

func (t *tok) kind() text.Kind { return text.Kind(t.shape & tKind) }

func (t *tok) space() bool { return t.shape&tSpace != 0 }

func (t *tok) digits() int { return int(t.shape>>tDigits) & 7 }

// asciiStrings holds the one-byte strings of ASCII, so that the folded
// form of a sign is read without copying the Tokens.
var asciiStrings = func() (ss [128]string) {
	for c := range ss {
		ss[c] = string(rune(c))
	}
	return ss
}()

// tokensInto returns the tokens of toks as the rules read them, in buf
// when it has room: words are looked up in the lexicon, numbers are
// anchors and nothing else, punctuation has no class. The rest of a tok
// is read when a rule first asks about it (see parser.at): scan asks only
// about the tokens near an anchor, and each of the Tokens' methods costs a
// copy of them.
func tokensInto(buf []tok, toks text.Tokens) []tok {
	n := toks.Len()
	ts := buf[:0]
	if cap(ts) < n {
		// (Not slices.Grow: built with -race, it allocates its growth
		// twice.)
		ts = make([]tok, 0, n)
	}
	ts = ts[:n]
	t := lexiconTable
	for i := range ts {
		// Kind and S, not At: a Token is copied whole through memory
		// and its fields read back before the copy is done, which
		// stalls each read. The fields of a tok are written in place,
		// for the same reason.
		kind := toks.Kind(i)
		e := &ts[i]
		e.shape, e.v = uint8(kind)&tKind, 0
		e.class = class{}
		switch kind {
		case text.Word:
			// t.get(w), written out: a call per word costs as much as
			// the look-up.
			w := toks.S(i)
			if w != "" && len(w) <= t.maxLen {
				k := lexKey(w)
				for s := lexSlot(k); t.keys[s] != 0; s = (s + 1) & (lexSize - 1) {
					if t.keys[s] == k && (len(w) <= lexPacked || t.words[s] == w) {
						e.class, e.v = t.cls[s], uint16(s)
						break
					}
				}
			}
		case text.Number:
			// A number carries a date by itself (see isAnchor).
			e.flags = cAnchor
		}
	}
	return ts
}

// lexTable is the lexicon as tokensInto reads it, once for every word of a
// text: an open-addressing table keyed by the word's length and first
// lexPacked bytes packed in one integer, which costs less than a map's hash
// for words this short. The key is built in one pass over those bytes and
// compared at once; a word is compared only when it is longer than that.
type lexTable struct {
	keys   [lexSize]uint64 // lexKey of the slot's word, 0 for an empty slot
	cls    [lexSize]class
	words  [lexSize]string
	starts [lexSize]uint8 // ruleStarts of the slot's word
	maxLen int            // the length of the longest word
}

// lexSize is the number of slots, a power of two about three times the
// number of words so that a look-up probes one or two; lexBits is its log.
const (
	lexBits = 10
	lexSize = 1 << lexBits
)

// lexPacked is how many bytes of a word its key holds: a word no longer is
// told apart by its key alone.
const lexPacked = 7

// lexKey packs the length of w (below 256) in the top byte and its first
// lexPacked bytes below; it is 0 only for "". It reads them without a
// loop, whose exit, at a different length for each word, the processor
// cannot foresee: eight bytes at once from a long word, two words of four
// bytes that overlap from one of four to seven, its first, middle and
// last bytes from a shorter one (a byte read twice is or-ed in the same
// place).
func lexKey(w string) uint64 {
	n := len(w)
	var k uint64
	switch {
	case n >= 8:
		k = (uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56) &^ (0xff << 56)
	case n >= 4:
		t := w[n-4:]
		k = uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			(uint64(t[0])|uint64(t[1])<<8|uint64(t[2])<<16|uint64(t[3])<<24)<<(8*(n-4))
	case n > 0:
		k = uint64(w[0]) | uint64(w[n/2])<<(8*(n/2)) | uint64(w[n-1])<<(8*(n-1))
	}
	return k | uint64(n)<<56
}

// lexSlot returns the slot where the search for key k starts: a
// multiplicative hash of it.
func lexSlot(k uint64) int { return int((k * 0x9e3779b97f4a7c15) >> (64 - lexBits)) }

// get returns the class of w, the zero class when w is no word of the
// lexicon.
func (t *lexTable) get(w string) class {
	if w == "" || len(w) > t.maxLen {
		return class{}
	}
	k := lexKey(w)
	for i := lexSlot(k); t.keys[i] != 0; i = (i + 1) & (lexSize - 1) {
		if t.keys[i] == k && (len(w) <= lexPacked || t.words[i] == w) {
			return t.cls[i]
		}
	}
	return class{}
}

// The rules that may begin at a word, as ruleStarts marks them.
const (
	sPoint uint8 = 1 << iota // a point: single, and ranged without its prefix
	sVague                   // vague
	sRange                   // ranged's prefix: "du", "entre", "de" …
	sTime                    // timeFirst
)

// ruleStarts returns the rules that may begin at the word w, of class c:
// each of the others reads its first token among words w is not, and so
// fails at once; expr does not try them.
func ruleStarts(w string, c class) uint8 {
	var s uint8
	// readPoint's rules: dayMonth, monthDay, numeric, ordinalDay and
	// weekdayDay begin with a weekday, a month, a number word or a word
	// they skip or name first; monthPoint with a month or a prefix;
	// deictic, holiday and bareYear with the words their flags mark;
	// relative and bareDay with an article or the word they name.
	if c.day != 0 || c.num != 0 || c.flags&(cDeictic|cHoliday|cYearCue) != 0 || c.tables&tMonthPrefix != 0 {
		s |= sPoint
	}
	switch w {
	case "le", "la", "the", "premier", "first", "dernier", "last", "lendemain", "veille":
		s |= sPoint
	}
	switch w {
	case "la", "le", "l", "the", "debut", "early", "beginning", "mi", "mid", "milieu", "middle", "fin", "late", "end",
		"premiere", "first", "deuxieme", "seconde", "2eme", "2nde", "derniere", "second", "last":
		s |= sVague
	}
	switch w {
	case "du", "from", "entre", "between", "de", "d":
		s |= sRange
	}
	// timeFirst: what clock reads first, after "à", "vers" or "at".
	if c.num != 0 {
		s |= sTime
	}
	switch w {
	case "a", "vers", "at", "midi", "noon", "minuit", "midnight":
		s |= sTime
	}
	return s
}

// lexiconTable holds the lexicon for tokensInto.
var lexiconTable = func() *lexTable {
	t := new(lexTable) // TestLexicon checks that lexSize leaves room
	for w, c := range lexicon {
		i := lexSlot(lexKey(w))
		for t.keys[i] != 0 {
			i = (i + 1) & (lexSize - 1)
		}
		t.keys[i], t.words[i], t.cls[i], t.starts[i] = lexKey(w), w, c, ruleStarts(w, c)
		t.maxLen = max(t.maxLen, len(w))
	}
	return t
}()
