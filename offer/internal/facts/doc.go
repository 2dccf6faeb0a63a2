// Package facts owns the plain fields of an offer: its title and
// organisation, the places where the work happens, the duration, the
// weekly hours and the pay, the contacts, the degree asked for and the
// language, read from the normalised text (Extract).
//
// Every reader prefers a labelled line ("Lieu : ...", "Salary: ...") and
// falls back on phrases in the body only when they are unambiguous: a field
// the text does not state is left empty rather than guessed. Dates and the
// deadline are not read here (packages dates and deadline).
//
// Files import one way: scan.go (tests of bytes and words) ← facts.go
// (lines, labels, folding) ← names.go (names of organisations and cities)
// ← organisation.go ← header.go (header lines that carry an organisation
// and a title) ← title.go; place.go, pay.go, contact.go, degree.go and
// language.go need only those below them (title.go reads pay.go's
// durations); extract.go runs every reader.
package facts
