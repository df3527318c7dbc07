// Messages of one channel-day: text from templates, Slack's message shapes (threads, edits,
// files, joins, bots), and a fast serializer for the day file.
import type { SampleExternalPerson } from "./externals.ts";
import { COMPANY } from "./people.ts";
import { type Rng, randomHex, randomUuid } from "./prng.ts";
import {
  BOT_TEMPLATES,
  CONNECT_AUTHOR_TEMPLATES,
  CONNECT_MENTION_TEMPLATES,
  compileTemplate,
  EXTERNAL_TEMPLATES,
  NOISE_TEMPLATES,
  TEAMMATE_TEMPLATES,
  type TemplatePart,
  tokensOf,
  VOCAB,
} from "./templates.ts";
import { type Author, BOTS, type Channel, type External, type Member } from "./workspace.ts";

interface Template {
  parts: TemplatePart[];
  tokens: Set<string>;
}

const compile = (list: readonly string[]): Template[] =>
  list.map((t) => {
    const parts = compileTemplate(t);
    return { parts, tokens: tokensOf(parts) };
  });
const T_EXTERNAL = compile(EXTERNAL_TEMPLATES);
const T_CONNECT_MENTION = compile(CONNECT_MENTION_TEMPLATES);
const T_CONNECT_AUTHOR = compile(CONNECT_AUTHOR_TEMPLATES);
const T_CONNECT_AUTHOR_ALONE = T_CONNECT_AUTHOR.filter((t) => ![...t.tokens].some((k) => k.startsWith("p.")));
const T_TEAMMATE = compile(TEAMMATE_TEMPLATES);
const T_NOISE = compile(NOISE_TEMPLATES);
const T_GITHUB = compile(BOT_TEMPLATES.github);
const T_STANDUP = compile(BOT_TEMPLATES.standup);

/** A person's message. Kept as fields (not an object tree) so it serializes without JSON.stringify's slow path. */
export interface PersonMessage {
  kind: "person";
  clientMsgId: string;
  text: string;
  author: Author;
  ts: string;
  subtype?: "file_share" | "thread_broadcast";
  editedTs?: string;
  filesJson?: string;
  threadTs?: string;
  parentUserId?: string;
  replies?: Array<{ user: string; ts: string }>;
  /** The external person the text is about; not written out. */
  about?: External;
}

/** Bots and housekeeping: rare enough to keep as plain objects. */
export interface RawMessage {
  kind: "raw";
  value: Record<string, unknown>;
}

export type DayMessage = PersonMessage | RawMessage;

function canUse(tokens: ReadonlySet<string>, p: SampleExternalPerson): boolean {
  if (tokens.has("p.email") && !p.email) return false;
  if (tokens.has("p.handle") && !p.handle) return false;
  if (tokens.has("p.url") && p.urls.length === 0) return false;
  if (tokens.has("p.mention") && !p.slackUserId) return false;
  return true;
}

/** A template this person has the details for (no email template for someone without one). */
function pickTemplate(rng: Rng, list: readonly Template[], person: SampleExternalPerson): TemplatePart[] {
  const start = rng.int(list.length);
  for (let k = 0; k < list.length; k++) {
    const t = list[(start + k) % list.length];
    if (t && canUse(t.tokens, person)) return t.parts;
  }
  return list[0]?.parts ?? [];
}

/** Turns templates into message text. */
export class TextWriter {
  constructor(
    private readonly rng: Rng,
    private readonly members: readonly Member[],
  ) {}

  render(
    parts: readonly TemplatePart[],
    ctx: { channel: Channel; author: number | null; person?: External },
  ): string {
    const p = ctx.person;
    let mate: Member | undefined;
    let mate2: Member | undefined;
    let out = "";
    for (const part of parts) {
      if (typeof part === "string") {
        out += part;
        continue;
      }
      const t = part.token;
      if (t.startsWith("p.")) {
        out += p ? this.personToken(t, p) : "";
      } else if (t.startsWith("mate2")) {
        mate ??= this.mate(ctx.channel, ctx.author);
        mate2 ??= this.mate(ctx.channel, mate.index);
        out += this.mateToken(t.slice(5), mate2);
      } else if (t.startsWith("mate")) {
        mate ??= this.mate(ctx.channel, ctx.author);
        out += this.mateToken(t.slice(4), mate);
      } else {
        out += this.vocabToken(t);
      }
    }
    return out;
  }

