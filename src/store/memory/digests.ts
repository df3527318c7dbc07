import type { DigestData, DigestStore } from "../../core/ports.ts";
import type { Member } from "../../core/types.ts";
import { toContact } from "../mappers.ts";
import { memberName } from "../shared.ts";
import { byDate, type DigestRow, key, type LunchRowM, type MemoryState } from "./state.ts";

type ClaimState = "claimed" | "posted" | "in-progress" | "stale";

/** The weekly digest in memory: the same aggregates as the SQL of prisma/digests.ts, and the same claim states. */
export class MemoryDigestStore implements DigestStore {
  constructor(private readonly s: MemoryState) {}

  /** Mentions of tracked contacts in [from, to): per contact, how many and by how many members. */
  private tally(
    workspaceId: string,
    from: Date,
    to: Date,
  ): Array<{ contactId: string; mentions: number; teammates: number }> {
    const groups = new Map<string, { mentions: number; members: Set<string> }>();
    for (const m of this.s.mentions.values()) {
      if (m.workspaceId !== workspaceId || m.at < from || m.at >= to) continue;
      if (this.s.contacts.get(m.contactId)?.status !== "tracked") continue;
      const g = groups.get(m.contactId) ?? { mentions: 0, members: new Set<string>() };
      g.mentions++;
      g.members.add(m.memberId);
      groups.set(m.contactId, g);
    }
    return [...groups]
      .map(([contactId, g]) => ({ contactId, mentions: g.mentions, teammates: g.members.size }))
      .sort(
        (a, b) =>
          b.mentions - a.mentions || (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
      );
  }

  async digestData(
    workspaceId: string,
    range: { start: Date; end: Date },
    coverageSince: Date,
    topN: number,
    earlier?: { since: Date; until: Date },
  ): Promise<DigestData> {
    const prevStart = new Date(range.start.getTime() - (range.end.getTime() - range.start.getTime()));
    const week = this.tally(workspaceId, range.start, range.end).slice(0, topN * 3);
    const prev = new Map(
      this.tally(workspaceId, prevStart, range.start).map((r) => [r.contactId, r.mentions]),
    );
    const coverage = this.tally(workspaceId, coverageSince, range.end).slice(0, topN);
    const contact = (id: string) => {
      const c = this.s.contacts.get(id);
      return c?.workspaceId === workspaceId ? toContact(c) : null;
    };
    const coverageRows = (rows: Array<{ contactId: string; mentions: number }>) =>
      rows.flatMap((r) => {
        const c = contact(r.contactId);
        return c
          ? [
              {
                contactId: c.id,
                displayName: c.displayName,
                mentions: r.mentions,
                lastMetAt: c.lastMetAt && new Date(c.lastMetAt),
                status: c.status,
              },
            ]
          : [];
      });
    const name = (id: string) => {
      const m: Member | undefined = this.s.members.get(id);
      return m ? memberName(m) : "";
    };
    const inRange = (d: Date | null) => d !== null && d >= range.start && d < range.end;
    const lunches = [...this.s.lunches.values()]
      .filter((l) => l.workspaceId === workspaceId && (inRange(l.createdAt) || inRange(l.scheduledFor)))
      .sort(byDate((l) => l.scheduledFor));
    const lunchView = (l: LunchRowM) => ({
      contactName: this.s.contacts.get(l.contactId)?.displayName ?? "",
      organizerName: name(l.organizerId),
      attendeeNames: l.attendees.map((a) => name(a.memberId)),
      scheduledFor: l.scheduledFor && new Date(l.scheduledFor),
      place: l.place,
    });
    const metBy = new Map<string, Set<string>>();
    const meetings = [...this.s.meetings.values()]
      .filter((m) => m.workspaceId === workspaceId && inRange(m.metAt))
      .sort(byDate((m) => m.metAt));
    for (const m of meetings) {
      const who = name(m.memberId);
      if (!metBy.has(who)) metBy.set(who, new Set());
      metBy.get(who)?.add(this.s.contacts.get(m.contactId)?.displayName ?? "");
    }
    return {
      weekContacts: week.flatMap((r) => {
        const c = contact(r.contactId);
        return c
          ? [
              {
                contactId: c.id,
                displayName: c.displayName,
                organization: c.organization,
                status: c.status,
                lastMetAt: c.lastMetAt && new Date(c.lastMetAt),
                mentions: r.mentions,
                previousWeekMentions: prev.get(c.id) ?? 0,
                teammates: r.teammates,
              },
            ]
          : [];
      }),
      coverageContacts: coverageRows(coverage),
      ...(earlier
        ? {
            previousCoverageContacts: coverageRows(
              this.tally(workspaceId, earlier.since, earlier.until).slice(0, topN),
            ),
          }
        : {}),
      lunchesPlanned: lunches.filter((l) => l.status !== "met" && l.status !== "cancelled").map(lunchView),
      lunchesHeld: lunches.filter((l) => l.status === "met").map(lunchView),
      meetings: [...metBy].map(([memberName, contactNames]) => ({
        memberName,
        contactNames: [...contactNames],
      })),
    };
  }

  async coverageSeries(
    workspaceId: string,
    windows: Array<{ since: Date; until: Date }>,
    topN: number,
  ): Promise<Array<{ met: number; total: number }>> {
    const meetings = [...this.s.meetings.values()].filter((m) => m.workspaceId === workspaceId);
    return windows.map((w) => {
      const top = this.tally(workspaceId, w.since, w.until).slice(0, Math.max(1, Math.floor(topN)));
      const met = top.filter((t) =>
        meetings.some((m) => m.contactId === t.contactId && m.metAt >= w.since && m.metAt < w.until),
      ).length;
      return { met, total: top.length };
    });
  }

  async coverageTop(
    workspaceId: string,
    window: { since: Date; until: Date },
    limit: number,
  ): Promise<Array<{ contactId: string; mentions: number; met: boolean }>> {
    const meetings = [...this.s.meetings.values()].filter((m) => m.workspaceId === workspaceId);
    return this.tally(workspaceId, window.since, window.until)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map((t) => ({
        contactId: t.contactId,
        mentions: t.mentions,
        met: meetings.some(
          (m) => m.contactId === t.contactId && m.metAt >= window.since && m.metAt < window.until,
        ),
      }));
  }

  async teammateCounts(
    workspaceId: string,
    contactIds: string[],
    window: { since: Date; until: Date },
  ): Promise<Map<string, number>> {
    const wanted = new Set(contactIds);
    const members = new Map<string, Set<string>>();
    for (const m of this.s.mentions.values()) {
      if (m.workspaceId !== workspaceId || !wanted.has(m.contactId)) continue;
      if (m.at < window.since || m.at >= window.until) continue;
      const set = members.get(m.contactId) ?? new Set<string>();
      set.add(m.memberId);
      members.set(m.contactId, set);
    }
    return new Map([...members].map(([id, set]) => [id, set.size]));
  }

  private row(workspaceId: string, week: string): DigestRow | undefined {
    return this.s.digests.get(key(workspaceId, week));
  }

  async claimDigest(
    workspaceId: string,
    week: string,
    channel: string,
    now: Date,
    staleAfterMs: number,
  ): Promise<ClaimState> {
    const row = this.row(workspaceId, week);
    if (!row) {
      this.s.digests.set(key(workspaceId, week), {
        id: this.s.newId(),
        workspaceId,
        week,
        status: "claimed",
        channel,
        claimedAt: new Date(now),
        postedAt: null,
        messageRef: null,
      });
      return "claimed";
    }
    // "posted" and "unconfirmed" are settled: nothing more is ever sent for that week.
    if (row.status !== "claimed" && row.status !== "posting") return "posted";
    if (now.getTime() - row.claimedAt.getTime() < staleAfterMs) return "in-progress";
    // Take the stale claim over; the status stays, so the new holder can tell "never sent" from "maybe sent".
    row.claimedAt = new Date(now);
    row.channel = channel;
    return "stale";
  }

  async completeDigest(workspaceId: string, week: string, messageRef: string, now: Date): Promise<void> {
    const row = this.row(workspaceId, week);
    if (!row) return;
    row.status = "posted";
    row.postedAt = new Date(now);
    row.messageRef = messageRef;
  }

  async releaseDigest(workspaceId: string, week: string): Promise<void> {
    const row = this.row(workspaceId, week);
    if (row && (row.status === "claimed" || row.status === "posting"))
      this.s.digests.delete(key(workspaceId, week));
  }

  /** The claim this process holds: still live and still at `claimedAt`. */
  private held(workspaceId: string, week: string, claimedAt: Date): DigestRow | null {
    const row = this.row(workspaceId, week);
    return row &&
      (row.status === "claimed" || row.status === "posting") &&
      row.claimedAt.getTime() === claimedAt.getTime()
      ? row
      : null;
  }

  async markDigestPosting(workspaceId: string, week: string, claimedAt: Date): Promise<boolean> {
    const row = this.held(workspaceId, week, claimedAt);
    if (row) row.status = "posting";
    return row !== null;
  }

  async renewDigestClaim(workspaceId: string, week: string, claimedAt: Date, now: Date): Promise<boolean> {
    const row = this.held(workspaceId, week, claimedAt);
    if (row) row.claimedAt = new Date(now);
    return row !== null;
  }

  async markDigestUnconfirmed(workspaceId: string, week: string): Promise<void> {
    const row = this.row(workspaceId, week);
    if (row?.status === "posting") row.status = "unconfirmed";
  }

  async getDigest(
    workspaceId: string,
    week: string,
  ): Promise<{ status: string; postedAt: Date | null; messageRef: string | null } | null> {
    const row = this.row(workspaceId, week);
    return row
      ? { status: row.status, postedAt: row.postedAt && new Date(row.postedAt), messageRef: row.messageRef }
      : null;
  }
}
