/**
 * How much of one message detection reads, in UTF-16 units. Slack cuts messages at 40,000
 * characters, but its event text is longer than what was typed: an emoji is two units here and
 * one character there, and Slack's markup grows the text (`&` arrives as `&amp;`, a mention as
 * `<@U0123ABCD>`). 100,000 units leaves room for all of that, so no message a person can post is
 * cut; what it stops is a crafted event (the receiver takes 4 MB bodies) or an export entry of
 * hundreds of MB costing the detectors, the alias matcher and the worker hand-over seconds or
 * gigabytes. Detection is linear in the text read, so this also bounds each message's time.
 * Whatever lies beyond is not read, and the callers count it (ProcessResult.truncated, the import
 * summary, the live warning, `detect`'s "truncated").
 */
export const MAX_DETECTION_TEXT = 100_000;

/** How far back from the cap a cut looks for a space, so that it does not split a word or an address. */
const CUT_AT_SPACE_WITHIN = 256;

/** Whether detection reads only a prefix of this text. */
export function isOverDetectionCap(text: string): boolean {
  return text.length > MAX_DETECTION_TEXT;
}

/**
 * The part of the text detection reads: all of it, or its first MAX_DETECTION_TEXT units, cut
 * before a space near the cap when there is one (never inside a surrogate pair). Offsets in the
 * prefix are offsets in the text.
 */
export function detectionPrefix(text: string): string {
  if (text.length <= MAX_DETECTION_TEXT) return text;
  let cut = MAX_DETECTION_TEXT;
  for (let i = cut; i > MAX_DETECTION_TEXT - CUT_AT_SPACE_WITHIN; i--) {
    if (/\s/.test(text[i] as string)) {
      cut = i;
      break;
    }
  }
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return text.slice(0, cut);
}
