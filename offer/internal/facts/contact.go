package facts

import (
	"slices"
	"strings"

	"github.com/echeance/echeance/offer/internal/text"
)

// emailRe matches a plain address. emailAt reads what it matches without
// running it; it stays as the definition the tests hold emailAt to.
var emailRe = lazyRegexp{src: `[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b`}

// obfuscatedRe matches addresses written to fool robots: "nom [at]
// domaine.fr", "nom (at) domaine (dot) fr", "nom @ domaine . fr". The
// domain is lowercase, so that a following sentence is not taken in.
var obfuscatedRe = lazyRegexp{src: `([A-Za-z0-9][A-Za-z0-9._%+-]*) ?(?:\[ ?(?i:at|arobase|chez) ?\]|\( ?(?i:at|arobase|chez) ?\)|\{ ?(?i:at|arobase) ?\}| @ |@ | @)(?: )?([a-z0-9-]+(?: ?(?:\.|\[ ?(?:dot|point) ?\]|\( ?(?:dot|point) ?\)) ?[a-z0-9-]+)+)`}

// mailtoRe matches a mailto link, whose address may be percent-encoded.
var mailtoRe = lazyRegexp{src: `(?i)mailto:([^\s"'<>()\]]+)`}

// fileExts are "domains" that are really image names ("logo@2x.png").
var fileExts = []string{"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"}

// readContacts returns every e-mail address in the text, lowercased, without
// duplicates, in the order they appear.
func readContacts(lines []factLine) []string {
	var out []string
	for i := range lines {
		if l := &lines[i]; mayHoldContact(l) {
			out = lineContacts(l.raw, out)
		}
	}
	return out
}

// mayHoldContact reports whether l may hold an address lineContacts
// reads: its text holds an "@", "mailto", or an "at", "arobase" or "chez"
// between brackets (obfuscatedRe). A clean line's lower case holds what
// its text does (see eachBodyLine), and it holds no "]" (markupFree):
// its grams tell the words after "(" or "{", when a ")" or "}" closes
// them. The other lines are read when their lower case holds one of the
// words.
func mayHoldContact(l *factLine) bool {
	if !l.clean {
		return l.has("@", "at", "arobase", "chez", "mailto")
	}
	return l.has("@", "mailto") ||
		strings.IndexByte(l.raw, ')') >= 0 && l.mayPass(parenAtGate) ||
		strings.IndexByte(l.raw, '}') >= 0 && l.mayPass(braceAtGate)
}

// parenAtGate and braceAtGate are what a line's lower case holds where
// obfuscatedRe reads an "at" between brackets: the bracket, a space or
// none, and the first two letters of "at", "arobase" or "chez" ("arobase"
// may be written with a long s, which the expression's case folding
// reads as an s).
var (
	parenAtGate = bracketedAt("(", "at", "ar", "ch")
	braceAtGate = bracketedAt("{", "at", "ar")
)

func bracketedAt(bracket string, starts ...string) gramGate {
	var ws []string
	for _, w := range starts {
		ws = append(ws, bracket+w, bracket+" "+w)
	}
	return gramGate{}.add("", ws...)
}

// maxAts bounds the "@" read in one line: a line of addresses holds a few
// dozen; past this it is not a line of an offer.
const maxAts = 200

