import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { check } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { detect, MAX_DETECTION_TEXT } from "../../src/core/detect/index.ts";
import * as tokenizeModule from "../../src/core/detect/names/tokenize.ts";
import { tokenize } from "../../src/core/detect/names/tokenize.ts";
import { emailSpans, handleSpans, maskMarkup } from "../../src/core/detect/patterns.ts";
import { mentionedUserIds } from "../../src/platforms/slack/identity.ts";

// Every regular expression that reads text from outside (messages, commands, forms, export files)
// must run in time linear in that text. They are collected from the source itself (each regex
// literal, and the RegExp values a module exports where it builds one with `new RegExp`), so a new
// pattern is checked without anyone remembering to add it here, and each goes through recheck
// (https://makenowjust-labs.github.io/recheck/), which proves or refutes polynomial backtracking.

const ROOT = join(import.meta.dirname, "../..");

/** Where text from outside is read. */
const SCOPES = [
  "src/core",
  "src/import",
  "src/platforms",
  "src/cli.ts",
  "src/import-command.ts",
  "src/detect-command.ts",
];

/**
 * Files in scope whose patterns never see outside text, with why. Anything else that builds a
 * RegExp at run time must export it (see DYNAMIC).
 */
const NOT_OUTSIDE_TEXT: Record<string, string> = {
  // Block Kit → plain text for the demo's printout and readable test failures; Slack renders the real thing.
  "src/platforms/slack/render/plain-text.ts": "renders the bot's own blocks for the demo and tests",
  // The tagger's training and evaluation scripts, run by developers on the corpora.
  "src/core/detect/names/train.ts": "training script (developer data)",
  "src/core/detect/names/conll.ts": "reads the training corpora",
  "src/core/detect/names/evaluate.ts": "evaluation script (developer data)",
};

/** Modules that build patterns with `new RegExp`: each such pattern is exported and checked. */
const DYNAMIC: Record<string, Record<string, unknown>> = {
  "src/core/detect/names/tokenize.ts": tokenizeModule,
};
/** `new RegExp` sites that build from constants only, with what they match. */
const DYNAMIC_CONSTANT: Record<string, string> = {
  // `${OPEN}(\\d+)${CLOSE}`: a private-use character, digits, another private-use character.
  "src/platforms/teams/text.ts": "\\uE000(\\d+)\\uE001",
};

function sourceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (statSync(full).isFile()) return [path];
  return readdirSync(full).flatMap((name) => {
    const child = `${path}/${name}`;
    if (statSync(join(ROOT, child)).isDirectory()) return sourceFiles(child);
    return name.endsWith(".ts") ? [child] : [];
  });
}

interface Found {
  where: string;
  source: string;
  flags: string;
}

function collect(): { literals: Found[]; dynamicSites: string[] } {
  const literals: Found[] = [];
  const dynamicSites: string[] = [];
  for (const file of SCOPES.flatMap(sourceFiles)) {
    if (NOT_OUTSIDE_TEXT[file]) continue;
    const text = readFileSync(join(ROOT, file), "utf8");
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText();
        const slash = literal.lastIndexOf("/");
        literals.push({
          where: `${file}:${line}`,
          source: literal.slice(1, slash),
          flags: literal.slice(slash + 1),
        });
      } else if (ts.isNewExpression(node) && node.expression.getText() === "RegExp") {
        dynamicSites.push(file);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, dynamicSites };
}

const { literals, dynamicSites } = collect();
const dynamic: Found[] = Object.entries(DYNAMIC).flatMap(([file, mod]) =>
  Object.entries(mod)
    .filter((e): e is [string, RegExp] => e[1] instanceof RegExp)
    .map(([name, re]) => ({ where: `${file} ${name}`, source: re.source, flags: re.flags })),
);
const constant: Found[] = Object.entries(DYNAMIC_CONSTANT).map(([file, source]) => ({
  where: `${file} (new RegExp)`,
  source,
  flags: "gu",
}));

