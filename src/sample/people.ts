// Who lives in the sample: the company, its teammates (from name pools), and the external people
// the team talks about. Teammate and external name pools never share a first or last name, so the
// ground truth stays unambiguous: any match on a teammate's name is a false positive.

export const COMPANY = {
  name: "Northwind Labs",
  domain: "northwind.example",
  teamId: "T0NWLABS1",
  /** Our own products: capitalized, and never people. */
  products: ["Northwind Atlas", "Atlas Sync", "Compass", "Northwind Insights"],
} as const;

/** The partner org connected to us through a shared Slack Connect channel. */
export const CONNECT_TEAM = {
  name: "Acme Corp",
  teamId: "T0ACMECO2",
  domain: "acme-corp.example",
  channel: "ext-acme-northwind",
} as const;

export type ExternalRole = "client" | "prospect" | "partner" | "speaker" | "social" | "investor" | "press";

export interface ExternalSeed {
  name: string;
  /** Other spellings of the full name ("Jon Baker", "Maria Garcia"). */
  fullVariants: string[];
  /** First-name forms and nicknames ("Jon", "Raj"). */
  short: string[];
  /** With a title ("Dr. Tan", "Ms. García"). */
  formal: string[];
  organization: string;
  /** How people shorten the org in chat ("Acme"). */
  orgShort: string[];
  title: string;
  role: ExternalRole;
  email: string | null;
  /** Social handle without "@". */
  handle: string | null;
  /** LinkedIn slug: https://www.linkedin.com/in/<slug> */
  linkedin: string | null;
  github?: string;
  /** Member of the Slack Connect team: has a Slack user id and posts in the shared channel. */
  slackConnect: boolean;
}

/**
 * Hand-written external people, most discussed first. The first 15 already cover every kind of
 * reference (Slack Connect, diacritics, nicknames, titles, handles, profile links, emails).
 */
