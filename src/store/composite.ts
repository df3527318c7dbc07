import type {
  AppStore,
  CalendarGrantStore,
  ChannelStore,
  ContactStore,
  DigestStore,
  EventStore,
  InstallationRecordStore,
  JobRunStore,
  LunchStore,
  MemberStore,
  MentionStore,
  NoticedMeetingStore,
  PromptStore,
  ReviewStore,
  StoreHealth,
  WorkspaceStore,
} from "../core/ports.ts";

// One object with every port's methods, over one repository per aggregate. The Prisma store and
// the in-memory store are both this, so callers that take the whole store (AppContext.store, the
// core's Store) see the same method names whichever is behind it, and callers that need only one
// aggregate can take the repository itself.

export interface StoreParts {
  workspaces: WorkspaceStore;
  members: MemberStore;
  contacts: ContactStore;
  mentions: MentionStore;
  prompts: PromptStore;
  reviews: ReviewStore;
  lunches: LunchStore;
  noticed: NoticedMeetingStore;
  digests: DigestStore;
  events: EventStore;
  channels: ChannelStore;
  installations: InstallationRecordStore;
  calendarGrants: CalendarGrantStore;
  jobRuns: JobRunStore;
  health: StoreHealth;
}

/** The whole store over its repositories. Methods are bound: passing `store.getMember` around is safe. */
export class CompositeStore implements AppStore {
  readonly workspaces: WorkspaceStore;
  readonly members: MemberStore;
  readonly contacts: ContactStore;
  readonly mentions: MentionStore;
  readonly prompts: PromptStore;
  readonly reviews: ReviewStore;
  readonly lunches: LunchStore;
  readonly noticed: NoticedMeetingStore;
  readonly digests: DigestStore;
  readonly events: EventStore;
  readonly channels: ChannelStore;
  readonly installations: InstallationRecordStore;
  readonly calendarGrants: CalendarGrantStore;
  readonly jobRuns: JobRunStore;
  readonly health: StoreHealth;

  constructor(parts: StoreParts) {
    this.workspaces = parts.workspaces;
    this.members = parts.members;
    this.contacts = parts.contacts;
    this.mentions = parts.mentions;
    this.prompts = parts.prompts;
    this.reviews = parts.reviews;
    this.lunches = parts.lunches;
    this.noticed = parts.noticed;
    this.digests = parts.digests;
    this.events = parts.events;
    this.channels = parts.channels;
    this.installations = parts.installations;
    this.calendarGrants = parts.calendarGrants;
    this.jobRuns = parts.jobRuns;
    this.health = parts.health;
  }

  // workspaces
  readonly upsertWorkspace: WorkspaceStore["upsertWorkspace"] = (...a) =>
    this.workspaces.upsertWorkspace(...a);
  readonly getWorkspace: WorkspaceStore["getWorkspace"] = (...a) => this.workspaces.getWorkspace(...a);
  readonly findWorkspace: WorkspaceStore["findWorkspace"] = (...a) => this.workspaces.findWorkspace(...a);
  readonly listActiveWorkspaces: WorkspaceStore["listActiveWorkspaces"] = (...a) =>
    this.workspaces.listActiveWorkspaces(...a);
  readonly updateWorkspace: WorkspaceStore["updateWorkspace"] = (...a) =>
    this.workspaces.updateWorkspace(...a);
  readonly deleteWorkspace: WorkspaceStore["deleteWorkspace"] = (...a) =>
    this.workspaces.deleteWorkspace(...a);
  readonly workspaceInstallTimes: WorkspaceStore["workspaceInstallTimes"] = (...a) =>
    this.workspaces.workspaceInstallTimes(...a);

