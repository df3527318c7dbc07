/**
 * Derives the software list the person detector consults (src/core/detect/lists/software.json) from
 * npm packages: programming languages, and names of software libraries, tools and services. Run by
 * hand; its output is committed, and the runtime reads only that file.
 *
 *   npx tsx scripts/derive-software.ts [MODULES_DIR] [OUT_FILE]
 *
 * MODULES_DIR holds the packages as node_modules does (default: this repo's node_modules, where they
 * are exact-pinned devDependencies): linguist-languages@9.5.0, @cspell/dict-npm@5.2.56,
 * @cspell/dict-python@4.5.2, @cspell/dict-software-terms@5.4.9. Without installing them:
 * `npm pack <name>@<version>` and unpack each as MODULES_DIR/<name>.
 *
 * Sources and licences:
 *   linguist-languages 9.5.0 (MIT; GitHub Linguist's languages.yml): language names and aliases
 *     ("Python", "Go", "Visual Basic .NET").
 *   @cspell/dict-npm 5.2.56 (MIT, Street Side Software): common npm package names ("react", "lodash").
 *   @cspell/dict-python 4.5.2 (MIT): common Python package names ("pandas", "numpy", "flask"); only its
 *     lowercase package names are kept, not the identifiers ("ABORT") in the same file.
 *   @cspell/dict-software-terms 5.4.9 (MIT): software tools, terms and web services ("Kubernetes",
 *     "Jupyter", "Bitbucket").
 * The lists name some people too (a package called "jasmine", a term "Knuth"); the detector only
 * drops a word of these lists when the name lists don't call it a likely name (see non-person.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { foldText, tidy } from "../src/core/text.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = resolve(process.argv[2] ?? join(root, "node_modules"));
const outPath = resolve(process.argv[3] ?? join(root, "src/core/detect/lists/software.json"));

const fold = (s: string): string => foldText(tidy(s));
const version = (pkg: string): string =>
  (JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")) as { version: string }).version;
/** A cspell word list: one entry a line, `#` comments, optionally gzipped. */
const wordList = (path: string): string[] => {
  const raw = readFileSync(join(modules, path));
  return (path.endsWith(".gz") ? gunzipSync(raw) : raw)
    .toString("utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("#"));
};

const terms = new Set<string>();
const add = (word: string): void => {
  const f = fold(word);
  // Two letters are too often something else ("go", "r" are words and initials).
  if (f.length >= 3 && /\p{L}/u.test(f) && !f.startsWith("-") && !f.startsWith("@")) terms.add(f);
};

const languages = (await import(pathToFileURL(join(modules, "linguist-languages/index.js")).href)) as Record<
  string,
  { name: string; aliases?: string[] }
>;
for (const lang of Object.values(languages)) for (const n of [lang.name, ...(lang.aliases ?? [])]) add(n);
const languageCount = terms.size;

for (const w of wordList("@cspell/dict-npm/dict/npm.txt")) add(w);
for (const w of wordList("@cspell/dict-python/dict/python.txt")) if (/^[a-z][a-z0-9_.-]*$/.test(w)) add(w);
for (const f of ["software-tools.txt", "webServices.txt", "softwareTerms.txt.gz"])
  for (const w of wordList(`@cspell/dict-software-terms/dict/${f}`)) add(w);

const out = {
  sources: {
    "linguist-languages": `${version("linguist-languages")} (MIT)`,
    "@cspell/dict-npm": `${version("@cspell/dict-npm")} (MIT)`,
    "@cspell/dict-python": `${version("@cspell/dict-python")} (MIT)`,
    "@cspell/dict-software-terms": `${version("@cspell/dict-software-terms")} (MIT)`,
  },
  terms: [...terms].sort(),
};
writeFileSync(outPath, `${JSON.stringify(out)}\n`);
console.log(`${outPath}: ${terms.size} names (${languageCount} from language names and aliases)`);
