package dates

import "github.com/echeance/echeance/offer/internal/text"

// timeLinks join a date to the time of day that follows it; the bool says
// the range is open from that time ("le 20 à partir de 10h").
var timeLinks = []struct {
	words []string
	open  bool
}{
	{[]string{"a", "partir", "de"}, true},
	{[]string{"a", "partir", "d", "'"}, true},
	{[]string{"a", "environ"}, false},
	{[]string{"aux", "alentours", "de"}, false},
	{[]string{"autour", "de"}, false},
	{[]string{"plutot", "vers"}, false},
	{[]string{"plutot", "a"}, false},
	{[]string{"jusqu", "'", "a"}, false},
	{[]string{"vers"}, false},
	{[]string{"a"}, false},
	{[]string{"environ"}, false},
	{[]string{"avant"}, false},
	{[]string{"at"}, false},
	{[]string{"around"}, false},
	{[]string{"by"}, false},
	{[]string{"before"}, false},
	{[]string{"-"}, false},
	{nil, false},
}

// timeAfter attaches to e the time of day written after its date at j and
// returns where the expression ends.
func (p *parser) timeAfter(e *expr, j int) int {
	k := j
	if p.punct(k, ",") {
		k++
	}
	// "31 octobre (17h)", "12 January 2026 (12:00 noon CET)".
	bracket := p.punct(k, "(")
	if bracket {
		k++
	}
	// "jusqu'au 15 décembre 2025 inclus à 12h00": the day is included
	// and the time closes it. Not before midnight, which "inclus" then
	// reads as the end of the day.
	inclusive := !bracket && p.isw(k, "inclus", "incluse", "compris", "included")
	if inclusive {
		k++
		if p.punct(k, ",") {
			k++
		}
	}
	linked := p.may(k, tTimeLink)
	for _, l := range timeLinks {
		if len(l.words) > 0 && !linked {
			continue
		}
		k2, ok := p.seq(k, l.words...)
		if !ok {
			continue
		}
		hh, mm, g, k3, ok := p.clock(k2)
		if !ok || inclusive && hh == 0 && mm == 0 {
			continue
		}
		z, k3, _ := p.zone(k3)
		if bracket {
			if !p.punct(k3, ")") {
				continue
			}
			k3++
		}
		e.a.clock, e.a.hh, e.a.mm, e.a.cg, e.a.zone = true, uint8(hh), uint8(mm), uint8(g), z
		e.open = e.open || l.open
		return k3
	}
	return j
}

// clockAt reports whether a time of day starts at token j.
func (p *parser) clockAt(j int) bool {
	_, _, _, _, ok := p.clock(j)
	return ok
}

// timeFirst reads a time of day followed by its date: "13h30 samedi 21
// septembre", "à trois heures et quart demain après-midi".
func (p *parser) timeFirst(i int) (expr, bool) {
	j := p.skip(i, "a", "vers", "at")
	hh, mm, g, k, ok := p.clock(j)
	if !ok {
		return expr{}, false
	}
	z, k, _ := p.zone(k)
	if p.punct(k, ",") {
		k++
	}
	k = p.skip(k, "le", "on", "the")
	pt, k2, ok := p.point(k)
	if !ok || !pt.hasDay() || pt.clock {
		return expr{}, false
	}
	if pm, k3, ok := p.period(k2); ok {
		hh, k2 = adjustHour(hh, pm), k3
	}
	pt.clock, pt.hh, pt.mm, pt.cg, pt.zone, pt.clockFirst = true, uint8(hh), uint8(mm), uint8(g), z, true
	return expr{i: i, j: k2, a: pt}, true
}

// periods of the day that move an hour to the afternoon (true) or keep it
// in the morning (false).
var periods = []struct {
	words []string
	pm    bool
}{
	{[]string{"du", "matin"}, false}, {[]string{"du", "mat"}, false}, {[]string{"le", "matin"}, false},
	{[]string{"au", "matin"}, false}, {[]string{"matin"}, false}, {[]string{"am"}, false},
	{[]string{"a", ".", "m", "."}, false},
	{[]string{"du", "soir"}, true}, {[]string{"le", "soir"}, true}, {[]string{"au", "soir"}, true},
	{[]string{"soir"}, true}, {[]string{"dans", "la", "soiree"}, true}, {[]string{"en", "soiree"}, true},
	{[]string{"de", "l", "'", "apres", "-", "midi"}, true}, {[]string{"de", "l", "'", "apres", "midi"}, true},
	{[]string{"dans", "l", "'", "apres", "-", "midi"}, true}, {[]string{"apres", "-", "midi"}, true},
	{[]string{"apres", "midi"}, true}, {[]string{"pm"}, true}, {[]string{"p", ".", "m", "."}, true},
}