  // members
  readonly upsertMember: MemberStore["upsertMember"] = (...a) => this.members.upsertMember(...a);
  readonly getMember: MemberStore["getMember"] = (...a) => this.members.getMember(...a);
  readonly getMemberById: MemberStore["getMemberById"] = (...a) => this.members.getMemberById(...a);
  readonly getMembers: MemberStore["getMembers"] = (...a) => this.members.getMembers(...a);
  readonly listMembers: MemberStore["listMembers"] = (...a) => this.members.listMembers(...a);
  readonly memberCounts: MemberStore["memberCounts"] = (...a) => this.members.memberCounts(...a);
  readonly updateMember: MemberStore["updateMember"] = (...a) => this.members.updateMember(...a);
  readonly forgetMember: MemberStore["forgetMember"] = (...a) => this.members.forgetMember(...a);
  readonly findMemberByAadObjectId: MemberStore["findMemberByAadObjectId"] = (...a) =>
    this.members.findMemberByAadObjectId(...a);
  readonly createSignInToken: MemberStore["createSignInToken"] = (...a) =>
    this.members.createSignInToken(...a);
  readonly consumeSignInToken: MemberStore["consumeSignInToken"] = (...a) =>
    this.members.consumeSignInToken(...a);

  // contacts
  readonly listAliases: ContactStore["listAliases"] = (...a) => this.contacts.listAliases(...a);
  readonly findContactByAlias: ContactStore["findContactByAlias"] = (...a) =>
    this.contacts.findContactByAlias(...a);
  readonly findContactByPlatformUser: ContactStore["findContactByPlatformUser"] = (...a) =>
    this.contacts.findContactByPlatformUser(...a);
  readonly getContact: ContactStore["getContact"] = (...a) => this.contacts.getContact(...a);
  readonly getContacts: ContactStore["getContacts"] = (...a) => this.contacts.getContacts(...a);
  readonly createContact: ContactStore["createContact"] = (...a) => this.contacts.createContact(...a);
  readonly addAliases: ContactStore["addAliases"] = (...a) => this.contacts.addAliases(...a);
  readonly mergeContacts: ContactStore["mergeContacts"] = (...a) => this.contacts.mergeContacts(...a);
  readonly listMeetings: ContactStore["listMeetings"] = (...a) => this.contacts.listMeetings(...a);
  readonly updateContact: ContactStore["updateContact"] = (...a) => this.contacts.updateContact(...a);
  readonly listContactStats: ContactStore["listContactStats"] = (...a) =>
    this.contacts.listContactStats(...a);
  readonly recordMeeting: ContactStore["recordMeeting"] = (...a) => this.contacts.recordMeeting(...a);

  // mentions
  readonly replaceMentions: MentionStore["replaceMentions"] = (...a) => this.mentions.replaceMentions(...a);
  readonly replaceMentionsBatch: MentionStore["replaceMentionsBatch"] = (...a) =>
    this.mentions.replaceMentionsBatch(...a);
  readonly deleteMentionsForMessage: MentionStore["deleteMentionsForMessage"] = (...a) =>
    this.mentions.deleteMentionsForMessage(...a);
  readonly mentionCounts: MentionStore["mentionCounts"] = (...a) => this.mentions.mentionCounts(...a);
  readonly mentionEvents: MentionStore["mentionEvents"] = (...a) => this.mentions.mentionEvents(...a);
  readonly deleteMentionsBefore: MentionStore["deleteMentionsBefore"] = (...a) =>
    this.mentions.deleteMentionsBefore(...a);
  readonly coMentioned: MentionStore["coMentioned"] = (...a) => this.mentions.coMentioned(...a);
  readonly nthLatestMentionAt: MentionStore["nthLatestMentionAt"] = (...a) =>
    this.mentions.nthLatestMentionAt(...a);
  readonly countMentions: MentionStore["countMentions"] = (...a) => this.mentions.countMentions(...a);

  // prompts
  readonly createNudge: PromptStore["createNudge"] = (...a) => this.prompts.createNudge(...a);
  readonly getNudge: PromptStore["getNudge"] = (...a) => this.prompts.getNudge(...a);
  readonly listNudges: PromptStore["listNudges"] = (...a) => this.prompts.listNudges(...a);
  readonly transitionNudge: PromptStore["transitionNudge"] = (...a) => this.prompts.transitionNudge(...a);
  readonly expireNudges: PromptStore["expireNudges"] = (...a) => this.prompts.expireNudges(...a);