describe("regular expressions that read outside text", () => {
  it("are all found: the collector sees the known ones, and every `new RegExp` is accounted for", () => {
    expect(literals.length).toBeGreaterThan(80);
    const sources = literals.map((l) => l.source);
    // A few known patterns, so a broken collector cannot pass by finding nothing.
    expect(sources).toContain("<@([UW][A-Z0-9]+)(?:\\|([^<>]*))?>");
    expect(sources).toContain("^(\\d{1,2}):(\\d{2})$");
    for (const file of new Set(dynamicSites)) {
      expect(
        file in DYNAMIC || file in DYNAMIC_CONSTANT,
        `${relative(ROOT, file)} builds a RegExp: export it and add the module to DYNAMIC`,
      ).toBe(true);
    }
    expect(dynamic.map((d) => d.where).sort()).toEqual([
      "src/core/detect/names/tokenize.ts OTHER_TOKEN",
      "src/core/detect/names/tokenize.ts URL_TOKEN",
    ]);
  });

  // recheck's automaton check of a pattern with \b and many alternatives (the profile-link
  // pattern) takes 10-20 s on a busy machine; the checks run side by side.
  it("are each proven safe by recheck", { timeout: 180_000 }, async () => {
    const all = [...literals, ...dynamic, ...constant];
    // A pattern the automaton checker can't model (lookarounds) is fuzzed instead, and fuzzing is
    // random: seeded runs keep the verdict reproducible, and several seeds keep it from resting on
    // one lucky draw.
    // recheck's fuzzer also stops on wall-clock limits (an attack that takes over a second counts
    // as one), so on a loaded machine a linear pattern could be called vulnerable. With those off,
    // only its step counts decide: the same verdict on any machine, however busy.
    const steps = { attackTimeout: null, incubationTimeout: null, seedingTimeout: null } as const;
    const verdict = async (source: string, flags: string) => {
      let result = await check(source, flags, { timeout: 120_000, randomSeed: 1, ...steps });
      for (const randomSeed of [2, 3, 4]) {
        if (result.status !== "safe" || result.checker !== "fuzz") break;
        result = await check(source, flags, { timeout: 120_000, randomSeed, ...steps });
      }
      return result;
    };
    const results = await Promise.all(
      all.map(async (r) => ({ ...r, result: await verdict(r.source, r.flags) })),
    );
    const unsafe = results
      .filter((r) => r.result.status !== "safe")
      .map((r) => {
        const attack = r.result.status === "vulnerable" ? ` attack ${r.result.attack.pattern}` : "";
        return `${r.where} /${r.source}/${r.flags}: ${r.result.status}${attack}`;
      });
    expect(unsafe).toEqual([]);
  });
});

/**
 * How the cost of `run` grows from input size n to 8n: about 8 when linear, about 64 for the
 * quadratic email pattern this replaced. Not a time limit: a ratio of two timings in one process,
 * each the best of several runs of CPU time (process.cpuUsage, so other processes on the machine
 * count less). A busy machine or a garbage collection can still spoil one measurement, so it is
 * taken up to three times and the best ratio counts: linear code passes one of them, quadratic
 * code none.
 */
function growth(run: (n: number) => void, n: number, bound: number): number {
  const cpu = (size: number) => {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const before = process.cpuUsage();
      run(size);
      const used = process.cpuUsage(before);
      min = Math.min(min, used.user + used.system);
    }
    return Math.max(min, 200);
  };
  cpu(n); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= bound; attempt++) best = Math.min(best, cpu(8 * n) / cpu(n));
  return best;
}

const ADVERSARIAL: Record<string, (n: number) => string> = {
  "a run of local-part characters": (n) => "a".repeat(n),
  "a run of dots": (n) => ".".repeat(n),
  "%a repeated (one token per character)": (n) => "%a".repeat(n / 2),
  digits: (n) => "0".repeat(n),
  "a link ending in dots": (n) => `https://x.com/${".".repeat(n)}`,
  "unclosed mentions": (n) => "<@UU|".repeat(n / 5),
  "at-signs between letters": (n) => "a@".repeat(n / 2),
  "domains without a top-level label": (n) => "a@b.1".repeat(n / 5),
};

describe("detection on adversarial text", () => {
  it.each(Object.entries(ADVERSARIAL))("grows linearly: %s", (_name, make) => {
    const scanners = { emailSpans, handleSpans, maskMarkup, tokenize, mentionedUserIds };
    for (const [name, scan] of Object.entries(scanners)) {
      expect(
        growth((n) => scan(make(n)), 2_000, 32),
        name,
      ).toBeLessThan(32);
    }
    expect(
      growth((n) => detect(make(n)), 2_000, 32),
      "detect",
    ).toBeLessThan(32);
  });

  it("reads at most MAX_DETECTION_TEXT units of a 400,000-character message, and answers for them", () => {
    const head = "Lunch with Jane Roe (jane.roe@globex.example) and ";
    const text = head + "a.".repeat(200_000);
    const found = detect(text);
    expect(found.map((d) => d.text)).toContain("jane.roe@globex.example");
    for (const d of found) {
      expect(d.end).toBeLessThanOrEqual(MAX_DETECTION_TEXT);
      expect(text.slice(d.start, d.end)).toBe(d.text);
    }
    // What lies beyond the cap is not read: an address there is not found.
    const beyond = `${"x ".repeat(MAX_DETECTION_TEXT / 2)}jane@acme.example`;
    expect(detect(beyond).map((d) => d.kind)).not.toContain("email");
  });
});
