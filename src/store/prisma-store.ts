import type {
  AliasInput,
  ContactInput,
  ContactPatch,
  ContactStats,
  DigestData,
  LunchInput,
  MemberInput,
  MemberPatch,
  MentionBase,
  MentionBatchItem,
  MentionCount,
  NudgeQuery,
  Store,
  WorkspaceInput,
  WorkspacePatch,
} from "../core/ports.ts";
import type {
  Alias,
  AliasKind,
  Contact,
  ContactStatus,
  Lunch,
  Meeting,
  Member,
  Nudge,
  NudgeKind,
  NudgeStatus,
  Platform,
  Workspace,
} from "../core/types.ts";
import { finishEvents, recordEvents } from "./bulk-events.ts";
import { replaceMentionsBatch, replaceMessageMentions } from "./bulk-mentions.ts";
import { insertContactPg } from "./contact-insert.ts";
import type { Database, Db } from "./db.ts";
import { toContact, toDate, toLunch, toMember, toNudge, toNumber, toWorkspace } from "./mappers.ts";

/** A unique constraint refused a row: Prisma's P2002, or SQLSTATE 23505 from a statement sent through pg. */
function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === "P2002" || code === "23505";
}

const lunchInclude = { attendees: { select: { memberId: true } } } as const;

/** The Store port on Prisma, for SQLite and PostgreSQL alike. */
export class PrismaStore implements Store {
  private readonly db: Db;

  constructor(readonly database: Database) {
    this.db = database.db;
  }

  // ---- workspaces ----

  async upsertWorkspace(input: WorkspaceInput): Promise<Workspace> {
    const row = await this.db.workspace.upsert({
      where: { platform_externalId: { platform: input.platform, externalId: input.externalId } },
      create: {
        platform: input.platform,
        externalId: input.externalId,
        name: input.name ?? "",
        timezone: input.timezone ?? "UTC",
      },
      update: { uninstalledAt: null, ...(input.name ? { name: input.name } : {}) },
    });
    return toWorkspace(row);
  }

  async getWorkspace(id: string): Promise<Workspace | null> {
    const row = await this.db.workspace.findUnique({ where: { id } });
    return row ? toWorkspace(row) : null;
  }

  async findWorkspace(platform: Platform, externalId: string): Promise<Workspace | null> {
    const row = await this.db.workspace.findUnique({
      where: { platform_externalId: { platform, externalId } },
    });
    return row ? toWorkspace(row) : null;
  }

  async listActiveWorkspaces(): Promise<Workspace[]> {
    const rows = await this.db.workspace.findMany({
      where: { uninstalledAt: null },
      orderBy: { installedAt: "asc" },
    });
    return rows.map(toWorkspace);
  }

  async updateWorkspace(id: string, patch: WorkspacePatch): Promise<Workspace> {
    const { settings, ...rest } = patch;
    const row = await this.db.workspace.update({
      where: { id },
      data: { ...rest, ...(settings ? { settings: JSON.stringify(settings) } : {}) },
    });
    return toWorkspace(row);
  }

  async deleteWorkspace(id: string): Promise<void> {
    // Rows cascade from the workspace; events are keyed loosely, so they go explicitly.
    await this.db.$transaction([
      this.db.processedEvent.deleteMany({ where: { workspaceId: id } }),
      this.db.workspace.deleteMany({ where: { id } }),
    ]);
  }

  // ---- members ----

