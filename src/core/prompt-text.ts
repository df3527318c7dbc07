// The prompt's wording, once for every platform: its title, its buttons, the privacy line, how a
// hint names a command. Slack and Teams lay these out; neither writes its own.

/** At most this many teammates are named in a prompt and preselected in its lunch form. */
export const PROMPT_TEAMMATES = 3;

/** Button labels. The first is the prompt's main action; the rest may sit behind an overflow ("…"). */
export const PROMPT_LABELS = {
  plan: "Plan lunch",
  snooze: "Snooze 2 weeks",
  met: "Already met",
  notContact: "Not an external contact",
  track: "Track",
  ignore: "Ignore",
  followUpYes: "Yes, we met",
  followUpLater: "Not yet",
  followUpNo: "It's off",
  /** After "Not yet": opens the lunch form; its date updates the lunch still open. */
  newDate: "Pick a new date",
  /** Confirms "not a contact" / "ignore", which hides the contact for the whole team. */
  hide: "Hide for everyone",
  cancel: "Cancel",
  undo: "Undo",
  forgetMe: "Delete my data",
  pauseWeek: "Pause 1 week",
  pauseMonth: "Pause 4 weeks",
  pauseUntilResume: "Pause until I resume",
  resume: "Resume",
} as const;

/** "Take Inês Duarte to lunch?": `name` is already escaped for where it lands. */
export function lunchPromptTitle(name: string): string {
  return `Take ${name} to lunch?`;
}

/** "Did your lunch with Inês Duarte happen?": `name` is already escaped for where it lands. */
export function followUpTitle(name: string): string {
  return `Did your lunch with ${name} happen?`;
}

/**
 * A command as core markup: `/offline resume`. Slack shows it as is (what a person types there);
 * Teams shows the words after /offline, which is what a person says to the bot (see
 * platforms/teams/text.ts toTeamsMarkdown). Every hint that names a command goes through here.
 */
export function command(words: string): string {
  return `\`/offline ${words}\``;
}

/** Under every lunch prompt, on both platforms (core markup). */
export const PRIVACY_LINE = `Only who mentioned whom is stored, never messages. Pause with ${command("pause")}.`;
