import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { parseCommand } from "../core/commands.ts";
import { fixedClock } from "../core/ports.ts";
import type { ChatPort, Prompt } from "../core/service.ts";
import type { Member, Workspace } from "../core/types.ts";
import { importSlackExport } from "../import/run.ts";
import { createLogger } from "../log.ts";
import { generateSampleExport } from "../sample/index.ts";

// npm run demo: the whole product on a synthetic company's Slack export, on a fresh embedded
// database, with no Slack or Teams account. Prints what each person would receive.

interface Sent {
  member: string;
  prompt: Prompt;
  at: string;
}

/** A ChatPort that records instead of sending: the demo prints what people would get. */
class RecordingChat implements ChatPort {
  readonly sent: Sent[] = [];
  readonly digests: Array<{ channel: string; key: string; text: string }> = [];
  constructor(private readonly now: () => Date) {}
  async sendPrompt(_ws: Workspace, member: Member, prompt: Prompt): Promise<string> {
    this.sent.push({ member: member.displayName || member.realName, prompt, at: this.now().toISOString() });
    return `demo:${this.sent.length}`;
  }
  async postDigest(_ws: Workspace, channel: string, digest: { fallbackText: string }, key: string): Promise<string> {
    this.digests.push({ channel, key, text: digest.fallbackText });
    return `demo-digest:${key}`;
  }
}

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: "string", default: "data/demo" }, seed: { type: "string", default: "42" } } });
  const out = resolve(values.out);
  const seed = Number(values.seed);
  const exportDir = join(out, `export-seed-${seed}`);
  const dbPath = join(out, "demo.db");
  mkdirSync(out, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbPath}${suffix}`, { force: true });

  const t0 = Date.now();
  const summary = existsSync(join(exportDir, "users.json")) ? null : await generateSampleExport(exportDir, { seed });
  if (summary) console.log(`Generated a sample Slack export: ${summary.messages} messages in ${summary.channels} channels by ${summary.members} people, ${summary.dateRange.start} to ${summary.dateRange.end} → ${exportDir}`);

  const config = loadConfig({ ...process.env, DATABASE_URL: `file:${dbPath}` });
  // The sample ends on Friday 2026-11-20; the demo's "now" is the week after it, so every prompt
  // and the digest are about that data.
  const clock = fixedClock("2026-11-17T00:00:00Z");
  const app = await openApp(config, { clock, log: createLogger("warn") });
  try {
    const report = await importSlackExport(app.service, exportDir);
    console.log(`\n== Import\n${report.messages} messages from ${report.files} files in ${(report.durationMs / 1000).toFixed(1)} s; ${report.mentionsAdded} mentions of external contacts recorded.`);
    const skipped = Object.entries(report.skipped).map(([k, n]) => `${n} ${k}`);
    if (skipped.length) console.log(`Skipped: ${skipped.join(", ")}.`);

    let ws = report.workspace;
    const general = "C00000001";
    ws = await app.store.updateWorkspace(ws.id, { name: "Northwind Labs", timezone: "America/New_York", digestChannel: general });

    // Contacts the detector found.
    const since = new Date("2026-08-01T00:00:00Z");
    const tracked = await app.store.listContactStats(ws.id, { since, status: "tracked", limit: 15 });
    const candidates = await app.store.listContactStats(ws.id, { since, status: "candidate", limit: 10 });
    console.log("\n== External contacts your team discusses (tracked)");
    for (const s of tracked) console.log(`  ${s.contact.displayName.padEnd(28)} ${String(s.mentions).padStart(4)} mentions by ${s.teammates} teammates`);
    console.log("\n== Candidates waiting for confirmation (names found in text)");
    for (const s of candidates) console.log(`  ${s.contact.displayName.padEnd(28)} ${String(s.mentions).padStart(4)} mentions by ${s.teammates} teammates`);

    // A teammate tells the bot that three spellings are one person: they merge, with their mentions.
    const someone = (await app.store.listMembers(ws.id)).find((m) => !m.isBot && !m.optedOut);
    if (someone) {
      const command = "track Jonathan Baker, Jon Baker, @jonbaker";
      const reply = await app.service.execute(ws, someone, parseCommand(command), { isAdmin: false });
      console.log(`\n== ${someone.displayName || someone.realName} types: /offline ${command}\n  ${"text" in reply ? reply.text : reply.kind}`);
    }

    // Hourly sweeps through Tuesday to Thursday: each member is prompted in their own working hours.
    const chat = new RecordingChat(() => clock.now());
    for (let hour = 0; hour < 72; hour++) {
      clock.set(new Date(Date.UTC(2026, 10, 24, hour)));
      ws = (await app.store.getWorkspace(ws.id)) ?? ws;
      await app.service.runNudgeSweep(ws, chat);
    }
    console.log(`\n== Prompts (${chat.sent.length} DMs over Tue–Thu, hourly sweeps in each person's working hours)`);
    for (const s of chat.sent) {
      const p = s.prompt;
      if (p.kind === "lunch") {
        console.log(`  → ${s.member} (${s.at.slice(0, 16)}Z): Take ${p.contactName} to lunch? ${p.reason}`);
        console.log("      [Plan lunch] [Snooze 2 weeks] [Already met] [Not an external contact]");
      } else if (p.kind === "candidate") {
        console.log(`  → ${s.member} (${s.at.slice(0, 16)}Z): ${p.question} ${p.reason}`);
        console.log("      [Track] [Ignore]");
      }
    }

    clock.set("2026-11-27T21:00:00Z");
    const digest = await app.service.digestView(ws, "2026-W47");
    console.log(`\n== Weekly digest for #general\n${digest.fallbackText}`);

    writeFileSync(join(out, "prompts.json"), `${JSON.stringify(chat.sent, null, 2)}\n`);
    writeFileSync(join(out, "digest.json"), `${JSON.stringify(digest, null, 2)}\n`);
    console.log(`\nSaved prompts and the digest view under ${out}. Done in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await app.close();
  }
}
