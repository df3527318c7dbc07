import type { types } from "@slack/bolt";
import { z } from "zod";
import { LIMITS } from "../../../core/commands.ts";
import {
  INITIAL_LUNCH_TIME,
  LUNCH_FIELDS,
  type LunchFormValue,
  parseLunchForm,
} from "../../../core/forms/lunch.ts";
import {
  type FormChoice,
  hourChoices,
  parseSettingsForm,
  type RawSettingsForm,
  SETTINGS_FORM,
  type SettingsFieldDef,
  type SettingsFormCurrent,
  settingsFormValues,
  timeZoneChoices,
  timeZoneChoiceValue,
  WEEKDAY_NAMES,
} from "../../../core/forms/settings.ts";
import {
  LUNCH_FORM_TEXT,
  type LunchSlotOffer,
  slotChoices,
  slotNotice,
} from "../../../core/messages/lunch-form.ts";
import type { WorkspacePatch } from "../../../core/ports.ts";
import type { Workspace } from "../../../core/types.ts";
import { VIEWS } from "../ids.ts";
import { inputState } from "../payloads.ts";
import { context, escapeMrkdwn, plain, section } from "./mrkdwn.ts";

// The two modals: planning a lunch (from a prompt's "Plan lunch" button) and the workspace
// settings (admins, `/offline settings`). Their fields and their parsers are the core's
// (core/forms); this file lays the fields out as Block Kit and reads a submission's state back into
// the raw strings the core parses. Block ids are the core's field names, so the core's per-field
// errors are Slack's `response_action: "errors"` as they are.

type Values = Record<string, Record<string, unknown>>;
export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export { LUNCH_FIELDS };

// ---- lunch -------------------------------------------------------------------------------------

/** Carried through the modal in private_metadata: what the lunch is about and which DM to update. */
export const lunchMetaSchema = z.object({
  contactId: z.string().min(1).max(64),
  nudgeId: z.string().min(1).max(64).nullable(),
  channel: z.string().max(64).nullable(),
  ts: z.string().max(64).nullable(),
});
export type LunchMeta = z.infer<typeof lunchMetaSchema>;

export interface LunchModalInput {
  contactName: string;
  meta: LunchMeta;
  /** Slack user ids of teammates who also discuss the contact: prefilled. */
  teammates: string[];
  /** YYYY-MM-DD in the organizer's zone. */
  initialDate: string;
  /** Free times from the calendars (app/lunch-slots.ts); absent: calendars aren't mentioned. */
  slots?: LunchSlotOffer;
}

/** The slot choice (radio buttons, first slot picked) or the line saying why there is none. */
function slotBlocks(offer: LunchSlotOffer | undefined): types.KnownBlock[] {
  if (!offer) return [];
  const notice = slotNotice(offer);
  if (notice) return [context(notice)];
  const options = slotChoices(offer).map((c) => option(c.label, c.value));
  if (options.length === 0) return [];
  return [
    {
      type: "input",
      block_id: LUNCH_FIELDS.slot,
      label: plain(LUNCH_FORM_TEXT.slotLabel),
      element: {
        type: "radio_buttons",
        action_id: LUNCH_FIELDS.slot,
        options,
        ...(options[0] ? { initial_option: options[0] } : {}),
      },
    },
  ];
}

