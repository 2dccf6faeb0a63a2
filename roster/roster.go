// Package roster reads the CSV files of students that career services
// import, from the command line (`subscriber import`) and from the
// console: UTF-8 with or without a byte order mark, or what French Excel
// writes (Windows-1252, semicolons). The header names the columns, in any
// order, in English or French (email or courriel, name or nom, lang or
// langue, offsets or rappels, offers or offres, search or recherche); only
// email is required.
//
// Read checks every row and reports each bad one by its line, keeping the
// good ones; it stores nothing. It owns no database access: the caller
// imports the rows through package store.
package roster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
)

// MaxSize bounds a roster file: 20 MiB is some 200,000 students.
const MaxSize = 20 << 20

// Row is a good row: the student to add, and the line it was read from.
type Row struct {
	Line int
	Sub  store.Subscriber
}

// columns maps the header names read, English and French, to columns.
var columns = map[string]string{
	"email": "email", "e-mail": "email", "courriel": "email", "mail": "email",
	"name": "name", "nom": "name",
	"lang": "lang", "langue": "lang", "language": "lang",
	"offsets": "offsets", "rappels": "offsets",
	"offers": "offers", "offres": "offers",
	"search": "search", "recherche": "search",
}

// Read reads a roster named name (for messages) from r. Bad rows come back
// as errors "name:LINE: why", good rows are kept; an unreadable file or
// header is the error.
func Read(r io.Reader, name string) ([]Row, []error, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("roster: %s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("roster: %s: larger than %d MiB", name, MaxSize>>20)
	}
	text, err := offer.Decode(data)
	if err != nil {
		return nil, nil, fmt.Errorf("roster: %s: %w", name, err)
	}
	text = strings.TrimPrefix(text, "\ufeff")
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = separator(text)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("roster: %s: empty file", name)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("roster: %s: header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		c, ok := columns[h]
		if !ok {
			return nil, nil, fmt.Errorf("roster: %s:1: unknown column %q (want email, name, lang, offsets, offers, search)", name, h)
		}
		if _, dup := col[c]; dup {
			return nil, nil, fmt.Errorf("roster: %s:1: column %q twice", name, h)
		}
		col[c] = i
	}
	if _, ok := col["email"]; !ok {
		return nil, nil, fmt.Errorf("roster: %s:1: no email column", name)
	}
	var rows []Row
	var bad []error
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			bad = append(bad, fmt.Errorf("%s: %w", name, err))
			continue
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line Excel left
		}
		sub, err := row(get, seen, line)
		if err != nil {
			bad = append(bad, fmt.Errorf("%s:%d: %w", name, line, err))
			continue
		}
		seen[sub.Email] = line
		rows = append(rows, Row{Line: line, Sub: sub})
	}
	return rows, bad, nil
}

// separator is the header line's separator: a semicolon when it has more
// semicolons than commas (French Excel), else a comma.
func separator(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		return ';'
	}
	return ','
}

func row(get func(string) string, seen map[string]int, line int) (store.Subscriber, error) {
	email, err := store.NormalizeEmail(get("email"))
	if err != nil {
		return store.Subscriber{}, err
	}
	if first, dup := seen[email]; dup {
		return store.Subscriber{}, fmt.Errorf("%s already on line %d", email, first)
	}
	sub := store.Subscriber{Email: email, Name: get("name"), Lang: strings.ToLower(get("lang"))}
	if sub.Lang == "" {
		sub.Lang = "fr"
	}
	if sub.Lang != "fr" && sub.Lang != "en" {
		return store.Subscriber{}, fmt.Errorf("lang: want fr or en, not %q", sub.Lang)
	}
	if err := store.CheckName(sub.Name); err != nil {
		return store.Subscriber{}, fmt.Errorf("name: %w", err)
	}
	if o := get("offsets"); o != "" {
		if sub.Offsets, err = ParseOffsets(o); err != nil {
			return store.Subscriber{}, fmt.Errorf("offsets: %w", err)
		}
	}
	for _, f := range strings.Fields(strings.ReplaceAll(get("offers"), ",", " ")) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id < 1 {
			return store.Subscriber{}, fmt.Errorf("offers: invalid offer ID %q", f)
		}
		sub.Offers = append(sub.Offers, id)
	}
	if q := get("search"); q != "" {
		if _, err := search.Parse(q); err != nil {
			return store.Subscriber{}, err
		}
		sub.Searches = []string{q}
	}
	sub.FollowAll = len(sub.Offers) == 0 && len(sub.Searches) == 0
	return sub, nil
}

// ParseOffsets reads reminder offsets: "7d,2d,0d" (spaces or commas
// between them; the d may be left out), each from 0 to 365 days, none
// twice, at most 10.
func ParseOffsets(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if !strings.HasSuffix(p, "d") {
			p += "d"
		}
		d, err := config.ParseDays(p)
		if err != nil {
			return nil, err
		}
		if seen[int(d)] {
			return nil, fmt.Errorf("offset %s listed twice", d)
		}
		seen[int(d)] = true
		out = append(out, int(d))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no offset in %q", s)
	}
	if len(out) > 10 {
		return nil, fmt.Errorf("%d offsets: at most 10", len(out))
	}
	return out, nil
}
