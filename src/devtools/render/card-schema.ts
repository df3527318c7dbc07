// What Adaptive Cards 1.5 allows, per element and action type: the types and properties of the
// schema at https://adaptivecards.io/schemas/1.5.0/adaptive-card.json (explorer:
// https://adaptivecards.io/explorer/, "1.5" elements only). Teams renders 1.5 on every client
// (desktop, web, mobile); anything newer or misspelt is silently dropped or breaks the card.
// `msteams` on the card is Teams' documented extension (full-width cards), not part of the schema.

const ELEMENT = ["type", "id", "isVisible", "requires", "fallback", "height", "separator", "spacing"];
const INPUT = [...ELEMENT, "label", "isRequired", "errorMessage"];
const ACTION = [
  "type",
  "id",
  "title",
  "iconUrl",
  "style",
  "fallback",
  "tooltip",
  "isEnabled",
  "mode",
  "requires",
];
const CONTAINER_LIKE = [
  "selectAction",
  "style",
  "verticalContentAlignment",
  "bleed",
  "backgroundImage",
  "minHeight",
  "rtl",
];

export const AC_VERSION = "1.5";

export const AC_1_5_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  AdaptiveCard: [
    "type",
    "version",
    "$schema",
    "body",
    "actions",
    "selectAction",
    "fallbackText",
    "backgroundImage",
    "minHeight",
    "rtl",
    "speak",
    "lang",
    "verticalContentAlignment",
    "refresh",
    "authentication",
    "metadata",
    "msteams",
  ],
  TextBlock: [
    ...ELEMENT,
    "text",
    "color",
    "fontType",
    "horizontalAlignment",
    "isSubtle",
    "maxLines",
    "size",
    "weight",
    "wrap",
    "style",
  ],
  Image: [
    ...ELEMENT,
    "url",
    "altText",
    "backgroundColor",
    "horizontalAlignment",
    "selectAction",
    "size",
    "style",
    "width",
  ],
  Media: [...ELEMENT, "sources", "poster", "altText"],
  RichTextBlock: [...ELEMENT, "inlines", "horizontalAlignment"],
  TextRun: [
    "type",
    "text",
    "color",
    "fontType",
    "highlight",
    "isSubtle",
    "italic",
    "selectAction",
    "size",
    "strikethrough",
    "underline",
    "weight",
  ],
  Container: [...ELEMENT, "items", ...CONTAINER_LIKE],
  ColumnSet: [...ELEMENT, "columns", "selectAction", "style", "bleed", "minHeight", "horizontalAlignment"],
  Column: [...ELEMENT, "items", ...CONTAINER_LIKE, "width"],
  FactSet: [...ELEMENT, "facts"],
  Fact: ["title", "value"],
  ImageSet: [...ELEMENT, "images", "imageSize"],
  ActionSet: [...ELEMENT, "actions"],
  Table: [
    ...ELEMENT,
    "columns",
    "rows",
    "firstRowAsHeader",
    "showGridLines",
    "gridStyle",
    "horizontalCellContentAlignment",
    "verticalCellContentAlignment",
  ],
  TableColumnDefinition: ["width", "horizontalCellContentAlignment", "verticalCellContentAlignment"],
  TableRow: ["type", "cells", "style", "horizontalCellContentAlignment", "verticalCellContentAlignment"],
  TableCell: ["type", "items", ...CONTAINER_LIKE],
  "Input.Text": [
    ...INPUT,
    "isMultiline",
    "maxLength",
    "placeholder",
    "style",
    "inlineAction",
    "value",
    "regex",
  ],
  "Input.Number": [...INPUT, "max", "min", "placeholder", "value"],
  "Input.Date": [...INPUT, "max", "min", "placeholder", "value"],
  "Input.Time": [...INPUT, "max", "min", "placeholder", "value"],
  "Input.Toggle": [...INPUT, "title", "value", "valueOff", "valueOn", "wrap"],
  "Input.ChoiceSet": [...INPUT, "choices", "isMultiSelect", "style", "value", "placeholder", "wrap"],
  "Input.Choice": ["title", "value"],
  "Action.Submit": [...ACTION, "data", "associatedInputs"],
  "Action.OpenUrl": [...ACTION, "url"],
  "Action.ShowCard": [...ACTION, "card"],
  "Action.ToggleVisibility": [...ACTION, "targetElements"],
  "Action.Execute": [...ACTION, "verb", "data", "associatedInputs"],
};

/** Enumerations the schema fixes (case-insensitive in the schema, so compared lower-cased). */
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  spacing: ["none", "small", "default", "medium", "large", "extralarge", "padding"],
  size: ["default", "small", "medium", "large", "extralarge", "auto", "stretch"],
  weight: ["default", "lighter", "bolder"],
  color: ["default", "dark", "light", "accent", "good", "warning", "attention"],
  horizontalAlignment: ["left", "center", "right"],
  verticalContentAlignment: ["top", "center", "bottom"],
};
const ACTION_STYLES = ["default", "positive", "destructive"];

/** Where children live, and the type they have when they carry no `type` of their own. */
const CHILDREN: Readonly<Record<string, string | null>> = {
  body: null,
  items: null,
  actions: null,
  columns: "Column",
  inlines: "TextRun",
  facts: "Fact",
  choices: "Input.Choice",
  rows: "TableRow",
  cells: "TableCell",
  selectAction: null,
  inlineAction: null,
  card: "AdaptiveCard",
};

export interface CardProblem {
  path: string;
  problem: string;
}

/** Every use of something outside Adaptive Cards 1.5 in `card`, with where it is. */
export function cardProblems(card: unknown): CardProblem[] {
  const problems: CardProblem[] = [];
  const visit = (node: unknown, path: string, implied: string | null): void => {
    if (typeof node === "string" && implied === "TextRun") return;
    if (!node || typeof node !== "object" || Array.isArray(node)) {
      problems.push({ path, problem: "not an object" });
      return;
    }
    const o = node as Record<string, unknown>;
    const type = typeof o.type === "string" ? o.type : implied;
    const effective = type;
    const allowed = effective ? AC_1_5_PROPERTIES[effective] : undefined;
    if (!effective || !allowed) {
      problems.push({ path, problem: `element type ${JSON.stringify(o.type)} is not in Adaptive Cards 1.5` });
      return;
    }
    const here = `${path}(${effective})`;
    for (const [key, value] of Object.entries(o)) {
      if (!allowed.includes(key))
        problems.push({ path: here, problem: `property "${key}" is not in ${effective} 1.5` });
      const choices = key === "style" && effective.startsWith("Action.") ? ACTION_STYLES : ENUMS[key];
      if (
        choices &&
        typeof value === "string" &&
        !(key === "size" && effective === "Image" && /^\d+px$/.test(value))
      ) {
        if (!choices.includes(value.toLowerCase()))
          problems.push({ path: here, problem: `${key}: ${JSON.stringify(value)} is not a 1.5 value` });
      }
      // A Table's `columns` are column definitions; a ColumnSet's are Columns.
      const child = key === "columns" && effective === "Table" ? "TableColumnDefinition" : CHILDREN[key];
      if (key in CHILDREN && key !== "fallback") {
        const list = Array.isArray(value) ? value : [value];
        for (const [i, v] of list.entries()) visit(v, `${here}.${key}[${i}]`, child ?? null);
      }
    }
  };
  visit(card, "card", "AdaptiveCard");
  const version = (card as { version?: unknown } | null)?.version;
  if (version !== AC_VERSION)
    problems.push({ path: "card", problem: `version ${JSON.stringify(version)} is not ${AC_VERSION}` });
  return problems;
}
