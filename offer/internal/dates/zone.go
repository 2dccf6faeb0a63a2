package dates

import (
	"sync"
	"time"
)

// This file reads the time zone that may follow a time of day ("5pm GMT",
// "23:59 CET", "12h (heure de Paris)", "11:59 PM ET"), so that a deadline
// stated in another zone closes at the right instant.

// zone numbers the zones the grammar knows; 0 is none written.
type zone uint8

const (
	zoneNone zone = iota
	zoneUTC
	zoneBST
	zoneParis
	zoneLondon
	zoneNewYork
	zoneChicago
	zoneDenver
	zoneLosAngeles
	zoneLisbon
	zoneHelsinki
)

// zoneNames are the IANA names of the zones that follow daylight saving
// time. "CET" and "EST" are read as their regions' civil time, as people
// mean them ("23:59 CET" in April is 23:59 in Paris), while GMT, UTC and BST
// are fixed offsets.
var zoneNames = map[zone]string{
	zoneParis:      "Europe/Paris",
	zoneLondon:     "Europe/London",
	zoneNewYork:    "America/New_York",
	zoneChicago:    "America/Chicago",
	zoneDenver:     "America/Denver",
	zoneLosAngeles: "America/Los_Angeles",
	zoneLisbon:     "Europe/Lisbon",
	zoneHelsinki:   "Europe/Helsinki",
}

// zoneWords are the written zones, folded. Those in capsZones are also
// common words ("et", "est") and count only when written in capitals.
var zoneWords = []struct {
	words []string
	z     zone
}{
	{[]string{"utc"}, zoneUTC}, {[]string{"gmt"}, zoneUTC}, {[]string{"bst"}, zoneBST},
	{[]string{"cet"}, zoneParis}, {[]string{"cest"}, zoneParis},
	{[]string{"heure", "de", "paris"}, zoneParis}, {[]string{"heure", "francaise"}, zoneParis},
	{[]string{"heure", "de", "france"}, zoneParis}, {[]string{"heure", "locale"}, zoneNone},
	{[]string{"paris", "time"}, zoneParis}, {[]string{"french", "time"}, zoneParis},
	{[]string{"cet", "/", "cest"}, zoneParis},
	{[]string{"uk", "time"}, zoneLondon}, {[]string{"london", "time"}, zoneLondon},
	{[]string{"et"}, zoneNewYork}, {[]string{"est"}, zoneNewYork}, {[]string{"edt"}, zoneNewYork},
	{[]string{"eastern", "time"}, zoneNewYork},
	{[]string{"ct"}, zoneChicago}, {[]string{"cst"}, zoneChicago}, {[]string{"cdt"}, zoneChicago},
	{[]string{"central", "time"}, zoneChicago},
	{[]string{"mt"}, zoneDenver}, {[]string{"mst"}, zoneDenver}, {[]string{"mdt"}, zoneDenver},
	{[]string{"pt"}, zoneLosAngeles}, {[]string{"pst"}, zoneLosAngeles}, {[]string{"pdt"}, zoneLosAngeles},
	{[]string{"pacific", "time"}, zoneLosAngeles},
	// Cities, as European agencies and international organisations write
	// their deadlines: "13:00 (Lisbon time)", "12:00 Brussels time". Each
	// maps to a zone with the same rules.
	{[]string{"lisbon", "time"}, zoneLisbon}, {[]string{"heure", "de", "lisbonne"}, zoneLisbon},
	{[]string{"wet"}, zoneLisbon}, {[]string{"west"}, zoneLisbon},
	{[]string{"dublin", "time"}, zoneLondon}, {[]string{"irish", "time"}, zoneLondon},
	{[]string{"brussels", "time"}, zoneParis}, {[]string{"heure", "de", "bruxelles"}, zoneParis},
	{[]string{"luxembourg", "time"}, zoneParis}, {[]string{"heure", "de", "luxembourg"}, zoneParis},
	{[]string{"geneva", "time"}, zoneParis}, {[]string{"heure", "de", "geneve"}, zoneParis},
	{[]string{"amsterdam", "time"}, zoneParis}, {[]string{"berlin", "time"}, zoneParis},
	{[]string{"madrid", "time"}, zoneParis}, {[]string{"rome", "time"}, zoneParis},
	{[]string{"vienna", "time"}, zoneParis}, {[]string{"central", "european", "time"}, zoneParis},
	{[]string{"eet"}, zoneHelsinki}, {[]string{"eest"}, zoneHelsinki},
	{[]string{"helsinki", "time"}, zoneHelsinki}, {[]string{"athens", "time"}, zoneHelsinki},
	{[]string{"new", "york", "time"}, zoneNewYork}, {[]string{"washington", "time"}, zoneNewYork},
	{[]string{"toronto", "time"}, zoneNewYork}, {[]string{"montreal", "time"}, zoneNewYork},
	{[]string{"ottawa", "time"}, zoneNewYork}, {[]string{"heure", "de", "montreal"}, zoneNewYork},
	{[]string{"vancouver", "time"}, zoneLosAngeles}, {[]string{"california", "time"}, zoneLosAngeles},
}

var capsZones = map[string]bool{"et": true, "est": true, "ct": true, "mt": true, "pt": true, "wet": true, "west": true}

// zone reads a time zone at i, bare or in brackets, and returns where it
// ends; ok is false when none is written.
func (p *parser) zone(i int) (z zone, j int, ok bool) {
	k := i
	bracket := p.punct(k, "(")
	if bracket {
		k++
	}
	if p.c(k).flags&cZone == 0 {
		return zoneNone, i, false
	}
	best := -1
	for _, zw := range zoneWords {
		e, ok := p.seq(k, zw.words...)
		if !ok || e <= best {
			continue
		}
		if len(zw.words) == 1 && capsZones[zw.words[0]] && !p.caps(k) {
			continue
		}
		best, z = e, zw.z
	}
	if best < 0 {
		return zoneNone, i, false
	}
	if bracket {
		if !p.punct(best, ")") {
			return zoneNone, i, false
		}
		best++
	}
	return z, best, true
}

// zoneLocations loads the zones once; a zone whose rules are missing from
// the system is left out, and its times read in the reference location.
var zoneLocations = sync.OnceValue(func() map[zone]*time.Location {
	locs := map[zone]*time.Location{
		zoneUTC: time.UTC,
		zoneBST: time.FixedZone("BST", 3600),
	}
	for z, name := range zoneNames {
		if loc, err := time.LoadLocation(name); err == nil {
			locs[z] = loc
		}
	}
	return locs
})

// location returns the zone's location, or nil for none or an unknown one.
func (z zone) location() *time.Location {
	if z == zoneNone {
		return nil
	}
	return zoneLocations()[z]
}