  private vocabToken(t: string): string {
    const r = this.rng;
    switch (t) {
      case "n":
        return String(r.range(2, 480));
      case "n2":
        return String(r.range(0, 20));
      case "dayNum":
        return String(r.range(1, 28));
      case "version":
        return `${r.range(1, 6)}.${r.range(0, 20)}`;
      case "ours":
        return r.pick(COMPANY.products);
      case "doc":
        return `<https://docs.${COMPANY.domain}/d/${randomHex(r, 10)}|${r.pick(VOCAB.docTitle)}>`;
      default: {
        const list = (VOCAB as Record<string, readonly string[]>)[t];
        return list ? r.pick(list) : "";
      }
    }
  }

  /** Slack stores typed emails as mailto links; some integrations post them bare. */
  private email(address: string): string {
    return this.rng.chance(0.8) ? `<mailto:${address}|${address}>` : address;
  }

  private personName(e: External, kind: "name" | "full" | "short" | "formal"): string {
    const s = e.seed;
    const r = this.rng;
    switch (kind) {
      case "full":
        return s.fullVariants.length > 0 && r.chance(0.35) ? r.pick(s.fullVariants) : s.name;
      case "short":
        return s.short.length > 0 ? r.pick(s.short) : s.name;
      case "formal":
        return s.formal.length > 0 ? r.pick(s.formal) : this.personName(e, "full");
      case "name":
        return e.nameForms.length > 0 && r.chance(0.6) ? r.pick(e.nameForms) : s.name;
    }
  }

  private personToken(t: string, e: External): string {
    const p = e.person;
    const r = this.rng;
    switch (t) {
      case "p.name":
        return this.personName(e, "name");
      case "p.full":
        return this.personName(e, "full");
      case "p.short":
        return this.personName(e, "short");
      case "p.formal":
        return this.personName(e, "formal");
      case "p.poss":
        return `${this.personName(e, r.chance(0.5) ? "short" : "full")}'s`;
      case "p.org":
        return p.organizationAliases.length > 0 && r.chance(0.35)
          ? r.pick(p.organizationAliases)
          : p.organization;
      case "p.title":
        return p.title;
      case "p.email":
        return p.email ? this.email(p.email) : p.name;
      case "p.handle":
        return p.handle ?? p.name;
      case "p.url":
        return p.urls.length > 0 ? `<${r.pick(p.urls)}>` : p.name;
      case "p.mention":
        return p.slackUserId ? `<@${p.slackUserId}>` : p.name;
      default:
        return p.name;
    }
  }

  /** Another teammate than the author, preferably one still around. */
  private mate(channel: Channel, exclude: number | null): Member {
    const pool = channel.members.length > 1 ? channel.members : this.members;
    for (let i = 0; i < 4; i++) {
      const m = this.rng.pick(pool);
      if (m.index !== exclude && !m.deleted) return m;
    }
    return this.rng.pick(pool);
  }

  private mateToken(field: string, m: Member): string {
    switch (field) {
      case ".mention":
        return `<@${m.id}>`;
      case ".full":
        return m.full;
      case ".email":
        return this.email(m.email);
      case ".poss":
        return `${m.first}'s`;
      default:
        return this.rng.chance(0.85) ? m.first : m.full;
    }
  }
}

const SYSTEM_RATE = 0.012;