  // noticed meetings
  readonly noticeMeeting: NoticedMeetingStore["noticeMeeting"] = (...a) => this.noticed.noticeMeeting(...a);
  readonly getNoticedMeeting: NoticedMeetingStore["getNoticedMeeting"] = (...a) =>
    this.noticed.getNoticedMeeting(...a);
  readonly answerNoticedMeeting: NoticedMeetingStore["answerNoticedMeeting"] = (...a) =>
    this.noticed.answerNoticedMeeting(...a);
  readonly listNoticedMeetings: NoticedMeetingStore["listNoticedMeetings"] = (...a) =>
    this.noticed.listNoticedMeetings(...a);
  readonly markNoticed: NoticedMeetingStore["markNoticed"] = (...a) => this.noticed.markNoticed(...a);
  // reviews
  readonly createReview: ReviewStore["createReview"] = (...a) => this.reviews.createReview(...a);
  readonly getReview: ReviewStore["getReview"] = (...a) => this.reviews.getReview(...a);
  readonly latestReview: ReviewStore["latestReview"] = (...a) => this.reviews.latestReview(...a);
  readonly unsentReviews: ReviewStore["unsentReviews"] = (...a) => this.reviews.unsentReviews(...a);
  readonly markReviewSent: ReviewStore["markReviewSent"] = (...a) => this.reviews.markReviewSent(...a);
  readonly updateReviewItems: ReviewStore["updateReviewItems"] = (...a) =>
    this.reviews.updateReviewItems(...a);

  // lunches
  readonly createLunch: LunchStore["createLunch"] = (...a) => this.lunches.createLunch(...a);
  readonly getLunch: LunchStore["getLunch"] = (...a) => this.lunches.getLunch(...a);
  readonly saveLunch: LunchStore["saveLunch"] = (...a) => this.lunches.saveLunch(...a);
  readonly listLunches: LunchStore["listLunches"] = (...a) => this.lunches.listLunches(...a);
  readonly dueFollowUps: LunchStore["dueFollowUps"] = (...a) => this.lunches.dueFollowUps(...a);

  // digests
  readonly digestData: DigestStore["digestData"] = (...a) => this.digests.digestData(...a);
  readonly coverageSeries: DigestStore["coverageSeries"] = (...a) => this.digests.coverageSeries(...a);
  readonly coverageTop: DigestStore["coverageTop"] = (...a) => this.digests.coverageTop(...a);
  readonly teammateCounts: DigestStore["teammateCounts"] = (...a) => this.digests.teammateCounts(...a);
  readonly claimDigest: DigestStore["claimDigest"] = (...a) => this.digests.claimDigest(...a);
  readonly completeDigest: DigestStore["completeDigest"] = (...a) => this.digests.completeDigest(...a);
  readonly releaseDigest: DigestStore["releaseDigest"] = (...a) => this.digests.releaseDigest(...a);
  readonly markDigestPosting: DigestStore["markDigestPosting"] = (...a) =>
    this.digests.markDigestPosting(...a);
  readonly renewDigestClaim: DigestStore["renewDigestClaim"] = (...a) => this.digests.renewDigestClaim(...a);
  readonly markDigestUnconfirmed: DigestStore["markDigestUnconfirmed"] = (...a) =>
    this.digests.markDigestUnconfirmed(...a);
  readonly getDigest: DigestStore["getDigest"] = (...a) => this.digests.getDigest(...a);

