package dates

// vague reads a part of a month or of a year: "début janvier", "mi-mars",
// "fin du mois de mars", "la première quinzaine d'avril", "Fin 2024".
// Like Duckling, début is the 1st–5th, mi the 10th–19th and fin the
// 21st–last; of a year, début is January–March, mi June–July and fin
// October–December.
func (p *parser) vague(i int) (expr, bool) {
	j := p.skip(i, "la", "le", "l", "the")
	if p.punct(j, "'") {
		j++
	}
	var lo, hi, mlo, mhi int // hi 0: the month's last day
	switch {
	case p.isw(j, "debut", "early", "beginning"):
		lo, hi, mlo, mhi = 1, 5, 1, 3
	case p.isw(j, "mi", "mid", "milieu", "middle"):
		lo, hi, mlo, mhi = 10, 19, 6, 7
	case p.isw(j, "fin", "late", "end"):
		lo, hi, mlo, mhi = 21, 0, 10, 12
	case p.isw(j, "premiere", "first") && p.isw(j+1, "quinzaine"):
		lo, hi = 1, 14
		j++
	case p.s(j) == "1" && p.isw(j+1, "ere", "re") && p.isw(j+2, "quinzaine"):
		lo, hi = 1, 14
		j += 2
	case (p.isw(j, "deuxieme", "seconde", "2eme", "2nde", "derniere", "second", "last") ||
		(p.s(j) == "2" && p.isw(j+1, "e", "eme", "nde"))) && p.isw(j+1, "quinzaine", "e", "eme", "nde"):
		lo, hi = 15, 0
		if !p.isw(j+1, "quinzaine") {
			j++
		}
		j++
	default:
		return expr{}, false
	}
	j++
	if p.punct(j, "-") && p.adj(j) {
		j++
	}
	if p.may(j, tOfLink) {
		if k, ok := p.longest(j, ofLinks); ok {
			j = k
		}
	}
	if v, digits, ok := p.num(j); ok && digits == 4 && v >= 1800 && v < 2200 && mlo != 0 {
		return expr{i: i, j: j + 1, rng: true, a: point{y: int16(v), m: uint8(mlo)}, b: point{y: int16(v), m: uint8(mhi)}}, true
	}
	m, k, _, ok := p.month(j)
	if !ok {
		return expr{}, false
	}
	e := expr{i: i, j: k, rng: true, a: point{m: uint8(m), d: uint8(lo)}, b: point{m: uint8(m), d: uint8(hi), last: hi == 0}}
	if v, digits, ok := p.num(k); ok && digits == 4 && v >= 1800 && v < 2200 {
		e.a.y, e.b.y, e.j = int16(v), int16(v), k+1
	}
	return e, true
}

// ofLinks join a part of a month to the month: "fin du mois de mars".
var ofLinks = [][]string{{"du", "mois", "de"}, {"du", "mois", "d", "'"}, {"de"}, {"d", "'"}, {"of"}, {"of", "the", "month", "of"}}

// rangeLinks join the two ends of a range; after "entre", only "et".
var rangeLinks = [][]string{
	{"au"}, {"a"}, {"-"}, {"jusqu", "'", "au"}, {"jusqu", "'", "a"}, {"jusqu", "'", "en"},
	{"to"}, {"until"}, {"till"}, {"through"}, {"thru"},
}

var betweenLinks = [][]string{{"et"}, {"and"}}

