// Package deadline owns what the dates of an offer are for: it gives each
// date found by package dates a role (deadline, start, end, period,
// interview, event, posting or other) from the words of its sentence,
// decides the application deadline, stated or estimated, with its
// semantics ("avant le 31 octobre" closes on 31 October at 00:00), and
// reads the internship's start and end (Assign).
//
// The rules are data, read by one engine:
//   - cues.go: the table of cues, the phrases that give the date after
//     them a role, each named, with its kind (how it gives the role) and
//     an example; and the cues read after a date ("au plus tard");
//   - vetoes.go: the table of vetoes, the reasons a date a cue made a
//     deadline is not this offer's deadline (a past edition, a minimum, a
//     document's validity, a superseded date, another thing's deadline),
//     each named, with its words and an example;
//   - rank.go: the ranking, named criteria compared in order (future,
//     stated, applying, firm, earliest) when several deadlines remain;
//   - words.go: the words that make a sentence about applying, or about
//     the work itself;
//   - sentence.go, below them all: the sentence around a date and the
//     phrases in a stretch of tokens;
//   - confidence.go, above them all: how sure the reading is
//     (Deadline.Confidence, high or review) and the doubts that say why
//     ("doubt:competing", "doubt:correction", ...).
//
// The engine: deadline.go reads each date as a candidate (candidate.go: the
// date, its sentence, the cue that gave it its role) from the text's
// tokens, read once; takes back the deadlines a veto rules out; ranks what
// is left; and resolves the winner (resolve.go), or estimates a deadline
// from the interviews or the start. Every decision carries the names of the
// rules that made it (Deadline.Reasons).
//
// Adding a rule is one entry in its table, with its example (the table
// tests read every example), and one line in TestDeadlinePhrases.
//
// It reads the normalised text and tokens of package text and the dates
// of package dates; it knows nothing of the other fields of an offer.
package deadline
