// Writes a synthetic Slack workspace export of a fictional company, deterministically from a seed.
// Day files are produced one at a time in date order and written while the next ones are built,
// so memory stays flat and a million messages take seconds.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildExternals, type SampleExternalPerson } from "./externals.ts";
import { buildDayFile, serializeDayFile, TextWriter } from "./messages.ts";
import { COMPANY, CONNECT_TEAM } from "./people.ts";
import { apportion, createRng, deriveSeed, WeightedPicker } from "./prng.ts";
import {
  BOTS,
  botUserRecord,
  buildChannels,
  buildMembers,
  channelRecord,
  connectUserRecord,
  DAY_S,
  memberUserRecord,
  toExternals,
} from "./workspace.ts";

export interface SampleOptions {
  seed?: number;
  /** Human teammates of the company (deactivated ones included). */
  members?: number;
  externalPeople?: number;
  messages?: number;
  channels?: number;
  /** First day (UTC) of the export. */
  start?: Date;
  days?: number;
  /** Replace outDir when it holds a previous export, instead of refusing. */
  overwrite?: boolean;
}

export interface SampleExternalSummary extends SampleExternalPerson {
  /** Messages whose text refers to this person (any author). */
  mentions: number;
  /** Distinct teammates who wrote those messages. */
  mentionedBy: number;
}

export interface SampleSummary {
  outDir: string;
  seed: number;
  company: { name: string; domain: string; teamId: string };
  connectTeam: { name: string; domain: string; teamId: string };
  /** Human teammates in users.json, deactivated ones included. */
  members: number;
  bots: number;
  slackConnectUsers: number;
  channels: number;
  messages: number;
  /** Day files (<channel>/<YYYY-MM-DD>.json). */
  files: number;
  /** Bytes written, metadata included. */
  bytes: number;
  /** Inclusive UTC dates, YYYY-MM-DD. */
  dateRange: { start: string; end: string };
  externalPeople: SampleExternalSummary[];
}

export const SAMPLE_DEFAULTS = {
  seed: 42,
  members: 28,
  externalPeople: 24,
  messages: 3600,
  channels: 10,
  /** 100 days ending 2026-11-20. */
  start: new Date(Date.UTC(2026, 7, 13)),
  days: 100,
} as const;

/** Day files being written while the next ones are built; bounds memory to a few files. */
const MAX_WRITES_IN_FLIGHT = 4;

function isoDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

