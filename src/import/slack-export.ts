// Streaming reader for a standard Slack workspace export (folder or .zip):
//   users.json, channels.json (+ groups.json, mpims.json, dms.json), <folder>/<YYYY-MM-DD>.json
// Metadata comes back as validated arrays; day files are yielded element by element, so one bad
// file or one bad message is reported and skipped while the rest of the export is still imported.
import type { ZodError } from "zod";
import {
  type ExportFile,
  type ExportSource,
  openExportSource,
  ROOT_MARKERS,
  SlackExportError,
} from "./export-source.ts";
import { JsonFileError, readJsonArray } from "./json-array.ts";
import { describeZodError, SlackChannel, SlackMessage, SlackUser } from "./slack-schema.ts";

export { SlackExportError } from "./export-source.ts";
export type { MessageClass, SkipReason } from "./slack-message.ts";
export {
  classifyMessage,
  describeSkip,
  isSystemMessage,
  messageText,
  messageUser,
  slackTsToDate,
} from "./slack-message.ts";
export { SlackChannel, SlackMessage, SlackUser } from "./slack-schema.ts";

/** Where a conversation came from: channels.json, groups.json, mpims.json, dms.json, or only a folder. */
export type ChannelKind = "public" | "private" | "mpim" | "dm" | "unlisted";

export interface ExportChannel extends SlackChannel {
  /** Always set: DMs and unlisted folders use their id / folder name. */
  name: string;
  kind: ChannelKind;
  /** Folder in the export holding this conversation's day files. */
  folder: string;
}

/**
 * What messages() yields, in export order: `skipped` files first, then each day file's messages.
 * Every day file ends with exactly one `file-done` or `file-error`; their `bytes` add up to
 * countMessageFiles().bytes, so a progress bar can advance on them.
 */
export type ExportEvent =
  | { type: "message"; file: string; index: number; channel: ExportChannel; message: SlackMessage }
  /** One array element that isn't a message: skipped, the file goes on. */
  | { type: "invalid-message"; file: string; index: number; channel: ExportChannel; error: string }
  | {
      type: "file-done";
      file: string;
      channel: ExportChannel;
      messages: number;
      invalid: number;
      bytes: number;
    }
  /** The file could not be read to the end; `messages` were yielded before the problem. */
  | {
      type: "file-error";
      file: string;
      channel: ExportChannel;
      error: string;
      messages: number;
      bytes: number;
    }
  /** A file that is not part of the export's messages (e.g. notes.txt, a folder's canvas.json). */
  | { type: "skipped"; file: string; reason: string; bytes: number };

/** An entry of users.json / channels.json / … that failed validation and was left out. */
export interface MetadataIssue {
  file: string;
  index?: number;
  error: string;
}

export interface SlackExportReader {
  readonly path: string;
  readonly kind: "folder" | "zip";
  /**
   * users.json, validated. Missing file → [] (noted in issues). Invalid entries are left out and
   * noted in issues. A users.json that is not a JSON array rejects with SlackExportError.
   */
  users(): Promise<SlackUser[]>;
  /** channels.json, then groups.json, mpims.json, dms.json (each optional), same rules as users(). */
  channels(): Promise<ExportChannel[]>;
  /** Problems found so far in the metadata files. */
  readonly issues: readonly MetadataIssue[];
  /** Day files and their total size, without reading them: for a progress bar. */
  countMessageFiles(): Promise<{ files: number; bytes: number }>;
  /** Conversations in metadata order (unlisted folders last, by name), day files by date. */
  messages(): AsyncIterable<ExportEvent>;
  /**
   * The same events in chunks (a day file's messages at once, or a few hundred of a big one): for
   * the import, where handing over a million messages one by one costs more than reading them.
   */
  messageChunks(): AsyncIterable<ExportEvent[]>;
  close(): Promise<void>;
}

export interface OpenSlackExportOptions {
  /** Day files above this size are streamed instead of parsed whole. */
  bufferLimitBytes?: number;
}

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