export const CURATED_EXTERNALS: readonly ExternalSeed[] = [
  {
    name: "Jonathan Baker",
    fullVariants: ["Jon Baker", "J. Baker"],
    short: ["Jon", "Jonathan"],
    formal: ["Mr. Baker"],
    organization: "Acme Corp",
    orgShort: ["Acme", "ACME"],
    title: "VP Engineering",
    role: "partner",
    email: "jbaker@acme-corp.example",
    handle: "jonbaker",
    linkedin: "jonathan-baker-acme",
    slackConnect: true,
  },
  {
    name: "Priya Raman",
    fullVariants: ["P. Raman"],
    short: ["Priya"],
    formal: ["Ms. Raman"],
    organization: "Globex",
    orgShort: ["Globex Corp"],
    title: "Head of Data",
    role: "client",
    email: "priya.raman@globex.example",
    handle: "priyaraman",
    linkedin: "priya-raman",
    slackConnect: false,
  },
  {
    name: "María García",
    fullVariants: ["Maria Garcia", "Maria García"],
    short: ["María", "Maria"],
    formal: ["Ms. García"],
    organization: "Acme Corp",
    orgShort: ["Acme"],
    title: "Director of Partnerships",
    role: "partner",
    email: "maria.garcia@acme-corp.example",
    handle: null,
    linkedin: "mariagarcia-acme",
    slackConnect: true,
  },
  {
    name: "Wei Tan",
    fullVariants: ["Dr. Wei Tan"],
    short: ["Wei"],
    formal: ["Dr. Tan", "Prof. Tan"],
    organization: "Halvorsen Institute",
    orgShort: ["Halvorsen"],
    title: "Professor of Computer Science",
    role: "speaker",
    email: "wtan@halvorsen.example",
    handle: "drweitan",
    linkedin: null,
    slackConnect: false,
  },
  {
    name: "Jane Doe",
    fullVariants: ["J. Doe"],
    short: ["Jane"],
    formal: ["Ms. Doe"],
    organization: "Initech",
    orgShort: ["Initech Inc"],
    title: "VP Marketing",
    role: "prospect",
    email: "jane.doe@initech.example",
    handle: "janedoe",
    linkedin: "janedoe",
    slackConnect: false,
  },
  {
    name: "Kwame Mensah",
    fullVariants: ["K. Mensah"],
    short: ["Kwame"],
    formal: ["Mr. Mensah"],
    organization: "Umbrella Health",
    orgShort: ["Umbrella"],
    title: "CTO",
    role: "prospect",
    email: "kwame@umbrella-health.example",
    handle: null,
    linkedin: "kwamemensah",
    slackConnect: false,
  },
  {
    name: "Liam O'Connor",
    fullVariants: ["Liam O’Connor", "Liam OConnor"],
    short: ["Liam"],
    formal: ["Mr. O'Connor"],
    organization: "Stark Logistics",
    orgShort: ["Stark"],
    title: "Operations Director",
    role: "client",
    email: "liam.oconnor@stark-logistics.example",
    handle: null,
    linkedin: "liam-oconnor",
    slackConnect: false,
  },
  {
    name: "Sofia Rossi",
    fullVariants: ["Sophia Rossi"],
    short: ["Sofia"],
    formal: ["Ms. Rossi"],
    organization: "Hooli",
    orgShort: ["Hooli XYZ"],
    title: "Partnerships Lead",
    role: "partner",
    email: "s.rossi@hooli.example",
    handle: "sofiarossi",
    linkedin: "sofiarossi",
    slackConnect: false,
  },
  {
    name: "Mateus Oliveira",
    fullVariants: ["Mateus Oliviera"],
    short: ["Mateus"],
    formal: [],
    organization: "Oliveira Studio",
    orgShort: [],
    title: "Independent developer",
    role: "social",
    email: null,
    handle: "mateusdev",
    linkedin: null,
    github: "mateusdev",
    slackConnect: false,
  },
  {
    name: "Rajesh Patel",
    fullVariants: ["Raj Patel"],
    short: ["Raj", "Rajesh"],
    formal: ["Mr. Patel"],
    organization: "Cyberdyne Analytics",
    orgShort: ["Cyberdyne"],
    title: "Data Science Lead",
    role: "prospect",
    email: "raj.patel@cyberdyne.example",
    handle: "rajpatel",
    linkedin: "rajesh-patel-data",
    slackConnect: false,
  },
  {
    name: "Mei Lin Chen",
    fullVariants: ["Meilin Chen", "Mei-Lin Chen"],
    short: ["Mei Lin"],
    formal: ["Ms. Chen"],
    organization: "Acme Corp",
    orgShort: ["Acme"],
    title: "Product Manager",
    role: "partner",
    email: "meilin.chen@acme-corp.example",
    handle: null,
    linkedin: null,
    slackConnect: true,
  },
  {
    name: "Aiko Yamamoto",
    fullVariants: ["A. Yamamoto"],
    short: ["Aiko"],
    formal: ["Yamamoto-san"],
    organization: "DataConf",
    orgShort: [],
    title: "Program Chair",
    role: "speaker",
    email: "aiko@dataconf.example",
    handle: "aikoyama",
    linkedin: "aiko-yamamoto",
    slackConnect: false,
  },
  {
    name: "Elizabeth Thornton",
    fullVariants: ["Liz Thornton", "Beth Thornton"],
    short: ["Liz"],
    formal: ["Ms. Thornton"],
    organization: "Gringotts Bank",
    orgShort: ["Gringotts"],
    title: "CFO",
    role: "client",
    email: "e.thornton@gringotts.example",
    handle: null,
    linkedin: "elizabeth-thornton",
    slackConnect: false,
  },
  {
    name: "Alejandro Ruiz",
    fullVariants: ["Alex Ruiz"],
    short: ["Alejandro"],
    formal: ["Mr. Ruiz"],
    organization: "Wayne Ventures",
    orgShort: ["Wayne"],
    title: "General Partner",
    role: "investor",
    email: "aruiz@wayne-ventures.example",
    handle: "alexruizvc",
    linkedin: "alejandro-ruiz",
    slackConnect: false,
  },
  {
    name: "Nadia Petrova",
    fullVariants: ["N. Petrova"],
    short: ["Nadia"],
    formal: [],
    organization: "The Data Pod",
    orgShort: ["Data Pod"],
    title: "Podcast host",
    role: "press",
    email: null,
    handle: "nadiapod",
    linkedin: null,
    slackConnect: false,
  },
  {
    name: "Chloé Dubois",
    fullVariants: ["Chloe Dubois"],
    short: ["Chloé", "Chloe"],
    formal: ["Mme Dubois"],
    organization: "Vandelay Industries",
    orgShort: ["Vandelay"],
    title: "Head of Imports",
    role: "client",
    email: "chloe.dubois@vandelay.example",
    handle: null,
    linkedin: "chloedubois",
    slackConnect: false,
  },
  {
    name: "Olusegun Adeyemi",
    fullVariants: ["Segun Adeyemi"],
    short: ["Segun"],
    formal: ["Mr. Adeyemi"],
    organization: "Oscorp",
    orgShort: [],
    title: "Head of Platform",
    role: "partner",
    email: "segun.adeyemi@oscorp.example",
    handle: "segunbuilds",
    linkedin: null,
    slackConnect: false,
  },
  {
    name: "Fatima Al-Sayed",
    fullVariants: ["Fatima Alsayed", "Fatima Al Sayed"],
    short: ["Fatima"],
    formal: ["Ms. Al-Sayed"],
    organization: "Soylent Foods",
    orgShort: ["Soylent"],
    title: "VP Operations",
    role: "prospect",
    email: "fatima@soylent-foods.example",
    handle: null,
    linkedin: "fatima-al-sayed",
    slackConnect: false,
  },
  {
    name: "Hannah Schmidt",
    fullVariants: ["H. Schmidt"],
    short: ["Hannah"],
    formal: ["Frau Schmidt"],
    organization: "Tyrell Systems",
    orgShort: ["Tyrell"],
    title: "Procurement Manager",
    role: "client",
    email: "hannah.schmidt@tyrell.example",
    handle: null,
    linkedin: null,
    slackConnect: false,
  },
  {
    name: "Tomás Herrera",
    fullVariants: ["Tomas Herrera"],
    short: ["Tomás", "Tomas"],
    formal: [],
    organization: "Pied Piper",
    orgShort: [],
    title: "CEO",
    role: "prospect",
    email: "tomas@piedpiper.example",
    handle: "tomasherrera",
    linkedin: "tomas-herrera",
    slackConnect: false,
  },
  {
    name: "Robert Kowalski",
    fullVariants: ["Bob Kowalski", "Rob Kowalski"],
    short: ["Bobby K"],
    formal: ["Mr. Kowalski"],
    organization: "Initech",
    orgShort: [],
    title: "IT Manager",
    role: "client",
    email: "rkowalski@initech.example",
    handle: null,
    linkedin: null,
    slackConnect: false,
  },
  {
    name: "Helen Park",
    fullVariants: ["Dr. Helen Park"],
    short: ["Helen"],
    formal: ["Dr. Park"],
    organization: "Northbridge University",
    orgShort: ["Northbridge"],
    title: "Associate Professor",
    role: "speaker",
    email: "hpark@northbridge.example",
    handle: null,
    linkedin: "helenpark-phd",
    slackConnect: false,
  },
  {
    name: "Ingrid Johansson",
    fullVariants: ["I. Johansson"],
    short: ["Ingrid"],
    formal: [],
    organization: "Wonka Confections",
    orgShort: ["Wonka"],
    title: "Marketing Director",
    role: "client",
    email: "ingrid.johansson@wonka.example",
    handle: "ingridj",
    linkedin: null,
    slackConnect: false,
  },
  {
    name: "Samuel Okafor",
    fullVariants: ["Sam Okafor"],
    short: ["Samuel"],
    formal: ["Mr. Okafor"],
    organization: "Globex",
    orgShort: [],
    title: "Procurement Lead",
    role: "client",
    email: "samuel.okafor@globex.example",
    handle: null,
    linkedin: "samuel-okafor",
    slackConnect: false,
  },
];