/** One channel-day: `n` messages in time order, with the odd thread, edit, file, join and bot post. */
export function buildDayFile(
  rng: Rng,
  writer: TextWriter,
  channel: Channel,
  dayStart: number,
  n: number,
): DayMessage[] {
  // Office hours across US and European time zones: 08:00-23:00 UTC, same UTC day.
  const seconds = new Array<number>(n);
  for (let i = 0; i < n; i++) seconds[i] = dayStart + 8 * 3600 + rng.int(15 * 3600);
  seconds.sort((a, b) => a - b);
  const def = channel.def;
  const out: DayMessage[] = [];
  let prevSec = -1;
  let sameSecond = 0;
  let thread: { parent: PersonMessage; left: number } | null = null;

  for (const sec of seconds) {
    sameSecond = sec === prevSec ? sameSecond + 1 : 0;
    prevSec = sec;
    // Unique and increasing within the channel: up to 1000 messages may share a second.
    const ts = `${sec}.${String(sameSecond * 1000 + rng.int(1000)).padStart(6, "0")}`;
    const r = rng.next();
    if (r < SYSTEM_RATE) {
      out.push({ kind: "raw", value: systemMessage(rng, channel, ts) });
      continue;
    }
    if (r < SYSTEM_RATE + def.bot) {
      out.push({ kind: "raw", value: botMessage(rng, writer, channel, ts) });
      continue;
    }
    const s = (r - SYSTEM_RATE - def.bot) / (1 - SYSTEM_RATE - def.bot);
    const msg = personMessage(rng, writer, channel, s, ts);
    if (rng.chance(0.03)) msg.editedTs = `${sec + 30 + rng.int(600)}.000000`;
    if (rng.chance(0.02)) {
      msg.subtype = "file_share";
      if (rng.chance(0.3)) msg.text = "";
      const name = rng.pick(["deck.pdf", "notes.docx", "screenshot.png", "pricing.xlsx"]);
      msg.filesJson = JSON.stringify([
        {
          id: `F0${randomHex(rng, 9).toUpperCase()}`,
          created: sec,
          name,
          title: name,
          mimetype: name.endsWith(".png") ? "image/png" : "application/octet-stream",
          filetype: name.split(".")[1],
          size: 10_000 + rng.int(2_000_000),
        },
      ]);
    }
    // Threads: a reply joins the open thread; otherwise this message may start one.
    if (thread && thread.left > 0 && rng.chance(0.6)) {
      const parent = thread.parent;
      parent.threadTs = parent.ts;
      parent.replies ??= [];
      parent.replies.push({ user: msg.author.id, ts });
      msg.threadTs = parent.ts;
      msg.parentUserId = parent.author.id;
      if (msg.subtype === undefined && rng.chance(0.08)) msg.subtype = "thread_broadcast";
      thread.left--;
    } else if (msg.subtype === undefined && rng.chance(0.06)) {
      thread = { parent: msg, left: rng.range(1, 4) };
    }
    // Counted last: a file shared without a comment no longer names anyone.
    if (msg.about && msg.text) {
      msg.about.mentions++;
      if (msg.author.memberIndex !== null) msg.about.mentionedBy.add(msg.author.memberIndex);
    }
    out.push(msg);
  }
  return out;
}

/** `s` in [0, 1) chooses what the message is about, by the channel's mix. */
function personMessage(rng: Rng, writer: TextWriter, channel: Channel, s: number, ts: string): PersonMessage {
  const def = channel.def;
  let author: Author = channel.authors.pick(rng);
  let text: string;
  let about: External | undefined;
  if (channel.connectAuthors.length > 0 && s < 0.3) {
    // Slack Connect users speak for themselves in the shared channel.
    author = rng.pick(channel.connectAuthors);
    const colleagues = channel.connectExternals.filter((e) => e.connectAuthor?.id !== author.id);
    const template = rng.pick(colleagues.length > 0 ? T_CONNECT_AUTHOR : T_CONNECT_AUTHOR_ALONE);
    if ([...template.tokens].some((k) => k.startsWith("p."))) about = rng.pick(colleagues);
    text = writer.render(template.parts, { channel, author: null, person: about });
  } else if (s < def.ext) {
    const useConnect = channel.connectExternals.length > 0 && rng.chance(0.85);
    about = useConnect ? rng.pick(channel.connectExternals) : channel.externals.pick(rng);
    const list = useConnect && rng.chance(0.45) ? T_CONNECT_MENTION : T_EXTERNAL;
    text = writer.render(pickTemplate(rng, list, about.person), {
      channel,
      author: author.memberIndex,
      person: about,
    });
  } else if (s < def.ext + def.mate) {
    text = writer.render(rng.pick(T_TEAMMATE).parts, { channel, author: author.memberIndex });
  } else {
    text = writer.render(rng.pick(T_NOISE).parts, { channel, author: author.memberIndex });
  }
  return { kind: "person", clientMsgId: randomUuid(rng), text, author, ts, about };
}