  // events
  readonly recordEvent: EventStore["recordEvent"] = (...a) => this.events.recordEvent(...a);
  readonly finishEvent: EventStore["finishEvent"] = (...a) => this.events.finishEvent(...a);
  readonly recordEvents: EventStore["recordEvents"] = (...a) => this.events.recordEvents(...a);
  readonly finishEvents: EventStore["finishEvents"] = (...a) => this.events.finishEvents(...a);
  readonly pendingEvents: EventStore["pendingEvents"] = (...a) => this.events.pendingEvents(...a);
  readonly claimEvent: EventStore["claimEvent"] = (...a) => this.events.claimEvent(...a);
  readonly pruneEvents: EventStore["pruneEvents"] = (...a) => this.events.pruneEvents(...a);
  readonly countEvents: EventStore["countEvents"] = (...a) => this.events.countEvents(...a);

  // channels
  readonly saveChannel: ChannelStore["saveChannel"] = (...a) => this.channels.saveChannel(...a);
  readonly getChannel: ChannelStore["getChannel"] = (...a) => this.channels.getChannel(...a);
  readonly listChannels: ChannelStore["listChannels"] = (...a) => this.channels.listChannels(...a);
  readonly renameChannel: ChannelStore["renameChannel"] = (...a) => this.channels.renameChannel(...a);
  readonly removeChannels: ChannelStore["removeChannels"] = (...a) => this.channels.removeChannels(...a);

  // installations
  readonly saveInstallation: InstallationRecordStore["saveInstallation"] = (...a) =>
    this.installations.saveInstallation(...a);
  readonly getInstallation: InstallationRecordStore["getInstallation"] = (...a) =>
    this.installations.getInstallation(...a);
  readonly findTeamInstallation: InstallationRecordStore["findTeamInstallation"] = (...a) =>
    this.installations.findTeamInstallation(...a);
  readonly findEnterpriseInstallation: InstallationRecordStore["findEnterpriseInstallation"] = (...a) =>
    this.installations.findEnterpriseInstallation(...a);
  readonly deleteInstallation: InstallationRecordStore["deleteInstallation"] = (...a) =>
    this.installations.deleteInstallation(...a);

  // calendar grants
  readonly saveCalendarGrant: CalendarGrantStore["saveCalendarGrant"] = (...a) =>
    this.calendarGrants.saveCalendarGrant(...a);
  readonly getCalendarGrant: CalendarGrantStore["getCalendarGrant"] = (...a) =>
    this.calendarGrants.getCalendarGrant(...a);
  readonly updateCalendarGrantData: CalendarGrantStore["updateCalendarGrantData"] = (...a) =>
    this.calendarGrants.updateCalendarGrantData(...a);
  readonly deleteCalendarGrant: CalendarGrantStore["deleteCalendarGrant"] = (...a) =>
    this.calendarGrants.deleteCalendarGrant(...a);
  readonly countCalendarGrants: CalendarGrantStore["countCalendarGrants"] = (...a) =>
    this.calendarGrants.countCalendarGrants(...a);
  readonly listCalendarGrants: CalendarGrantStore["listCalendarGrants"] = (...a) =>
    this.calendarGrants.listCalendarGrants(...a);

  // jobRuns
  readonly insertJobRun: JobRunStore["insertJobRun"] = (...a) => this.jobRuns.insertJobRun(...a);
  readonly jobRunClaimant: JobRunStore["jobRunClaimant"] = (...a) => this.jobRuns.jobRunClaimant(...a);
  readonly runningJobRun: JobRunStore["runningJobRun"] = (...a) => this.jobRuns.runningJobRun(...a);
  readonly finishJobRun: JobRunStore["finishJobRun"] = (...a) => this.jobRuns.finishJobRun(...a);
  readonly lastJobRun: JobRunStore["lastJobRun"] = (...a) => this.jobRuns.lastJobRun(...a);
  readonly lastFinishedJobRun: JobRunStore["lastFinishedJobRun"] = (...a) =>
    this.jobRuns.lastFinishedJobRun(...a);
  readonly listJobRuns: JobRunStore["listJobRuns"] = (...a) => this.jobRuns.listJobRuns(...a);
  readonly pruneJobRuns: JobRunStore["pruneJobRuns"] = (...a) => this.jobRuns.pruneJobRuns(...a);

  // health
  readonly ping: StoreHealth["ping"] = (...a) => this.health.ping(...a);
}
