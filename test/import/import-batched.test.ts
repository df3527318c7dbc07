import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OfflineService } from "../../src/app/service.ts";
import { detect, TeammateDirectory } from "../../src/core/detect/index.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { importSlackExport } from "../../src/import/run.ts";
import { generateSampleExport } from "../../src/sample/index.ts";
import { createDetectPool } from "../../src/workers/detect-pool.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";

// The importer's batching and its detection worker thread are optimizations: whatever the batch
// size and wherever detection runs, an import must store exactly the same mentions.

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tio-import-batched-"));
  await generateSampleExport(dir, {
    seed: 5,
    messages: 800,
    members: 15,
    externalPeople: 12,
    channels: 6,
    days: 20,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the detection worker pool", () => {
  it("detects in a worker thread exactly what detect() finds inline", async () => {
    const pool = createDetectPool(1);
    try {
      const texts = ["Lunch with Jane Doe and ann@northwind.example?", "", "ping priya@initech.example"];
      const inputs = {
        version: 1,
        internalDomains: ["northwind.example"],
        teammates: [{ displayName: "Ann", realName: "Ann Smith", email: "ann@northwind.example" }],
      };
      const options = {
        internalDomains: inputs.internalDomains,
        teammates: new TeammateDirectory(inputs.teammates),
      };
      expect(await pool.detect(texts, inputs)).toEqual(texts.map((t) => (t ? detect(t, options) : [])));
      expect((await pool.detect(["Omar Haddad called"], inputs))[0]?.map((d) => d.kind)).toEqual(["person"]);
    } finally {
      await pool.close();
    }
  });
});

describe.each(PROVIDERS)("batched import on %s", (provider) => {
  const run = async (options: Parameters<typeof importSlackExport>[2]) => {
    const t: TestStore = await createTestStore(provider);
    try {
      const service = new OfflineService(t.store, fixedClock("2026-11-26T12:00:00Z"));
      const batchTexts: number[] = [];
      const resolve = service.tracker.resolveMessages.bind(service.tracker);
      service.tracker.resolveMessages = (ws, msgs, detections) => {
        batchTexts.push(msgs.reduce((n, m) => n + m.text.length, 0));
        return resolve(ws, msgs, detections);
      };
      const report = await importSlackExport(service, dir, options);
      const rows = await t.database.db.mention.findMany({
        select: { messageId: true, at: true, contact: { select: { displayName: true } } },
      });
      const mentions = rows
        .map((r) => `${r.messageId} ${r.contact.displayName} ${r.at.toISOString()}`)
        .sort();
      return { report, mentions, batchTexts };
    } finally {
      await t.cleanup();
    }
  };

  it("stores the same mentions with any batch size, with or without the detection worker", async () => {
    const reference = await run({ batchSize: 1, detectWorkers: 0 });
    expect(reference.mentions.length).toBeGreaterThan(50);
    expect(reference.report.mentionsAdded).toBe(reference.mentions.length);
    for (const options of [
      { batchSize: 7, detectWorkers: 0 },
      { batchSize: 1000, detectWorkers: 1 },
      { batchSize: 64, detectWorkers: 2 },
      { maxBatchText: 3_000, detectWorkers: 1 },
    ]) {
      const other = await run(options);
      expect(other.mentions).toEqual(reference.mentions);
      expect(other.report.messages).toBe(reference.report.messages);
      expect(other.report.skipped).toEqual(reference.report.skipped);
    }
  }, 180_000);

  it("ends a batch at its text budget as well as at its message count", async () => {
    const { batchTexts } = await run({ batchSize: 10_000, maxBatchText: 3_000, detectWorkers: 0 });
    const total = batchTexts.reduce((a, b) => a + b, 0);
    expect(batchTexts.length).toBeGreaterThanOrEqual(Math.floor(total / 3_000));
    // A batch goes out with the message that reaches the budget; no message is longer than 1,000.
    for (const text of batchTexts) expect(text).toBeLessThan(3_000 + 1_000);
  });
});

describe.each(PROVIDERS)("an import whose writes fail, on %s", (provider) => {
  it("stops with the database's error once the batches in flight have settled", async () => {
    const t: TestStore = await createTestStore(provider);
    try {
      // Every mention write fails, from the first batch on; the rest of the pipeline still works.
      await t.database.db.$executeRawUnsafe('ALTER TABLE "Mention" RENAME TO "MentionGone"');
      const service = new OfflineService(t.store, fixedClock("2026-11-26T12:00:00Z"));
      let resolving = 0;
      const resolve = service.tracker.resolveMessages.bind(service.tracker);
      service.tracker.resolveMessages = async (...args) => {
        resolving++;
        try {
          return await resolve(...args);
        } finally {
          resolving--;
        }
      };
      await expect(importSlackExport(service, dir, { batchSize: 7, detectWorkers: 1 })).rejects.toThrow(
        /Mention/,
      );
      // Nothing of the import goes on after it has failed.
      expect(resolving).toBe(0);
    } finally {
      await t.cleanup();
    }
  });
});
