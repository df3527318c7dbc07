import type { MemberInput, MemberPatch, MemberStore } from "../../core/ports.ts";
import type { Member } from "../../core/types.ts";
import { FORGOTTEN_MEMBER } from "../shared.ts";
import { assign, copy, type MemoryState, notFound } from "./state.ts";

export class MemoryMemberStore implements MemberStore {
  constructor(private readonly s: MemoryState) {}

  private find(workspaceId: string, platformUserId: string): Member | undefined {
    for (const m of this.s.members.values())
      if (m.workspaceId === workspaceId && m.platformUserId === platformUserId) return m;
    return undefined;
  }

  private byId(workspaceId: string, id: string): Member | undefined {
    const m = this.s.members.get(id);
    return m?.workspaceId === workspaceId ? m : undefined;
  }

  async upsertMember(workspaceId: string, input: MemberInput): Promise<Member> {
    const { platformUserId, aadObjectId, ...fields } = input;
    const existing = this.find(workspaceId, platformUserId);
    if (existing) {
      // A forgotten member keeps an empty tombstone: don't put their profile back.
      if (!existing.optedOut) assign(existing, fields);
      if (aadObjectId && !existing.optedOut) this.s.aadObjectIds.set(existing.id, aadObjectId);
      return copy(existing);
    }
    const row: Member = {
      id: this.s.newId(),
      workspaceId,
      platformUserId,
      displayName: input.displayName ?? "",
      realName: input.realName ?? "",
      handle: input.handle ?? "",
      email: input.email ?? null,
      tz: input.tz ?? null,
      isBot: input.isBot ?? false,
      isAdmin: input.isAdmin ?? false,
      isInstaller: false,
      optedOut: false,
      paused: false,
      pausedUntil: null,
      dmRef: null,
    };
    this.s.members.set(row.id, row);
    if (aadObjectId) this.s.aadObjectIds.set(row.id, aadObjectId);
    return copy(row);
  }

  async getMember(workspaceId: string, platformUserId: string): Promise<Member | null> {
    const m = this.find(workspaceId, platformUserId);
    return m ? copy(m) : null;
  }

  async getMemberById(workspaceId: string, id: string): Promise<Member | null> {
    const m = this.byId(workspaceId, id);
    return m ? copy(m) : null;
  }

  async getMembers(workspaceId: string, platformUserIds: string[]): Promise<Member[]> {
    const wanted = new Set(platformUserIds);
    return [...this.s.members.values()]
      .filter((m) => m.workspaceId === workspaceId && wanted.has(m.platformUserId))
      .map(copy);
  }

  async listMembers(workspaceId: string): Promise<Member[]> {
    return [...this.s.members.values()]
      .filter((m) => m.workspaceId === workspaceId)
      .sort((a, b) =>
        a.platformUserId < b.platformUserId ? -1 : a.platformUserId > b.platformUserId ? 1 : 0,
      )
      .map(copy);
  }

  async memberCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const m of this.s.members.values()) counts.set(m.workspaceId, (counts.get(m.workspaceId) ?? 0) + 1);
    return counts;
  }

  async updateMember(workspaceId: string, id: string, patch: MemberPatch): Promise<Member> {
    const m = this.byId(workspaceId, id);
    if (!m) throw notFound("member", id);
    assign(m, patch);
    return copy(m);
  }

  async forgetMember(workspaceId: string, id: string): Promise<void> {
    const s = this.s;
    const m = this.byId(workspaceId, id);
    if (m) Object.assign(m, FORGOTTEN_MEMBER);
    for (const [k, t] of s.signInTokens)
      if (t.workspaceId === workspaceId && t.memberId === id) s.signInTokens.delete(k);
    const theirs = (r: { workspaceId: string; memberId: string }) =>
      r.workspaceId === workspaceId && r.memberId === id;
    // As in SQL: the contacts this member touched go too when nothing else refers to them afterwards.
    const touched = new Set<string>();
    for (const table of [s.mentions, s.nudges, s.meetings])
      for (const r of table.values()) if (theirs(r)) touched.add(r.contactId);
    for (const l of s.lunches.values())
      if (l.workspaceId === workspaceId && l.organizerId === id) touched.add(l.contactId);
    for (const [k, r] of s.mentions) if (theirs(r)) s.mentions.delete(k);
    for (const [k, r] of s.nudges) if (theirs(r)) s.nudges.delete(k);
    for (const [k, r] of s.meetings) if (theirs(r)) s.meetings.delete(k);
    for (const [k, r] of s.calendarGrants) if (theirs(r)) s.calendarGrants.delete(k);
    for (const [k, r] of s.noticed) if (theirs(r)) s.noticed.delete(k);
    // Attendance goes by member id alone, as the SQL does (member ids are unique across workspaces).
    for (const l of s.lunches.values()) l.attendees = l.attendees.filter((a) => a.memberId !== id);
    for (const [k, l] of s.lunches)
      if (l.workspaceId === workspaceId && l.organizerId === id) s.lunches.delete(k);
    for (const table of [s.mentions, s.nudges, s.meetings, s.lunches])
      for (const r of table.values()) touched.delete(r.contactId);
    for (const contactId of touched) {
      s.contacts.delete(contactId);
      for (const [k, a] of s.aliases) if (a.contactId === contactId) s.aliases.delete(k);
      for (const [k, n] of s.noticed) if (n.contactId === contactId) s.noticed.delete(k);
    }
  }

  async findMemberByAadObjectId(workspaceId: string, aadObjectId: string): Promise<Member | null> {
    for (const [id, oid] of this.s.aadObjectIds) {
      const m = oid === aadObjectId ? this.byId(workspaceId, id) : undefined;
      if (m) return copy(m);
    }
    return null;
  }

  async createSignInToken(
    workspaceId: string,
    memberId: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<void> {
    if (this.s.signInTokens.has(tokenHash)) throw new Error("unique violation: sign-in token");
    this.s.signInTokens.set(tokenHash, { workspaceId, memberId, expiresAt, usedAt: null });
  }

  async consumeSignInToken(
    tokenHash: string,
    now: Date,
  ): Promise<{ workspaceId: string; memberId: string } | null> {
    const t = this.s.signInTokens.get(tokenHash);
    if (!t || t.usedAt || t.expiresAt <= now) return null;
    t.usedAt = now;
    return { workspaceId: t.workspaceId, memberId: t.memberId };
  }
}
