import type { AliasInput, ContactInput, ContactPatch, ContactStats, ContactStore } from "../../core/ports.ts";
import type { Alias, AliasKind, Contact, ContactStatus, Meeting } from "../../core/types.ts";
import { insertContactPg } from "../contact-insert.ts";
import { touchCoverage } from "../coverage-touch.ts";
import type { Database, Db } from "../db.ts";
import { toContact } from "../mappers.ts";
import { dedupeAliases, firstContactByAliases } from "../shared.ts";
import { isUniqueViolation } from "./common.ts";

const EMPTY_CONTACT = {
  id: "",
  workspaceId: "",
  displayName: "",
  organization: null,
  lastMetAt: null,
  platformUserId: null,
};

/** Contacts, their aliases and meetings on Prisma. */
export class PrismaContactStore implements ContactStore {
  private readonly db: Db;

  constructor(private readonly database: Database) {
    this.db = database.db;
  }

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
          : null) ?? (await firstContactByAliases((n) => this.findContactByAlias(workspaceId, n), aliases));
      if (!existing) throw err;
      return existing;
    }
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
    await touchCoverage(this.database, workspaceId);
  }

  async updateContact(workspaceId: string, id: string, patch: ContactPatch): Promise<Contact> {
    const { count } = await this.db.contact.updateMany({ where: { id, workspaceId }, data: patch });
    // Coverage counts tracked contacts only (whatever their status was in the week measured): the
    // weeks this contact was mentioned in change (none, when it never was).
    if (count > 0 && patch.status !== undefined) {
      const span = await this.db.mention.aggregate({
        where: { workspaceId, contactId: id },
        _min: { at: true },
        _max: { at: true },
      });
      if (span._min.at && span._max.at)
        await touchCoverage(this.database, workspaceId, { from: span._min.at, to: span._max.at });
    }
    return toContact(await this.db.contact.findFirstOrThrow({ where: { id, workspaceId } }));
  }

  async listContactStats(
    workspaceId: string,
    opts: {
      status?: ContactStatus;
      since: Date;
      limit?: number;
      memberId?: string;
      /** Only these contacts (the rows of a review). */
      contactIds?: string[];
    },
  ): Promise<ContactStats[]> {
    const grouped = await this.db.mention.groupBy({
      by: ["contactId"],
      where: {
        workspaceId,
        at: { gte: opts.since },
        ...(opts.memberId ? { memberId: opts.memberId } : {}),
        ...(opts.status ? { contact: { status: opts.status } } : {}),
        ...(opts.contactIds ? { contactId: { in: opts.contactIds } } : {}),
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
    await touchCoverage(this.database, workspaceId, { from: meeting.metAt, to: meeting.metAt });
  }

  async listMeetings(workspaceId: string, opts: { from: Date; memberId?: string }): Promise<Meeting[]> {
    const rows = await this.db.meeting.findMany({
      where: {
        workspaceId,
        metAt: { gte: opts.from },
        ...(opts.memberId ? { memberId: opts.memberId } : {}),
      },
      orderBy: { metAt: "desc" },
      take: 500,
    });
    return rows.map((r) => ({
      contactId: r.contactId,
      memberId: r.memberId,
      metAt: r.metAt,
      source: r.source as Meeting["source"],
    }));
  }
}
