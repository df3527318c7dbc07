// One import of a Slack export into a database, in its own process so its peak RSS is its own.
//   node --import tsx bench/children/import.ts <database-url> <export-dir> [--twice] [--per-message]
//        [--workers N] [--batch N]
// Migrations run before the clock starts. --twice imports again and reports what the second pass
// changed (must be nothing: the import is idempotent). --per-message runs the importer as it was
// before batching (one message per tracker call), for a side-by-side comparison.
import { parseArgs } from "node:util";
import type { OfflineService } from "../../src/app/service.ts";
import { openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { PlatformUserRef } from "../../src/core/types.ts";
import { importSlackExport, toIncomingMessage } from "../../src/import/run.ts";
import { classifyMessage, openSlackExport, primaryTeamId } from "../../src/import/slack-export.ts";
import { toUserRef } from "../../src/platforms/slack/identity.ts";
import { emitResult } from "../lib/child.ts";

interface Outcome {
  messages: number;
  mentionsAdded: number;
  mentionsRemoved: number;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      twice: { type: "boolean" },
      "per-message": { type: "boolean" },
      workers: { type: "string" },
      batch: { type: "string" },
    },
  });
  const [url, exportDir] = positionals;
  if (!url || !exportDir) throw new Error("usage: import.ts <database-url> <export-dir> [options]");
  const app = await openApp(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }));
  const run = (): Promise<Outcome> =>
    values["per-message"]
      ? importPerMessage(app.service, exportDir)
      : importSlackExport(app.service, exportDir, {
          ...(values.workers !== undefined ? { detectWorkers: Number(values.workers) } : {}),
          ...(values.batch !== undefined ? { batchSize: Number(values.batch) } : {}),
        });
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const report = await run();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const counts = async () => ({
      mentions: await app.database.db.mention.count(),
      contacts: await app.database.db.contact.count(),
      members: await app.database.db.member.count(),
      aliases: await app.database.db.contactAlias.count(),
    });
    const first = await counts();
    let second: Record<string, unknown> | null = null;
    if (values.twice) {
      const t = performance.now();
      const again = await run();
      second = {
        seconds: (performance.now() - t) / 1000,
        mentionsAdded: again.mentionsAdded,
        mentionsRemoved: again.mentionsRemoved,
        unchanged: JSON.stringify(await counts()) === JSON.stringify(first),
      };
    }
    emitResult({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      messages: report.messages,
      messagesPerSecond: report.messages / seconds,
      mentionsAdded: report.mentionsAdded,
      ...first,
      second,
    });
  } finally {
    await app.close();
  }
}

/**
 * The importer before batching: every message processed on its own, as tracker.processMessage
 * did then (today a lone processMessage call also lingers for company, which an importer that
 * awaits each message would only pay for in waiting).
 */
async function importPerMessage(service: OfflineService, dir: string): Promise<Outcome> {
  const reader = await openSlackExport(dir);
  try {
    const users = await reader.users();
    await reader.channels();
    const home = { teamId: primaryTeamId(users) };
    const ws = await service.store.upsertWorkspace({
      platform: "slack",
      externalId: home.teamId ?? "export:bench",
      name: "bench",
    });
    const refs = new Map<string, PlatformUserRef>();
    for (const u of users) {
      const ref = toUserRef(u, home);
      refs.set(u.id, ref);
      if (ref.external) await service.tracker.contactForUser(ws, ref);
      else await service.member(ws, ref);
    }
    service.tracker.invalidate(ws.id);
    const out: Outcome = { messages: 0, mentionsAdded: 0, mentionsRemoved: 0 };
    for await (const ev of reader.messages()) {
      if (ev.type !== "message" || classifyMessage(ev.message) !== "message") continue;
      const [result] = await service.tracker.processMessages(ws, [
        toIncomingMessage(ws, ev.channel.id, ev.message, refs),
      ]);
      if (!result) throw new Error("processMessages returned no result");
      out.messages++;
      out.mentionsAdded += result.added;
      out.mentionsRemoved += result.removed;
    }
    return out;
  } finally {
    await reader.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