  async upsertMember(workspaceId: string, input: MemberInput): Promise<Member> {
    const fields = {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.realName !== undefined ? { realName: input.realName } : {}),
      ...(input.handle !== undefined ? { handle: input.handle } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.tz !== undefined ? { tz: input.tz } : {}),
      ...(input.isBot !== undefined ? { isBot: input.isBot } : {}),
      ...(input.isAdmin !== undefined ? { isAdmin: input.isAdmin } : {}),
    };
    const where = { workspaceId_platformUserId: { workspaceId, platformUserId: input.platformUserId } };
    try {
      const existing = await this.db.member.findUnique({ where });
      if (existing) {
        // A forgotten member keeps an empty tombstone: don't put their profile back.
        if (existing.optedOut || !hasChanges(existing, fields)) return toMember(existing);
        return toMember(await this.db.member.update({ where, data: fields }));
      }
      return toMember(
        await this.db.member.create({
          data: { workspaceId, platformUserId: input.platformUserId, ...fields },
        }),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return toMember(await this.db.member.findUniqueOrThrow({ where }));
    }
  }

  async getMember(workspaceId: string, platformUserId: string): Promise<Member | null> {
    const row = await this.db.member.findUnique({
      where: { workspaceId_platformUserId: { workspaceId, platformUserId } },
    });
    return row ? toMember(row) : null;
  }

  async getMemberById(workspaceId: string, id: string): Promise<Member | null> {
    const row = await this.db.member.findFirst({ where: { id, workspaceId } });
    return row ? toMember(row) : null;
  }

  async getMembers(workspaceId: string, platformUserIds: string[]): Promise<Member[]> {
    if (platformUserIds.length === 0) return [];
    const rows = await this.db.member.findMany({
      where: { workspaceId, platformUserId: { in: platformUserIds } },
    });
    return rows.map(toMember);
  }

  async listMembers(workspaceId: string): Promise<Member[]> {
    const rows = await this.db.member.findMany({
      where: { workspaceId },
      orderBy: { platformUserId: "asc" },
    });
    return rows.map(toMember);
  }

  async updateMember(workspaceId: string, id: string, patch: MemberPatch): Promise<Member> {
    await this.db.member.updateMany({ where: { id, workspaceId }, data: patch });
    return toMember(await this.db.member.findFirstOrThrow({ where: { id, workspaceId } }));
  }

  async forgetMember(workspaceId: string, id: string): Promise<void> {
    const scope = { workspaceId, memberId: id };
    // The opt-out flag first: mention writes check it in their own statement (bulk-mentions.ts), so
    // once it is set no new mention gets in, and the DELETEs below run after it; only a write that
    // was already running when this transaction committed can slip past.
    await this.db.$transaction([
      this.db.member.updateMany({
        where: { id, workspaceId },
        data: {
          displayName: "",
          realName: "",
          handle: "",
          email: null,
          tz: null,
          dmRef: null,
          snoozeUntil: null,
          optedOut: true,
        },
      }),
      this.db.mention.deleteMany({ where: scope }),
      this.db.nudge.deleteMany({ where: scope }),
      this.db.meeting.deleteMany({ where: scope }),
      this.db.lunchAttendee.deleteMany({ where: { memberId: id } }),
      this.db.lunch.deleteMany({ where: { workspaceId, organizerId: id } }),
    ]);
  }

  // ---- contacts ----

  async listAliases(workspaceId: string): Promise<Array<Alias & { status: ContactStatus }>> {
    const rows = await this.db.contactAlias.findMany({
      where: { workspaceId },
      select: {
        contactId: true,
        kind: true,
        normalized: true,
        display: true,
        contact: { select: { status: true } },
      },
    });
    return rows.map((r) => ({
      contactId: r.contactId,
      kind: r.kind as AliasKind,
      normalized: r.normalized,
      display: r.display,
      status: toContact({ ...EMPTY_CONTACT, status: r.contact.status }).status,
    }));
  }

  async findContactByAlias(workspaceId: string, normalized: string): Promise<Contact | null> {
    const row = await this.db.contactAlias.findUnique({
      where: { workspaceId_normalized: { workspaceId, normalized } },
      select: { contact: true },
    });
    return row ? toContact(row.contact) : null;
  }

  async findContactByPlatformUser(workspaceId: string, platformUserId: string): Promise<Contact | null> {
    const row = await this.db.contact.findUnique({
      where: { workspaceId_platformUserId: { workspaceId, platformUserId } },
    });
    return row ? toContact(row) : null;
  }

