// Message templates. `{token}`s are filled by the generator: {p.*} is the external person the
// message is about, {mate*} teammates, the rest is vocabulary. Noise deliberately uses capitalized
// words that are not people (weekdays, "Will do", "Bill me", products, cities) so detection has
// something to get wrong.

/** Templates about one external person. */
export const EXTERNAL_TEMPLATES = [
  "had a call with {p.full} from {p.org} - they want to expand the pilot",
  "Just got off the phone with {p.name}. {p.org} is interested in {topic}.",
  "{p.handle} just posted about {topic}, worth a read",
  "email {p.email} with the revised proposal",
  "cc {p.email}",
  "Here's {p.short}'s profile: {p.url}",
  "{p.poss} deck is great, especially the part on {topic}",
  "let's invite {p.formal} to speak at {conf}",
  "Met {p.full} at {conf} last week, super sharp",
  "{p.name} from {p.org} asked about {topic} again",
  "Can someone follow up with {p.name}? They're waiting on the quote",
  "FYI {p.full} ({p.title} at {p.org}) will join Thursday's demo",
  "{p.short} says {p.org} renews in {month}",
  "Spoke to {p.name} - {p.org} wants {topic} before they sign",
  "Anyone know {p.full}? Connected on LinkedIn: {p.url}",
  "{p.name} replied! Meeting set for {day} at {time}",
  "Great podcast episode with {p.full}, recommend {emoji}",
  "Sending the contract to {p.email} today",
  "{p.org} intro: {p.full}, {p.title}. Warm lead via {mate}",
  "I think {p.short} would love {place}",
  "{p.poss} feedback on {ours}: loved the onboarding, hated the export",
  "Reminder: {p.full} visits the office on {day}",
  "Has anyone heard back from {p.name} about {topic}?",
  "{p.name} is leaving {p.org} for a new role, let's keep in touch",
  "Loved {p.poss} thread on {topic}: {p.url}",
  "Just saw {p.handle}'s post about {ours} {emoji}",
  "{p.formal} agreed to review our whitepaper",
  "We should take {p.short} to lunch next time they're in {city}",
  "Quick sync with {p.short} and {mate} re {topic}",
  "{p.name} ({p.org}) wants a reference customer call",
  "Who owns the {p.org} account? {p.full} pinged me",
  "Shared the deck with {p.email}, waiting for comments",
  "{p.short} mentioned {p.org} is hiring too",
  "Per {p.name}: the {quarter} budget is approved",
  "{p.full} is a panelist at {conf} - let's grab coffee with them",
  "{p.short} was great on the webinar yesterday",
  "Following {p.handle} - good takes on {topic}",
  "{p.poss} team at {p.org} is piloting {ours}",
  "Notes from my call with {p.name}: {doc}",
  "Intro'd {mate} to {p.full} over email",
  "Dinner with {p.name} went well, they want a proposal by {day}",
  "{p.short} from {p.org} says hi {emoji}",
  "{p.org} meeting: {p.full}, {mate} and me on {day}",
  "Thanks to {p.name} for the referral!",
  "Is {p.short} the right contact at {p.org} or should we try someone else?",
  "{p.name} liked our post on LinkedIn {emoji}",
  "call w/ {p.name} moved to {day}",
  '{p.short}: "we need {topic} by {month}"',
  "lmk if you want an intro to {p.full}",
  "saw {p.full} speak in {city}, very good on {topic}",
  "{p.url} - this is the person I mentioned",
  "{p.formal} sent over the paper: {doc}",
  "Ping {p.email} if the invoice bounces",
  "{p.name} is on the guest list for the {city} meetup",
  "{p.handle} tagged us in a thread about {topic} {emoji}",
  "Haven't met {p.full} in person yet, only Zoom. Lunch when they're in town?",
  "{p.poss} new article: {p.url}",
  "{p.short} sent a calendar invite for {day} {time}",
  "{p.name} wants to co-host a webinar in {month}",
  "ugh, {p.short} still hasn't signed. {p.org} legal is slow",
];

