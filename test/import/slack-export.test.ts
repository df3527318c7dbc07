import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyMessage,
  describeSkip,
  type ExportEvent,
  isSystemMessage,
  messageText,
  messageUser,
  openSlackExport,
  primaryTeamId,
  SlackExportError,
  type SlackExportReader,
  SlackMessage,
  slackTsToDate,
} from "../../src/import/slack-export.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures");
const BASIC = join(FIXTURES, "slack-export-basic");
const MALFORMED = join(FIXTURES, "slack-export-malformed");

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "slack-export-test-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// --- a minimal zip writer: enough for yauzl, stored or deflated entries, UTF-8 names -------------

interface ZipInput {
  name: string;
  data?: Buffer;
  deflate?: boolean;
  /** Write this instead of the deflated data: a damaged entry. */
  garbage?: Buffer;
}

function zip(entries: ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const raw = e.data ?? Buffer.alloc(0);
    const method = (e.deflate && raw.length > 0) || e.garbage ? 8 : 0;
    const body = e.garbage ?? (method === 8 ? deflateRawSync(raw) : raw);
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5a21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5a21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

async function folderEntries(root: string, prefix = ""): Promise<ZipInput[]> {
  const out: ZipInput[] = [];
  for (const entry of (await readdir(root, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const full = join(root, entry.name);
    if (entry.isDirectory()) {
      out.push({ name: `${prefix}${entry.name}/` });
      out.push(...(await folderEntries(full, `${prefix}${entry.name}/`)));
    } else {
      out.push({ name: `${prefix}${entry.name}`, data: await readFile(full), deflate: true });
    }
  }
  return out;
}

// --- helpers ---------------------------------------------------------------------------------------

async function collect(reader: SlackExportReader): Promise<ExportEvent[]> {
  const events: ExportEvent[] = [];
  for await (const e of reader.messages()) events.push(e);
  return events;
}

/** Events without object identity, for comparing two readings of the same export. */
function summarize(events: ExportEvent[]): string[] {
  return events.map((e) => {
    if (e.type === "message") return `message ${e.channel.id} ${e.file}#${e.index} ${e.message.ts}`;
    if (e.type === "invalid-message") return `invalid ${e.file}#${e.index}: ${e.error}`;
    if (e.type === "file-done") return `done ${e.file} ${e.messages}/${e.invalid}/${e.bytes}`;
    if (e.type === "file-error") return `error ${e.file}: ${e.error}`;
    return `skipped ${e.file}: ${e.reason}`;
  });
}

async function withReader<T>(
  path: string,
  fn: (r: SlackExportReader) => Promise<T>,
  options?: { bufferLimitBytes?: number },
): Promise<T> {
  const reader = await openSlackExport(path, options);
  try {
    return await fn(reader);
  } finally {
    await reader.close();
  }
}

// --- tests -------------------------------------------------------------------------------------------

describe("openSlackExport on a folder", () => {
  it("reads users with defaults and without unknown fields", async () => {
    await withReader(BASIC, async (r) => {
      expect(r.kind).toBe("folder");
      const users = await r.users();
      expect(users.map((u) => u.id)).toEqual(["U0ALICE01", "U0BOB0001", "U0EXT0001", "U0BOTUSER"]);
      const [alice, bob, jane, bot] = users;
      expect(alice?.profile.email).toBe("alice@home.example");
      expect(alice).not.toHaveProperty("color");
      expect(alice?.profile).not.toHaveProperty("image_72");
      expect(bob?.tz).toBeUndefined();
      expect(bob?.profile.title).toBeUndefined();
      expect(jane).toMatchObject({ team_id: "T0OTHER01", is_stranger: true });
      expect(bot).toMatchObject({ is_bot: true, profile: { bot_id: "B0DEPLOY1" } });
      expect(primaryTeamId(users)).toBe("T0HOME001");
      expect(r.issues).toEqual([]);
    });
  });

  it("lists conversations in metadata order with their kind and folder", async () => {
    await withReader(BASIC, async (r) => {
      const channels = await r.channels();
      expect(channels.map((c) => [c.id, c.name, c.kind, c.folder])).toEqual([
        ["C0RANDOM1", "random", "public", "random"],
        ["C0GENERAL", "general", "public", "general"],
        ["G0SECRET1", "secret-project", "private", "secret-project"],
        ["D0DM00001", "D0DM00001", "dm", "D0DM00001"],
      ]);
      expect(channels[1]).toMatchObject({ topic: "Company-wide", purpose: undefined, is_general: true });
      expect(channels[1]?.members).toEqual(["U0ALICE01", "U0BOB0001", "U0EXT0001"]);
      expect(channels[1]).not.toHaveProperty("pins");
    });
  });

  it("streams messages by channel order, then by date, with one file-done per file", async () => {
    const events = await withReader(BASIC, collect);
    const files = events.filter((e) => e.type === "file-done").map((e) => e.file);
    expect(files).toEqual([
      "random/2026-01-05.json",
      "general/2026-01-05.json",
      "general/2026-01-06.json",
      "secret-project/2026-01-07.json",
      "D0DM00001/2026-01-05.json",
    ]);
    const messages = events.flatMap((e) => (e.type === "message" ? [e] : []));
    expect(messages).toHaveLength(11);
    expect(messages.filter((m) => m.channel.id === "C0GENERAL").map((m) => m.message.ts)).toEqual([
      "1767607200.000100",
      "1767607300.000200",
      "1767607400.000300",
      "1767693600.000100",
      "1767693700.000200",
      "1767693800.000300",
    ]);
    const reply = messages.find((m) => m.message.ts === "1767693700.000200")?.message;
    expect(reply).toMatchObject({
      thread_ts: "1767693600.000100",
      parent_user_id: "U0BOB0001",
      team: "T0OTHER01",
    });
    expect(reply).not.toHaveProperty("blocks");
    expect(events.some((e) => e.type !== "message" && e.type !== "file-done")).toBe(false);
  });

  it("counts day files and bytes without reading them, matching what file-done reports", async () => {
    await withReader(BASIC, async (r) => {
      const count = await r.countMessageFiles();
      const sizes = await Promise.all(
        [
          "random/2026-01-05.json",
          "general/2026-01-05.json",
          "general/2026-01-06.json",
          "secret-project/2026-01-07.json",
          "D0DM00001/2026-01-05.json",
        ].map(async (f) => (await stat(join(BASIC, f))).size),
      );
      expect(count).toEqual({ files: 5, bytes: sizes.reduce((a, b) => a + b, 0) });
      const done = (await collect(r)).flatMap((e) => (e.type === "file-done" ? [e.bytes] : []));
      expect(done.reduce((a, b) => a + b, 0)).toBe(count.bytes);
    });
  });

  it("classifies the fixture's messages", async () => {
    const events = await withReader(BASIC, collect);
    const classes = events.flatMap((e) => {
      if (e.type !== "message") return [];
      const c = classifyMessage(e.message);
      return [c === "message" ? "message" : describeSkip(c)];
    });
    expect(classes).toEqual([
      "message", // file_share with text
      "system message (channel_topic)",
      "system message (channel_join)",
      "message",
      "bot message",
      "message",
      "message", // Slack Connect user
      "message", // thread_broadcast
      "message",
      "message",
      "message",
    ]);
  });

  it("can stop early without reading the rest", async () => {
    await withReader(BASIC, async (r) => {
      let seen = 0;
      for await (const e of r.messages()) {
        if (e.type === "message" && ++seen === 2) break;
      }
      expect(seen).toBe(2);
      // The reader is still usable after an early exit.
      expect((await collect(r)).filter((e) => e.type === "message")).toHaveLength(11);
    });
  });

  it("finds an export wrapped in one folder", async () => {
    const wrapped = join(tmp, "wrapped");
    await mkdir(join(wrapped, "slack-export-2026", "general"), { recursive: true });
    await writeFile(join(wrapped, ".DS_Store"), "junk");
    await writeFile(join(wrapped, "slack-export-2026", "users.json"), "[]");
    const day = JSON.stringify([{ type: "message", user: "U1", text: "hi", ts: "1767225600.000100" }]);
    await writeFile(join(wrapped, "slack-export-2026", "general", "2026-01-01.json"), day);
    const events = await withReader(wrapped, collect);
    expect(summarize(events)).toEqual([
      "message general general/2026-01-01.json#0 1767225600.000100",
      `done general/2026-01-01.json 1/0/${day.length}`,
    ]);
  });

  it("reads a DM-only export without channels.json, folders becoming unlisted conversations", async () => {
    const dir = join(tmp, "dm-only");
    await mkdir(join(dir, "D0ABC"), { recursive: true });
    await writeFile(join(dir, "users.json"), JSON.stringify([{ id: "U1", name: "a" }]));
    await writeFile(
      join(dir, "D0ABC", "2026-03-01.json"),
      JSON.stringify([{ type: "message", user: "U1", text: "hi", ts: "1772323200.000100" }]),
    );
    await withReader(dir, async (r) => {
      expect(await r.channels()).toEqual([]);
      const messages = (await collect(r)).flatMap((e) => (e.type === "message" ? [e] : []));
      expect(messages.map((m) => [m.channel.id, m.channel.kind, m.message.text])).toEqual([
        ["D0ABC", "unlisted", "hi"],
      ]);
    });
  });
});

describe("openSlackExport on a zip", () => {
  it("reads the same events from a zip wrapped in a folder, with macOS junk", async () => {
    const entries = await folderEntries(BASIC, "export/");
    entries.push({ name: "__MACOSX/export/._users.json", data: Buffer.from("junk") });
    const path = join(tmp, "basic.zip");
    await writeFile(path, zip([{ name: "export/" }, ...entries]));

    const fromFolder = await withReader(BASIC, async (r) => ({
      users: await r.users(),
      channels: await r.channels(),
      events: summarize(await collect(r)),
      count: await r.countMessageFiles(),
    }));
    await withReader(path, async (r) => {
      expect(r.kind).toBe("zip");
      expect(await r.users()).toEqual(fromFolder.users);
      expect(await r.channels()).toEqual(fromFolder.channels);
      expect(await r.countMessageFiles()).toEqual(fromFolder.count);
      expect(summarize(await collect(r))).toEqual(fromFolder.events);
    });
  });

  it("reads an unwrapped zip with stored entries and reports malformed files the same way", async () => {
    const entries = (await folderEntries(MALFORMED)).map((e) => ({ ...e, deflate: false }));
    const path = join(tmp, "malformed.zip");
    await writeFile(path, zip(entries));
    const fromFolder = summarize(await withReader(MALFORMED, collect));
    const fromZip = summarize(await withReader(path, collect));
    expect(fromZip).toEqual(fromFolder);
    expect(fromZip.some((line) => line.startsWith("error general/2026-02-01.json"))).toBe(true);
  });

  it("reports a damaged entry as a file error and keeps going", async () => {
    const good = Buffer.from(JSON.stringify([{ type: "message", user: "U1", text: "ok", ts: "1.1" }]));
    const path = join(tmp, "damaged.zip");
    await writeFile(
      path,
      zip([
        { name: "channels.json", data: Buffer.from('[{"id":"C1","name":"a"}]') },
        { name: "a/2026-01-01.json", data: Buffer.from("[]"), garbage: Buffer.from("ffffffffffff", "hex") },
        { name: "a/2026-01-02.json", data: good, deflate: true },
      ]),
    );
    const events = summarize(await withReader(path, collect));
    expect(events[0]).toMatch(/^error a\/2026-01-01\.json: could not read the file: \w+/);
    expect(events.slice(1)).toEqual([
      "message C1 a/2026-01-02.json#0 1.1",
      `done a/2026-01-02.json 1/0/${good.length}`,
    ]);
  });
});

describe("malformed exports", () => {
  // Both code paths: small files parsed whole, and everything streamed through StreamArray.
  for (const [label, bufferLimitBytes] of [
    ["parsed whole", undefined],
    ["streamed", 0],
  ] as const) {
    describe(label, () => {
      let events: ExportEvent[];
      let reader: SlackExportReader;
      beforeAll(async () => {
        reader = await openSlackExport(MALFORMED, { bufferLimitBytes });
        await reader.users();
        events = await collect(reader);
      });
      afterAll(() => reader.close());

      it("reports files that are not part of the export", () => {
        expect(
          events.filter((e) => e.type === "skipped").map((e) => [e.file, e.type === "skipped" && e.reason]),
        ).toEqual([
          ["README.txt", "not part of a Slack export"],
          ["random/canvas_in_the_conversation.json", "not a day file (expected <channel>/YYYY-MM-DD.json)"],
          ["random/notes.txt", "not a day file (expected <channel>/YYYY-MM-DD.json)"],
        ]);
      });

      it("names each broken file with a plain reason", () => {
        const errors = Object.fromEntries(
          events.flatMap((e) => (e.type === "file-error" ? [[e.file, e.error]] : [])),
        );
        expect(Object.keys(errors)).toEqual([
          "general/2026-02-01.json",
          "general/2026-02-02.json",
          "general/2026-02-04.json",
        ]);
        expect(errors["general/2026-02-01.json"]).toMatch(/^broken JSON/);
        expect(errors["general/2026-02-02.json"]).toMatch(/^expected a JSON array at the top level/);
        expect(errors["general/2026-02-04.json"]).toBe("the file is empty");
      });

      it("skips invalid elements with their index and reads the rest of the file", () => {
        const file = events.filter((e) => e.file === "general/2026-02-03.json");
        expect(
          file.map((e) =>
            e.type === "message"
              ? `ok ${e.index}`
              : e.type === "invalid-message"
                ? `bad ${e.index}: ${e.error}`
                : e.type,
          ),
        ).toEqual([
          "ok 0",
          "bad 1: ts: Invalid input: expected string, received undefined",
          "bad 2: Invalid input: expected object, received number",
          "bad 3: ts: not a Slack timestamp",
          "ok 4",
          "file-done",
        ]);
        const done = file.at(-1);
        expect(done).toMatchObject({ type: "file-done", messages: 2, invalid: 3 });
      });

      it("keeps reading other channels and unlisted folders after errors", () => {
        const texts = events.flatMap((e) =>
          e.type === "message" ? [`${e.channel.kind}:${e.message.text}`] : [],
        );
        expect(texts).toContain("public:all good here");
        expect(texts).toContain("unlisted:a folder no metadata lists");
      });

      it("notes invalid users and keeps the valid ones", async () => {
        expect((await reader.users()).map((u) => u.id)).toEqual(["U0ALICE01", "U0BOB0001"]);
        expect(reader.issues).toEqual([
          {
            file: "users.json",
            index: 1,
            error:
              "left out (id: Invalid input: expected string, received undefined): No Id's name, email and team are unknown, so their messages count as an unknown teammate's and their own name or address may be taken for an outsider",
          },
        ]);
      });
    });
  }

  it("yields the elements before a late syntax error when streaming", async () => {
    const events = await withReader(MALFORMED, collect, { bufferLimitBytes: 0 });
    const file = events.filter((e) => e.file === "general/2026-02-01.json");
    expect(file.map((e) => e.type)).toEqual(["message", "message", "file-error"]);
    expect(file[2]).toMatchObject({
      messages: 2,
      error: expect.stringMatching(/^broken JSON after 2 elements/),
    });
  });

  it("streams a large day file element by element", async () => {
    const dir = join(tmp, "large");
    await mkdir(join(dir, "big"), { recursive: true });
    await writeFile(join(dir, "channels.json"), JSON.stringify([{ id: "C1", name: "big" }]));
    const n = 20_000;
    const lines = Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        type: "message",
        user: "U1",
        text: `message ${i} ${"x".repeat(100)}`,
        ts: `1767225600.${i}`,
      }),
    );
    await writeFile(join(dir, "big", "2026-01-01.json"), `[${lines.join(",\n")}]`);
    await withReader(
      dir,
      async (r) => {
        let count = 0;
        let last = "";
        for await (const e of r.messages()) {
          if (e.type === "message") {
            count++;
            last = e.message.text ?? "";
          }
        }
        expect(count).toBe(n);
        expect(last.startsWith(`message ${n - 1} `)).toBe(true);
      },
      { bufferLimitBytes: 64 * 1024 },
    );
  });

  it("rejects a users.json that is not an array, naming the file", async () => {
    const dir = join(tmp, "bad-users");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "users.json"), '{"users": []}');
    await withReader(dir, async (r) => {
      await expect(r.users()).rejects.toThrow(
        new SlackExportError("users.json: expected a JSON array at the top level, found an object"),
      );
    });
  });

  it("notes a missing users.json instead of failing", async () => {
    const dir = join(tmp, "no-users");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "channels.json"), "[]");
    await withReader(dir, async (r) => {
      expect(await r.users()).toEqual([]);
      expect(r.issues.map((i) => i.file)).toEqual(["users.json"]);
    });
  });

  it.each([
    ["a missing path", async () => join(tmp, "nope"), /does not exist/],
    [
      "an empty folder",
      async () => {
        const dir = join(tmp, "empty");
        await mkdir(dir, { recursive: true });
        return dir;
      },
      /doesn't look like a Slack export/,
    ],
    [
      "a text file",
      async () => {
        const file = join(tmp, "notes.txt");
        await writeFile(file, "hello");
        return file;
      },
      /not a \.zip archive/,
    ],
    [
      "a truncated zip",
      async () => {
        const file = join(tmp, "truncated.zip");
        await writeFile(file, zip([{ name: "users.json", data: Buffer.from("[]") }]).subarray(0, 40));
        return file;
      },
      /not a readable zip archive/,
    ],
  ])("refuses %s with a SlackExportError", async (_label, make, message) => {
    const path = await make();
    const attempt = openSlackExport(path);
    await expect(attempt).rejects.toBeInstanceOf(SlackExportError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe("classifyMessage", () => {
  const base = { type: "message", ts: "1767225600.000100", user: "U1", text: "hello Jane" };
  it.each([
    [{}, "message"],
    [{ subtype: "thread_broadcast" }, "message"],
    [{ subtype: "file_share" }, "message"],
    [{ subtype: "me_message" }, "message"],
    [{ subtype: "message_changed", user: undefined, message: { user: "U2", text: "edited" } }, "message"],
    [
      { subtype: "bot_message", bot_id: "B1", user: undefined },
      { skip: "bot", subtype: "bot_message" },
    ],
    [{ bot_id: "B1" }, { skip: "bot" }],
    [{ subtype: "channel_join" }, { skip: "system", subtype: "channel_join" }],
    [{ subtype: "channel_leave" }, { skip: "system", subtype: "channel_leave" }],
    [{ subtype: "channel_topic" }, { skip: "system", subtype: "channel_topic" }],
    [{ subtype: "channel_purpose" }, { skip: "system", subtype: "channel_purpose" }],
    [{ subtype: "channel_name" }, { skip: "system", subtype: "channel_name" }],
    [{ subtype: "channel_archive" }, { skip: "system", subtype: "channel_archive" }],
    [{ subtype: "pinned_item" }, { skip: "system", subtype: "pinned_item" }],
    [{ subtype: "tombstone" }, { skip: "system", subtype: "tombstone" }],
    [{ user: undefined }, { skip: "no-user" }],
    [{ text: "   " }, { skip: "no-text" }],
    [{ text: undefined, subtype: "file_share" }, { skip: "no-text" }],
  ])("%j → %j", (patch, expected) => {
    const message = SlackMessage.parse({ ...base, ...patch });
    expect(classifyMessage(message)).toEqual(expected);
    expect(isSystemMessage(message)).toBe(
      typeof expected !== "string" && expected.skip !== "no-user" && expected.skip !== "no-text",
    );
  });

  it("reads author and text of an edited message from the nested message", () => {
    const m = SlackMessage.parse({
      type: "message",
      subtype: "message_changed",
      ts: "1767225600.000200",
      message: { user: "U2", text: "now with Jane Doe", ts: "1767225500.000100" },
    });
    expect([messageUser(m), messageText(m)]).toEqual(["U2", "now with Jane Doe"]);
  });

  it("turns a Slack ts into its instant", () => {
    expect(slackTsToDate("1767225600.000100").toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("describes every skip reason in words", () => {
    expect(
      [
        { skip: "bot" },
        { skip: "system", subtype: "channel_join" },
        { skip: "no-user" },
        { skip: "no-text" },
      ].map((c) => describeSkip(c as Parameters<typeof describeSkip>[0])),
    ).toEqual([
      "bot message",
      "system message (channel_join)",
      "message without an author",
      "message without text",
    ]);
  });
});
