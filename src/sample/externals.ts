// The external people of the sample and how they are referred to. Identities don't depend on the
// seed: the same N people exist for every seed, only what is said about them changes.

import {
  CURATED_EXTERNALS,
  EXTERNAL_FIRST_NAMES,
  EXTERNAL_LAST_NAMES,
  EXTERNAL_ORGS,
  EXTERNAL_TITLES,
  type ExternalRole,
  type ExternalSeed,
} from "./people.ts";
import { createRng, shuffle } from "./prng.ts";

/** Ground truth about one external person, as the sample writes them. */
export interface SampleExternalPerson {
  /** Canonical display name. */
  name: string;
  /** Other ways messages name them: spellings, nicknames, first names, titles ("Dr. Tan"). */
  aliases: string[];
  organization: string;
  organizationAliases: string[];
  title: string;
  role: ExternalRole;
  email: string | null;
  /** Social handle with "@". */
  handle: string | null;
  linkedinUrl: string | null;
  /** Every profile URL used in messages (LinkedIn, X, GitHub). */
  urls: string[];
  /** Posts in the shared channel as a Slack Connect user of another team. */
  slackConnect: boolean;
  slackUserId: string | null;
}

export const MAX_EXTERNAL_PEOPLE =
  CURATED_EXTERNALS.length + EXTERNAL_FIRST_NAMES.length * EXTERNAL_LAST_NAMES.length;

/** Slack Connect users get stable ids in the partner team's id space. */
function connectUserId(n: number): string {
  return `U0ACME${(1000 + n * 37).toString(36).toUpperCase().padStart(3, "0")}`;
}

function fromSeed(seed: ExternalSeed, connectIndex: number): SampleExternalPerson {
  const urls: string[] = [];
  if (seed.linkedin) urls.push(`https://www.linkedin.com/in/${seed.linkedin}`);
  if (seed.handle) urls.push(`https://x.com/${seed.handle}`);
  if (seed.github) urls.push(`https://github.com/${seed.github}`);
  return {
    name: seed.name,
    aliases: [...new Set([...seed.fullVariants, ...seed.short, ...seed.formal])],
    organization: seed.organization,
    organizationAliases: [...seed.orgShort],
    title: seed.title,
    role: seed.role,
    email: seed.email,
    handle: seed.handle ? `@${seed.handle}` : null,
    linkedinUrl: seed.linkedin ? `https://www.linkedin.com/in/${seed.linkedin}` : null,
    urls,
    slackConnect: seed.slackConnect,
    slackUserId: seed.slackConnect ? connectUserId(connectIndex) : null,
  };
}

function slug(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

export interface ExternalWithSeed {
  person: SampleExternalPerson;
  /** Alias categories, which templates need separately (a first name vs. a full name). */
  seed: ExternalSeed;
}

/** The first `count` external people: curated ones first (most discussed), then generated ones. */
export function buildExternalPeople(count: number): SampleExternalPerson[] {
  return buildExternals(count).map((e) => e.person);
}

export function buildExternals(count: number): ExternalWithSeed[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_EXTERNAL_PEOPLE) {
    throw new RangeError(`externalPeople must be an integer from 1 to ${MAX_EXTERNAL_PEOPLE}, got ${count}`);
  }
  const out: ExternalWithSeed[] = [];
  let connect = 0;
  for (const seed of CURATED_EXTERNALS.slice(0, count)) {
    out.push({ seed, person: fromSeed(seed, seed.slackConnect ? connect++ : -1) });
  }
  if (count <= CURATED_EXTERNALS.length) return out;

  const rng = createRng(0x5eed);
  const combos: Array<[string, string]> = [];
  for (const f of EXTERNAL_FIRST_NAMES) for (const l of EXTERNAL_LAST_NAMES) combos.push([f, l]);
  shuffle(rng, combos);
  const usedAliases = new Set(out.flatMap((e) => [e.person.name, ...e.person.aliases]));
  for (const [first, last] of combos.slice(0, count - out.length)) {
    const org = EXTERNAL_ORGS[rng.int(EXTERNAL_ORGS.length)] ?? EXTERNAL_ORGS[0]!;
    const job = EXTERNAL_TITLES[rng.int(EXTERNAL_TITLES.length)] ?? EXTERNAL_TITLES[0]!;
    const name = `${first} ${last}`;
    // Initials collide between generated people ("A. Sato" twice); an ambiguous alias is no alias.
    const initial = `${first[0]}. ${last}`;
    const aliases = usedAliases.has(initial) ? [] : [initial];
    for (const a of [name, ...aliases]) usedAliases.add(a);
    const handle = rng.chance(0.4) ? `${slug(first)}${slug(last)}` : null;
    const linkedin = rng.chance(0.5) ? `${slug(first)}-${slug(last)}` : null;
    const seed: ExternalSeed = {
      name,
      fullVariants: aliases,
      short: [],
      formal: [],
      organization: org.name,
      orgShort: org.short,
      title: job.title,
      role: job.role,
      email: rng.chance(0.7) ? `${slug(first)}.${slug(last)}@${org.domain}` : null,
      handle,
      linkedin,
      slackConnect: false,
    };
    out.push({ seed, person: fromSeed(seed, -1) });
  }
  return out;
}
