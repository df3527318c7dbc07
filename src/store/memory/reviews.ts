import type { ReviewStore } from "../../core/ports.ts";
import type { Review, ReviewItem, ReviewTrigger } from "../../core/types.ts";
import { reviewItemsJson, toReview } from "../mappers.ts";
import { byDate, copy, type MemoryState, missing, type ReviewRow } from "./state.ts";

export class MemoryReviewStore implements ReviewStore {
  constructor(private readonly s: MemoryState) {}

  async createReview(
    workspaceId: string,
    input: { trigger: ReviewTrigger; items: ReviewItem[]; recipients: string[] },
  ): Promise<Review | null> {
    if (!this.s.workspaces.has(workspaceId)) throw missing("workspace", workspaceId);
    for (const r of this.s.reviews.values())
      if (r.workspaceId === workspaceId && r.trigger === input.trigger) return null;
    const row: ReviewRow = {
      id: this.s.newId(),
      workspaceId,
      trigger: input.trigger,
      items: reviewItemsJson(input.items),
      recipients: JSON.stringify(input.recipients),
      createdAt: new Date(this.s.now()),
      sentAt: null,
    };
    this.s.reviews.set(row.id, row);
    return toReview(copy(row));
  }

  async getReview(workspaceId: string, id: string): Promise<Review | null> {
    const row = this.s.reviews.get(id);
    return row?.workspaceId === workspaceId ? toReview(copy(row)) : null;
  }

  async latestReview(workspaceId: string): Promise<Review | null> {
    const rows = this.rows(workspaceId);
    const last = rows[rows.length - 1];
    return last ? toReview(copy(last)) : null;
  }

  async unsentReviews(workspaceId: string): Promise<Review[]> {
    return this.rows(workspaceId)
      .filter((r) => r.sentAt === null)
      .map((r) => toReview(copy(r)));
  }

  async markReviewSent(workspaceId: string, id: string, at: Date): Promise<boolean> {
    const row = this.s.reviews.get(id);
    if (!row || row.workspaceId !== workspaceId || row.sentAt !== null) return false;
    row.sentAt = new Date(at);
    return true;
  }

  async updateReviewItems(
    workspaceId: string,
    id: string,
    expected: ReviewItem[],
    next: ReviewItem[],
  ): Promise<boolean> {
    const row = this.s.reviews.get(id);
    if (!row || row.workspaceId !== workspaceId || row.items !== reviewItemsJson(expected)) return false;
    row.items = reviewItemsJson(next);
    return true;
  }

  /** The workspace's reviews, oldest first (ids are time-ordered, as createdAt ties). */
  private rows(workspaceId: string): ReviewRow[] {
    return [...this.s.reviews.values()]
      .filter((r) => r.workspaceId === workspaceId)
      .sort((a, b) => byDate<ReviewRow>((r) => r.createdAt)(a, b) || (a.id < b.id ? -1 : 1));
  }
}