function checkInt(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

async function prepareOutDir(outDir: string, overwrite: boolean): Promise<void> {
  let entries: string[] = [];
  try {
    entries = await readdir(outDir);
  } catch {
    // Missing: created below.
  }
  if (entries.length > 0) {
    if (!overwrite)
      throw new Error(`${outDir} is not empty; choose an empty folder or pass --force to replace it`);
    // Deleting a folder is only safe when it is a previous export, never e.g. a home directory.
    if (!entries.includes("users.json") && !entries.includes("channels.json")) {
      throw new Error(`refusing to replace ${outDir}: it is not empty and holds no Slack export`);
    }
    await rm(outDir, { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true });
}

async function writeJson(path: string, value: unknown): Promise<number> {
  const text = `${JSON.stringify(value, null, 4)}\n`;
  await writeFile(path, text);
  return Buffer.byteLength(text);
}

/**
 * Writes the export into outDir (created if missing; refused if not empty unless `overwrite`) and
 * returns what was written, with the ground truth about the external people.
 */
export async function generateSampleExport(
  outDir: string,
  options: SampleOptions = {},
): Promise<SampleSummary> {
  const seed = options.seed ?? SAMPLE_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const memberCount = checkInt("members", options.members ?? SAMPLE_DEFAULTS.members, 2);
  const messageCount = checkInt("messages", options.messages ?? SAMPLE_DEFAULTS.messages, 0);
  const channelCount = checkInt("channels", options.channels ?? SAMPLE_DEFAULTS.channels, 1);
  const dayCount = checkInt("days", options.days ?? SAMPLE_DEFAULTS.days, 1);
  const start = options.start ?? SAMPLE_DEFAULTS.start;
  if (Number.isNaN(start.getTime())) throw new RangeError("start is not a valid date");
  const startS = Math.floor(start.getTime() / 1000 / DAY_S) * DAY_S;
  const people = buildExternals(options.externalPeople ?? SAMPLE_DEFAULTS.externalPeople);
  await prepareOutDir(outDir, options.overwrite ?? false);

  // Separate streams, so e.g. a new member field doesn't reshuffle every message.
  const peopleRng = createRng(deriveSeed(seed, "people"));
  const members = buildMembers(peopleRng, memberCount);
  const externals = toExternals(peopleRng, people);
  const channels = buildChannels(
    createRng(deriveSeed(seed, "channels")),
    channelCount,
    members,
    externals,
    startS,
  );
  const connectExternals = externals.filter((e) => e.connectAuthor);

  let bytes = await writeJson(join(outDir, "users.json"), [
    ...members.map((m) => memberUserRecord(m, peopleRng)),
    ...connectExternals.map(connectUserRecord),
    botUserRecord(BOTS.github),
    botUserRecord(BOTS.standup),
  ]);
  bytes += await writeJson(join(outDir, "channels.json"), channels.map(channelRecord));

  // How many messages each day (weekdays busier), then which channel each one lands in.
  const dayRng = createRng(deriveSeed(seed, "days"));
  const dayWeights = Array.from({ length: dayCount }, (_, d) => {
    const weekday = new Date((startS + d * DAY_S) * 1000).getUTCDay();
    return (weekday === 0 || weekday === 6 ? 0.12 : 1) * (0.7 + 0.6 * dayRng.next());
  });
  const perDay = apportion(messageCount, dayWeights);
  const channelPicker = new WeightedPicker(
    channels.map((_, i) => i),
    channels.map((c) => c.def.weight),
  );
  const msgRng = createRng(deriveSeed(seed, "messages"));
  const writer = new TextWriter(msgRng, members);
  const madeDirs = new Set<string>();
  const inFlight: Array<Promise<number>> = [];
  let files = 0;
  for (let d = 0; d < dayCount; d++) {
    const dayStart = startS + d * DAY_S;
    const counts = new Array<number>(channels.length).fill(0);
    for (let k = 0; k < (perDay[d] ?? 0); k++) {
      const c = channelPicker.pick(dayRng);
      counts[c] = (counts[c] ?? 0) + 1;
    }
    for (let c = 0; c < channels.length; c++) {
      const channel = channels[c];
      const n = counts[c] ?? 0;
      if (!channel || n === 0) continue;
      const text = serializeDayFile(buildDayFile(msgRng, writer, channel, dayStart, n));
      const dir = join(outDir, channel.def.name);
      if (!madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        madeDirs.add(dir);
      }
      if (inFlight.length >= MAX_WRITES_IN_FLIGHT) bytes += await (inFlight.shift() as Promise<number>);
      const write = writeFile(join(dir, `${isoDate(dayStart)}.json`), text).then(() =>
        Buffer.byteLength(text),
      );
      // Failures surface when awaited; this only keeps a second failure from crashing the process.
      write.catch(() => {});
      inFlight.push(write);
      files++;
    }
  }
  for (const written of await Promise.all(inFlight)) bytes += written;

  return {
    outDir,
    seed,
    company: { name: COMPANY.name, domain: COMPANY.domain, teamId: COMPANY.teamId },
    connectTeam: { name: CONNECT_TEAM.name, domain: CONNECT_TEAM.domain, teamId: CONNECT_TEAM.teamId },
    members: members.length,
    bots: Object.keys(BOTS).length,
    slackConnectUsers: connectExternals.length,
    channels: channels.length,
    messages: messageCount,
    files,
    bytes,
    dateRange: { start: isoDate(startS), end: isoDate(startS + (dayCount - 1) * DAY_S) },
    externalPeople: externals.map((e) => ({
      ...e.person,
      mentions: e.mentions,
      mentionedBy: e.mentionedBy.size,
    })),
  };
}