// lineContacts appends to out the new addresses of one line.
func lineContacts(txt string, out []string) []string {
	type hit struct {
		at   int
		addr string
	}
	var hits []hit
	// Each pattern needs a character or a word the line may lack; the
	// checks spare the regular expressions most lines.
	hasAt := strings.IndexByte(txt, '@') >= 0
	for pos, ats := 0, 0; hasAt && ats < maxAts; ats++ {
		// Each address holds one "@": read around each, from where the
		// characters of its local part start to where those of its
		// domain end (and one more, for the word boundary).
		a := strings.IndexByte(txt[pos:], '@')
		if a < 0 {
			break
		}
		a += pos
		ws := a
		for ws > pos && isLocalByte(txt[ws-1]) {
			ws--
		}
		we := a + 1
		for we < len(txt) && isDomainByte(txt[we]) {
			we++
		}
		if s, e := emailAt(txt, ws, a, we); s >= 0 {
			hits = append(hits, hit{s, txt[s:e]})
			pos = e
			continue
		}
		pos = a + 1
	}
	if hasBracketedAt(txt) || hasAt && (strings.Contains(txt, " @") || strings.Contains(txt, "@ ")) {
		for _, m := range obfuscatedRe.get().FindAllStringSubmatchIndex(txt, -1) {
			domain := obfuscatedDomain(txt[m[4]:m[5]])
			hits = append(hits, hit{m[0], txt[m[2]:m[3]] + "@" + domain})
		}
	}
	if hasMailto(txt) {
		for _, m := range mailtoRe.get().FindAllStringSubmatchIndex(txt, -1) {
			if a := text.MailtoAddress("mailto:" + txt[m[2]:m[3]]); a != "" {
				hits = append(hits, hit{m[0], a})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	for _, h := range hits {
		a := strings.ToLower(strings.Trim(h.addr, ".-"))
		local, domain, ok := strings.Cut(a, "@")
		if !ok || local == "" || !strings.Contains(domain, ".") {
			continue
		}
		tld := domain[strings.LastIndexByte(domain, '.')+1:]
		if len(tld) < 2 || slices.Contains(fileExts, tld) || strings.ContainsAny(tld, "0123456789") {
			continue
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// emailAt returns the bounds of what emailRe matches first in
// txt[ws:min(we+1, len(txt))], where txt[ws:a] are characters of a local
// part, txt[a] is the "@" and txt[a+1:we] characters of a domain; -1s
// when it matches nothing. The expression's choices are made as it makes
// them, without its machine: the address starts at the local part's
// first letter or digit, each label of the domain is the whole of its
// run, and the last part is the label, the last first, that starts with
// two to 24 letters and a word's end.
func emailAt(txt string, ws, a, we int) (start, end int) {
	start = ws
	for start < a && !isASCIIAlnum(txt[start]) {
		start++
	}
	d := txt[a+1 : we]
	if start == a || d == "" || d[0] == '.' {
		return -1, -1
	}
	// The labels the domain's repetition reads end at an empty one; an
	// empty label at the end is passed over as one without letters.
	chain := len(d)
	if k := strings.Index(d, ".."); k >= 0 {
		chain = k
	}
	for e := chain; ; {
		s := strings.LastIndexByte(d[:e], '.') + 1
		if s == 0 {
			return -1, -1
		}
		t := 0
		for t <= 24 && s+t < e && isASCIILetter(d[s+t]) {
			t++
		}
		if q := a + 1 + s + t; 2 <= t && t <= 24 && (q == len(txt) || !isASCIIWord(txt[q])) {
			return start, q
		}
		e = s - 1
	}
}

// hasBracketedAt reports whether text holds "[at]", "(arobase)", "{ at }"
// or the like, as obfuscatedRe needs when there is no "@".
func hasBracketedAt(txt string) bool {
	brackets := newByteFinder(txt, "[({")
	for i := brackets.from(0); i >= 0; i = brackets.from(i + 1) {
		rest := strings.TrimPrefix(txt[i+1:], " ")
		for _, w := range []string{"at", "arobase", "chez"} {
			if len(rest) >= len(w) && strings.EqualFold(rest[:len(w)], w) {
				return true
			}
		}
	}
	return false
}

// isLocalByte and isDomainByte tell the characters emailRe reads before
// and after the "@".
func isLocalByte(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isDomainByte(c byte) bool { return isASCIIAlnum(c) || c == '.' || c == '-' }

// hasMailto reports whether s holds "mailto:" in any case.
func hasMailto(s string) bool {
	for i := 0; ; i++ {
		k := strings.IndexByte(s[i:], ':')
		if k < 0 {
			return false
		}
		i += k
		if i >= 6 && strings.EqualFold(s[i-6:i], "mailto") {
			return true
		}
	}
}

// obfuscatedDomain rewrites "domaine (dot) fr" as "domaine.fr".
func obfuscatedDomain(d string) string {
	r := strings.NewReplacer("[dot]", ".", "(dot)", ".", "[point]", ".", "(point)", ".",
		"[ dot ]", ".", "( dot )", ".", "[ point ]", ".", "( point )", ".", " ", "")
	return r.Replace(d)
}