export function lunchModal(input: LunchModalInput): types.ModalView {
  const withUsers: types.MultiUsersSelect = {
    type: "multi_users_select",
    action_id: LUNCH_FIELDS.with,
    placeholder: plain("Teammates"),
    max_selected_items: LIMITS.attendees,
    ...(input.teammates.length ? { initial_users: input.teammates.slice(0, LIMITS.attendees) } : {}),
  };
  const slotted = input.slots?.kind === "slots";
  const otherHint = slotted ? { hint: plain(LUNCH_FORM_TEXT.otherHint) } : {};
  return {
    type: "modal",
    callback_id: VIEWS.lunch,
    private_metadata: JSON.stringify(input.meta),
    title: plain("Plan lunch", 24),
    submit: plain("Plan it", 24),
    close: plain("Cancel", 24),
    blocks: [
      section(
        `Lunch with *${escapeMrkdwn(input.contactName)}*. I'll send you a calendar invite and check in the day after.`,
      ),
      ...slotBlocks(input.slots),
      {
        type: "input",
        block_id: LUNCH_FIELDS.date,
        label: plain(LUNCH_FORM_TEXT.dateLabel),
        element: { type: "datepicker", action_id: LUNCH_FIELDS.date, initial_date: input.initialDate },
      },
      {
        type: "input",
        block_id: LUNCH_FIELDS.time,
        label: plain(LUNCH_FORM_TEXT.timeLabel),
        ...otherHint,
        element: { type: "timepicker", action_id: LUNCH_FIELDS.time, initial_time: INITIAL_LUNCH_TIME },
      },
      {
        type: "input",
        block_id: LUNCH_FIELDS.place,
        optional: true,
        label: plain("Place"),
        element: {
          type: "plain_text_input",
          action_id: LUNCH_FIELDS.place,
          max_length: LIMITS.place,
          placeholder: plain("Cafe Nord"),
        },
      },
      {
        type: "input",
        block_id: LUNCH_FIELDS.with,
        optional: true,
        label: plain("Teammates joining"),
        element: withUsers,
      },
    ],
  };
}

/** Slack user ids (U…, or W… on Enterprise Grid): the only thing a users picker returns. */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** The lunch modal's submission → the core's lunch form parser. */
export function parseLunchSubmission(values: Values): Parsed<LunchFormValue> {
  const state = (field: string) => inputState(values, field, field);
  const parsed = parseLunchForm(
    {
      slot: state(LUNCH_FIELDS.slot)?.selected_option?.value,
      date: state(LUNCH_FIELDS.date)?.selected_date,
      time: state(LUNCH_FIELDS.time)?.selected_time,
      place: state(LUNCH_FIELDS.place)?.value,
      with: state(LUNCH_FIELDS.with)?.selected_users,
    },
    { userId: SLACK_USER_ID },
  );
  return parsed.ok ? parsed : { ok: false, errors: parsed.errors as FieldErrors };
}

// ---- settings ----------------------------------------------------------------------------------

function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text), value };
}

const dayOptions = (): types.PlainTextOption[] => WEEKDAY_NAMES.map((d, i) => option(d, String(i + 1)));

const options = (choices: readonly FormChoice[]) => choices.map((c) => option(c.label, c.value));

type ZoneGroup = { label: types.PlainTextElement; options: types.PlainTextOption[] };

/** Slack's limit on the options of one group (a select takes up to 100 groups). */
const GROUP_MAX = 100;

/**
 * The time zones as option groups by region ("Europe", "America (Adak – Lima)" when a region has
 * more than a group holds); Slack's select filters them as the admin types.
 */
function timeZoneGroups(current: string): ZoneGroup[] {
  const byRegion = new Map<string, types.PlainTextOption[]>();
  for (const c of timeZoneChoices(current)) {
    const region = c.value.includes("/") ? (c.value.split("/")[0] ?? "") : "";
    const list = byRegion.get(region) ?? [];
    list.push(option(c.label, c.value));
    byRegion.set(region, list);
  }
  const groups: ZoneGroup[] = [];
  for (const [region, list] of byRegion) {
    for (let i = 0; i < list.length; i += GROUP_MAX) {
      const chunk = list.slice(i, i + GROUP_MAX);
      const city = (o: types.PlainTextOption | undefined) => o?.text.text.split("/").pop() ?? "";
      const label =
        list.length > GROUP_MAX ? `${region} (${city(chunk[0])} – ${city(chunk[chunk.length - 1])})` : region;
      groups.push({ label: plain(label || "UTC", 75), options: chunk });
    }
  }
  return groups;
}

