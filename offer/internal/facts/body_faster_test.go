package facts

import (
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/echeance/echeance/offer/internal/text"
)

// The tests below keep the plain versions of the body's routines that were
// made faster, and check that both give the same on the corpus texts, their
// lines and random inputs.

// caseInputs returns fasterInputs and random strings of ASCII letters of
// both cases, accented letters, other UTF-8 and bytes that are not UTF-8,
// of every length around a word of eight bytes.
func caseInputs(t *testing.T) []string {
	t.Helper()
	in := fasterInputs(t)
	in = append(in, randomLines(11, 20000, []string{"a", "b", "z", "A", "Z", "@", "[", "`", "{", " ", "é", "É", "\xc3",
		"\xc3\x97", "\xc3\x9f", "Þ", "þ", "«", "\u00a0", "\xc2", "Œ", "€", "İ", "K", "ǅ", "Ω", "\xff", "\x7f", "\x80", "0", "9", "aaaaaaa", "ZZZZZZZZ"})...)
	for n := range 20 {
		for _, c := range []string{"A", "Z", "é", "É", "\xff", "@", "["} {
			for k := 0; k <= n; k++ {
				in = append(in, strings.Repeat("a", k)+c+strings.Repeat("b", n-k))
			}
		}
	}
	return in
}

// plainLowerAligned is lowerAligned reading the bytes that lowering keeps
// one by one.
func plainLowerAligned(s string) (string, bool) {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s, true
	}
	aligned := true
	var b strings.Builder
	run := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				b.WriteString(s[run:i])
				b.WriteByte(c + 'a' - 'A')
				run = i + 1
			}
			i++
			continue
		}
		if c == 0xc3 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0xbf {
			if d := s[i+1]; d <= 0x9e && d != 0x97 {
				b.WriteString(s[run : i+1])
				b.WriteByte(d + 0x20)
				run = i + 2
			}
			i += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		lr := r
		switch {
		case r == utf8.RuneError && n == 1:
			aligned = false
		case r >= 0x100:
			lr = unicode.ToLower(r)
			aligned = aligned && utf8.RuneLen(lr) == n
		}
		if lr != r || n == 1 {
			b.WriteString(s[run:i])
			b.WriteRune(lr)
			run = i + n
		}
		i += n
	}
	b.WriteString(s[run:])
	return b.String(), aligned
}

func TestLowerAlignedAsBytewise(t *testing.T) {
	for _, s := range caseInputs(t) {
		got, gotAligned := lowerAligned(s)
		want, wantAligned := plainLowerAligned(s)
		if got != want || gotAligned != wantAligned {
			t.Fatalf("lowerAligned(%q) = %q, %v, want %q, %v", s, got, gotAligned, want, wantAligned)
		}
	}
}

