package notify

import (
	"strings"
	"unicode"
)

// Limits that keep every header line under RFC 5322's 998 octets whatever
// a name or a title holds: longer text is cut at a word with "…".
const (
	maxNameRunes    = 64
	maxSubjectRunes = 160
)

// Visible removes the characters that change how text is shown without
// being seen: Unicode format characters (category Cf: bidi embeddings and
// overrides such as U+202E, isolates, zero-width marks, soft hyphens),
// which could make a title, a name or an address read differently from
// what it is. Everything echeance shows a student goes through it.
func Visible(s string) string {
	if !strings.ContainsFunc(s, isFormat) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isFormat(r) {
			return -1
		}
		return r
	}, s)
}

func isFormat(r rune) bool { return r >= 0x80 && unicode.Is(unicode.Cf, r) }

// shorten cuts s to at most n runes, at a space when one is near, marking
// the cut with "…".
func shorten(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := n - 1
	for i := cut; i > n*3/4; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ") + "…"
}

// visibleReminder applies Visible to every text of r that a student reads.
func visibleReminder(r Reminder) Reminder {
	r.Name = Visible(r.Name)
	items := make([]Item, len(r.Items))
	for i, it := range r.Items {
		items[i] = visibleItem(it)
	}
	r.Items = items
	return r
}

func visibleItem(it Item) Item {
	it.Title, it.Organisation, it.Phrase, it.City = Visible(it.Title), Visible(it.Organisation), Visible(it.Phrase), Visible(it.City)
	contacts := make([]string, len(it.Contacts))
	for i, c := range it.Contacts {
		contacts[i] = Visible(c)
	}
	it.Contacts = contacts
	return it
}
