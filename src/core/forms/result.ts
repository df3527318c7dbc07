// What every form parser returns: the clean value, or one message per field that is wrong, keyed
// by the field's name. Adapters show each message under its field (Slack: `response_action:
// "errors"` keyed by block id; Teams: the card re-rendered with the message under the input).

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export type FormResult<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<F> };

/** A raw input as a platform hands it over: a string, a list of strings (multi-selects), or nothing. */
export type RawValue = string | readonly string[] | null | undefined;

/** One string from a raw input; a list becomes its items joined by commas. */
export function rawText(value: RawValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? value : value.join(",");
}

/** The items of a multi-value input: a list as given, or a string split on commas and whitespace. */
export function rawList(value: RawValue, separators: RegExp = /[\s,;]+/): string[] {
  if (value === null || value === undefined) return [];
  const items = typeof value === "string" ? value.split(separators) : [...value];
  return items.map((v) => v.trim()).filter(Boolean);
}
