import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyMessage, openSlackExport } from "../../src/import/slack-export.ts";
import {
  generateSampleExport,
  SAMPLE_DEFAULTS,
  SAMPLE_TRUTH,
  type SampleSummary,
} from "../../src/sample/index.ts";
import { MEMBER_FIRST_NAMES, MEMBER_LAST_NAMES } from "../../src/sample/people.ts";
import { apportion, createRng, WeightedPicker } from "../../src/sample/prng.ts";

interface DayMessage {
  type: string;
  ts: string;
  user?: string;
  text?: string;
  subtype?: string;
  bot_id?: string;
  team?: string;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
}
interface UserRecord {
  id: string;
  team_id: string;
  is_bot: boolean;
  is_stranger?: boolean;
  deleted: boolean;
  real_name?: string;
  profile: { email?: string; bot_id?: string; real_name?: string };
}

let tmp: string;
let summary: SampleSummary;
let users: UserRecord[];
let channels: Array<{ id: string; name: string; members: string[] }>;
/** Day files by "<channel>/<date>.json". */
const dayFiles = new Map<string, DayMessage[]>();
let allMessages: Array<DayMessage & { channel: string }>;

async function listFiles(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(root, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "sample-test-"));
  summary = await generateSampleExport(join(tmp, "default"));
  const root = summary.outDir;
  users = JSON.parse(await readFile(join(root, "users.json"), "utf8"));
  channels = JSON.parse(await readFile(join(root, "channels.json"), "utf8"));
  for (const f of await listFiles(root)) {
    if (f.includes("/")) dayFiles.set(f, JSON.parse(await readFile(join(root, f), "utf8")));
  }
  allMessages = [...dayFiles].flatMap(([f, msgs]) =>
    msgs.map((m) => ({ ...m, channel: f.split("/")[0] ?? "" })),
  );
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("generateSampleExport with defaults", () => {
  it("meets the minimums and reports what it wrote", () => {
    expect(summary.members).toBeGreaterThanOrEqual(20);
    expect(summary.channels).toBeGreaterThanOrEqual(8);
    expect(summary.messages).toBeGreaterThanOrEqual(3000);
    expect(summary.externalPeople.length).toBeGreaterThanOrEqual(15);
    const days = (Date.parse(summary.dateRange.end) - Date.parse(summary.dateRange.start)) / 86_400_000 + 1;
    expect(days).toBeGreaterThanOrEqual(90);
    expect(summary.dateRange.end).toBe("2026-11-20");
    expect(summary.files).toBe(dayFiles.size);
    expect(allMessages).toHaveLength(summary.messages);
  });

  it("writes teammates, 1-2 bots and Slack Connect users of another team to users.json", () => {
    const company = SAMPLE_TRUTH.company;
    const humans = users.filter((u) => !u.is_bot && u.team_id === company.teamId);
    expect(humans).toHaveLength(summary.members);
    expect(humans.every((u) => u.id.startsWith("U") && u.profile.email?.endsWith(`@${company.domain}`))).toBe(
      true,
    );
    const bots = users.filter((u) => u.is_bot);
    expect(bots.length).toBeGreaterThanOrEqual(1);
    expect(bots.length).toBeLessThanOrEqual(2);
    expect(bots.every((b) => b.profile.bot_id?.startsWith("B"))).toBe(true);

    const connect = summary.externalPeople.filter((p) => p.slackConnect);
    expect(connect.length).toBeGreaterThanOrEqual(2);
    for (const person of connect) {
      const user = users.find((u) => u.id === person.slackUserId);
      expect(user, person.name).toBeDefined();
      expect(user?.team_id).not.toBe(company.teamId);
      expect(user?.is_stranger).toBe(true);
      expect(user?.profile.email).toBe(person.email);
      expect(user?.profile.email?.endsWith(`@${company.domain}`)).toBe(false);
    }
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
  });

  it("lists every channel folder in channels.json, with members that exist", () => {
    const userIds = new Set(users.map((u) => u.id));
    const names = new Set(channels.map((c) => c.name));
    expect(channels.every((c) => /^C[0-9A-Z]+$/.test(c.id))).toBe(true);
    for (const f of dayFiles.keys()) expect(names.has(f.split("/")[0] ?? "")).toBe(true);
    for (const c of channels) expect(c.members.every((m) => userIds.has(m))).toBe(true);
    expect(channels.find((c) => c.name === "general")?.members).toHaveLength(summary.members);
  });

  it("names day files by UTC date, with ts unique per channel and increasing within a file", () => {
    const problems: string[] = [];
    const seen = new Map<string, Set<string>>();
    for (const [file, msgs] of dayFiles) {
      const [channel = "", name = ""] = file.split("/");
      const date = name.slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}\.json$/.test(name)) problems.push(`${file}: not a date`);
      if (date < summary.dateRange.start || date > summary.dateRange.end)
        problems.push(`${file}: out of range`);
      const inChannel = seen.get(channel) ?? new Set<string>();
      seen.set(channel, inChannel);
      let previous = -1;
      for (const m of msgs) {
        const at = Number(m.ts);
        if (!/^\d{10}\.\d{6}$/.test(m.ts)) problems.push(`${file} ${m.ts}: malformed`);
        if (new Date(at * 1000).toISOString().slice(0, 10) !== date)
          problems.push(`${file} ${m.ts}: other day`);
        if (at <= previous) problems.push(`${file} ${m.ts}: not increasing`);
        if (inChannel.has(m.ts)) problems.push(`${file} ${m.ts}: duplicate`);
        previous = at;
        inChannel.add(m.ts);
      }
    }
    expect(problems).toEqual([]);
    expect([...seen.values()].reduce((n, s) => n + s.size, 0)).toBe(summary.messages);
  });

  it("keeps threads consistent: replies follow a parent in the same file that counts them", () => {
    let replies = 0;
    for (const msgs of dayFiles.values()) {
      const byTs = new Map(msgs.map((m) => [m.ts, m]));
      for (const m of msgs) {
        if (!m.thread_ts || m.thread_ts === m.ts) continue;
        replies++;
        const parent = byTs.get(m.thread_ts);
        expect(parent?.thread_ts).toBe(parent?.ts);
        expect(parent?.user).toBe(m.parent_user_id);
        expect(msgs.filter((r) => r.thread_ts === m.thread_ts && r.ts !== m.thread_ts)).toHaveLength(
          parent?.reply_count ?? -1,
        );
      }
    }
    expect(replies).toBeGreaterThan(20);
  });

  it("talks about at least 15 external people, each under several names", () => {
    const texts = allMessages.map((m) => m.text ?? "");
    let present = 0;
    let varied = 0;
    for (const person of summary.externalPeople) {
      const forms = [
        person.name,
        ...person.aliases,
        person.email,
        person.handle,
        ...person.urls,
        person.slackUserId && `<@${person.slackUserId}>`,
      ].filter((f): f is string => Boolean(f));
      const found = forms.filter((f) => texts.some((t) => t.includes(f)));
      if (found.length > 0) present++;
      if (found.length >= 2) varied++;
      // Every message counted as about this person contains one of their forms.
      const containing = texts.filter((t) => forms.some((f) => t.includes(f))).length;
      expect(containing, person.name).toBeGreaterThanOrEqual(person.mentions);
    }
    expect(present).toBeGreaterThanOrEqual(15);
    expect(varied).toBeGreaterThanOrEqual(15);
    const all = texts.join("\n");
    for (const form of [
      "Jonathan Baker",
      "Jon Baker",
      "jbaker@acme-corp.example",
      "@janedoe",
      "https://www.linkedin.com/in/janedoe",
      "Dr. Tan",
      "Priya's",
    ]) {
      expect(all, form).toContain(form);
    }
  });

  it("skews popularity: a few people are discussed far more than the rest", () => {
    const counts = summary.externalPeople.map((p) => p.mentions).sort((a, b) => b - a);
    const median = counts[Math.floor(counts.length / 2)] ?? 0;
    expect(counts[0]).toBeGreaterThanOrEqual(5 * median);
    expect(counts.at(-1)).toBeGreaterThan(0);
    expect(summary.externalPeople.filter((p) => p.mentionedBy >= 2).length).toBeGreaterThanOrEqual(15);
  });

  it("lets Slack Connect users post in the shared channel and be mentioned by id", () => {
    const connect = summary.externalPeople.filter((p) => p.slackConnect);
    for (const person of connect) {
      const own = allMessages.filter((m) => m.user === person.slackUserId);
      expect(own.length, person.name).toBeGreaterThan(0);
      expect(own.every((m) => m.team === SAMPLE_TRUTH.connectTeam.teamId)).toBe(true);
      expect(allMessages.some((m) => m.text?.includes(`<@${person.slackUserId}>`))).toBe(true);
    }
  });

  it("has teammates talking about each other, never under an external person's name", () => {
    const memberIds = new Set(
      users.filter((u) => !u.is_bot && u.team_id === SAMPLE_TRUTH.company.teamId).map((u) => u.id),
    );
    const mentionsOfMembers = allMessages.filter((m) =>
      [...(m.text ?? "").matchAll(/<@(U[0-9A-Z]+)>/g)].some((x) => memberIds.has(x[1] ?? "")),
    );
    expect(mentionsOfMembers.length).toBeGreaterThan(20);
    expect(allMessages.some((m) => m.text?.includes(`@${SAMPLE_TRUTH.company.domain}`))).toBe(true);
    // Name pools are disjoint, so any hit on a teammate's name is a detection false positive.
    const teammateNames = new Set([...MEMBER_FIRST_NAMES, ...MEMBER_LAST_NAMES]);
    for (const person of SAMPLE_TRUTH.externalPeople) {
      for (const word of [person.name, ...person.aliases].flatMap((n) => n.split(/[\s.]+/))) {
        expect(teammateNames.has(word), `${person.name}: ${word}`).toBe(false);
      }
    }
  });

  it("includes noise: capitalized non-names, joins, bots, emoji and internal links", () => {
    const all = allMessages.map((m) => m.text ?? "").join("\n");
    const nonNames = SAMPLE_TRUTH.nonNames.filter((n) => all.includes(n));
    expect(nonNames.length).toBeGreaterThanOrEqual(20);
    expect(allMessages.some((m) => m.subtype === "channel_join")).toBe(true);
    expect(allMessages.some((m) => m.subtype === "bot_message" && m.bot_id)).toBe(true);
    expect(allMessages.some((m) => m.bot_id && !m.subtype && m.user)).toBe(true);
    expect(all).toMatch(/:[a-z_+]+:/);
    expect(all).toContain(`<https://docs.${SAMPLE_TRUTH.company.domain}/`);
  });

  it("matches SAMPLE_TRUTH for the default options", () => {
    expect(summary.company).toEqual(SAMPLE_TRUTH.company);
    expect(summary.externalPeople.map(({ mentions: _m, mentionedBy: _b, ...p }) => p)).toEqual(
      SAMPLE_TRUTH.externalPeople,
    );
  });

  it("reads back cleanly through the export reader", async () => {
    const reader = await openSlackExport(summary.outDir);
    try {
      const counts = { message: 0, person: 0, bot: 0, system: 0, other: 0 };
      for await (const e of reader.messages()) {
        if (e.type === "message") {
          counts.message++;
          const c = classifyMessage(e.message);
          if (c === "message") counts.person++;
          else if (c.skip === "bot") counts.bot++;
          else if (c.skip === "system") counts.system++;
        } else if (e.type !== "file-done") counts.other++;
      }
      expect(counts.message).toBe(summary.messages);
      expect(counts.other).toBe(0);
      expect(counts.bot).toBeGreaterThan(0);
      expect(counts.system).toBeGreaterThan(0);
      expect(counts.person).toBeGreaterThan(summary.messages * 0.9);
      expect((await reader.users()).length).toBe(users.length);
      expect(reader.issues).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});

describe("generateSampleExport determinism and options", () => {
  const small = { members: 24, messages: 700, days: 21, externalPeople: 30 };

  async function snapshot(dir: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const f of await listFiles(dir)) out.set(f, await readFile(join(dir, f), "utf8"));
    return out;
  }

  it("writes byte-identical files for the same seed and different ones for another seed", async () => {
    const a = await generateSampleExport(join(tmp, "a"), { ...small, seed: 7 });
    const b = await generateSampleExport(join(tmp, "b"), { ...small, seed: 7 });
    const c = await generateSampleExport(join(tmp, "c"), { ...small, seed: 8 });
    expect({ ...b, outDir: a.outDir }).toEqual(a);
    const [sa, sb, sc] = await Promise.all([snapshot(a.outDir), snapshot(b.outDir), snapshot(c.outDir)]);
    expect([...sb.keys()]).toEqual([...sa.keys()]);
    for (const [f, text] of sa) expect(sb.get(f) === text, f).toBe(true);
    expect(sc.get("users.json")).not.toBe(sa.get("users.json"));
    const differing = [...sa].filter(([f, text]) => sc.get(f) !== text).length;
    expect(differing).toBeGreaterThan(sa.size / 2);
    expect(c.messages).toBe(700);
    expect(a.externalPeople).toHaveLength(30);
  });

  it("honours counts and dates, adding channels beyond the built-in ones", async () => {
    const s = await generateSampleExport(join(tmp, "sized"), {
      members: 3,
      channels: 33,
      messages: 1234,
      days: 5,
      start: new Date("2027-02-01T15:00:00Z"),
      externalPeople: 15,
    });
    const written: Array<{ name: string }> = JSON.parse(
      await readFile(join(s.outDir, "channels.json"), "utf8"),
    );
    expect(written).toHaveLength(33);
    expect(new Set(written.map((c) => c.name)).size).toBe(33);
    expect(s.dateRange).toEqual({ start: "2027-02-01", end: "2027-02-05" });
    let total = 0;
    for (const f of await listFiles(s.outDir)) {
      if (f.includes("/"))
        total += (JSON.parse(await readFile(join(s.outDir, f), "utf8")) as unknown[]).length;
    }
    expect(total).toBe(1234);
  });

  it("replaces a previous export only when asked, and never a folder holding something else", async () => {
    const dir = join(tmp, "again");
    await generateSampleExport(dir, { messages: 10 });
    await expect(generateSampleExport(dir, { messages: 20 })).rejects.toThrow(/is not empty/);
    const s = await generateSampleExport(dir, { messages: 20, overwrite: true });
    expect(s.messages).toBe(20);

    const other = join(tmp, "occupied");
    await mkdir(other, { recursive: true });
    await writeFile(join(other, "keep.txt"), "mine");
    await expect(generateSampleExport(other, { messages: 10, overwrite: true })).rejects.toThrow(
      /holds no Slack export/,
    );
    expect(await readFile(join(other, "keep.txt"), "utf8")).toBe("mine");
  });

  it.each([
    [{ members: 1 }, /members must be an integer ≥ 2/],
    [{ messages: -5 }, /messages must be an integer ≥ 0/],
    [{ channels: 0 }, /channels must be an integer ≥ 1/],
    [{ days: 1.5 }, /days must be an integer ≥ 1/],
    [{ externalPeople: 0 }, /externalPeople must be an integer from 1/],
    [{ start: new Date("nope") }, /start is not a valid date/],
  ])("rejects %j with a clear message", async (options, message) => {
    await expect(generateSampleExport(join(tmp, "never"), options)).rejects.toThrow(message);
  });

  it("uses documented defaults", () => {
    expect(SAMPLE_DEFAULTS).toMatchObject({ members: 28, messages: 3600, channels: 10, days: 100 });
  });
});

describe("prng helpers", () => {
  it("repeats its sequence for a seed", () => {
    const a = createRng(123);
    const b = createRng(123);
    const c = createRng(124);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it.each([
    [10, [1, 1, 1], [4, 3, 3]],
    [7, [0, 1, 0], [0, 7, 0]],
    [5, [2, 1, 1], [3, 1, 1]],
    [0, [1, 2], [0, 0]],
  ])("apportion(%i, %j) = %j", (total, weights, expected) => {
    expect(apportion(total, weights)).toEqual(expected);
  });

  it("picks by weight", () => {
    const picker = new WeightedPicker(["a", "b", "c"], [1, 0, 3]);
    const rng = createRng(1);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) {
      const k = picker.pick(rng);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts.b).toBe(0);
    expect(counts.c ?? 0).toBeGreaterThan(2.5 * (counts.a ?? 0));
  });
});
