import type { AliasInput, ContactInput, ContactPatch, ContactStats, ContactStore } from "../../core/ports.ts";
import type { Alias, AliasKind, Contact, ContactStatus, Meeting } from "../../core/types.ts";
import { toContact } from "../mappers.ts";
import { dedupeAliases, firstContactByAliases } from "../shared.ts";
import {
  assign,
  copy,
  key,
  type MemoryState,
  missing,
  notFound,
  type StoredContact,
  UniqueViolation,
} from "./state.ts";

export class MemoryContactStore implements ContactStore {
  constructor(private readonly s: MemoryState) {}

  private byId(workspaceId: string, id: string): StoredContact | undefined {
    const c = this.s.contacts.get(id);
    return c?.workspaceId === workspaceId ? c : undefined;
  }

  private byPlatformUser(workspaceId: string, platformUserId: string): StoredContact | undefined {
    for (const c of this.s.contacts.values())
      if (c.workspaceId === workspaceId && c.platformUserId === platformUserId) return c;
    return undefined;
  }

  private view(c: StoredContact): Contact {
    return toContact(copy(c));
  }

  async listAliases(workspaceId: string): Promise<Array<Alias & { status: ContactStatus }>> {
    const out: Array<Alias & { status: ContactStatus }> = [];
    for (const a of this.s.aliases.values()) {
      const c = a.workspaceId === workspaceId ? this.s.contacts.get(a.contactId) : undefined;
      if (!c) continue;
      out.push({
        contactId: a.contactId,
        kind: a.kind as AliasKind,
        normalized: a.normalized,
        display: a.display,
        status: this.view(c).status,
      });
    }
    return out;
  }

  async findContactByAlias(workspaceId: string, normalized: string): Promise<Contact | null> {
    const a = this.s.aliases.get(key(workspaceId, normalized));
    const c = a ? this.s.contacts.get(a.contactId) : undefined;
    return c ? this.view(c) : null;
  }

  async findContactByPlatformUser(workspaceId: string, platformUserId: string): Promise<Contact | null> {
    const c = this.byPlatformUser(workspaceId, platformUserId);
    return c ? this.view(c) : null;
  }

  async getContact(workspaceId: string, id: string): Promise<Contact | null> {
    const c = this.byId(workspaceId, id);
    return c ? this.view(c) : null;
  }

  async getContacts(workspaceId: string, ids: string[]): Promise<Contact[]> {
    return [...new Set(ids)].flatMap((id) => {
      const c = this.byId(workspaceId, id);
      return c ? [this.view(c)] : [];
    });
  }

  async createContact(workspaceId: string, input: ContactInput, aliases: AliasInput[]): Promise<Contact> {
    const unique = dedupeAliases(aliases);
    const platformUserId = input.platformUserId ?? null;
    const taken =
      (platformUserId !== null && this.byPlatformUser(workspaceId, platformUserId) !== undefined) ||
      unique.some((a) => this.s.aliases.has(key(workspaceId, a.normalized)));
    if (taken) {
      // As the database would refuse the insert: the one that holds the platform id or an alias wins.
      const existing =
        (platformUserId ? await this.findContactByPlatformUser(workspaceId, platformUserId) : null) ??
        (await firstContactByAliases((n) => this.findContactByAlias(workspaceId, n), aliases));
      if (!existing) throw new UniqueViolation("ContactAlias (workspaceId, normalized)");
      return existing;
    }
    const row: StoredContact = {
      id: this.s.newId(),
      workspaceId,
      displayName: input.displayName,
      status: input.status,
      organization: input.organization ?? null,
      lastMetAt: null,
      platformUserId,
    };
    this.s.contacts.set(row.id, row);
    for (const a of unique)
      this.s.aliases.set(key(workspaceId, a.normalized), { ...a, workspaceId, contactId: row.id });
    return this.view(row);
  }

  async addAliases(
    workspaceId: string,
    contactId: string,
    aliases: AliasInput[],
  ): Promise<{ added: number; conflicts: Array<{ normalized: string; contactId: string }> }> {
    let added = 0;
    const conflicts: Array<{ normalized: string; contactId: string }> = [];
    for (const a of dedupeAliases(aliases)) {
      const existing = this.s.aliases.get(key(workspaceId, a.normalized));
      if (existing) {
        if (existing.contactId !== contactId)
          conflicts.push({ normalized: a.normalized, contactId: existing.contactId });
        continue;
      }
      if (!this.s.contacts.has(contactId)) throw missing("contact", contactId);
      this.s.aliases.set(key(workspaceId, a.normalized), { ...a, workspaceId, contactId });
      added++;
    }
    return { added, conflicts };
  }

