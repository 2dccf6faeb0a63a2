// communes.mjs writes ../communes.tsv, the table that turns a French
// postal code into the communes it serves, from the codes-postaux package
// (pinned in package-lock.json). Run it through go generate in
// offer/internal/facts, which then runs gen/postal to add the folded
// column and write the index:
//
//	npm ci --prefix gen --no-audit --no-fund && node gen/communes.mjs
//	go run ./gen/postal
//
// One line per postal code, in code order: the code, a tab, and the names
// of its communes separated by "|", the commune the mail is routed to
// (libellé d'acheminement) first. Arrondissements are their city: "Lyon 7e
// Arrondissement" is "Lyon". The output depends only on the package's
// data: the same data gives the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const rows = JSON.parse(readFileSync(require.resolve('codes-postaux/codes-postaux.json'), 'utf8'));

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[-']/g, ' ');
const city = (name) => name.replace(/ \d+(er|e) Arrondissement$/, '');

const byCode = new Map();
for (const r of rows) {
  if (!/^\d{5}$/.test(r.codePostal)) {
    continue;
  }
  let e = byCode.get(r.codePostal);
  if (!e) {
    e = [];
    byCode.set(r.codePostal, e);
  }
  const name = city(r.nomCommune);
  const routed = fold(name) === fold(r.libelleAcheminement);
  if (!e.some((x) => x.name === name)) {
    e.push({ name, routed });
  }
}

const lines = [];
for (const code of [...byCode.keys()].sort()) {
  const names = byCode.get(code).sort((a, b) => (b.routed - a.routed) || a.name.localeCompare(b.name, 'fr'));
  lines.push(code + '\t' + names.map((x) => x.name).join('|'));
}
const out = path.join(here, '..', 'communes.tsv');
writeFileSync(out, lines.join('\n') + '\n');
console.log(`${out}: ${lines.length} postal codes`);
