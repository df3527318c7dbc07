import { Coalescer } from "./coalescer.ts";
import { displayNameFromAlias, normalizeAlias } from "./contacts.ts";
import {
  AliasMatcher,
  type Detection,
  detect,
  detectionPrefix,
  isOverDetectionCap,
  MAX_DETECTION_TEXT,
  registrableDomain,
  TeammateDirectory,
} from "./detect/index.ts";
import type { AliasInput, Clock, MentionBatchItem, Store } from "./ports.ts";
import { isTeammates } from "./teammates.ts";
import { tidy } from "./text.ts";
import type {
  AliasKind,
  Contact,
  ContactStatus,
  IncomingMessage,
  Member,
  PlatformUserRef,
  Workspace,
} from "./types.ts";

// Message → mentions. One code path for Slack events, Teams activities and the export import.

/** Mailbox providers whose domain says nothing about who someone works for. */
const PUBLIC_MAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "yahoo.com",
  "icloud.com",
  "proton.me",
  "protonmail.com",
  "live.com",
  "aol.com",
  "gmx.de",
  "gmx.net",
]);

interface WorkspaceContext {
  loadedAt: number;
  /** The workspace settings this context was built from: other settings mean a rebuild. */
  settingsKey: string;
  /**
   * Member rows by platform user id, kept current by this tracker's own writes. Another replica's
   * opt-out reaches this copy only on reload; the mention writes check it themselves (see Store).
   */
  members: Map<string, Member>;
  matcher: AliasMatcher;
  aliases: Map<string, { contactId: string; status: ContactStatus }>;
  statusOf: Map<string, ContactStatus>;
  /** First word of tracked contacts' multi-word names → the contacts it may refer to. */
  firstNames: Map<string, Set<string>>;
  teammates: TeammateDirectory;
  internalDomains: string[];
  /** The same detect() options as plain data, for detection in a worker thread. */
  detection: DetectionInputs;
}

/** What resolveContacts gives detect() for a workspace, as plain (structured-cloneable) data. */
export interface DetectionInputs {
  /** Changes whenever the workspace context is reloaded. */
  version: number;
  internalDomains: string[];
  /** The workspace's name: its own accounts ("github.com/acme") are never contacts. */
  workspaceName?: string;
  teammates: Array<{ displayName: string; realName: string; handle?: string; email: string | null }>;
}

let contextVersion = 0;

/**
 * detect() somewhere other than this thread (a worker), for the live path. null means "not now"
 * (not started, still loading): the batch is detected inline. A rejection is treated the same way.
 */
export interface DetectionOffload {
  detect(texts: string[], inputs: DetectionInputs): Promise<Detection[][]> | null;
}

/** How long a replica trusts its cached aliases and teammates before re-reading them. */
const CACHE_TTL_MS = 30_000;

/** How long a live message waits for others to be processed with (see processMessage). */
const LIVE_LINGER_MS = 20;

export interface ProcessResult {
  contactIds: string[];
  added: number;
  removed: number;
  /** Why nothing was recorded, when nothing was. */
  skipped?: "bot" | "external-author" | "opted-out" | "empty";
  /** The text was longer than MAX_DETECTION_TEXT: only its start was read (see detect/limit.ts). */
  truncated?: true;
  /**
   * Where in a live message's text each contact was found (for core/met-in-chat.ts). Offsets
   * only, never the text; not kept anywhere.
   */
  spans?: ContactSpan[];
}

/** A contact found at [start, end) of a message's text. */
export interface ContactSpan {
  contactId: string;
  start: number;
  end: number;
}

/** A live message longer than detection reads, for the server's log. No text: just where it was. */
export interface LongMessageNotice {
  workspaceId: string;
  messageId: string;
  channelId: string;
  length: number;
  readUpTo: number;
  /** Such messages this process has seen so far. */
  count: number;
}

/** A batch resolved by Tracker.resolveMessages, waiting for writeResolved. */
export interface ResolvedBatch {
  results: ProcessResult[];
  writes: MentionBatchItem[];
  /** The result each write's counts go to. */
  writeFor: ProcessResult[];
}

export class Tracker {
  private readonly contexts = new Map<string, WorkspaceContext>();
  private readonly live = new Map<
    string,
    Coalescer<{ ws: Workspace; msg: IncomingMessage }, ProcessResult>
  >();

