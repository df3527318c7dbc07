// The sample workspace: teammates, Slack Connect users, bots and channels, and their users.json /
// channels.json records.
import type { ExternalWithSeed, SampleExternalPerson } from "./externals.ts";
import {
  COMPANY,
  CONNECT_TEAM,
  type ExternalRole,
  MEMBER_FIRST_NAMES,
  MEMBER_LAST_NAMES,
  MEMBER_TIME_ZONES,
  MEMBER_TITLES,
} from "./people.ts";
import { type Rng, randomHex, shuffle, WeightedPicker } from "./prng.ts";

export const DAY_S = 86_400;

export interface Member {
  index: number;
  id: string;
  first: string;
  last: string;
  full: string;
  handle: string;
  email: string;
  displayName: string;
  avatarHash: string;
  deleted: boolean;
  /** How talkative: a few people write most messages, as in every workspace. */
  activity: number;
}

/** Someone who writes messages: a teammate or a Slack Connect user. */
export interface Author {
  id: string;
  teamId: string;
  memberIndex: number | null;
  /** The message's user_profile block, serialized once per author. */
  profileJson: string;
}

export interface External {
  person: SampleExternalPerson;
  seed: ExternalWithSeed["seed"];
  /** Every non-canonical name form, for "{p.name}". */
  nameForms: string[];
  popularity: number;
  mentions: number;
  mentionedBy: Set<number>;
  connectAuthor: Author | null;
}

export interface ChannelDef {
  name: string;
  purpose: string;
  weight: number;
  /** Share of messages about an external person. */
  ext: number;
  /** Share of messages where teammates talk about each other. */
  mate: number;
  bot: number;
  roles: Partial<Record<ExternalRole, number>>;
  shared?: boolean;
}

export interface Channel {
  def: ChannelDef;
  id: string;
  created: number;
  creator: string;
  memberIds: string[];
  members: Member[];
  authors: WeightedPicker<Author>;
  externals: WeightedPicker<External>;
  connectAuthors: Author[];
  connectExternals: External[];
}

export const BOTS = {
  github: { userId: "U0GITHUB1", botId: "B0GITHUB1", appId: "A0GITHUB1", name: "GitHub" },
  standup: { userId: "U0STANDUP", botId: "B0STANDUP", appId: "A0STANDUP", name: "Standup Bot" },
} as const;

// Ordered so that the minimum of 8 channels already includes the shared Slack Connect one.
const CHANNEL_DEFS: readonly ChannelDef[] = [
  {
    name: "general",
    purpose: "Company-wide announcements",
    weight: 1.4,
    ext: 0.2,
    mate: 0.25,
    bot: 0.03,
    roles: {},
  },
  {
    name: "random",
    purpose: "Water cooler",
    weight: 1,
    ext: 0.18,
    mate: 0.2,
    bot: 0,
    roles: { social: 3, press: 2 },
  },
  {
    name: "sales",
    purpose: "Deals, pipeline and prospects",
    weight: 1.4,
    ext: 0.6,
    mate: 0.12,
    bot: 0.02,
    roles: { client: 3, prospect: 4 },
  },
  {
    name: "partnerships",
    purpose: "Partners, resellers and investors",
    weight: 1,
    ext: 0.55,
    mate: 0.12,
    bot: 0,
    roles: { partner: 4, investor: 3 },
  },
  {
    name: "marketing",
    purpose: "Campaigns, content and events",
    weight: 1,
    ext: 0.45,
    mate: 0.15,
    bot: 0,
    roles: { speaker: 2, social: 3, press: 3 },
  },
  {
    name: "engineering",
    purpose: "Building Northwind Atlas",
    weight: 1.6,
    ext: 0.08,
    mate: 0.35,
    bot: 0.15,
    roles: { partner: 2, social: 2 },
  },
  {
    name: "events",
    purpose: "Conferences, meetups and speakers",
    weight: 0.7,
    ext: 0.5,
    mate: 0.12,
    bot: 0,
    roles: { speaker: 5, press: 2 },
  },
  {
    name: CONNECT_TEAM.channel,
    purpose: "Shared channel with Acme Corp",
    weight: 0.8,
    ext: 0.45,
    mate: 0.08,
    bot: 0,
    roles: {},
    shared: true,
  },
  {
    name: "customer-success",
    purpose: "Keeping customers happy",
    weight: 1,
    ext: 0.55,
    mate: 0.12,
    bot: 0.01,
    roles: { client: 5 },
  },
  {
    name: "social-media",
    purpose: "What people say about us online",
    weight: 0.6,
    ext: 0.6,
    mate: 0.08,
    bot: 0,
    roles: { social: 5, press: 3, speaker: 1 },
  },
];