/** Teammate first names. None is a first name, nickname or surname of an external person. */
// biome-ignore format: compact name list
export const MEMBER_FIRST_NAMES = [
  "Sarah", "Michael", "Emily", "David", "Jessica", "Daniel", "Laura", "Kevin", "Rachel", "Brian",
  "Megan", "Ethan", "Olivia", "Noah", "Ava", "Lucas", "Zoe", "Ryan", "Nina", "Owen",
  "Chris", "Anna", "Julia", "Marcus", "Leah", "Nathan", "Claire", "Adrian", "Maya", "Felix",
  "Isabel", "Oscar", "Ruby", "Victor", "Elena", "Simon", "Tara", "Hugo", "Iris", "Jasper",
  "Lena", "Martin", "Paula", "Quentin", "Rosa", "Stefan", "Ursula", "Vincent", "Wendy", "Yusuf",
  "Zara", "Aaron", "Bianca", "Caleb", "Diana", "Elliot", "Fiona", "Gabriel", "Heidi", "Ivan",
  "Jenna", "Kai", "Lydia", "Miles", "Nora", "Peter", "Rhea", "Theo", "Vera", "Wyatt",
  "Amir", "Bea", "Colin", "Dana", "Erik", "Gwen", "Harvey", "Imogen", "Joel", "Kira",
];

// biome-ignore format: compact name list
export const MEMBER_LAST_NAMES = [
  "Kim", "Nguyen", "Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
  "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Allen",
  "Young", "Wright", "Scott", "Green", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
  "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart", "Morris",
  "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Gomez",
  "Kelly", "Howard", "Ward", "Cox", "Diaz", "Richardson", "Wood", "Watson", "Brooks", "Bennett",
  "Gray", "James", "Reyes", "Cruz", "Hughes", "Price", "Myers", "Long", "Foster", "Sanders",
  "Ross", "Morales", "Powell", "Sullivan", "Russell", "Ortiz", "Jenkins", "Perry", "Fisher", "Henderson",
];

