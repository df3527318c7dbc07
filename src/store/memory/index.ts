import { CompositeStore } from "../composite.ts";
import { MemoryCalendarGrantStore } from "./calendar-grants.ts";
import { MemoryChannelStore } from "./channels.ts";
import { MemoryContactStore } from "./contacts.ts";
import { MemoryDigestStore } from "./digests.ts";
import { MemoryEventStore } from "./events.ts";
import { MemoryInstallationStore } from "./installations.ts";
import { MemoryJobRunStore } from "./job-runs.ts";
import { MemoryLunchStore } from "./lunches.ts";
import { MemoryMemberStore } from "./members.ts";
import { MemoryMentionStore } from "./mentions.ts";
import { MemoryNoticedMeetingStore } from "./noticed.ts";
import { MemoryPromptStore } from "./prompts.ts";
import { MemoryReviewStore } from "./reviews.ts";
import { MemoryState } from "./state.ts";
import { MemoryWorkspaceStore } from "./workspaces.ts";

/**
 * Every port in plain maps, with the database's semantics (scoping, unique keys, compare-and-set,
 * cascades): test/store runs the same contract suite on it as on SQLite and PostgreSQL. For tests
 * of use cases that should take milliseconds, not a database each. One process only: nothing is
 * persisted, and nothing is shared between two MemoryStores.
 */
export class MemoryStore extends CompositeStore {
  readonly state: MemoryState;

  constructor(options: { now?: () => Date } = {}) {
    const state = new MemoryState(options.now);
    super({
      workspaces: new MemoryWorkspaceStore(state),
      members: new MemoryMemberStore(state),
      contacts: new MemoryContactStore(state),
      mentions: new MemoryMentionStore(state),
      prompts: new MemoryPromptStore(state),
      noticed: new MemoryNoticedMeetingStore(state),
      reviews: new MemoryReviewStore(state),
      lunches: new MemoryLunchStore(state),
      digests: new MemoryDigestStore(state),
      events: new MemoryEventStore(state),
      channels: new MemoryChannelStore(state),
      installations: new MemoryInstallationStore(state),
      calendarGrants: new MemoryCalendarGrantStore(state),
      jobRuns: new MemoryJobRunStore(state),
      health: { ping: async () => {} },
    });
    this.state = state;
  }
}