const CONVERSATION_FILES: ReadonlyArray<{ file: string; kind: Exclude<ChannelKind, "unlisted"> }> = [
  { file: "channels.json", kind: "public" },
  { file: "groups.json", kind: "private" },
  { file: "mpims.json", kind: "mpim" },
  { file: "dms.json", kind: "dm" },
];

interface Plan {
  skipped: Array<{ file: string; reason: string; bytes: number }>;
  /** Folder → day files sorted by date. */
  dayFiles: Map<string, ExportFile[]>;
}

function plan(source: ExportSource): Plan {
  const skipped: Plan["skipped"] = source.outside.map((file) => ({
    file,
    reason: "outside the export folder",
    bytes: 0,
  }));
  const dayFiles = new Map<string, ExportFile[]>();
  for (const f of source.files) {
    const parts = f.path.split("/");
    if (parts.length === 1) {
      if (!ROOT_MARKERS.has(f.path) && f.path !== "canvases.json") {
        skipped.push({ file: f.path, reason: "not part of a Slack export", bytes: f.size });
      }
    } else if (parts.length === 2 && DAY_FILE.test(parts[1] ?? "")) {
      const folder = parts[0] ?? "";
      const list = dayFiles.get(folder);
      if (list) list.push(f);
      else dayFiles.set(folder, [f]);
    } else {
      skipped.push({
        file: f.path,
        reason: "not a day file (expected <channel>/YYYY-MM-DD.json)",
        bytes: f.size,
      });
    }
  }
  for (const list of dayFiles.values()) list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  return { skipped, dayFiles };
}