  async mergeContacts(workspaceId: string, intoId: string, fromIds: string[]): Promise<void> {
    const from = new Set(fromIds.filter((id) => id !== intoId));
    if (from.size === 0) return;
    const s = this.s;
    const sources = [...from].flatMap((id) => {
      const c = this.byId(workspaceId, id);
      return c ? [c] : [];
    });
    const target = this.byId(workspaceId, intoId);
    if (!target) throw notFound("contact", intoId);
    const moves = (r: { workspaceId: string; contactId: string }) =>
      r.workspaceId === workspaceId && from.has(r.contactId);
    for (const a of s.aliases.values()) if (moves(a)) a.contactId = intoId;
    // A message that mentioned both spellings must still count once for the merged contact.
    const targetMessages = new Set<string>();
    for (const m of s.mentions.values())
      if (m.workspaceId === workspaceId && m.contactId === intoId) targetMessages.add(m.messageId);
    for (const [id, m] of s.mentions) {
      if (!moves(m)) continue;
      if (targetMessages.has(m.messageId)) s.mentions.delete(id);
      else {
        m.contactId = intoId;
        targetMessages.add(m.messageId);
      }
    }
    for (const table of [s.nudges, s.lunches, s.meetings])
      for (const r of table.values()) if (moves(r)) r.contactId = intoId;
    const all = [target, ...sources];
    const lastMet = all.map((c) => c.lastMetAt).filter((d): d is Date => d !== null);
    const platformUserId =
      target.platformUserId ?? sources.find((c) => c.platformUserId)?.platformUserId ?? null;
    // As the database's cascade: notices about the merged-away contacts go with them.
    for (const [k, n] of s.noticed) if (moves(n)) s.noticed.delete(k);
    for (const c of sources) s.contacts.delete(c.id);
    target.status = all.some((c) => c.status === "tracked") ? "tracked" : target.status;
    target.organization = target.organization ?? sources.find((c) => c.organization)?.organization ?? null;
    target.lastMetAt = lastMet.length ? new Date(Math.max(...lastMet.map((d) => d.getTime()))) : null;
    target.platformUserId = platformUserId;
  }

  async updateContact(workspaceId: string, id: string, patch: ContactPatch): Promise<Contact> {
    const c = this.byId(workspaceId, id);
    if (c && patch.platformUserId) {
      const holder = this.byPlatformUser(workspaceId, patch.platformUserId);
      if (holder && holder.id !== id) throw new UniqueViolation("Contact (workspaceId, platformUserId)");
    }
    if (!c) throw notFound("contact", id);
    assign(c, patch);
    return this.view(c);
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
    const groups = new Map<string, { mentions: number; last: Date; members: Set<string> }>();
    const teammates = new Map<string, Set<string>>();
    const only = opts.contactIds ? new Set(opts.contactIds) : null;
    for (const m of this.s.mentions.values()) {
      if (m.workspaceId !== workspaceId || m.at < opts.since) continue;
      if (only && !only.has(m.contactId)) continue;
      // Teammates count everyone who mentioned the contact, whoever `memberId` narrows the list to.
      const t = teammates.get(m.contactId) ?? new Set<string>();
      t.add(m.memberId);
      teammates.set(m.contactId, t);
      if (opts.memberId && m.memberId !== opts.memberId) continue;
      if (opts.status && this.s.contacts.get(m.contactId)?.status !== opts.status) continue;
      const g = groups.get(m.contactId) ?? { mentions: 0, last: m.at, members: new Set<string>() };
      g.mentions++;
      if (m.at > g.last) g.last = m.at;
      groups.set(m.contactId, g);
    }
    const ranked = [...groups].sort((a, b) => b[1].mentions - a[1].mentions);
    const stats: ContactStats[] = [];
    for (const [contactId, g] of opts.limit ? ranked.slice(0, opts.limit) : ranked) {
      const c = this.byId(workspaceId, contactId);
      if (!c) continue;
      stats.push({
        contact: this.view(c),
        mentions: g.mentions,
        teammates: teammates.get(contactId)?.size ?? 0,
        lastMentionAt: new Date(g.last),
      });
    }
    return stats;
  }

  async recordMeeting(workspaceId: string, meeting: Meeting & { lunchId?: string | null }): Promise<void> {
    if (!this.s.contacts.has(meeting.contactId)) throw missing("contact", meeting.contactId);
    if (!this.s.members.has(meeting.memberId)) throw missing("member", meeting.memberId);
    const id = this.s.newId();
    this.s.meetings.set(id, {
      id,
      workspaceId,
      contactId: meeting.contactId,
      memberId: meeting.memberId,
      metAt: new Date(meeting.metAt),
      source: meeting.source,
      lunchId: meeting.lunchId ?? null,
    });
    // lastMetAt only moves forward: recording an older meeting must not undo a newer one.
    const c = this.byId(workspaceId, meeting.contactId);
    if (c && (c.lastMetAt === null || c.lastMetAt < meeting.metAt)) c.lastMetAt = new Date(meeting.metAt);
  }

  async listMeetings(workspaceId: string, opts: { from: Date; memberId?: string }): Promise<Meeting[]> {
    return [...this.s.meetings.values()]
      .filter(
        (m) =>
          m.workspaceId === workspaceId &&
          m.metAt >= opts.from &&
          (!opts.memberId || m.memberId === opts.memberId),
      )
      .sort((a, b) => b.metAt.getTime() - a.metAt.getTime())
      .slice(0, 500)
      .map((m) => ({
        contactId: m.contactId,
        memberId: m.memberId,
        metAt: new Date(m.metAt),
        source: m.source as Meeting["source"],
      }));
  }
}