/** Templates for the shared Slack Connect channel, addressed to a Connect user by identity. */
export const CONNECT_MENTION_TEMPLATES = [
  "{p.mention} can you share the updated SOW?",
  "thanks {p.mention}! {emoji}",
  "{p.mention} and I synced on {topic}, notes here: {doc}",
  "Looping in {p.mention} for the {topic} question",
  "{p.mention} are you around {day} for a quick call?",
  "Welcome {p.mention} to the channel {emoji}",
];

/** What Slack Connect users write themselves. {p.*} is a colleague from their side. */
export const CONNECT_AUTHOR_TEMPLATES = [
  "Thanks team! Sending the revised SOW today",
  "Hi all, quick question on {topic} - who's the right person?",
  "Looping in my colleague {p.full}",
  "I'll be in {city} next week if anyone wants to grab lunch",
  "Can we move Thursday's sync to {day}?",
  "{p.short} will cover for me while I'm out",
  "Great session today {emoji}",
  "Our {quarter} plan includes {ours}, excited!",
];

/** Teammates talking about each other: never contacts. */
export const TEAMMATE_TEMPLATES = [
  "{mate.mention} can you review the PR?",
  "Thanks {mate}! {emoji}",
  "{mate} is out {day}, ping me instead",
  "cc {mate.email}",
  "{mate.poss} demo was great",
  "Welcome {mate.full} to the team! {emoji}",
  "{mate.mention} {mate2.mention} standup moved to 10",
  "Happy birthday {mate}! {emoji}",
  "Pairing with {mate} on {topic} this afternoon",
  "Ask {mate} about the {quarter} numbers",
  "{mate.full} will present {ours} at the all-hands",
  "Shoutout to {mate.mention} for fixing the build",
  "Great job {mate} and {mate2} on the launch",
  "{mate} and I are grabbing lunch at {place}, join?",
  "Can {mate.mention} take the on-call swap on {day}?",
  "Forwarded to {mate.email}",
  "{mate.poss} doc: {doc}",
  "{mate.full} and {mate2.full} are running the {city} offsite",
  "{mate} has the keys to the {city} office",
  "ping {mate.mention} for {product} access",
];

/** Chatter with capitalized words that are not people. */
export const NOISE_TEMPLATES = [
  "Monday standup moved to 10:30",
  "Q3 Roadmap is up: {doc}",
  "Will do!",
  "Will do, thanks",
  "May I suggest we push the launch to {day}?",
  "Bill me for the extra seats, I'll expense it",
  "Anyone using {product} for {topic}?",
  "The {city} office is closed on {day}",
  "{ours} {version} is out {emoji}",
  "Reminder: All Hands on {day} at {time}",
  "OKRs for {quarter} are due {day}",
  "Lunch options near the {city} office?",
  "Happy Friday everyone {emoji}",
  "New Year, New Roadmap: {doc}",
  "Does {product} support SAML?",
  "Out Of Office until {day}",
  "Grace period for the migration ends in {month}",
  "Hope everyone had a great weekend",
  "Will the {city} offsite be in {month}?",
  "Mark as done in Jira please",
  "Pricing Page v2 is live {emoji}",
  "Customer Advisory Board notes: {doc}",
  "Can we move the Design Review to {day}?",
  "Sounds good",
  "+1",
  "LGTM",
  "On it",
  "Thanks!",
  "Done :white_check_mark:",
  "Good Morning!",
  "Heads up: VPN maintenance tonight",
  "Black Friday promo copy is in {product}",
  "Who is going to {conf}?",
  "Chase the Stripe invoice before {day}",
  "Security Training is mandatory by {month} {dayNum}",
  "We hit {n}k MRR {emoji}",
  "Just Landed in {city}",
  "Kudos Board is up for {quarter}",
  "Amazon Web Services bill went up again",
  "Apple Pay support shipped {emoji}",
  "Team photo from {city}: {doc}",
  "Friday Demo Day: sign up here {doc}",
  "Please fill in the Engagement Survey by {day}",
  "Does anyone have the {product} login?",
  "Board Meeting prep doc: {doc}",
  "{month} newsletter draft is ready for review",
  "Sprint Review at {time}, Planning right after",
  "Can I get Admin access to {product}?",
  "Coffee machine on the 3rd floor is fixed {emoji}",
  "Trying the new place in {city} for lunch, Thai Basil on Main St",
];

