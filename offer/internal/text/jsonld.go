package text

import (
	"encoding/json"
	"strings"
)

// JobPosting is what an offer's schema.org JobPosting block says, as
// written: dates in ISO 8601 ("2025-11-20", "2026-01-31T23:59:00+01:00"),
// "" for what it does not say.
type JobPosting struct {
	Title        string
	Organisation string
	// Locality and PostalCode are those of the first jobLocation.
	Locality, PostalCode string
	DatePosted           string
	// ValidThrough is when the posting expires: at most a weak sign of
	// the deadline to apply.
	ValidThrough string
}

// maxLD bounds the JSON-LD read from one block.
const maxLD = 256 << 10

// findJobPosting returns the first JobPosting of a JSON-LD block (at its
// top, in a list or in an @graph), nil when there is none or the block is
// not JSON.
func findJobPosting(block string) *JobPosting {
	block = strings.TrimSpace(block)
	if block == "" || len(block) > maxLD {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(block), &v); err != nil {
		return nil
	}
	m := findTyped(v, "JobPosting", 0)
	if m == nil {
		return nil
	}
	jp := &JobPosting{
		Title:        str(m["title"]),
		DatePosted:   str(m["datePosted"]),
		ValidThrough: str(m["validThrough"]),
	}
	if jp.Title == "" {
		jp.Title = str(m["name"])
	}
	switch org := m["hiringOrganization"].(type) {
	case map[string]any:
		jp.Organisation = str(org["name"])
	case string:
		jp.Organisation = org
	}
	loc := m["jobLocation"]
	if l, ok := loc.([]any); ok && len(l) > 0 {
		loc = l[0]
	}
	if lm, ok := loc.(map[string]any); ok {
		addr := lm["address"]
		if a, ok := addr.(map[string]any); ok {
			jp.Locality, jp.PostalCode = str(a["addressLocality"]), str(a["postalCode"])
		} else if s, ok := addr.(string); ok {
			jp.Locality = s
		}
	}
	return jp
}

// findTyped returns the first object of v whose @type is typ, depth first,
// nil when there is none.
func findTyped(v any, typ string, depth int) map[string]any {
	if depth > 8 {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		switch t := x["@type"].(type) {
		case string:
			if t == typ {
				return x
			}
		case []any:
			for _, e := range t {
				if e == typ {
					return x
				}
			}
		}
		if g, ok := x["@graph"]; ok {
			return findTyped(g, typ, depth+1)
		}
	case []any:
		for _, e := range x {
			if m := findTyped(e, typ, depth+1); m != nil {
				return m
			}
		}
	}
	return nil
}

// str returns v as a trimmed string: a string, or a number as JSON writes
// it; "" otherwise.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return strings.Join(strings.Fields(x), " ")
	case json.Number:
		return x.String()
	}
	return ""
}
