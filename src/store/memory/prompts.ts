import type { NudgeQuery, PromptStore } from "../../core/ports.ts";
import type { Nudge, NudgeKind, NudgeStatus } from "../../core/types.ts";
import { toNudge } from "../mappers.ts";
import { assign, byDate, copy, type MemoryState, missing, type StoredNudge } from "./state.ts";

export class MemoryPromptStore implements PromptStore {
  constructor(private readonly s: MemoryState) {}

  async createNudge(
    workspaceId: string,
    input: { memberId: string; contactId: string; kind: NudgeKind; createdAt?: Date },
  ): Promise<Nudge> {
    if (!this.s.members.has(input.memberId)) throw missing("member", input.memberId);
    if (!this.s.contacts.has(input.contactId)) throw missing("contact", input.contactId);
    const row: StoredNudge = {
      id: this.s.newId(),
      workspaceId,
      memberId: input.memberId,
      contactId: input.contactId,
      kind: input.kind,
      status: "pending",
      sentAt: null,
      snoozeUntil: null,
      messageRef: null,
      createdAt: new Date(input.createdAt ?? this.s.now()),
    };
    this.s.nudges.set(row.id, row);
    return toNudge(copy(row));
  }

  async getNudge(workspaceId: string, id: string): Promise<Nudge | null> {
    const row = this.s.nudges.get(id);
    return row?.workspaceId === workspaceId ? toNudge(copy(row)) : null;
  }

  async listNudges(workspaceId: string, opts: NudgeQuery): Promise<Nudge[]> {
    const contactIds = opts.contactIds ? new Set(opts.contactIds) : null;
    return [...this.s.nudges.values()]
      .filter(
        (n) =>
          n.workspaceId === workspaceId &&
          (!opts.since || n.createdAt >= opts.since) &&
          (!opts.before || n.createdAt < opts.before) &&
          (!opts.memberId || n.memberId === opts.memberId) &&
          (!opts.status || opts.status.includes(n.status as NudgeStatus)) &&
          (!opts.kind || n.kind === opts.kind) &&
          (!contactIds || contactIds.has(n.contactId)),
      )
      .sort(byDate((n) => n.createdAt))
      .map((n) => toNudge(copy(n)));
  }

  async transitionNudge(
    workspaceId: string,
    id: string,
    from: NudgeStatus[],
    patch: { status: NudgeStatus; sentAt?: Date; snoozeUntil?: Date | null; messageRef?: string | null },
  ): Promise<Nudge | null> {
    // Compare-and-set: only a nudge still in one of `from` moves.
    const row = this.s.nudges.get(id);
    if (!row || row.workspaceId !== workspaceId || !from.includes(row.status as NudgeStatus)) return null;
    assign(row, patch);
    return toNudge(copy(row));
  }

  async expireNudges(before: Date): Promise<number> {
    let n = 0;
    for (const row of this.s.nudges.values())
      if (row.status === "sent" && row.sentAt !== null && row.sentAt < before) {
        row.status = "expired";
        n++;
      }
    return n;
  }
}