// period reads a part of the day after a time.
func (p *parser) period(i int) (pm bool, j int, ok bool) {
	if !p.may(i, tPeriod) {
		return false, i, false
	}
	best := -1
	for _, pd := range periods {
		if k, ok := p.seq(i, pd.words...); ok && k > best {
			best, pm = k, pd.pm
		}
	}
	if best < 0 {
		return false, i, false
	}
	return pm, best, true
}

func adjustHour(hh int, pm bool) int {
	switch {
	case pm && hh >= 1 && hh < 12:
		return hh + 12
	case !pm && hh == 12:
		return 0
	}
	return hh
}

// clock reads a time of day: "12h", "12h30", "19 h 21 min", "15:30",
// "midi", "minuit trois", "seize heures", "trois heures et quart", "5 pm",
// "6h du soir". A number alone is never a time.
func (p *parser) clock(i int) (hh, mm int, g Grain, j int, ok bool) {
	g = GrainHour
	words := false // the minutes may be words too
	switch w := p.w(i); {
	case w == "midi" || w == "noon":
		hh, j, words = 12, i+1, true
	case w == "minuit" || w == "midnight":
		hh, j, words = 0, i+1, true
	default:
		v, digits, isNum := p.num(i)
		if isNum {
			if digits > 2 {
				return 0, 0, g, i, false
			}
			j = i + 1
		} else if v, j, isNum = p.numberWord(i); !isNum {
			return 0, 0, g, i, false
		}
		if v > 23 {
			return 0, 0, g, i, false
		}
		hh = v
		switch {
		case p.isw(j, "h", "heure", "heures", "hr", "hrs"):
			j++
			words = true
			if m, dm, ok := p.num(j); ok && m < 60 && (dm == 2 || p.isw(j+1, "min", "mn", "minutes")) && isNum {
				mm, g, j, words = m, GrainMinute, j+1, false
				if p.isw(j, "min", "mn", "minutes") {
					j++
				}
			}
		case p.kind(i) == text.Number && p.punct(j, ":") && p.adj(j) && p.adj(j+1):
			m, dm, ok := p.num(j + 1)
			if !ok || dm != 2 || m > 59 {
				return 0, 0, g, i, false
			}
			mm, g, j = m, GrainMinute, j+2
			// "23:59:00": the seconds, as portals print them, are read
			// and dropped.
			if p.punct(j, ":") && p.adj(j) && p.adj(j+1) {
				if s, ds, ok := p.num(j + 1); ok && ds == 2 && s < 60 {
					j += 2
				}
			}
		case p.kind(i) == text.Number && p.isw(j, "am", "pm"):
		case p.kind(i) == text.Number && hh == 12 && p.isw(j, "noon", "midday", "midi"):
			// "at 12 noon": the word is read below.
		default:
			return 0, 0, g, i, false
		}
	}
	if words {
		switch k, ok := p.seq(j, "et", "quart"); {
		case ok:
			mm, g, j = 15, GrainMinute, k
		default:
			if k, ok := p.longest(j, [][]string{{"et", "demie"}, {"et", "demi"}}); ok {
				mm, g, j = 30, GrainMinute, k
			} else if k, ok := p.longest(j, [][]string{{"moins", "le", "quart"}, {"moins", "quart"}}); ok {
				hh, mm, g, j = (hh+23)%24, 45, GrainMinute, k
			} else if v, k, ok := p.numberWord(j); ok && v < 60 && !p.isw(k, "heure", "heures", "h") {
				mm, g, j = v, GrainMinute, k
			}
		}
	}
	if pm, k, ok := p.period(j); ok {
		hh, j = adjustHour(hh, pm), k
	}
	if hh == 12 && mm == 0 && p.isw(j, "noon", "midday", "midi") {
		j++ // "12:00 noon"
	}
	return hh, mm, g, j, true
}