  /** Live messages whose text was longer than detection reads (see processMessage). */
  private longMessages = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly offload?: DetectionOffload,
    /** Told about each live message cut at MAX_DETECTION_TEXT (the import counts them in its report). */
    private readonly onLongMessage?: (notice: LongMessageNotice) => void,
  ) {}

  /** Live messages so far whose text was longer than detection reads. */
  get longMessageCount(): number {
    return this.longMessages;
  }

  /** Drop cached aliases/teammates after a change (track, merge, new members). */
  invalidate(workspaceId: string): void {
    this.contexts.delete(workspaceId);
  }

  private async context(ws: Workspace): Promise<WorkspaceContext> {
    const cached = this.contexts.get(ws.id);
    const settingsKey = JSON.stringify([ws.name, ws.settings.internalDomains]);
    if (
      cached &&
      cached.settingsKey === settingsKey &&
      this.clock.now().getTime() - cached.loadedAt < CACHE_TTL_MS
    )
      return cached;
    const [aliases, members] = await Promise.all([
      this.store.listAliases(ws.id),
      this.store.listMembers(ws.id),
    ]);
    const ctx: WorkspaceContext = {
      ...teammateFields(
        ws,
        members.filter((m) => !m.isBot),
      ),
      loadedAt: this.clock.now().getTime(),
      settingsKey,
      members: new Map(members.map((m) => [m.platformUserId, m])),
      // Only registered (tracked) and ignored contacts are matched by alias. Candidates are counted
      // when the detectors find them again; letting what earlier messages produced widen what later
      // messages match would make the counts depend on processing order, and re-imports would drift.
      matcher: new AliasMatcher(aliases.filter((a) => a.status !== "candidate")),
      aliases: new Map(aliases.map((a) => [a.normalized, { contactId: a.contactId, status: a.status }])),
      statusOf: new Map(aliases.map((a) => [a.contactId, a.status])),
      firstNames: firstNameIndex(aliases),
    };
    this.contexts.set(ws.id, ctx);
    return ctx;
  }

  /**
   * The context's teammates again after it learned of new or renamed members (a first message
   * from someone, or a profile change), so the rest of the batch already knows them.
   */
  private refreshTeammates(ctx: WorkspaceContext, ws: Workspace): void {
    Object.assign(
      ctx,
      teammateFields(
        ws,
        [...ctx.members.values()].filter((m) => !m.isBot),
      ),
    );
  }

  /**
   * Detects contacts in the message and makes its mentions exactly those (idempotent; edits
   * replace). Concurrent calls for one workspace (live events arriving together) are processed
   * as one batch by processMessages, so under load a burst costs a few statements, not a few per
   * message; a lone call waits LIVE_LINGER_MS for company.
   */
  async processMessage(ws: Workspace, msg: IncomingMessage): Promise<ProcessResult> {
    let c = this.live.get(ws.id);
    if (!c) {
      c = new Coalescer(
        async (batch: Array<{ ws: Workspace; msg: IncomingMessage }>) => {
          const latest = batch[batch.length - 1]?.ws ?? ws;
          const msgs = batch.map((b) => b.msg);
          return this.processMessages(latest, msgs, await this.detectElsewhere(latest, msgs));
        },
        // Live messages are processed after the ack: a few milliseconds of waiting turn a busy
        // channel's messages into one transaction instead of one each.
        { lingerMs: LIVE_LINGER_MS, maxBatch: 200 },
      );
      this.live.set(ws.id, c);
    }
    const result = await c.run({ ws, msg });
    if (result.truncated) {
      this.longMessages++;
      this.onLongMessage?.({
        workspaceId: ws.id,
        messageId: msg.messageId,
        channelId: msg.channelId,
        length: msg.text.length,
        readUpTo: MAX_DETECTION_TEXT,
        count: this.longMessages,
      });
    }
    return result;
  }

  /** The batch's detections from the offload, or undefined to detect inline. */
  private async detectElsewhere(
    ws: Workspace,
    msgs: readonly IncomingMessage[],
  ): Promise<Detection[][] | undefined> {
    if (!this.offload) return undefined;
    const inputs = await this.detectionInputs(ws);
    return (await this.offload.detect(detectionTexts(msgs), inputs)?.catch(() => undefined)) ?? undefined;
  }

  async removeMessage(ws: Workspace, messageId: string): Promise<number> {
    return this.store.deleteMentionsForMessage(ws.id, messageId);
  }

  /** detect() options for this workspace as plain data: `new TeammateDirectory(teammates)` rebuilds them. */
  async detectionInputs(ws: Workspace): Promise<DetectionInputs> {
    return (await this.context(ws)).detection;
  }

  /**
   * processMessage for a run of messages (the export import), with the same outcome as processing
   * them one by one in order: authors are read once per batch instead of once per message, and
   * all mention writes go to the store in one transaction at the end. `detections[i]`, when
   * given, is detect() of msgs[i].text computed elsewhere (a worker thread) with detectionInputs().
   */
  async processMessages(
    ws: Workspace,
    msgs: readonly IncomingMessage[],
    detections?: ReadonlyArray<readonly Detection[] | undefined>,
  ): Promise<ProcessResult[]> {
    return this.writeResolved(ws, await this.resolveMessages(ws, msgs, detections));
  }

  /**
   * processMessages in two steps, so that a pipeline (the import) can resolve the next batch while
   * this one is written. Resolving reads and creates contacts and members but writes no mention;
   * writeResolved writes the mentions. Batches must be written in the order they were resolved.
   */
  async resolveMessages(
    ws: Workspace,
    msgs: readonly IncomingMessage[],
    detections?: ReadonlyArray<readonly Detection[] | undefined>,
  ): Promise<ResolvedBatch> {
    // Authors come from the context's member rows; only people it hasn't seen yet are read.
    const ctx = await this.context(ws);
    const { members } = ctx;
    const unknown = new Set<string>();
    for (const m of msgs)
      if (!m.author.external && !members.has(m.author.platformUserId)) unknown.add(m.author.platformUserId);
    if (unknown.size > 0) {
      const found = await this.store.getMembers(ws.id, [...unknown]);
      for (const m of found) members.set(m.platformUserId, m);
      if (found.length > 0) this.refreshTeammates(ctx, ws);
    }
    const externalsSeen = new Set<string>();
    const results: ProcessResult[] = [];
    const writes: MentionBatchItem[] = [];
    const writeFor: ProcessResult[] = [];
    for (const [i, msg] of msgs.entries()) {
      const author = msg.author;
      if (author.external) {
        if (!externalsSeen.has(author.platformUserId) && !knownPlatformUser(ctx, author.platformUserId))
          await this.contactForUser(ws, author);
        externalsSeen.add(author.platformUserId);
        results.push({ contactIds: [], added: 0, removed: 0, skipped: "external-author" });
        continue;
      }
      let member = members.get(author.platformUserId);
      // upsertMember only writes when the profile changed (and never for a forgotten member), so
      // it is needed only for new authors and changed names.
      const changed =
        member &&
        !member.optedOut &&
        (member.displayName !== author.displayName || (author.email ? member.email !== author.email : false));
      if (!member || changed) {
        member = await this.store.upsertMember(ws.id, {
          platformUserId: author.platformUserId,
          displayName: author.displayName,
          ...(author.email ? { email: author.email } : {}),
        });
        members.set(author.platformUserId, member);
        this.refreshTeammates(ctx, ws);
      }
      const base = { memberId: member.id, channelId: msg.channelId, at: msg.at, source: msg.source };
      let result: ProcessResult;
      if (member.optedOut) {
        result = { contactIds: [], added: 0, removed: 0, skipped: "opted-out" };
        writes.push({ messageId: msg.messageId, base, contactIds: [] });
        writeFor.push(result);
      } else if (member.isBot) {
        result = { contactIds: [], added: 0, removed: 0, skipped: "bot" };
      } else {
        // Live messages only: a teammate saying they met someone is asked about it (met-in-chat).
        const spans: ContactSpan[] | undefined = msg.source === "message" ? [] : undefined;
        const contactIds = await this.resolveIn(ctx, ws, msg, detections?.[i], member, spans);
        result = { contactIds, added: 0, removed: 0, ...(spans?.length ? { spans } : {}) };
        if (isOverDetectionCap(msg.text)) result.truncated = true;
        writes.push({ messageId: msg.messageId, base, contactIds });
        writeFor.push(result);
      }
      results.push(result);
    }
    return { results, writes, writeFor };
  }

  /** The second step of processMessages: the batch's mention writes, in one go. */
  async writeResolved(ws: Workspace, batch: ResolvedBatch): Promise<ProcessResult[]> {
    const { results, writes, writeFor } = batch;
    const counts = writes.length > 0 ? await this.store.replaceMentionsBatch(ws.id, writes) : [];
    for (const [k, c] of counts.entries()) {
      const r = writeFor[k];
      if (!r) continue;
      r.added = c.added;
      r.removed = c.removed;
    }
    return results;
  }

  /** The contacts a message refers to, creating candidates for new names; ignored contacts are dropped. */
  async resolveContacts(
    ws: Workspace,
    msg: Pick<IncomingMessage, "text" | "userRefs">,
    /** detect() of msg.text, when it was computed elsewhere with detectionInputs(). */
    precomputed?: readonly Detection[],
    /** The teammate who wrote it: what they post about themselves is theirs (core/teammates.ts). */
    author?: Member,
  ): Promise<string[]> {
    return this.resolveIn(await this.context(ws), ws, msg, precomputed, author);
  }

  /** resolveContacts with the workspace context in hand (a batch reads it once, not per message). */
  private async resolveIn(
    ctx: WorkspaceContext,
    ws: Workspace,
    msg: Pick<IncomingMessage, "text" | "userRefs">,
    precomputed?: readonly Detection[],
    author?: Member,
    /** Filled with where each contact was found, when given. */
    spans?: ContactSpan[],
  ): Promise<string[]> {
    const ids = new Set<string>();
    const ignored = new Set<string>();
    const note = (contactId: string, status: ContactStatus, at?: { start: number; end: number }) => {
      (status === "ignored" ? ignored : ids).add(contactId);
      if (spans && at && status !== "ignored") spans.push({ contactId, start: at.start, end: at.end });
    };

    // 1. Platform identity: exact. Known people have a platform alias in the context, so only a
    // first sighting costs a lookup.
    for (const ref of msg.userRefs) {
      if (!ref.external) continue;
      const at = spans ? userRefSpan(msg.text, ref) : undefined;
      const known = knownPlatformUser(ctx, ref.platformUserId);
      if (known) {
        note(known.contactId, known.status, at);
        continue;
      }
      const c = await this.contactForUser(ws, ref);
      note(c.id, c.status, at);
    }
    // Text beyond the cap is read by nothing below (the caller counts the message as truncated).
    const text = detectionPrefix(msg.text);
    // 2. Registered aliases, in one pass.
    const hits = ctx.matcher.find(text);
    for (const h of hits) note(h.contactId, ctx.statusOf.get(h.contactId) ?? "candidate", h);
    // 3 + 4. Emails, profile links, handles and names; unknown ones become candidates.
    const detections =
      precomputed ?? detect(text, { internalDomains: ctx.internalDomains, teammates: ctx.teammates });
    for (const d of detections) {
      if (d.kind === "organization") continue;
      if (hits.some((h) => d.start < h.end && h.start < d.end)) continue;
      // A teammate's own address, handle or profile link, or the workspace's own account.
      if (d.kind !== "person" && isTeammates(d, ctx.teammates.roster, author)) continue;
      const known = ctx.aliases.get(d.normalized);
      if (known) {
        note(known.contactId, known.status, d);
        continue;
      }
      if (d.kind === "person" && !d.normalized.includes(" ")) {
        // A lone first name is too ambiguous to become a contact of its own. It counts for the
        // one known contact with that first name, if there is exactly one.
        const owners = ctx.firstNames.get(d.normalized);
        if (owners?.size === 1) {
          const [only] = owners;
          if (only) note(only, ctx.statusOf.get(only) ?? "candidate", d);
        }
        continue;
      }
      const c = await this.candidateFor(ws, ctx, d);
      note(c.contactId, c.status, d);
    }
    return [...ids].filter((id) => !ignored.has(id));
  }

  private async candidateFor(
    ws: Workspace,
    ctx: WorkspaceContext,
    d: Detection,
  ): Promise<{ contactId: string; status: ContactStatus }> {
    const kind: AliasKind = d.kind === "person" ? "name" : d.kind === "organization" ? "name" : d.kind;
    const display = d.kind === "person" ? tidy(d.text).replace(/[’']s$/u, "") : d.text;
    const aliases: AliasInput[] = [{ kind, normalized: d.normalized, display }];
    const displayName = displayNameFromAlias(kind, display);
    // Only called for aliases the context doesn't know, so the contact is almost always new: it
    // is created straight away, and createContact returns the existing one if another replica
    // created it since the context was loaded. An email may belong to a name the team uses.
    let contact: Contact | null = null;
    if (kind === "email" && displayName.includes(" ")) {
      contact = await this.store.findContactByAlias(ws.id, d.normalized);
      if (!contact) {
        // jane.doe@acme.com is the Jane Doe the team already talks about, or will: one contact.
        const byName = normalizeAlias("name", displayName);
        const named = await this.store.findContactByAlias(ws.id, byName);
        if (named) {
          await this.store.addAliases(ws.id, named.id, aliases);
          contact = named;
        } else {
          aliases.push({ kind: "name", normalized: byName, display: displayName });
        }
      }
    }
    contact ??= await this.store.createContact(ws.id, { displayName, status: "candidate" }, aliases);
    const entry = { contactId: contact.id, status: contact.status };
    ctx.aliases.set(d.normalized, entry);
    ctx.statusOf.set(contact.id, contact.status);
    return entry;
  }

  /** The contact for an external platform user, created (tracked: identity is exact) on first sight. */
  async contactForUser(ws: Workspace, ref: PlatformUserRef): Promise<Contact> {
    const existing = await this.store.findContactByPlatformUser(ws.id, ref.platformUserId);
    if (existing) return existing;
    // Contacts are known by their full name where the platform has one; the display name is an alias.
    const name = ref.realName?.trim() || ref.displayName;
    const aliases: AliasInput[] = [
      { kind: "platform", normalized: normalizeAlias("platform", ref.platformUserId), display: name },
    ];
    for (const n of new Set([name, ref.displayName])) {
      if (n) aliases.push({ kind: "name", normalized: normalizeAlias("name", n), display: n });
    }
    if (ref.email)
      aliases.push({ kind: "email", normalized: normalizeAlias("email", ref.email), display: ref.email });
    this.invalidate(ws.id);
    // Someone may have talked about this person before they joined a shared channel: link that contact.
    for (const a of aliases.slice(1)) {
      const known = await this.store.findContactByAlias(ws.id, a.normalized);
      if (known && !known.platformUserId) {
        await this.store.addAliases(ws.id, known.id, aliases);
        return this.store.updateContact(ws.id, known.id, {
          platformUserId: ref.platformUserId,
          status: known.status === "ignored" ? "ignored" : "tracked",
          ...(ref.organization && !known.organization ? { organization: ref.organization } : {}),
        });
      }
    }
    return this.store.createContact(
      ws.id,
      {
        displayName: name || ref.platformUserId,
        status: "tracked",
        organization: ref.organization ?? null,
        platformUserId: ref.platformUserId,
      },
      aliases,
    );
  }
}

/**
 * What to detect in, message by message, for detections computed elsewhere: nothing in messages
 * of external authors, which resolveMessages skips (their words aren't the team talking about
 * someone), and only as much of each text as detection reads (a worker gets no more than that).
 */
export function detectionTexts(msgs: readonly IncomingMessage[]): string[] {
  return msgs.map((m) => (m.author.external ? "" : detectionPrefix(m.text)));
}

/**
 * Where a platform mention of `ref` sits in the text: Slack's `<@U123>` (or `<@U123|name>`), else
 * the name as the platform wrote it in (Teams puts the display name where the mention was).
 */
function userRefSpan(text: string, ref: PlatformUserRef): { start: number; end: number } | undefined {
  const tag = text.indexOf(`<@${ref.platformUserId}`);
  if (tag >= 0) {
    const close = text.indexOf(">", tag);
    if (close > tag) return { start: tag, end: close + 1 };
  }
  const name = ref.displayName.trim();
  const at = name ? text.indexOf(name) : -1;
  return at >= 0 ? { start: at, end: at + name.length } : undefined;
}

/** The contact of a platform user the context knows (they have a platform alias), without a lookup. */
function knownPlatformUser(
  ctx: WorkspaceContext,
  platformUserId: string,
): { contactId: string; status: ContactStatus } | undefined {
  return ctx.aliases.get(normalizeAlias("platform", platformUserId));
}

function firstNameIndex(
  aliases: ReadonlyArray<{ kind: string; normalized: string; contactId: string; status: ContactStatus }>,
): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const a of aliases) {
    if (a.kind !== "name" || a.status !== "tracked") continue;
    const [first, ...rest] = a.normalized.split(" ");
    if (!first || rest.length === 0) continue;
    if (!index.has(first)) index.set(first, new Set());
    index.get(first)?.add(a.contactId);
  }
  return index;
}

/** What a workspace context knows about the team, from its (non-bot) members. */
function teammateFields(
  ws: Workspace,
  teammates: readonly Member[],
): Pick<WorkspaceContext, "teammates" | "internalDomains" | "detection"> {
  const internalDomains = internalDomainsOf(ws.settings.internalDomains, teammates);
  return {
    teammates: new TeammateDirectory(teammates, { name: ws.name, internalDomains }),
    internalDomains,
    detection: {
      version: ++contextVersion,
      internalDomains,
      workspaceName: ws.name,
      teammates: teammates.map((m) => ({
        displayName: m.displayName,
        realName: m.realName,
        handle: m.handle,
        email: m.email,
      })),
    },
  };
}

/** Configured internal domains plus the company domains of teammates' own email addresses. */
export function internalDomainsOf(
  configured: readonly string[],
  members: ReadonlyArray<Pick<Member, "email">>,
): string[] {
  const domains = new Set(configured.map((d) => registrableDomain(d)));
  for (const m of members) {
    if (!m.email?.includes("@")) continue;
    const d = registrableDomain(m.email);
    if (!PUBLIC_MAIL_DOMAINS.has(d)) domains.add(d);
  }
  return [...domains];
}