// ranged reads a closed range: "du 13 au 15 juillet", "13-15 juillet",
// "entre le 30 août et 7 septembre", "Février à juillet 2026", "du 13 au
// 15/06/2025", "du 13 au 18".
func (p *parser) ranged(i int) (expr, bool) {
	j := i
	prefix := ""
	switch {
	case p.isw(j, "du", "from"):
		prefix = "du"
		j++
	case p.isw(j, "entre", "between"):
		prefix = "entre"
		j = p.skip(j+1, "le", "the")
	case p.isw(j, "de"):
		prefix = "de"
		j++
	case p.isw(j, "d") && p.punct(j+1, "'"):
		prefix = "de"
		j += 2
	}
	type end struct {
		pt point
		k  int
	}
	var buf [6]end // the candidate ends, without allocating
	as := buf[:0:3]
	if pt, k, ok := p.point(j); ok {
		as = append(as, end{pt, k})
	}
	if pt, k, ok := p.monthPoint(j, false); ok {
		as = append(as, end{pt, k})
	}
	if pt, k, ok := p.dayOnly(j, prefix != ""); ok {
		as = append(as, end{pt, k})
	}
	links := rangeLinks
	if prefix == "entre" {
		links = betweenLinks
	}
	var best expr
	found := false
	for _, a := range as {
		if !p.may(a.k, tRangeLink) {
			continue
		}
		k, ok := p.longest(a.k, links)
		if !ok {
			continue
		}
		k = p.skip(k, "le", "the")
		bs := buf[3:3]
		if pt, k2, ok := p.point(k); ok {
			bs = append(bs, end{pt, k2})
		}
		if pt, k2, ok := p.monthPoint(k, false); ok {
			bs = append(bs, end{pt, k2})
		}
		if pt, k2, ok := p.dayOnly(k, true); ok && p.boundary(k2) {
			bs = append(bs, end{pt, k2})
		}
		for _, b := range bs {
			if !rangeOK(prefix, a.pt, b.pt) {
				continue
			}
			if !found || b.k > best.j {
				best, found = expr{i: i, j: b.k, a: a.pt, b: b.pt, rng: true}, true
			}
		}
	}
	if found && best.b.hasDay() && !best.b.clock {
		// "from 5 January to 30 January 2026 at 12:00": the time closes
		// the range.
		e := expr{a: best.b}
		if k := p.timeAfter(&e, best.j); k > best.j && !e.open {
			best.b, best.j = e.a, k
		}
	}
	return best, found
}

// rangeOK reports whether a and b make a range after prefix.
func rangeOK(prefix string, a, b point) bool {
	if a.rel || b.rel || a.yearOnly || b.yearOnly || a.clock || b.clock || a.shift != 0 || b.shift != 0 {
		return false
	}
	switch {
	case a.monthOnly() && b.monthOnly():
		return a.m != b.m || a.y != b.y
	case a.monthOnly() || b.monthOnly():
		return false
	case prefix == "de":
		return false
	case b.dayOnly():
		return a.dayOnly() && prefix != ""
	}
	return true
}

// openers start an open range: "à partir du 8 mars", "après le 1er
// novembre", "après 16h le 1er novembre".
var openers = [][]string{
	{"a", "partir", "du"}, {"a", "partir", "de"}, {"a", "partir", "d", "'"},
	{"apres", "le"}, {"apres", "l", "'"}, {"apres"},
	{"plus", "tard", "que"}, {"plus", "tard", "qu", "'"},
	{"starting", "from"}, {"starting", "on"}, {"starting"}, {"from"}, {"after", "the"}, {"after"},
}

// opened reads an open range.
func (p *parser) opened(i int) (expr, bool) {
	var best expr
	found := false
	if !p.may(i, tOpener) {
		return best, false
	}
	for _, op := range openers {
		k, ok := p.seq(i, op...)
		if !ok {
			continue
		}
		var cands []expr
		if e, ok := p.single(k); ok && !e.a.monthOnly() && !e.a.yearOnly {
			cands = append(cands, e)
		}
		if pt, k2, ok := p.dayOnly(k, false); ok && p.boundary(k2) {
			e := expr{i: k, j: k2, a: pt}
			e.j = p.timeAfter(&e, k2)
			cands = append(cands, e)
		}
		if e, ok := p.timeFirst(k); ok {
			cands = append(cands, e)
		}
		for _, e := range cands {
			if !found || e.j > best.j {
				e.i, e.open = i, true
				best, found = e, true
			}
		}
	}
	return best, found
}