function systemMessage(rng: Rng, channel: Channel, ts: string): Record<string, unknown> {
  const member = rng.pick(channel.members);
  const kind = rng.next();
  if (kind < 0.75 || channel.def.shared) {
    return {
      type: "message",
      subtype: "channel_join",
      ts,
      user: member.id,
      text: `<@${member.id}> has joined the channel`,
    };
  }
  if (kind < 0.9) {
    const topic = `${rng.pick(VOCAB.quarter)} focus: ${rng.pick(VOCAB.topic)}`;
    return {
      type: "message",
      subtype: "channel_topic",
      ts,
      user: member.id,
      text: `set the channel topic: ${topic}`,
      topic,
    };
  }
  const purpose = channel.def.purpose || `All things ${channel.def.name}`;
  return {
    type: "message",
    subtype: "channel_purpose",
    ts,
    user: member.id,
    text: `set the channel purpose: ${purpose}`,
    purpose,
  };
}

function botMessage(rng: Rng, writer: TextWriter, channel: Channel, ts: string): Record<string, unknown> {
  if (channel.def.name === "engineering" || rng.chance(0.4)) {
    return {
      type: "message",
      subtype: "bot_message",
      text: writer.render(rng.pick(T_GITHUB).parts, { channel, author: null }),
      ts,
      username: BOTS.github.name,
      bot_id: BOTS.github.botId,
    };
  }
  // Newer apps post as their bot user, without a subtype.
  return {
    user: BOTS.standup.userId,
    type: "message",
    ts,
    bot_id: BOTS.standup.botId,
    app_id: BOTS.standup.appId,
    text: writer.render(rng.pick(T_STANDUP).parts, { channel, author: null }),
    team: COMPANY.teamId,
    bot_profile: {
      id: BOTS.standup.botId,
      app_id: BOTS.standup.appId,
      name: BOTS.standup.name,
      deleted: false,
    },
  };
}

function personJson(m: PersonMessage): string {
  const a = m.author;
  // Ids, ts and team ids are plain ASCII we generated; only text needs escaping.
  let s = `{"client_msg_id":"${m.clientMsgId}","type":"message","text":${JSON.stringify(m.text)},"user":"${a.id}","ts":"${m.ts}","team":"${a.teamId}","user_team":"${a.teamId}","source_team":"${a.teamId}"`;
  if (m.subtype) s += `,"subtype":"${m.subtype}"`;
  if (m.editedTs) s += `,"edited":{"user":"${a.id}","ts":"${m.editedTs}"}`;
  if (m.filesJson) s += `,"files":${m.filesJson}`;
  if (m.threadTs) s += `,"thread_ts":"${m.threadTs}"`;
  if (m.parentUserId) s += `,"parent_user_id":"${m.parentUserId}"`;
  if (m.replies && m.replies.length > 0) {
    const users = [...new Set(m.replies.map((x) => x.user))];
    const last = m.replies[m.replies.length - 1];
    s += `,"reply_count":${m.replies.length},"reply_users_count":${users.length},"latest_reply":"${last?.ts}"`;
    s += `,"reply_users":${JSON.stringify(users)},"replies":${JSON.stringify(m.replies)}`;
  }
  return `${s},"user_profile":${a.profileJson}}`;
}

/**
 * The day file, one message per line. Slack indents its files; this stays valid, readable and
 * greppable, and is several times faster to write and to read back.
 */
export function serializeDayFile(messages: readonly DayMessage[]): string {
  const lines = new Array<string>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as DayMessage;
    lines[i] = m.kind === "person" ? personJson(m) : JSON.stringify(m.value);
  }
  return `[\n    ${lines.join(",\n    ")}\n]\n`;
}