  async getContact(workspaceId: string, id: string): Promise<Contact | null> {
    const row = await this.db.contact.findFirst({ where: { id, workspaceId } });
    return row ? toContact(row) : null;
  }

  async getContacts(workspaceId: string, ids: string[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.contact.findMany({ where: { workspaceId, id: { in: ids } } });
    return rows.map(toContact);
  }

  async createContact(workspaceId: string, input: ContactInput, aliases: AliasInput[]): Promise<Contact> {
    try {
      if (this.database.provider === "postgresql")
        return await insertContactPg(this.database, workspaceId, input, dedupeAliases(aliases));
      const row = await this.db.contact.create({
        data: {
          workspaceId,
          displayName: input.displayName,
          status: input.status,
          organization: input.organization ?? null,
          platformUserId: input.platformUserId ?? null,
          aliases: { create: dedupeAliases(aliases).map((a) => ({ ...a, workspaceId })) },
        },
      });
      return toContact(row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Someone (another replica, a retry) created it first: use theirs.
      const existing =
        (input.platformUserId
          ? await this.findContactByPlatformUser(workspaceId, input.platformUserId)
          : null) ?? (await this.firstContactByAliases(workspaceId, aliases));
      if (!existing) throw err;
      return existing;
    }
  }

  private async firstContactByAliases(workspaceId: string, aliases: AliasInput[]): Promise<Contact | null> {
    for (const a of aliases) {
      const c = await this.findContactByAlias(workspaceId, a.normalized);
      if (c) return c;
    }
    return null;
  }

  async addAliases(
    workspaceId: string,
    contactId: string,
    aliases: AliasInput[],
  ): Promise<{ added: number; conflicts: Array<{ normalized: string; contactId: string }> }> {
    let added = 0;
    const conflicts: Array<{ normalized: string; contactId: string }> = [];
    for (const a of dedupeAliases(aliases)) {
      const existing = await this.db.contactAlias.findUnique({
        where: { workspaceId_normalized: { workspaceId, normalized: a.normalized } },
      });
      if (existing) {
        if (existing.contactId !== contactId)
          conflicts.push({ normalized: a.normalized, contactId: existing.contactId });
        continue;
      }
      try {
        await this.db.contactAlias.create({ data: { ...a, workspaceId, contactId } });
        added++;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return { added, conflicts };
  }

  async mergeContacts(workspaceId: string, intoId: string, fromIds: string[]): Promise<void> {
    const from = fromIds.filter((id) => id !== intoId);
    if (from.length === 0) return;
    await this.db.$transaction(async (tx) => {
      const sources = await tx.contact.findMany({ where: { workspaceId, id: { in: from } } });
      const target = await tx.contact.findFirstOrThrow({ where: { workspaceId, id: intoId } });
      await tx.contactAlias.updateMany({
        where: { workspaceId, contactId: { in: from } },
        data: { contactId: intoId },
      });
      // A message that mentioned both spellings must still count once for the merged contact.
      const mentions = await tx.mention.findMany({ where: { workspaceId, contactId: { in: from } } });
      for (const m of mentions) {
        const clash = await tx.mention.findUnique({
          where: {
            workspaceId_messageId_contactId: { workspaceId, messageId: m.messageId, contactId: intoId },
          },
        });
        if (clash) await tx.mention.delete({ where: { id: m.id } });
        else await tx.mention.update({ where: { id: m.id }, data: { contactId: intoId } });
      }
      const moved = { where: { workspaceId, contactId: { in: from } }, data: { contactId: intoId } };
      await tx.nudge.updateMany(moved);
      await tx.lunch.updateMany(moved);
      await tx.meeting.updateMany(moved);
      const lastMet = [target, ...sources].map((c) => c.lastMetAt).filter((d): d is Date => d !== null);
      const platformUserId =
        target.platformUserId ?? sources.find((s) => s.platformUserId)?.platformUserId ?? null;
      await tx.contact.deleteMany({ where: { workspaceId, id: { in: from } } });
      await tx.contact.update({
        where: { id: intoId },
        data: {
          status: [target, ...sources].some((c) => c.status === "tracked") ? "tracked" : target.status,
          organization: target.organization ?? sources.find((s) => s.organization)?.organization ?? null,
          lastMetAt: lastMet.length ? new Date(Math.max(...lastMet.map((d) => d.getTime()))) : null,
          platformUserId,
        },
      });
    });
  }

  async updateContact(workspaceId: string, id: string, patch: ContactPatch): Promise<Contact> {
    await this.db.contact.updateMany({ where: { id, workspaceId }, data: patch });
    return toContact(await this.db.contact.findFirstOrThrow({ where: { id, workspaceId } }));
  }

  async listContactStats(
    workspaceId: string,
    opts: { status?: ContactStatus; since: Date; limit?: number; memberId?: string },
  ): Promise<ContactStats[]> {
    const grouped = await this.db.mention.groupBy({
      by: ["contactId"],
      where: {
        workspaceId,
        at: { gte: opts.since },
        ...(opts.memberId ? { memberId: opts.memberId } : {}),
        ...(opts.status ? { contact: { status: opts.status } } : {}),
      },
      _count: { _all: true },
      _max: { at: true },
      orderBy: { _count: { contactId: "desc" } },
      ...(opts.limit ? { take: opts.limit } : {}),
    });
    const ids = grouped.map((g) => g.contactId);
    const [contacts, teammates] = await Promise.all([
      this.getContacts(workspaceId, ids),
      this.db.mention.groupBy({
        by: ["contactId", "memberId"],
        where: { workspaceId, at: { gte: opts.since }, contactId: { in: ids } },
      }),
    ]);
    const byId = new Map(contacts.map((c) => [c.id, c]));
    const teammateCount = new Map<string, number>();
    for (const t of teammates) teammateCount.set(t.contactId, (teammateCount.get(t.contactId) ?? 0) + 1);
    const stats: ContactStats[] = [];
    for (const g of grouped) {
      const contact = byId.get(g.contactId);
      if (!contact) continue;
      stats.push({
        contact,
        mentions: g._count._all,
        teammates: teammateCount.get(g.contactId) ?? 0,
        lastMentionAt: g._max.at,
      });
    }
    return stats;
  }

  async recordMeeting(workspaceId: string, meeting: Meeting & { lunchId?: string | null }): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.meeting.create({
        data: {
          workspaceId,
          contactId: meeting.contactId,
          memberId: meeting.memberId,
          metAt: meeting.metAt,
          source: meeting.source,
          lunchId: meeting.lunchId ?? null,
        },
      });
      // lastMetAt only moves forward: recording an older meeting must not undo a newer one.
      await tx.contact.updateMany({
        where: {
          id: meeting.contactId,
          workspaceId,
          OR: [{ lastMetAt: null }, { lastMetAt: { lt: meeting.metAt } }],
        },
        data: { lastMetAt: meeting.metAt },
      });
    });
  }

  // ---- mentions ----

  async replaceMentions(
    workspaceId: string,
    messageId: string,
    base: MentionBase,
    contactIds: string[],
  ): Promise<{ added: number; removed: number }> {
    return replaceMessageMentions(this.database, workspaceId, { messageId, base, contactIds });
  }

  async replaceMentionsBatch(
    workspaceId: string,
    items: MentionBatchItem[],
  ): Promise<Array<{ added: number; removed: number }>> {
    return replaceMentionsBatch(this.database, workspaceId, items);
  }

  async deleteMentionsForMessage(workspaceId: string, messageId: string): Promise<number> {
    return (await this.db.mention.deleteMany({ where: { workspaceId, messageId } })).count;
  }

  async mentionCounts(workspaceId: string, since: Date): Promise<MentionCount[]> {
    const rows = await this.db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT m."memberId" AS "memberId", m."contactId" AS "contactId", COUNT(*) AS "count",
             MIN(m."at") AS "firstAt", MAX(m."at") AS "lastAt"
      FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
      WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${since}
        AND (c."lastMetAt" IS NULL OR m."at" > c."lastMetAt")
      GROUP BY m."memberId", m."contactId"`;
    return rows.map((r) => ({
      memberId: String(r.memberId),
      contactId: String(r.contactId),
      count: toNumber(r.count),
      firstAt: toDate(r.firstAt),
      lastAt: toDate(r.lastAt),
    }));
  }

  async mentionEvents(
    workspaceId: string,
    since: Date,
  ): Promise<Array<{ memberId: string; contactId: string; at: Date }>> {
    return this.db.mention.findMany({
      where: { workspaceId, at: { gte: since } },
      select: { memberId: true, contactId: true, at: true },
    });
  }

  async deleteMentionsBefore(before: Date, workspaceId?: string): Promise<number> {
    return (
      await this.db.mention.deleteMany({
        where: { at: { lt: before }, ...(workspaceId ? { workspaceId } : {}) },
      })
    ).count;
  }

  // ---- nudges ----

  async createNudge(
    workspaceId: string,
    input: { memberId: string; contactId: string; kind: NudgeKind; createdAt?: Date },
  ): Promise<Nudge> {
    return toNudge(await this.db.nudge.create({ data: { workspaceId, ...input, status: "pending" } }));
  }

  async getNudge(workspaceId: string, id: string): Promise<Nudge | null> {
    const row = await this.db.nudge.findFirst({ where: { id, workspaceId } });
    return row ? toNudge(row) : null;
  }

  async listNudges(workspaceId: string, opts: NudgeQuery): Promise<Nudge[]> {
    const rows = await this.db.nudge.findMany({
      where: {
        workspaceId,
        ...(opts.since || opts.before
          ? {
              createdAt: {
                ...(opts.since ? { gte: opts.since } : {}),
                ...(opts.before ? { lt: opts.before } : {}),
              },
            }
          : {}),
        ...(opts.memberId ? { memberId: opts.memberId } : {}),
        ...(opts.status ? { status: { in: opts.status } } : {}),
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.contactIds ? { contactId: { in: opts.contactIds } } : {}),
      },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(toNudge);
  }

  async transitionNudge(
    workspaceId: string,
    id: string,
    from: NudgeStatus[],
    patch: { status: NudgeStatus; sentAt?: Date; snoozeUntil?: Date | null; messageRef?: string | null },
  ): Promise<Nudge | null> {
    const { count } = await this.db.nudge.updateMany({
      where: { id, workspaceId, status: { in: from } },
      data: patch,
    });
    return count === 1 ? this.getNudge(workspaceId, id) : null;
  }

  async expireNudges(before: Date): Promise<number> {
    const { count } = await this.db.nudge.updateMany({
      where: { status: { in: ["sent"] }, sentAt: { lt: before } },
      data: { status: "expired" },
    });
    return count;
  }

  // ---- lunches ----

  async createLunch(workspaceId: string, input: LunchInput): Promise<Lunch> {
    const row = await this.db.lunch.create({
      data: {
        workspaceId,
        contactId: input.contactId,
        organizerId: input.organizerId,
        scheduledFor: input.scheduledFor,
        place: input.place,
        status: input.status,
        followUpAt: input.followUpAt,
        attendees: { create: [...new Set(input.attendeeIds)].map((memberId) => ({ memberId })) },
      },
      include: lunchInclude,
    });
    return toLunch(row);
  }

  async getLunch(workspaceId: string, id: string): Promise<Lunch | null> {
    const row = await this.db.lunch.findFirst({ where: { id, workspaceId }, include: lunchInclude });
    return row ? toLunch(row) : null;
  }

  async saveLunch(workspaceId: string, lunch: Lunch, expectedStatus: Lunch["status"]): Promise<Lunch | null> {
    // Optimistic: only the writer that still sees the expected status wins (double clicks, replicas).
    const { count } = await this.db.lunch.updateMany({
      where: { id: lunch.id, workspaceId, status: expectedStatus },
      data: {
        scheduledFor: lunch.scheduledFor,
        place: lunch.place,
        status: lunch.status,
        followUpAt: lunch.followUpAt,
        followUpSent: lunch.followUpSent,
      },
    });
    return count === 1 ? this.getLunch(workspaceId, lunch.id) : null;
  }

  async listLunches(
    workspaceId: string,
    opts: { status?: Lunch["status"][]; memberId?: string; from?: Date; to?: Date },
  ): Promise<Lunch[]> {
    const rows = await this.db.lunch.findMany({
      where: {
        workspaceId,
        ...(opts.status ? { status: { in: opts.status } } : {}),
        ...(opts.memberId
          ? { OR: [{ organizerId: opts.memberId }, { attendees: { some: { memberId: opts.memberId } } }] }
          : {}),
        ...(opts.from || opts.to
          ? {
              scheduledFor: { ...(opts.from ? { gte: opts.from } : {}), ...(opts.to ? { lt: opts.to } : {}) },
            }
          : {}),
      },
      include: lunchInclude,
      orderBy: { scheduledFor: "asc" },
    });
    return rows.map(toLunch);
  }

  async dueFollowUps(now: Date): Promise<Lunch[]> {
    const rows = await this.db.lunch.findMany({
      where: {
        status: "scheduled",
        followUpSent: null,
        followUpAt: { lte: now },
        workspace: { uninstalledAt: null },
      },
      include: lunchInclude,
      orderBy: { followUpAt: "asc" },
      take: 500,
    });
    return rows.map(toLunch);
  }

  // ---- digest ----

  async digestData(
    workspaceId: string,
    range: { start: Date; end: Date },
    coverageSince: Date,
    topN: number,
  ): Promise<DigestData> {
    const prevStart = new Date(range.start.getTime() - (range.end.getTime() - range.start.getTime()));
    const [week, previous, coverage] = await Promise.all([
      this.db.$queryRaw<Array<Record<string, unknown>>>`
        SELECT m."contactId" AS "contactId", COUNT(*) AS "mentions", COUNT(DISTINCT m."memberId") AS "teammates"
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${range.start} AND m."at" < ${range.end} AND c."status" = 'tracked'
        GROUP BY m."contactId" ORDER BY COUNT(*) DESC, m."contactId" LIMIT ${topN * 3}`,
      this.db.$queryRaw<Array<Record<string, unknown>>>`
        SELECT m."contactId" AS "contactId", COUNT(*) AS "mentions"
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${prevStart} AND m."at" < ${range.start} AND c."status" = 'tracked'
        GROUP BY m."contactId"`,
      this.db.$queryRaw<Array<Record<string, unknown>>>`
        SELECT m."contactId" AS "contactId", COUNT(*) AS "mentions"
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${coverageSince} AND m."at" < ${range.end} AND c."status" = 'tracked'
        GROUP BY m."contactId" ORDER BY COUNT(*) DESC, m."contactId" LIMIT ${topN}`,
    ]);
    const ids = [...new Set([...week, ...coverage].map((r) => String(r.contactId)))];
    const contacts = new Map((await this.getContacts(workspaceId, ids)).map((c) => [c.id, c]));
    const prev = new Map(previous.map((r) => [String(r.contactId), toNumber(r.mentions)]));

    const [lunches, meetings] = await Promise.all([
      this.db.lunch.findMany({
        where: {
          workspaceId,
          OR: [
            { createdAt: { gte: range.start, lt: range.end } },
            { scheduledFor: { gte: range.start, lt: range.end } },
          ],
        },
        include: { contact: true, organizer: true, attendees: { include: { member: true } } },
        orderBy: { scheduledFor: "asc" },
      }),
      this.db.meeting.findMany({
        where: { workspaceId, metAt: { gte: range.start, lt: range.end } },
        include: { contact: true, member: true },
        orderBy: { metAt: "asc" },
      }),
    ]);
    const lunchView = (l: (typeof lunches)[number]) => ({
      contactName: l.contact.displayName,
      organizerName: memberName(l.organizer),
      attendeeNames: l.attendees.map((a) => memberName(a.member)),
      scheduledFor: l.scheduledFor,
      place: l.place,
    });
    const metBy = new Map<string, Set<string>>();
    for (const m of meetings) {
      const name = memberName(m.member);
      if (!metBy.has(name)) metBy.set(name, new Set());
      metBy.get(name)?.add(m.contact.displayName);
    }
    return {
      weekContacts: week.flatMap((r) => {
        const c = contacts.get(String(r.contactId));
        return c
          ? [
              {
                contactId: c.id,
                displayName: c.displayName,
                organization: c.organization,
                status: c.status,
                lastMetAt: c.lastMetAt,
                mentions: toNumber(r.mentions),
                previousWeekMentions: prev.get(c.id) ?? 0,
                teammates: toNumber(r.teammates),
              },
            ]
          : [];
      }),
      coverageContacts: coverage.flatMap((r) => {
        const c = contacts.get(String(r.contactId));
        return c
          ? [
              {
                contactId: c.id,
                displayName: c.displayName,
                mentions: toNumber(r.mentions),
                lastMetAt: c.lastMetAt,
                status: c.status,
              },
            ]
          : [];
      }),
      lunchesPlanned: lunches.filter((l) => l.status !== "met" && l.status !== "cancelled").map(lunchView),
      lunchesHeld: lunches.filter((l) => l.status === "met").map(lunchView),
      meetings: [...metBy].map(([name, contactNames]) => ({
        memberName: name,
        contactNames: [...contactNames],
      })),
    };
  }

  // ---- weekly digests ----

  async claimDigest(
    workspaceId: string,
    week: string,
    channel: string,
    now: Date,
    staleAfterMs: number,
  ): Promise<"claimed" | "posted" | "in-progress" | "stale"> {
    try {
      await this.db.digest.create({
        data: { workspaceId, week, channel, status: "claimed", claimedAt: now },
      });
      return "claimed";
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const row = await this.db.digest.findUniqueOrThrow({
      where: { workspaceId_week: { workspaceId, week } },
    });
    // "posted" and "unconfirmed" are settled: nothing more is ever sent for that week.
    if (row.status !== "claimed" && row.status !== "posting") return "posted";
    if (now.getTime() - row.claimedAt.getTime() < staleAfterMs) return "in-progress";
    // Take over the stale claim atomically: only one process moves claimedAt forward. The status
    // stays as it was, so the new holder can tell "never sent" (claimed) from "maybe sent" (posting).
    const { count } = await this.db.digest.updateMany({
      where: { id: row.id, status: row.status, claimedAt: row.claimedAt },
      data: { claimedAt: now, channel },
    });
    return count === 1 ? "stale" : "in-progress";
  }

  async completeDigest(workspaceId: string, week: string, messageRef: string, now: Date): Promise<void> {
    await this.db.digest.updateMany({
      where: { workspaceId, week },
      data: { status: "posted", postedAt: now, messageRef },
    });
  }

  async releaseDigest(workspaceId: string, week: string): Promise<void> {
    await this.db.digest.deleteMany({ where: { workspaceId, week, status: { in: ["claimed", "posting"] } } });
  }

  async markDigestPosting(workspaceId: string, week: string, claimedAt: Date): Promise<boolean> {
    const { count } = await this.db.digest.updateMany({
      where: { workspaceId, week, claimedAt, status: { in: ["claimed", "posting"] } },
      data: { status: "posting" },
    });
    return count === 1;
  }

  async renewDigestClaim(workspaceId: string, week: string, claimedAt: Date, now: Date): Promise<boolean> {
    const { count } = await this.db.digest.updateMany({
      where: { workspaceId, week, claimedAt, status: { in: ["claimed", "posting"] } },
      data: { claimedAt: now },
    });
    return count === 1;
  }

  async markDigestUnconfirmed(workspaceId: string, week: string): Promise<void> {
    await this.db.digest.updateMany({
      where: { workspaceId, week, status: "posting" },
      data: { status: "unconfirmed" },
    });
  }

  async getDigest(
    workspaceId: string,
    week: string,
  ): Promise<{ status: string; postedAt: Date | null; messageRef: string | null } | null> {
    return this.db.digest.findUnique({
      where: { workspaceId_week: { workspaceId, week } },
      select: { status: true, postedAt: true, messageRef: true },
    });
  }

  // ---- inbound events ----

  async recordEvent(key: string, workspaceId: string | null, payload: string): Promise<boolean> {
    const [fresh] = await recordEvents(this.database, [{ key, workspaceId, payload }]);
    return fresh === true;
  }

  async recordEvents(
    items: Array<{ key: string; workspaceId: string | null; payload: string }>,
  ): Promise<boolean[]> {
    return recordEvents(this.database, items);
  }

  async finishEvents(keys: string[]): Promise<void> {
    await finishEvents(this.database, keys);
  }

  async finishEvent(
    key: string,
    outcome: { ok: true } | { ok: false; error: string; counted?: boolean },
  ): Promise<void> {
    await this.db.processedEvent.updateMany({
      where: { key },
      data: outcome.ok
        ? { status: "done", payload: null, processedAt: new Date(), error: null }
        : {
            status: "failed",
            error: outcome.error.slice(0, 1000),
            ...(outcome.counted ? {} : { attempts: { increment: 1 } }),
          },
    });
  }

  async claimEvent(key: string, attempts: number): Promise<boolean> {
    // Compare-and-set on the attempt counter: the first UPDATE wins, a concurrent one matches no row.
    // receivedAt moves to now, so no replica takes the event for stuck again while it is replayed.
    const { count } = await this.db.processedEvent.updateMany({
      where: { key, attempts, status: { in: ["pending", "failed"] } },
      data: { attempts: { increment: 1 }, receivedAt: new Date() },
    });
    return count === 1;
  }

  async pendingEvents(
    olderThan: Date,
    limit: number,
  ): Promise<Array<{ key: string; payload: string; attempts: number }>> {
    const rows = await this.db.processedEvent.findMany({
      where: {
        status: { in: ["pending", "failed"] },
        receivedAt: { lt: olderThan },
        attempts: { lt: 5 },
        payload: { not: null },
      },
      orderBy: { receivedAt: "asc" },
      take: limit,
    });
    return rows.map((r) => ({ key: r.key, payload: r.payload ?? "", attempts: r.attempts }));
  }

  async pruneEvents(before: Date): Promise<number> {
    return (await this.db.processedEvent.deleteMany({ where: { receivedAt: { lt: before } } })).count;
  }
}

const EMPTY_CONTACT = {
  id: "",
  workspaceId: "",
  displayName: "",
  organization: null,
  lastMetAt: null,
  platformUserId: null,
};

function memberName(m: { displayName: string; realName: string; platformUserId: string }): string {
  return m.displayName || m.realName || m.platformUserId;
}

function dedupeAliases(aliases: AliasInput[]): AliasInput[] {
  const seen = new Set<string>();
  return aliases.filter((a) => a.normalized.length > 0 && !seen.has(a.normalized) && seen.add(a.normalized));
}

function hasChanges(row: Record<string, unknown>, fields: Record<string, unknown>): boolean {
  return Object.entries(fields).some(([k, v]) => row[k] !== v);
}
