import type { ReviewStore } from "../../core/ports.ts";
import type { Review, ReviewItem, ReviewTrigger } from "../../core/types.ts";
import type { Database, Db } from "../db.ts";
import { reviewItemsJson, toReview } from "../mappers.ts";
import { isUniqueViolation } from "./common.ts";

/** Reviews of found candidates on Prisma. Once per (workspace, trigger) by its unique key. */
export class PrismaReviewStore implements ReviewStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async createReview(
    workspaceId: string,
    input: { trigger: ReviewTrigger; items: ReviewItem[]; recipients: string[] },
  ): Promise<Review | null> {
    try {
      const row = await this.db.review.create({
        data: {
          workspaceId,
          trigger: input.trigger,
          items: reviewItemsJson(input.items),
          recipients: JSON.stringify(input.recipients),
        },
      });
      return toReview(row);
    } catch (err) {
      // Another replica (or a retried install) created it first.
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async getReview(workspaceId: string, id: string): Promise<Review | null> {
    const row = await this.db.review.findFirst({ where: { id, workspaceId } });
    return row ? toReview(row) : null;
  }

  async latestReview(workspaceId: string): Promise<Review | null> {
    const row = await this.db.review.findFirst({
      where: { workspaceId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return row ? toReview(row) : null;
  }

  async unsentReviews(workspaceId: string): Promise<Review[]> {
    const rows = await this.db.review.findMany({
      where: { workspaceId, sentAt: null },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(toReview);
  }

  async markReviewSent(workspaceId: string, id: string, at: Date): Promise<boolean> {
    const { count } = await this.db.review.updateMany({
      where: { id, workspaceId, sentAt: null },
      data: { sentAt: at },
    });
    return count === 1;
  }

  async updateReviewItems(
    workspaceId: string,
    id: string,
    expected: ReviewItem[],
    next: ReviewItem[],
  ): Promise<boolean> {
    const { count } = await this.db.review.updateMany({
      where: { id, workspaceId, items: reviewItemsJson(expected) },
      data: { items: reviewItemsJson(next) },
    });
    return count === 1;
  }
}
