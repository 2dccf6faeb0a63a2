// ical-check.mjs reads iCalendar files with Mozilla's ical.js (the parser
// Thunderbird uses) and checks what echeance promises of its calendars:
// CRLF lines of at most 75 octets, and for each VEVENT a UID, an all-day
// DTSTART (a DATE) with DTEND the next day, a SEQUENCE, a DTSTAMP in UTC and
// at most one well-formed VALARM (none once every moment to remind has
// passed; the Go tests check which); every TZID used names a VTIMEZONE of
// the same file.
//
// Usage: node ical-check.mjs FILE.ics...
// Prints a JSON summary on stdout; exits 1 with the problems on stderr.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const problems = [];
const summary = [];

for (const file of process.argv.slice(2)) {
  const bad = (msg) => problems.push(`${file}: ${msg}`);
  const raw = readFileSync(file);
  const text = raw.toString("utf8");
  if (text.length === 0) {
    bad("empty file");
    continue;
  }
  const lines = text.split("\r\n");
  if (lines.pop() !== "") bad("does not end with CRLF");
  lines.forEach((l, i) => {
    if (l.includes("\n") || l.includes("\r")) bad(`line ${i + 1}: bare CR or LF`);
    if (Buffer.byteLength(l, "utf8") > 75) bad(`line ${i + 1}: longer than 75 octets`);
  });

  let cal;
  try {
    cal = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    bad(`ical.js cannot parse it: ${e.message}`);
    continue;
  }
  if (cal.name !== "vcalendar") bad(`top component is ${cal.name}`);
  if (cal.getFirstPropertyValue("version") !== "2.0") bad("VERSION is not 2.0");
  if (!cal.getFirstPropertyValue("prodid")) bad("no PRODID");

  const zones = {};
  for (const vtz of cal.getAllSubcomponents("vtimezone")) {
    const tz = new ICAL.Timezone(vtz);
    zones[tz.tzid] = tz;
  }

  const events = [];
  for (const ve of cal.getAllSubcomponents("vevent")) {
    const ev = {};
    ev.uid = ve.getFirstPropertyValue("uid");
    if (!ev.uid) bad("VEVENT without UID");
    const where = `VEVENT ${ev.uid}`;
    const start = ve.getFirstProperty("dtstart");
    const end = ve.getFirstProperty("dtend");
    if (!start || start.type !== "date") bad(`${where}: DTSTART is not a DATE`);
    if (!end || end.type !== "date") bad(`${where}: DTEND is not a DATE`);
    if (start && end) {
      const s = start.getFirstValue(), e = end.getFirstValue();
      ev.dtstart = s.toString();
      ev.dtend = e.toString();
      const next = s.clone();
      next.adjust(1, 0, 0, 0);
      if (next.compare(e) !== 0) bad(`${where}: DTEND ${e} is not the day after DTSTART ${s}`);
    }
    const seq = ve.getFirstProperty("sequence");
    if (!seq || !Number.isInteger(seq.getFirstValue())) bad(`${where}: no integer SEQUENCE`);
    else ev.sequence = seq.getFirstValue();
    const stamp = ve.getFirstPropertyValue("dtstamp");
    if (!stamp || stamp.zone !== ICAL.Timezone.utcTimezone) bad(`${where}: DTSTAMP missing or not UTC`);
    else ev.dtstamp = stamp.toString();
    ev.summary = ve.getFirstPropertyValue("summary");
    if (!ev.summary) bad(`${where}: no SUMMARY`);
    ev.description = ve.getFirstPropertyValue("description");
    ev.url = ve.getFirstPropertyValue("url");
    ev.alarms = ve.getAllSubcomponents("valarm").map((a) => {
      const trigger = a.getFirstPropertyValue("trigger");
      if (a.getFirstPropertyValue("action") !== "DISPLAY") bad(`${where}: VALARM action is not DISPLAY`);
      if (!a.getFirstPropertyValue("description")) bad(`${where}: VALARM without DESCRIPTION`);
      if (!trigger) bad(`${where}: VALARM without TRIGGER`);
      return trigger ? trigger.toString() : null;
    });
    if (ev.alarms.length > 1) bad(`${where}: more than one VALARM`);
    for (const p of ve.getAllProperties()) {
      const tzid = p.getParameter("tzid");
      if (!tzid) continue;
      if (!zones[tzid]) {
        bad(`${where}: ${p.name} uses TZID ${tzid} with no VTIMEZONE`);
        continue;
      }
      const t = p.getFirstValue();
      if (!(t instanceof ICAL.Time)) {
        bad(`${where}: ${p.name} with TZID is not a date-time`);
        continue;
      }
      const local = new ICAL.Time({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second }, zones[tzid]);
      ev[p.name] = { local: t.toString(), tzid, utc: local.convertToZone(ICAL.Timezone.utcTimezone).toString() };
    }
    events.push(ev);
  }
  summary.push({
    file,
    calname: cal.getFirstPropertyValue("x-wr-calname") || null,
    timezones: Object.keys(zones),
    events,
  });
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(JSON.stringify(summary, null, 1));