export const BOT_TEMPLATES = {
  github: [
    "[northwind/atlas] Pull request #{n} opened: Fix {topic}",
    "[northwind/atlas] Deployed atlas@{version} to production",
    "[northwind/compass] Build #{n} failed on main",
    "[northwind/atlas] Pull request #{n} merged: Add {topic} settings",
  ],
  standup: [
    "Reminder: Daily Standup in 10 minutes",
    "Weekly Metrics: {n} signups, {n2} churned",
    "Standup summary for {day} is ready: {doc}",
    "Don't forget to log your hours for {month}",
  ],
} as const;

// biome-ignore format: compact word lists
export const VOCAB = {
  topic: [
    "pricing", "the renewal", "SSO", "the pilot", "onboarding", "the API", "data retention", "SOC 2",
    "the integration", "usage-based billing", "the roadmap", "analytics", "the migration", "AI features",
  ],
  day: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
  month: ["September", "October", "November", "December", "January", "February", "March"],
  quarter: ["Q1", "Q2", "Q3", "Q4"],
  time: ["9am", "10:30", "noon", "1pm", "2pm", "3:30pm", "4pm"],
  city: [
    "Paris", "Austin", "San Francisco", "New York", "Lisbon", "Berlin", "London", "Singapore", "Denver",
    "Toronto",
  ],
  product: [
    "Figma", "Notion", "Salesforce", "Jira", "Zoom", "Google Docs", "HubSpot", "Linear", "Gong",
    "Looker",
  ],
  place: ["Café Luna", "the ramen place on 5th", "Blue Bottle", "Tartine", "Sushi Nakazawa", "the taco truck"],
  conf: ["DataConf 2026", "Web Summit", "SaaStr Annual", "re:Invent", "the Lisbon AI meetup", "KubeCon"],
  emoji: [":tada:", ":rocket:", ":+1:", ":fire:", ":eyes:", ":pray:", ":raised_hands:", ":sweat_smile:"],
  docTitle: ["Q3 Roadmap", "Pricing v2", "Launch plan", "Meeting notes", "Customer interviews", "OKRs", "Runbook"],
} as const;

/** Capitalized phrases in the sample that are not people: handy for precision checks. */
// biome-ignore format: compact word list
export const NON_NAMES = [
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Q3 Roadmap", "Will do", "May I", "Bill me",
  "Mark as done", "Grace period", "Hope everyone", "Sounds good", "Good Morning", "Out Of Office", "All Hands",
  "Design Review", "Black Friday", "Apple Pay", "Amazon Web Services", "Just Landed", "Kudos Board",
  "Engagement Survey", "Board Meeting", "Sprint Review", "Thai Basil", "Main St", "Figma", "Notion",
  "Salesforce", "Jira", "Paris", "Austin", "San Francisco", "Lisbon", "Berlin", "Northwind Atlas", "Compass",
];

export type TemplatePart = string | { token: string };

/** Splits "{p.full} from {p.org}" into literal and token parts once, so rendering is a join. */
export function compileTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const re = /\{([a-z0-9.]+)\}/gi;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ token: m[1] ?? "" });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Tokens a template uses, so a person without an email is never given an email template. */
export function tokensOf(parts: readonly TemplatePart[]): Set<string> {
  const out = new Set<string>();
  for (const p of parts) if (typeof p !== "string") out.add(p.token);
  return out;
}
