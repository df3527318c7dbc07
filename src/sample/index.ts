// Synthetic Slack export of a fictional company, with the ground truth to check detection against.
import { buildExternalPeople } from "./externals.ts";
import { SAMPLE_DEFAULTS } from "./generate.ts";
import { COMPANY, CONNECT_TEAM } from "./people.ts";
import { NON_NAMES } from "./templates.ts";

export type { SampleExternalPerson } from "./externals.ts";
export { buildExternalPeople, MAX_EXTERNAL_PEOPLE } from "./externals.ts";
export type { SampleExternalSummary, SampleOptions, SampleSummary } from "./generate.ts";
export { generateSampleExport, SAMPLE_DEFAULTS } from "./generate.ts";
export type { ExternalRole } from "./people.ts";

/**
 * Ground truth for a sample generated with the default options (any seed): who the company is,
 * which external people it talks about and how they are named, and capitalized phrases in the
 * messages that are not people. Teammates are whoever users.json lists with the company's team_id.
 */
export const SAMPLE_TRUTH = {
  company: { name: COMPANY.name, domain: COMPANY.domain, teamId: COMPANY.teamId },
  connectTeam: { name: CONNECT_TEAM.name, domain: CONNECT_TEAM.domain, teamId: CONNECT_TEAM.teamId },
  products: [...COMPANY.products],
  externalPeople: buildExternalPeople(SAMPLE_DEFAULTS.externalPeople),
  nonNames: [...NON_NAMES],
} as const;