/** One field of the core's settings form as a Block Kit input, showing `value`. */
function settingsInput(f: SettingsFieldDef, value: string, ws: Workspace): types.InputBlock {
  const base = {
    type: "input" as const,
    block_id: f.name,
    label: plain(f.label),
    ...(f.hint ? { hint: plain(f.hint) } : {}),
  };
  const select = (options: types.PlainTextOption[]): types.InputBlock => {
    const initial = options.find((o) => o.value === value);
    return {
      ...base,
      element: {
        type: "static_select",
        action_id: "value",
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  };
  switch (f.kind) {
    case "channel":
      return {
        ...base,
        optional: true,
        element: {
          type: "conversations_select",
          action_id: "value",
          filter: { include: ["public", "private"], exclude_bot_users: true },
          ...(ws.digestChannel ? { initial_conversation: ws.digestChannel } : {}),
        },
      };
    case "weekday":
      return select(dayOptions());
    case "hour":
      return select(options(hourChoices(f.min, f.max)));
    case "clock":
      return {
        ...base,
        element: { type: "timepicker", action_id: "value", ...(value ? { initial_time: value } : {}) },
      };
    case "switch":
      return select(options(f.choices));
    case "timezone": {
      const zone = timeZoneChoiceValue(value);
      const groups = timeZoneGroups(zone);
      const initial = groups.flatMap((g) => g.options).find((o) => o.value === zone);
      return {
        ...base,
        element: {
          type: "static_select",
          action_id: "value",
          placeholder: plain("Type a city, like Berlin"),
          option_groups: groups,
          ...(initial ? { initial_option: initial } : {}),
        },
      };
    }
    case "number":
      return {
        ...base,
        element: {
          type: "number_input",
          action_id: "value",
          is_decimal_allowed: false,
          initial_value: value,
          min_value: String(f.min),
          max_value: String(f.max),
        },
      };
    case "weekdays": {
      const options = dayOptions();
      const chosen = value.split(",");
      return {
        ...base,
        element: {
          type: "checkboxes",
          action_id: "value",
          options,
          initial_options: options.filter((o) => o.value !== undefined && chosen.includes(o.value)),
        },
      };
    }
    case "domains":
      return {
        ...base,
        optional: true,
        element: {
          type: "plain_text_input",
          action_id: "value",
          multiline: true,
          max_length: f.maxLength,
          ...(value ? { initial_value: value } : {}),
        },
      };
  }
}

/** The settings modal: every field of the core's settings form, under its section heading. */
export function settingsModal(ws: Workspace): types.ModalView {
  const values = settingsFormValues(ws);
  const blocks: types.KnownBlock[] = [];
  let current: string | null = null;
  for (const f of SETTINGS_FORM) {
    if (f.section !== current) {
      current = f.section;
      blocks.push(section(`*${escapeMrkdwn(f.section)}*`));
    }
    blocks.push(settingsInput(f, values[f.name], ws));
  }
  return {
    type: "modal",
    callback_id: VIEWS.settings,
    private_metadata: JSON.stringify({ workspaceId: ws.id }),
    title: plain("Take It Offline", 24),
    submit: plain("Save", 24),
    close: plain("Cancel", 24),
    blocks,
  };
}

/** Slack channel ids a conversations_select returns. */
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]+$/;

/** The settings modal's submission → the raw strings the core's settings parser reads. */
export function settingsSubmissionRaw(values: Values): RawSettingsForm {
  const raw: RawSettingsForm = {};
  for (const f of SETTINGS_FORM) {
    const state = inputState(values, f.name, "value");
    if (!state) continue;
    switch (f.kind) {
      case "channel":
        // No channel picked: the digest is off.
        raw[f.name] = state.selected_conversation ?? "";
        break;
      case "weekday":
      case "hour":
      case "switch":
      case "timezone":
        raw[f.name] = state.selected_option?.value ?? "";
        break;
      case "clock":
        raw[f.name] = state.selected_time ?? "";
        break;
      case "weekdays":
        raw[f.name] = (state.selected_options ?? []).map((o) => o.value);
        break;
      default:
        raw[f.name] = state.value ?? "";
    }
  }
  return raw;
}

/** The settings modal's submission → a workspace patch, or errors per block (= per field). */
export function parseSettingsSubmission(
  values: Values,
  current: SettingsFormCurrent,
): Parsed<WorkspacePatch> {
  const parsed = parseSettingsForm(settingsSubmissionRaw(values), current, {
    isChannel: (id) => SLACK_CHANNEL_ID.test(id),
  });
  return parsed.ok ? parsed : { ok: false, errors: parsed.errors as FieldErrors };
}
