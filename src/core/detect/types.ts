export type DetectionKind = "person" | "organization" | "email" | "handle" | "url";

/** One thing in a message that may be an external contact. text === input.slice(start, end). */
export interface Detection {
  kind: DetectionKind;
  text: string;
  start: number;
  end: number;
  /** normalizeAlias() of the text: what contacts are keyed on. */
  normalized: string;
}

/** A detection that hit a registered alias of a known contact (any status). */
export interface AliasHit {
  contactId: string;
  text: string;
  start: number;
  end: number;
}