// biome-ignore format: a compact word list
const EXTRA_CHANNEL_WORDS = [
  "proj-atlas", "proj-beacon", "team-design", "team-data", "help-it", "fyi-launches", "office-nyc",
  "office-lisbon", "book-club", "running", "proj-compass", "team-growth", "support-escalations", "hiring",
  "proj-insights", "team-platform", "deals-emea", "deals-na", "finance", "legal",
];

// Slack ids are upper-case base 36; these are stable per position so re-imports stay idempotent.
function userId(i: number): string {
  return `U0${(2_300_000_000 + i * 7919).toString(36).toUpperCase()}`;
}

function channelId(i: number): string {
  return `C0${(2_500_000_000 + i * 104_729).toString(36).toUpperCase()}`;
}

export function buildMembers(rng: Rng, count: number): Member[] {
  const combos: Array<[string, string]> = [];
  for (const f of MEMBER_FIRST_NAMES) for (const l of MEMBER_LAST_NAMES) combos.push([f, l]);
  shuffle(rng, combos);
  const handles = new Set<string>();
  const members: Member[] = [];
  for (let i = 0; i < count; i++) {
    // Past the pool, names repeat (as they do in big companies); handles and emails stay unique.
    const [first, last] = combos[i % combos.length] ?? ["Sam", "Smith"];
    let handle = `${first}.${last}`.toLowerCase();
    for (let n = 2; handles.has(handle); n++) handle = `${first}.${last}${n}`.toLowerCase();
    handles.add(handle);
    members.push({
      index: i,
      id: userId(i),
      first,
      last,
      full: `${first} ${last}`,
      handle,
      email: `${handle}@${COMPANY.domain}`,
      displayName: rng.chance(0.5) ? first : rng.chance(0.5) ? handle : "",
      avatarHash: randomHex(rng, 12),
      // The owner never leaves; a few others have been deactivated.
      deleted: i > 0 && rng.chance(0.03),
      activity: 1 / (0.05 + rng.next()) ** 0.8,
    });
  }
  return members;
}

export function memberAuthor(m: Member): Author {
  return {
    id: m.id,
    teamId: COMPANY.teamId,
    memberIndex: m.index,
    profileJson: JSON.stringify({
      avatar_hash: m.avatarHash,
      first_name: m.first,
      real_name: m.full,
      display_name: m.displayName,
      team: COMPANY.teamId,
      name: m.handle,
    }),
  };
}

export function toExternals(rng: Rng, people: readonly ExternalWithSeed[]): External[] {
  return people.map((e, rank) => {
    const external: External = {
      person: e.person,
      seed: e.seed,
      nameForms: [...e.seed.fullVariants, ...e.seed.short, ...e.seed.formal],
      // Zipf-like: the first few people are discussed far more than the long tail.
      popularity: 1 / (rank + 1) ** 0.9,
      mentions: 0,
      mentionedBy: new Set<number>(),
      connectAuthor: null,
    };
    const id = e.person.slackUserId;
    if (id) {
      const [first = e.person.name] = e.person.name.split(" ");
      external.connectAuthor = {
        id,
        teamId: CONNECT_TEAM.teamId,
        memberIndex: null,
        profileJson: JSON.stringify({
          avatar_hash: randomHex(rng, 12),
          first_name: first,
          real_name: e.person.name,
          display_name: first,
          team: CONNECT_TEAM.teamId,
          name: (e.person.email ?? e.person.name).split("@")[0]?.toLowerCase(),
        }),
      };
    }
    return external;
  });
}