/** A field of an entry that failed validation, if it is a usable string. */
function field(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

function lostUser(value: unknown): { lost: string } {
  const who = field(value, "real_name") ?? field(value, "name") ?? field(value, "id");
  const id = field(value, "id");
  return {
    lost: `${who ? `${who}'s` : "this person's"} name, email and team are unknown, so ${id ? `messages by ${id}` : "their messages"} count as an unknown teammate's and their own name or address may be taken for an outsider`,
  };
}

/** An entry with an id and a name still maps its folder to the channel id; the rest is dropped. */
function lostChannel(value: unknown): { keep?: SlackChannel; lost: string } {
  const id = field(value, "id");
  const name = field(value, "name");
  if (id && name)
    return {
      keep: { id, name, members: [] },
      lost: `#${name}'s topic, purpose and member list are not imported`,
    };
  // DMs and group DMs have no name: their folder is the id.
  if (id) return { keep: { id, members: [] }, lost: `the details of conversation ${id} are not imported` };
  return {
    lost: name
      ? `#${name} has no channel id, so its messages are imported under the folder name "${name}" and later edits and deletions of them in Slack won't be matched`
      : "this conversation has no name, so no folder's messages can be tied to its channel id",
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Reader implements SlackExportReader {
  readonly issues: MetadataIssue[] = [];
  private usersCache: Promise<SlackUser[]> | undefined;
  private channelsCache: Promise<ExportChannel[]> | undefined;
  private readonly plan: Plan;

  constructor(
    readonly path: string,
    private readonly source: ExportSource,
    private readonly options: OpenSlackExportOptions,
  ) {
    this.plan = plan(source);
  }

  get kind(): "folder" | "zip" {
    return this.source.kind;
  }

  private fileInfo(name: string): ExportFile | undefined {
    return this.source.files.find((f) => f.path === name);
  }

  /** Valid entries of a metadata array; undefined when the file is absent. */
  private async readMetadata<T>(
    name: string,
    parse: (value: unknown) => { success: true; data: T } | { success: false; error: ZodError },
    /**
     * For an entry that failed validation: what can still be kept of it, and what is lost, in
     * words for the person running the import.
     */
    lost: (value: unknown) => { keep?: T; lost: string },
  ): Promise<T[] | undefined> {
    const info = this.fileInfo(name);
    if (!info) return undefined;
    const out: T[] = [];
    let index = 0;
    try {
      for await (const chunk of readJsonArray(() => this.source.open(name), {
        sizeBytes: info.size,
        bufferLimitBytes: this.options.bufferLimitBytes,
      })) {
        for (const value of chunk) {
          const result = parse(value);
          if (result.success) out.push(result.data);
          else {
            const fallback = lost(value);
            if (fallback.keep) out.push(fallback.keep);
            const what = fallback.keep ? "partly read" : "left out";
            this.issues.push({
              file: name,
              index,
              error: `${what} (${describeZodError(result.error)}): ${fallback.lost}`,
            });
          }
          index++;
        }
      }
    } catch (error) {
      if (error instanceof JsonFileError) throw new SlackExportError(`${name}: ${error.message}`);
      throw error;
    }
    return out;
  }

  users(): Promise<SlackUser[]> {
    this.usersCache ??= this.readMetadata("users.json", (v) => SlackUser.safeParse(v), lostUser).then(
      (users) => {
        if (users) return users;
        this.issues.push({
          file: "users.json",
          error: "missing: message authors can't be matched to people",
        });
        return [];
      },
    );
    return this.usersCache;
  }

  channels(): Promise<ExportChannel[]> {
    this.channelsCache ??= (async () => {
      const seen = new Set<string>();
      const out: ExportChannel[] = [];
      for (const { file, kind } of CONVERSATION_FILES) {
        const list = await this.readMetadata(file, (v) => SlackChannel.safeParse(v), lostChannel);
        for (const c of list ?? []) {
          if (seen.has(c.id)) continue;
          seen.add(c.id);
          const name = c.name ?? c.id;
          out.push({ ...c, name, kind, folder: kind === "dm" ? c.id : name });
        }
      }
      return out;
    })();
    return this.channelsCache;
  }

  async countMessageFiles(): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for (const list of this.plan.dayFiles.values()) {
      files += list.length;
      for (const f of list) bytes += f.size;
    }
    return { files, bytes };
  }

  /** Conversations with their day files: metadata order first, then folders no metadata lists. */
  private async conversations(): Promise<Array<{ channel: ExportChannel; files: ExportFile[] }>> {
    const channels = await this.channels();
    const out: Array<{ channel: ExportChannel; files: ExportFile[] }> = [];
    const claimed = new Set<string>();
    for (const channel of channels) {
      const files = this.plan.dayFiles.get(channel.folder);
      if (!files || claimed.has(channel.folder)) continue;
      claimed.add(channel.folder);
      out.push({ channel, files });
    }
    const rest = [...this.plan.dayFiles.keys()].filter((f) => !claimed.has(f)).sort();
    for (const folder of rest) {
      const channel: ExportChannel = { id: folder, name: folder, kind: "unlisted", folder, members: [] };
      out.push({ channel, files: this.plan.dayFiles.get(folder) ?? [] });
    }
    return out;
  }

  async *messages(): AsyncGenerator<ExportEvent, void, undefined> {
    for await (const chunk of this.messageChunks()) yield* chunk;
  }

  async *messageChunks(): AsyncGenerator<ExportEvent[], void, undefined> {
    if (this.plan.skipped.length > 0)
      yield this.plan.skipped.map((s) => ({ type: "skipped" as const, ...s }));
    for (const { channel, files } of await this.conversations()) {
      for (const f of files) yield* this.readDayFile(channel, f);
    }
  }

  private async *readDayFile(
    channel: ExportChannel,
    f: ExportFile,
  ): AsyncGenerator<ExportEvent[], void, undefined> {
    let index = 0;
    let messages = 0;
    let invalid = 0;
    try {
      for await (const values of readJsonArray(() => this.source.open(f.path), {
        sizeBytes: f.size,
        bufferLimitBytes: this.options.bufferLimitBytes,
      })) {
        const events: ExportEvent[] = [];
        for (const value of values) {
          const parsed = SlackMessage.safeParse(value);
          if (parsed.success) {
            messages++;
            events.push({ type: "message", file: f.path, index, channel, message: parsed.data });
          } else {
            invalid++;
            events.push({
              type: "invalid-message",
              file: f.path,
              index,
              channel,
              error: describeZodError(parsed.error),
            });
          }
          index++;
        }
        yield events;
      }
    } catch (error) {
      const reason =
        error instanceof JsonFileError ? error.message : `could not read the file: ${errorText(error)}`;
      yield [{ type: "file-error", file: f.path, channel, error: reason, messages, bytes: f.size }];
      return;
    }
    yield [{ type: "file-done", file: f.path, channel, messages, invalid, bytes: f.size }];
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

/**
 * Opens a Slack export folder or .zip. Rejects with SlackExportError (a message for the person
 * running the import) when the path is missing, unreadable, or holds no Slack export.
 */
export async function openSlackExport(
  path: string,
  options: OpenSlackExportOptions = {},
): Promise<SlackExportReader> {
  const source = await openExportSource(path);
  const reader = new Reader(path, source, options);
  const hasMetadata = source.files.some((f) => ROOT_MARKERS.has(f.path));
  if (!hasMetadata && (await reader.countMessageFiles()).files === 0) {
    await source.close();
    throw new SlackExportError(
      `${path} doesn't look like a Slack export: no users.json, channels.json or <channel>/YYYY-MM-DD.json files`,
    );
  }
  return reader;
}

/** The value most entries have (ties: the first in sort order, so the result doesn't depend on file order). */
function mostCommon(values: Iterable<string>): { value: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: { value: string; count: number } | undefined;
  for (const [value, count] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (!best || count > best.count) best = { value, count };
  return best;
}

/** Users who are people of the workspace's own team (not bots, not Slack Connect strangers). */
function homeUsers(users: readonly SlackUser[], teamId: string | undefined): SlackUser[] {
  return users.filter(
    (u) =>
      !u.is_bot &&
      !u.is_app_user &&
      !u.is_stranger &&
      u.id !== "USLACKBOT" &&
      (!teamId || !u.team_id || u.team_id === teamId),
  );
}

/**
 * The workspace's time zone: the most common valid `tz` among its people. Exports say nothing
 * else about it, and a digest posted at the hour most of the team lives in is the useful one.
 */
export function exportTimeZone(
  users: readonly SlackUser[],
  isValid: (tz: string) => boolean,
): { timezone: string; members: number; of: number } | undefined {
  const people = homeUsers(users, primaryTeamId(users));
  const best = mostCommon(people.flatMap((u) => (u.tz && isValid(u.tz) ? [u.tz] : [])));
  return best ? { timezone: best.value, members: best.count, of: people.length } : undefined;
}

/**
 * What to call the workspace. An export names it nowhere in its files (channels, users,
 * integration_logs.json, canvases.json carry ids only), except an Enterprise Grid's name on its
 * users; Slack names the download "<Workspace> Slack export <dates>.zip", so the folder or zip
 * name, without that suffix, is the fallback.
 */
export function exportWorkspaceName(
  users: readonly SlackUser[],
  path: string,
): { name: string; from: "enterprise" | "file name" } {
  const people = homeUsers(users, primaryTeamId(users));
  const enterprise = mostCommon(people.flatMap((u) => u.enterprise_user?.enterprise_name?.trim() || []));
  if (enterprise) return { name: enterprise.value, from: "enterprise" };
  // Loops and searches rather than `[\\/]+$` and `\s+slack…` patterns: those are retried from every
  // character of a long run, quadratic on a crafted path.
  let end = path.length;
  while (end > 0 && (path[end - 1] === "/" || path[end - 1] === "\\")) end--;
  const base = (path.slice(0, end).split(/[\\/]/).pop() ?? path).replace(/\.zip$/i, "");
  const suffix = base.search(/\sslack\s+export\b/i);
  const cleaned = (suffix < 0 ? base : base.slice(0, suffix)).trim();
  return { name: cleaned || base, from: "file name" };
}

/**
 * The workspace's own team: the most common team_id among users Slack doesn't mark as strangers.
 * Users of another team (Slack Connect) are external people, never teammates.
 */
export function primaryTeamId(users: readonly SlackUser[]): string | undefined {
  const counts = new Map<string, number>();
  for (const u of users) {
    if (!u.team_id || u.is_stranger || u.is_bot) continue;
    counts.set(u.team_id, (counts.get(u.team_id) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [team, count] of counts) {
    if (count > bestCount) {
      best = team;
      bestCount = count;
    }
  }
  return best;
}
