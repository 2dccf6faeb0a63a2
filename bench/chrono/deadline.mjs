// deadline.mjs reads offers with chrono-node (French and English parsers)
// and a simple deadline rule, as a developer would wrap it: the first date
// that a deadline cue stands before, within 40 characters, is the deadline.
// bench/ runs it on the texts echeance reads and compares.
//
// Input (stdin): one JSON object per line, {"id": ..., "now": RFC 3339,
// "text": ...}. Output (stdout): one line per offer, {"id": ..., "date":
// "YYYY-MM-DD" or ""}, then a last line {"ms": total, "offers": n}: the
// time spent reading, in-process, after a warm-up, without node's start nor
// module load.
import * as chrono from "chrono-node";
import { createInterface } from "node:readline";

// The cues of the rule, in lower case: French then English.
const cues = [
  "date limite", "date-limite", "limite de candidature", "clôture", "avant le", "avant", "jusqu'au",
  "jusqu'à", "au plus tard", "candidatures", "dépôt", "délai",
  "deadline", "closing date", "apply by", "applications close", "no later than", "before", "until", "by",
  "due",
];

function deadline(text, now) {
  const results = [...chrono.fr.parse(text, now, { forwardDate: true }),
    ...chrono.en.parse(text, now, { forwardDate: true })];
  results.sort((a, b) => a.index - b.index);
  for (const r of results) {
    const before = text.slice(Math.max(0, r.index - 40), r.index).toLowerCase();
    if (cues.some((c) => before.includes(c))) {
      const d = r.start.date();
      const pad = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    }
  }
  return "";
}

const offers = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "") offers.push(JSON.parse(line));
}
// A warm-up, untimed, so that the timing is of the compiled code.
for (const o of offers.slice(0, 20)) deadline(o.text, new Date(o.now));
const start = performance.now();
const out = offers.map((o) => ({ id: o.id, date: deadline(o.text, new Date(o.now)) }));
const ms = performance.now() - start;
for (const o of out) console.log(JSON.stringify(o));
console.log(JSON.stringify({ ms, offers: offers.length }));