export function buildChannels(
  rng: Rng,
  count: number,
  members: readonly Member[],
  externals: readonly External[],
  startS: number,
): Channel[] {
  const defs: ChannelDef[] = CHANNEL_DEFS.slice(0, count);
  for (let i = defs.length; i < count; i++) {
    const k = i - CHANNEL_DEFS.length;
    const base = EXTRA_CHANNEL_WORDS[k % EXTRA_CHANNEL_WORDS.length] ?? "proj";
    const round = Math.floor(k / EXTRA_CHANNEL_WORDS.length);
    defs.push({
      name: round === 0 ? base : `${base}-${round + 1}`,
      purpose: "",
      weight: 0.5,
      ext: 0.2,
      mate: 0.25,
      bot: 0.01,
      roles: {},
    });
  }
  const connectExternals = externals.filter((e) => e.connectAuthor);
  const active = members.filter((m) => !m.deleted);
  const owner = members[0];
  return defs.map((def, i) => {
    let chosen: Member[];
    if (def.name === "general") chosen = [...members];
    else {
      const share = def.shared ? Math.min(1, 8 / members.length) : 0.2 + 0.5 * rng.next();
      const size = Math.max(Math.min(members.length, 3), Math.round(members.length * share));
      chosen = shuffle(rng, [...members]).slice(0, size);
      chosen.sort((a, b) => a.index - b.index);
    }
    const talking = chosen.filter((m) => !m.deleted);
    const authorsPool = talking.length > 0 ? talking : active.length > 0 ? active : [...members];
    const connectAuthors = def.shared
      ? connectExternals.flatMap((e) => (e.connectAuthor ? [e.connectAuthor] : []))
      : [];
    return {
      def,
      id: channelId(i),
      created: startS - DAY_S * (def.shared ? 20 : 60 + rng.int(900)),
      creator: owner?.id ?? "",
      memberIds: [...chosen.map((m) => m.id), ...connectAuthors.map((a) => a.id)],
      members: chosen,
      authors: new WeightedPicker(
        authorsPool.map(memberAuthor),
        authorsPool.map((m) => m.activity),
      ),
      externals: new WeightedPicker(
        externals,
        externals.map((e) => e.popularity * (def.roles[e.person.role] ?? 1)),
      ),
      connectAuthors,
      connectExternals: def.shared ? connectExternals : [],
    };
  });
}

export function memberUserRecord(m: Member, rng: Rng): Record<string, unknown> {
  return {
    id: m.id,
    team_id: COMPANY.teamId,
    name: m.handle,
    deleted: m.deleted,
    color: randomHex(rng, 6),
    real_name: m.full,
    tz: MEMBER_TIME_ZONES[m.index % MEMBER_TIME_ZONES.length] ?? "UTC",
    is_admin: m.index < 2,
    is_owner: m.index === 0,
    is_primary_owner: m.index === 0,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: false,
    is_app_user: false,
    updated: 1754000000 + m.index * 97,
    is_email_confirmed: true,
    profile: {
      title: MEMBER_TITLES[m.index % MEMBER_TITLES.length],
      phone: "",
      skype: "",
      real_name: m.full,
      real_name_normalized: m.full,
      display_name: m.displayName,
      display_name_normalized: m.displayName,
      status_text: "",
      status_emoji: "",
      avatar_hash: m.avatarHash,
      email: m.email,
      first_name: m.first,
      last_name: m.last,
      image_72: `https://avatars.slack-edge.example/${m.id}_72.png`,
      team: COMPANY.teamId,
    },
  };
}

/** A user of the partner team: different team_id, flagged as a stranger, email at their domain. */
export function connectUserRecord(e: External): Record<string, unknown> {
  const p = e.person;
  const [first = p.name, ...rest] = p.name.split(" ");
  return {
    id: p.slackUserId,
    team_id: CONNECT_TEAM.teamId,
    name: (p.email ?? p.name).split("@")[0]?.toLowerCase(),
    deleted: false,
    real_name: p.name,
    tz: "America/Chicago",
    is_admin: false,
    is_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: false,
    is_app_user: false,
    is_stranger: true,
    updated: 1754500000,
    profile: {
      title: `${p.title}, ${p.organization}`,
      real_name: p.name,
      display_name: first,
      email: p.email,
      first_name: first,
      last_name: rest.join(" "),
      team: CONNECT_TEAM.teamId,
    },
  };
}

export function botUserRecord(bot: (typeof BOTS)[keyof typeof BOTS]): Record<string, unknown> {
  return {
    id: bot.userId,
    team_id: COMPANY.teamId,
    name: bot.name.toLowerCase().replace(/\s+/g, "-"),
    deleted: false,
    real_name: bot.name,
    is_admin: false,
    is_owner: false,
    is_bot: true,
    is_app_user: false,
    updated: 1750000000,
    profile: {
      real_name: bot.name,
      display_name: "",
      bot_id: bot.botId,
      api_app_id: bot.appId,
      always_active: true,
      first_name: bot.name,
      last_name: "",
      team: COMPANY.teamId,
    },
  };
}

export function channelRecord(c: Channel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.def.name,
    created: c.created,
    creator: c.creator,
    is_archived: false,
    is_general: c.def.name === "general",
    ...(c.def.shared ? { is_ext_shared: true } : {}),
    members: c.memberIds,
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: c.def.purpose, creator: c.creator, last_set: c.created },
  };
}
