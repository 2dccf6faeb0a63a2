// Package dates owns the date grammar of offers: it finds every date
// expression in a text, French or English ("jusqu'au 9 décembre", "du 13
// au 15/06/2025", "mi-mars", "Friday, December 5, 2025 by 5:00 p.m. EST"),
// with its span, and resolves it against a reference time (FindDates).
//
// It reads the tokens of package text, one line at a time (two when a date
// is broken over a line end), with a hand-written recursive descent whose
// rules each look ahead a bounded number of tokens. It knows nothing of
// deadlines or of what a date is for: package deadline gives dates their
// roles.
//
// Files: date.go (Date, FindDates, the year anchor), parser.go (the
// parser and its points), points.go (single dates), ranges.go (ranges,
// parts of months), clock.go (times of day), zone.go (time zones),
// resolve.go (from what was written to an instant), words.go (the word
// tables).
package dates
