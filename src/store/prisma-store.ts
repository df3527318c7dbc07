import { CompositeStore } from "./composite.ts";
import type { Database } from "./db.ts";
import { PrismaCalendarGrantStore } from "./prisma/calendar-grants.ts";
import { PrismaChannelStore } from "./prisma/channels.ts";
import { PrismaContactStore } from "./prisma/contacts.ts";
import { PrismaDigestStore } from "./prisma/digests.ts";
import { PrismaEventStore } from "./prisma/events.ts";
import { PrismaHealth } from "./prisma/health.ts";
import { PrismaInstallationStore } from "./prisma/installations.ts";
import { PrismaJobRunStore } from "./prisma/job-runs.ts";
import { PrismaLunchStore } from "./prisma/lunches.ts";
import { PrismaMemberStore } from "./prisma/members.ts";
import { PrismaMentionStore } from "./prisma/mentions.ts";
import { PrismaNoticedMeetingStore } from "./prisma/noticed.ts";
import { PrismaPromptStore } from "./prisma/prompts.ts";
import { PrismaReviewStore } from "./prisma/reviews.ts";
import { PrismaWorkspaceStore } from "./prisma/workspaces.ts";

/**
 * Every port on Prisma, for SQLite and PostgreSQL alike: one repository per aggregate
 * (src/store/prisma/*), composed into one object. `database` stays reachable for what needs the raw
 * client (the bulk import, benchmarks, tests).
 */
export class PrismaStore extends CompositeStore {
  constructor(readonly database: Database) {
    const contacts = new PrismaContactStore(database);
    super({
      workspaces: new PrismaWorkspaceStore(database),
      members: new PrismaMemberStore(database),
      contacts,
      mentions: new PrismaMentionStore(database),
      prompts: new PrismaPromptStore(database),
      noticed: new PrismaNoticedMeetingStore(database),
      reviews: new PrismaReviewStore(database),
      lunches: new PrismaLunchStore(database),
      digests: new PrismaDigestStore(database, contacts),
      events: new PrismaEventStore(database),
      channels: new PrismaChannelStore(database),
      installations: new PrismaInstallationStore(database),
      calendarGrants: new PrismaCalendarGrantStore(database),
      jobRuns: new PrismaJobRunStore(database),
      health: new PrismaHealth(database),
    });
  }
}
