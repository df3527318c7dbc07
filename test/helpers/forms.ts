// Reading forms back in tests: the text and the Adaptive Card of a recorded Bot Connector call,
// and the view_submission state of a Slack modal as opened (Slack echoes the initial values).
import type { RecordedCall } from "./fake-bot-connector.ts";

export interface CardJson {
  body: Array<Record<string, unknown>>;
  actions?: Array<{ data: Record<string, unknown> }>;
}

/** Text of a sent message, or of every TextBlock of its Adaptive Card. */
export function textOfCall(call: RecordedCall | undefined): string {
  const parts: string[] = [];
  if (typeof call?.body?.text === "string") parts.push(call.body.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") parts.push(o.text);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(call?.body?.attachments);
  return parts.join("\n");
}

/** The Adaptive Card a call carries; throws when it carries none. */
export function cardOfCall(call: RecordedCall | undefined): CardJson {
  const a = (call?.body?.attachments as Array<{ contentType: string; content: CardJson }> | undefined)?.[0];
  if (a?.contentType !== "application/vnd.microsoft.card.adaptive")
    throw new Error(`not an adaptive card: ${JSON.stringify(call?.body)}`);
  return a.content;
}

export interface ModalBlock {
  type: string;
  block_id?: string;
  element?: Record<string, unknown> & { type: string; action_id: string };
}

/** The submitted state of a modal as it was opened, with some blocks' state overridden. */
export function modalStateOf(
  view: { blocks: ModalBlock[] },
  overrides: Record<string, Record<string, unknown>> = {},
): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const b of view.blocks) {
    if (b.type !== "input" || !b.block_id || !b.element) continue;
    const e = b.element;
    const state: Record<string, unknown> = { type: e.type };
    if (e.type === "static_select") state.selected_option = e.initial_option ?? null;
    if (e.type === "checkboxes") state.selected_options = e.initial_options ?? [];
    if (e.type === "conversations_select") state.selected_conversation = e.initial_conversation ?? null;
    if (e.type === "plain_text_input" || e.type === "number_input") state.value = e.initial_value ?? null;
    if (e.type === "datepicker") state.selected_date = e.initial_date ?? null;
    if (e.type === "timepicker") state.selected_time = e.initial_time ?? null;
    if (e.type === "multi_users_select") state.selected_users = e.initial_users ?? [];
    values[b.block_id] = { [e.action_id]: { ...state, ...overrides[b.block_id] } };
  }
  return values;
}
