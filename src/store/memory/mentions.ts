import type { MentionBase, MentionBatchItem, MentionCount, MentionStore } from "../../core/ports.ts";
import { coMentionedPairs } from "../../core/same-person.ts";
import { key, type MemoryState, type MentionRow } from "./state.ts";

/** Mentions in memory, with the batch semantics of bulk-mentions.ts. */
export class MemoryMentionStore implements MentionStore {
  constructor(private readonly s: MemoryState) {}

  async replaceMentions(
    workspaceId: string,
    messageId: string,
    base: MentionBase,
    contactIds: string[],
  ): Promise<{ added: number; removed: number }> {
    return this.write(workspaceId, [{ messageId, base, contactIds }])[0] as {
      added: number;
      removed: number;
    };
  }

  async replaceMentionsBatch(
    workspaceId: string,
    items: MentionBatchItem[],
  ): Promise<Array<{ added: number; removed: number }>> {
    return this.write(workspaceId, items);
  }

  /**
   * Each message ends with exactly its last item's contacts. New pairs are inserted unless the
   * author opted out (and a pair already stored keeps its row); everything else the messages had
   * is removed. Counts go to each message's last item.
   */
  private write(
    workspaceId: string,
    items: readonly MentionBatchItem[],
  ): Array<{ added: number; removed: number }> {
    const counts = items.map(() => ({ added: 0, removed: 0 }));
    const last = new Map<string, number>();
    for (const [i, item] of items.entries()) last.set(item.messageId, i);
    const existing = new Map<string, string>(); // (message, contact) → mention id
    for (const m of this.s.mentions.values())
      if (m.workspaceId === workspaceId && last.has(m.messageId))
        existing.set(key(m.messageId, m.contactId), m.id);
    const keep = new Set<string>();
    for (const [messageId, i] of last) {
      const item = items[i] as MentionBatchItem;
      const count = counts[i] as { added: number; removed: number };
      const optedOut = this.s.members.get(item.base.memberId)?.optedOut === true;
      for (const contactId of new Set(item.contactIds)) {
        const pair = key(messageId, contactId);
        keep.add(pair);
        if (existing.has(pair) || optedOut) continue;
        const row: MentionRow = {
          id: this.s.newId(),
          workspaceId,
          contactId,
          memberId: item.base.memberId,
          channelId: item.base.channelId,
          messageId,
          at: new Date(item.base.at),
          source: item.base.source,
        };
        this.s.mentions.set(row.id, row);
        existing.set(pair, row.id);
        count.added++;
      }
    }
    for (const [pair, id] of existing) {
      if (keep.has(pair)) continue;
      const m = this.s.mentions.get(id);
      if (!m) continue;
      this.s.mentions.delete(id);
      (counts[last.get(m.messageId) as number] as { added: number; removed: number }).removed++;
    }
    return counts;
  }

  async deleteMentionsForMessage(workspaceId: string, messageId: string): Promise<number> {
    return this.deleteWhere((m) => m.workspaceId === workspaceId && m.messageId === messageId);
  }

  async mentionCounts(workspaceId: string, since: Date): Promise<MentionCount[]> {
    const groups = new Map<string, MentionCount>();
    for (const m of this.s.mentions.values()) {
      if (m.workspaceId !== workspaceId || m.at < since) continue;
      // Only what was said since the contact was last met counts towards the next prompt.
      const lastMet = this.s.contacts.get(m.contactId)?.lastMetAt ?? null;
      if (lastMet !== null && m.at <= lastMet) continue;
      const k = key(m.memberId, m.contactId);
      const g = groups.get(k);
      if (!g) {
        groups.set(k, {
          memberId: m.memberId,
          contactId: m.contactId,
          count: 1,
          firstAt: new Date(m.at),
          lastAt: new Date(m.at),
        });
        continue;
      }
      g.count++;
      if (m.at < g.firstAt) g.firstAt = new Date(m.at);
      if (m.at > g.lastAt) g.lastAt = new Date(m.at);
    }
    return [...groups.values()];
  }

  async mentionEvents(
    workspaceId: string,
    since: Date,
  ): Promise<Array<{ memberId: string; contactId: string; at: Date }>> {
    return [...this.s.mentions.values()]
      .filter((m) => m.workspaceId === workspaceId && m.at >= since)
      .map((m) => ({ memberId: m.memberId, contactId: m.contactId, at: new Date(m.at) }));
  }

  async nthLatestMentionAt(workspaceId: string, nth: number): Promise<Date | null> {
    const times = [...this.s.mentions.values()]
      .filter((m) => m.workspaceId === workspaceId)
      .map((m) => m.at.getTime())
      .sort((a, b) => b - a);
    const at = times[Math.max(0, nth - 1)];
    return at === undefined ? null : new Date(at);
  }

  async coMentioned(workspaceId: string, contactIds: string[]): Promise<Array<[string, string]>> {
    const wanted = new Set(contactIds);
    return coMentionedPairs(
      [...this.s.mentions.values()].filter((m) => m.workspaceId === workspaceId && wanted.has(m.contactId)),
    );
  }

  async deleteMentionsBefore(before: Date, workspaceId?: string): Promise<number> {
    return this.deleteWhere((m) => m.at < before && (!workspaceId || m.workspaceId === workspaceId));
  }

  async countMentions(workspaceId?: string): Promise<number> {
    let n = 0;
    for (const m of this.s.mentions.values()) if (!workspaceId || m.workspaceId === workspaceId) n++;
    return n;
  }

  private deleteWhere(match: (m: MentionRow) => boolean): number {
    let n = 0;
    for (const [id, m] of this.s.mentions)
      if (match(m)) {
        this.s.mentions.delete(id);
        n++;
      }
    return n;
  }
}