// biome-ignore format: compact name list
export const MEMBER_TITLES = [
  "Account Executive", "Software Engineer", "Senior Software Engineer", "Product Manager", "Designer",
  "Customer Success Manager", "Marketing Manager", "Head of Sales", "Engineering Manager", "Data Analyst",
  "Sales Development Rep", "Solutions Engineer", "Recruiter", "Office Manager", "Content Writer",
];

// biome-ignore format: compact name list
export const MEMBER_TIME_ZONES = [
  "America/New_York", "America/New_York", "America/New_York", "America/Chicago", "America/Los_Angeles",
  "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Europe/Lisbon", "Asia/Singapore",
];

/** First and last names for generated externals beyond the curated ones; disjoint from teammates'. */
// biome-ignore format: compact name list
export const EXTERNAL_FIRST_NAMES = [
  "Anika", "Bruno", "Carmen", "Dmitri", "Esther", "Farid", "Greta", "Hiro", "Ines", "Jamal",
  "Katya", "Lorenzo", "Malik", "Orla", "Pedro", "Qiang", "Rania", "Sven", "Talia", "Umar",
  "Valeria", "Wiremu", "Ximena", "Yara", "Zoltan", "Ayesha", "Bjorn", "Cosima", "Darius", "Emeka",
  "Freya", "Goran", "Hana", "Idris", "Joaquin", "Kenji", "Lucia", "Mirela", "Niamh", "Oren",
  "Parisa", "Rafael", "Saoirse", "Tariq", "Uma", "Vikram", "Wanjiru", "Xavier", "Yosef", "Zainab",
];

// biome-ignore format: compact name list
export const EXTERNAL_LAST_NAMES = [
  "Abara", "Bergstrom", "Castellanos", "Demir", "Eriksen", "Fonseca", "Gallagher", "Haddad", "Ivanova", "Jovanovic",
  "Kapoor", "Lindgren", "Mbeki", "Novak", "Okonkwo", "Pereira", "Quispe", "Rahman", "Sato", "Takahashi",
  "Ueda", "Varga", "Weiss", "Xu", "Yilmaz", "Zielinski", "Achebe", "Bianchi", "Costa", "Dimitrov",
  "Esposito", "Fischer", "Gonzaga", "Horvat", "Iyer", "Jaramillo", "Kovacs", "Laine", "Moreau", "Nakamura",
];

export const EXTERNAL_ORGS: ReadonlyArray<{ name: string; short: string[]; domain: string }> = [
  { name: "Massive Dynamic", short: ["MassDyn"], domain: "massive-dynamic.example" },
  { name: "Aperture Science", short: ["Aperture"], domain: "aperture.example" },
  { name: "Black Mesa Research", short: ["Black Mesa"], domain: "blackmesa.example" },
  { name: "Prestige Worldwide", short: [], domain: "prestige-worldwide.example" },
  { name: "Nakatomi Trading", short: ["Nakatomi"], domain: "nakatomi.example" },
  { name: "Rekall Travel", short: ["Rekall"], domain: "rekall.example" },
  { name: "Sirius Cybernetics", short: ["Sirius"], domain: "sirius-cyber.example" },
  { name: "Virtucon", short: [], domain: "virtucon.example" },
  { name: "Blue Sun Corp", short: ["Blue Sun"], domain: "bluesun.example" },
  { name: "Bluth Company", short: ["Bluth"], domain: "bluth.example" },
  { name: "Dunder Mifflin", short: ["Dunder"], domain: "dundermifflin.example" },
  { name: "Sterling Cooper", short: [], domain: "sterlingcooper.example" },
  { name: "Spacely Sprockets", short: ["Spacely"], domain: "spacely.example" },
  { name: "Cogswell Cogs", short: ["Cogswell"], domain: "cogswell.example" },
  { name: "Monarch Solutions", short: ["Monarch"], domain: "monarch.example" },
  { name: "Gekko & Co", short: ["Gekko"], domain: "gekko.example" },
];

export const EXTERNAL_TITLES: ReadonlyArray<{ title: string; role: ExternalRole }> = [
  { title: "Head of Procurement", role: "client" },
  { title: "VP Sales", role: "prospect" },
  { title: "Director of Engineering", role: "prospect" },
  { title: "Partner Manager", role: "partner" },
  { title: "Keynote speaker", role: "speaker" },
  { title: "Developer advocate", role: "social" },
  { title: "Principal", role: "investor" },
  { title: "Reporter", role: "press" },
  { title: "COO", role: "client" },
  { title: "Head of Growth", role: "prospect" },
];
