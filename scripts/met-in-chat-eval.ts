// Scores core/met-in-chat.ts on test/fixtures/met-in-chat/messages.txt. By default only the tuning
// split's misses are printed (the held-out third is scored, never shown): `--held-out` shows those too.
import { readFixture, score } from "../test/core/met-in-chat-fixture.ts";

const all = readFixture();
const showHeldOut = process.argv.includes("--held-out");
for (const [name, part] of [
  ["tuning", all.filter((m) => !m.heldOut)],
  ["held-out", all.filter((m) => m.heldOut)],
  ["all", all],
  ["not in the unit test", all.filter((m) => !m.inUnitTest)],
  ["held-out, not in the unit test", all.filter((m) => m.heldOut && !m.inUnitTest)],
] as const) {
  const s = score(part);
  console.log(
    `${name}: ${s.messages} messages, ${s.positives} meetings; precision ${s.precision.toFixed(3)} (${s.tp}/${s.tp + s.fp}), recall ${s.recall.toFixed(3)} (${s.tp}/${s.positives})`,
  );
  if (name === "tuning" || (name === "held-out" && showHeldOut))
    for (const m of s.misses)
      console.log(
        `  ${m.line}: ${m.wrong.length ? `FP ${m.wrong.join(", ")}` : ""}${m.missed.length ? ` FN ${m.missed.join(", ")}` : ""} | ${m.text}`,
      );
}

// --btc DIR: every tweet of the Broad Twitter Corpus (CoNLL files) that names a person, with its
// PER entities as the spans; prints each one the detector fires on, for reading by hand.
const btc = process.argv.indexOf("--btc");
if (btc >= 0) {
  const { readdirSync, readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { meetingsInChat } = await import("../src/core/met-in-chat.ts");
  const dir = process.argv[btc + 1] ?? "../shared/data/btc";
  let tweets = 0;
  let fired = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".conll"))) {
    for (const block of readFileSync(join(dir, file), "utf8").split(/\n\s*\n/)) {
      let text = "";
      const spans: Array<{ start: number; end: number }> = [];
      for (const line of block.split("\n")) {
        const [token, tag] = line.split("\t");
        if (!token) continue;
        if (text) text += " ";
        const start = text.length;
        text += token;
        if (tag === "B-PER") spans.push({ start, end: text.length });
        else if (tag === "I-PER" && spans.length > 0)
          (spans[spans.length - 1] as { end: number }).end = text.length;
      }
      if (spans.length === 0) continue;
      tweets++;
      const hits = meetingsInChat(text, spans, new Date("2026-12-03T15:00:00Z"), "UTC");
      if (hits.length > 0) {
        fired++;
        console.log(
          `  BTC ${file}: ${hits.map((h) => text.slice(h.span.start, h.span.end)).join(", ")} | ${text}`,
        );
      }
    }
  }
  console.log(`BTC: fired on ${fired} of ${tweets} tweets naming a person`);
}
