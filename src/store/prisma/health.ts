import type { StoreHealth } from "../../core/ports.ts";
import type { Database } from "../db.ts";

export class PrismaHealth implements StoreHealth {
  constructor(private readonly database: Database) {}

  async ping(): Promise<void> {
    await this.database.db.$queryRawUnsafe("SELECT 1");
  }
}