func TestCaseStop(t *testing.T) {
	for _, s := range caseInputs(t) {
		for i := 0; i <= min(len(s), 24); i++ {
			want := i
			for want < len(s) && s[want] < utf8.RuneSelf && (s[want] < 'A' || s[want] > 'Z') {
				want++
			}
			if got := caseStop(s, i); got != want {
				t.Fatalf("caseStop(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// plainGramsOf is gramsOf hashing each triple of bytes as it is read.
func plainGramsOf(s string, buf []uint64) grams {
	g := grams{bits: buf, shift: uint8(32 - 6 - bits.TrailingZeros(uint(len(buf))))}
	for i := 0; i+2 < len(s); i++ {
		h := tripleHash(s[i], s[i+1], s[i+2]) >> g.shift
		g.bits[h>>6] |= 1 << (h & 63)
	}
	return g
}

func TestGramsOfAsTriples(t *testing.T) {
	for _, s := range caseInputs(t) {
		n := gramWords(len(s))
		got, want := gramsOf(s, make([]uint64, n)), plainGramsOf(s, make([]uint64, n))
		if got.shift != want.shift || !slices.Equal(got.bits, want.bits) {
			t.Fatalf("gramsOf(%.60q) differs from its triples' hashes", s)
		}
	}
}

// plainHasLabel is hasLabel comparing each name whole.
func plainHasLabel(label string, names ...string) bool {
	for _, n := range names {
		if label == n || len(label) > len(n) && label[len(n)] == ' ' && label[:len(n)] == n {
			return true
		}
	}
	return false
}

func TestHasLabelAsWhole(t *testing.T) {
	names := []string{"lieu", "lieux", "lieu de stage", "duree", "duree du stage", "l", "", "a b", "pay"}
	labels := randomLines(17, 30000, []string{"lieu", "lieux", "x", "de", " ", "stage", "duree", "du", "l", "a", "b", "pay", "s"})
	for _, s := range fasterInputs(t) {
		if l, _ := splitLabel(s); l != "" {
			labels = append(labels, l)
		}
	}
	labels = append(labels, "", " ", "lieu ", " lieu")
	for _, l := range labels {
		for k := range names {
			if got, want := hasLabel(l, names[k:]...), plainHasLabel(l, names[k:]...); got != want {
				t.Fatalf("hasLabel(%q, %q) = %v, want %v", l, names[k:], got, want)
			}
		}
	}
}

// plainFiveDigits is fiveDigits reading one byte at a time.
func plainFiveDigits(s string) bool {
	n := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			n++
			continue
		}
		if n == 5 {
			return true
		}
		n = 0
	}
	return false
}

// digitInputs returns caseInputs and random strings of digits, runs of
// them and the bytes around '0' and '9'.
func digitInputs(t *testing.T) []string {
	t.Helper()
	return append(caseInputs(t), randomLines(19, 30000, []string{"0", "9", "5", "12345", "1234", "123456", "/", ":", " ",
		"a", "é", "\xb0", "\xb9", "\xff", "38000", "-", "69", "007"})...)
}

func TestFiveDigitsAsBytewise(t *testing.T) {
	for _, s := range digitInputs(t) {
		if got, want := fiveDigits(s), plainFiveDigits(s); got != want {
			t.Fatalf("fiveDigits(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestHeadPartsAsFieldsFunc(t *testing.T) {
	in := append(caseInputs(t), randomLines(23, 30000, []string{"–", "—", ",", "|", "(", ")", "\xe2", "\xe2\x80", "\x93",
		"\x94", "\xe2\x80\x92", "\xe2\x80\x95", " ", "Lyon", "Stage", "é", "\xff", "-"})...)
	for _, s := range in {
		want := strings.FieldsFunc(s, func(r rune) bool { return r == '–' || r == '—' || r == ',' || r == '|' || r == '(' || r == ')' })
		var got []string
		for _, p := range headParts(s, nil) {
			got = append(got, s[p[0]:p[1]])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("headParts(%q) = %q, want %q", s, got, want)
		}
	}
}

// plainAtCity is atCity finding the capitals after a space or an
// apostrophe byte by byte.
func plainAtCity(plain, low string) string {
	if len(low) != len(plain) {
		return ""
	}
	var caps []int
	for s := 0; s+1 < len(plain); s++ {
		if c := low[s]; c != ' ' && c != '\'' {
			continue
		}
		if at := s + 1; capitalAt(plain, at) {
			caps = append(caps, at)
		}
	}
	for _, w := range atWords {
		for _, at := range caps {
			k := at - len(w)
			if k < 0 || low[k:at] != w || k > 0 && low[k-1] != ' ' && low[k-1] != ',' && low[k-1] != '(' {
				continue
			}
			end := at
			for end < len(plain) && !strings.ContainsRune(" ,.;:)/", rune(plain[end])) {
				end++
			}
			if c := knownCommune(plain[at:end]); c != "" {
				return c
			}
		}
	}
	return ""
}

func TestAtCityAsBytewise(t *testing.T) {
	in := append(caseInputs(t), randomLines(29, 30000, []string{"à ", "site de ", "site d'", "ville de ", "agence de ",
		"bancaire de ", "régionale de ", "Lyon", "Évry", "Échirolles", "Paris", "Grenoble", "Saint-Étienne", " ", ", ", "(",
		"l'", "d'", "Ωmega", "İzmir", "\xff", "\xc3", "x"})...)
	for _, s := range in {
		low := lower(s)
		if got, want := atCity(s, low), plainAtCity(s, low); got != want {
			t.Fatalf("atCity(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestHoursFromStart checks that hoursRe, run from where hoursStart says
// a match may start, finds what it finds in the whole line.
func TestHoursFromStart(t *testing.T) {
	in := append(fasterInputs(t), randomLines(31, 50000, []string{"35", "3", "123", "7", ",", ".", "5", "30", " ", "-", "h",
		"H", "heures", "hours", "hrs", "par", "/", "semaine", "sem", "week", "wk", "hebdo", "la ", "a ", "x", "é", "\xff",
		"de travail", "-hour week", "_"})...)
	for _, s := range in {
		want := hoursRe.get().FindStringSubmatch(s)
		var got []string
		if at := hoursStart(s); at >= 0 {
			got = hoursRe.get().FindStringSubmatch(s[max(at-1, 0):])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("hoursRe from hoursStart(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestStipendPhraseFromStart checks that stipendPhrase, run from where
// stipendPhraseStart says a match may start, finds what it finds in the
// whole line.
func TestStipendPhraseFromStart(t *testing.T) {
	in := append(fasterInputs(t), randomLines(37, 50000, []string{"stage", "STAGE", "ſtage", "Stage", "internship", "mission",
		"MiSSion", "paid", "unpaid", "PAID", "gratification", "Gratification", " ", " ", "gratifiée", "indemnisé", "rémunéré",
		"remunere", "non rémunérée", "légale", "legale", "minimale", "en vigueur", "selon", "la", "législation",
		"réglementation", "x", "é", "\xff", "\xc5", "K", "_", "1"})...)
	for _, s := range in {
		want := stipendPhrase.get().FindString(s)
		got := ""
		if at := stipendPhraseStart(s); at >= 0 {
			got = stipendPhrase.get().FindString(s[max(at-1, 0):])
		}
		if got != want {
			t.Fatalf("stipendPhrase from stipendPhraseStart(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestFindAmountOnSums checks findAmount against amountRe on sums written
// in every way the expression reads: "k" and the currencies in any case,
// "ſ" and "K" among them, and numbers with no currency around them.
func TestFindAmountOnSums(t *testing.T) {
	in := randomLines(41, 60000, []string{"1", "600", "4,35", " ", " ", ".", ",", "€", "$", "£", "k", "K", "\u212a", "eur",
		"EUR", "euros", "Euro", "usd", "uſd", "gbp", "GBP", "chf", "ChF", "par", "/", "mois", "h", "brut", "net", "-", "à",
		"to", "mai", "x", "é", "\xff", "\xe2", "\xc2", "\xe2\x82", "'"})
	for _, s := range in {
		if got, want := findAmount(s), amountRe.get().FindString(s); got != want {
			t.Fatalf("findAmount(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestDurationFrom checks that bodyDurationRe, run from where durationFrom
// says, and bodyDurationAt, tried there and at each number after it, find
// what bodyDurationRe finds run from the first number firstOf finds.
func TestDurationFrom(t *testing.T) {
	in := append(fasterInputs(t), randomLines(43, 60000, []string{"6", "12", "123", " ", " ", " ", "mois", "MOIS", "Mois",
		"moiſ", "semaine", "ſemaines", "SEMAINES", "month", "months", "week", "weeks", "WEEK", "six", "ſix", "Six", "trois",
		"troiſ", "quatre", "twelve", "sept", "ſept", "seven", "douze", "à", "À", "a", "-", "–", "ou", "to", "or", "de",
		"stage", "pour une durée de", "depuis", "x", "é", "\xff", "\xc5", "_", "'", ",", strings.Repeat("long ", 6)})...)
	re := bodyDurationRe.get()
	for _, s := range in {
		want := findFrom(re, s, firstOf(s, durationWords, true))
		if got := findFrom(re, s, durationFrom(s)); !slices.Equal(got, want) {
			t.Fatalf("bodyDurationRe from durationFrom(%q) = %v, want %v", s, got, want)
		}
		for _, line := range []string{s, "1 z 12 z " + s, s + strings.Repeat(" z", durationMatches.window) + " 6 mois"} {
			want := findFrom(re, line, firstOf(line, durationWords, true))
			if got := findStarting(re, bodyDurationAt.get(), line, durationFrom(line), durationMatches); !slices.Equal(got, want) {
				t.Fatalf("findStarting(%q, bodyDurationAt) = %v, want %v", line, got, want)
			}
		}
	}
}

func TestHasDegreeCode(t *testing.T) {
	in := append(digitInputs(t), randomLines(47, 30000, []string{"m", "l", "1", "2", "3", "4", "m1", "l3", "M2", " ", "é",
		"\xff", "master", "0", "ml", "12345678"})...)
	for _, s := range in {
		want := strings.Contains(s, "m1") || strings.Contains(s, "m2") || strings.Contains(s, "l3")
		if got := hasDegreeCode(s); got != want {
			t.Fatalf("hasDegreeCode(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestMayHoldAsContainsAny checks mayHold against containsAny on the
// lines of the inputs and their values, in the case readDegree reads them.
func TestMayHoldAsContainsAny(t *testing.T) {
	in := append(fasterInputs(t), randomLines(53, 30000, []string{"Bac", "BAC+5", "bac +3", "master", "MASTER", "M1", "m2",
		"L3", "BTS", "bts", "DUT", "BUT", "DEUST", "MBA", "PhD", "Ph.D", "école d'ingénieurs", "École de commerce",
		"engineering school", "Business School", "licence", "bachelor", "doctorat", " ", ": ", "Formation :", "Niveau",
		"1", "é", "İ", "\xff", "x"})...)
	for _, s := range in {
		lines := factLines(s)
		for i := range lines {
			l := &lines[i]
			for _, part := range [][2]string{{l.plain, l.low}, {l.value, strings.ToLower(l.value)}} {
				if got, want := mayHold(l, part[1], degreeWords, degreeWords), containsAny(part[1], degreeWords); got != want {
					t.Fatalf("mayHold(%q, degreeWords) = %v, want %v", part[1], got, want)
				}
				if got, want := mayHold(l, part[0], degreeAcronyms, degreeAcronymsLow), containsAny(part[0], degreeAcronyms); got != want {
					t.Fatalf("mayHold(%q, degreeAcronyms) = %v, want %v", part[0], got, want)
				}
			}
		}
	}
}

// TestFindStartingAsFindFrom checks that trying degreeAt at each start
// finds what degreeRe from the first one finds, on the inputs, on random
// lines of degrees, their starts glued to words, letters that fold to
// ASCII ones and long spellings, and on the same lines made longer than
// degreeMatches.window.
func TestFindStartingAsFindFrom(t *testing.T) {
	in := append(fasterInputs(t), randomLines(67, 40000, []string{"Bac", "BAC+5", "bac +3", " + ", "+", "5", "à", " ou ", "/",
		"master", "MASTER'S DEGREE", "Master's", " II", " 1", " 2", " – ", "licence", "Licence pro", " professionnelle",
		"bachelor", "BACHELOR'S", "doctorat", "Doctorale", "école d'ingénieurs", "École de commerce", "ecole d'ingenieur",
		"ÉCOLE D'INGÉNIEURS", "engineering school", "Business School", "business", "ſ", "K", "x", "_", "9", "é", " ",
		"\xff", "\xc3", strings.Repeat("a", 150), strings.Repeat("é ", 40)})...)
	for _, s := range in {
		for _, line := range []string{s, strings.Repeat("z ", degreeMatches.window) + s, s + strings.Repeat(" z", degreeMatches.window)} {
			got := findStarting(degreeRe.get(), degreeAt.get(), line, firstOf(line, degreeStarts, false), degreeMatches)
			want := findFrom(degreeRe.get(), line, firstOf(line, degreeStarts, false))
			if !slices.Equal(got, want) {
				t.Fatalf("findStarting(%q) = %v, want %v", line, got, want)
			}
		}
	}
}

// TestSplitEmphasisAsSplit checks splitEmphasis against the expression it
// stands for.
func TestSplitEmphasisAsSplit(t *testing.T) {
	re := regexp.MustCompile(`\*{1,3}|_{2,3}`)
	in := append(fasterInputs(t), randomLines(71, 30000, []string{"*", "**", "***", "_", "__", "___", "a", " ", "é", "\xff", "-"})...)
	for _, s := range append(in, "") {
		if got, want := splitEmphasis(s), re.Split(s, -1); !slices.Equal(got, want) {
			t.Fatalf("splitEmphasis(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestMarkupFree(t *testing.T) {
	in := append(caseInputs(t), randomLines(61, 30000, []string{"*", "_", "]", "[", "(", " ", " ", "  ", "a", "é", "\xff",
		"\x00", "\x01", "\x80", "+", "^", "xxxxxxxx", "-", ")"})...)
	for _, s := range in {
		want := !strings.ContainsAny(s, "*_]") && !strings.Contains(s, "  ")
		if got := markupFree(s); got != want {
			t.Fatalf("markupFree(%q) = %v, want %v", s, got, want)
		}
	}
}

// plainPlainLine is plainLine without the shortcut for lines with no
// markup.
func plainPlainLine(s string) string {
	s = strings.TrimSpace(s)
	if onlyBytes(s, "-*_=# ") {
		return ""
	}
	s = trimLeftBytes(s, "#> ")
	for _, bullet := range bullets {
		if strings.HasPrefix(s, bullet) {
			s = s[len(bullet):]
			break
		}
	}
	if strings.Contains(s, "](") {
		s = mdLink.get().ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	if strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "")
	}
	s = strings.TrimSpace(trimBytes(s, "*_"))
	if strings.Contains(s, "  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

func TestPlainLineAsBefore(t *testing.T) {
	in := append(caseInputs(t), randomLines(67, 30000, []string{"*", "**", "_", "__", "]", "[", "](", "(", ")", " ", "  ",
		"- ", "• ", "# ", "> ", "o ", "a", "Lyon", "é", "\xff", "\t", "\u00a0", "[x](y)", "---", "="})...)
	for _, s := range in {
		if got, want := plainLine(s), plainPlainLine(s); got != want {
			t.Fatalf("plainLine(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestHeadSepFrom(t *testing.T) {
	in := append(caseInputs(t), randomLines(71, 30000, []string{",", "|", "(", ")", "\xe2", "–", "—", "a", " ", "é", "\xff",
		"\x00", "+", "{", "-", "xxxxxxxx", "\xe3", "\xc2"})...)
	for _, s := range in {
		for i := 0; i <= min(len(s), 12); i++ {
			want := i
			for want < len(s) && !strings.ContainsRune(",|()", rune(s[want])) && s[want] != 0xe2 {
				want++
			}
			if got := headSepFrom(s, i); got != want {
				t.Fatalf("headSepFrom(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// plainBasedIn is basedIn trying its stems at every byte.
func plainBasedIn(s string) string {
	for i := range len(s) {
		for _, v := range [...]struct {
			stem  string
			agree bool
		}{{"bas", true}, {"situ", true}, {"located", false}, {"based", false}} {
			e := foldAt(s, i, v.stem)
			if e < 0 {
				continue
			}
			if v.agree {
				if e = max(foldAt(s, e, "é"), foldAt(s, e, "e")); e < 0 {
					continue
				}
				for _, w := range []string{"e", "s"} {
					if f := foldAt(s, e, w); f >= 0 {
						e = f
					}
				}
			}
			if e = atAny(s, e, " à ", " au ", " en ", " in ", " at "); e < 0 {
				continue
			}
			if f := basedTown.end(s, e); f >= 0 {
				return s[e:f]
			}
		}
	}
	return ""
}

func TestBasedInAsEveryByte(t *testing.T) {
	in := append(fasterInputs(t), randomLines(73, 30000, []string{"basé", "BASÉE", "baſée", "ſitué", "Situées", "located",
		"LOCATED", "based", "Based", "bases", " à ", " au ", " en ", " in ", " at ", "Lyon", "Saint-Étienne", "Paris", " ",
		"é", "É", "\xff", "\xc5", "x", "de "})...)
	for _, s := range in {
		if got, want := basedIn(s), plainBasedIn(s); got != want {
			t.Fatalf("basedIn(%q) = %q, want %q", s, got, want)
		}
	}
}

// plainFoldUpTo is foldUpTo reading one character at a time.
func plainFoldUpTo(s string, firstOnly bool) string {
	if isFolded(s) {
		if firstOnly {
			return firstWord(s)
		}
		return s
	}
	var b strings.Builder
	depth := 0
	space := false
	for _, r := range s {
		f, g, k := r, rune(0), 1
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				f = r + 'a' - 'A'
			}
		} else {
			f, g, k = text.FoldRune(r)
		}
		for ; k > 0; k-- {
			switch {
			case f == '(':
				depth++
			case f == ')':
				depth = max(depth-1, 0)
			case depth > 0:
			case f < utf8.RuneSelf && (f >= 'a' && f <= 'z' || f >= '0' && f <= '9' || f == '\'') ||
				f >= utf8.RuneSelf && (unicode.IsLetter(f) || unicode.IsDigit(f)):
				if space && b.Len() > 0 {
					if firstOnly {
						return b.String()
					}
					b.WriteByte(' ')
				}
				space = false
				if f < utf8.RuneSelf {
					b.WriteByte(byte(f))
				} else {
					b.WriteRune(f)
				}
			default:
				space = true
			}
			f = g
		}
	}
	return b.String()
}

func TestFoldUpToAsRunes(t *testing.T) {
	in := append(caseInputs(t), randomLines(89, 30000, []string{"Lieu", "de", "stage", "(x)", "(", ")", " ", "-", "é", "É",
		"ß", "ﬁ", "Œuvre", "İ", "\xff", "'", "’", "0", "12", "Durée", "ǅ", "K", "ab'c", "((a)"})...)
	for _, s := range in {
		for _, first := range []bool{false, true} {
			if got, want := foldUpTo(s, first), plainFoldUpTo(s, first); got != want {
				t.Fatalf("foldUpTo(%q, %v) = %q, want %q", s, first, got, want)
			}
		}
	}
}
