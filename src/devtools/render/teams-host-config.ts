// The host config the Teams screenshots use: how Teams (light theme, new client) draws an
// Adaptive Card. Values follow the "Microsoft Teams - Light" host config that ships with
// Microsoft's Adaptive Cards Designer (adaptivecards-designer, hostConfigs/microsoft-teams-light.json):
// Segoe UI stack, 12/14/14/18/24 px sizes, 600 for bold, spacing 4/8/12/16/20/24 (small…extraLarge,
// padding 16), Teams' brand purple #6264A7 for accent, #C4314B attention, #237B4B good, text
// #242424 and subtle #616161 (Fluent UI's neutral foregrounds), buttons side by side with 8 px
// between them and at most 6 actions. It is an approximation of the client, good enough to show
// wrapping and cut-off labels, not a pixel copy.
const foreground = (normal: string, subtle: string) => ({ default: normal, subtle });

const FOREGROUNDS = {
  default: foreground("#242424", "#616161"),
  dark: foreground("#252423", "#484644"),
  light: foreground("#FFFFFF", "#FFFFFF"),
  accent: foreground("#6264A7", "#8B8CC7"),
  good: foreground("#237B4B", "#2E9E61"),
  warning: foreground("#C4314B", "#D6546B"),
  attention: foreground("#C4314B", "#D6546B"),
};

export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily:
    "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif",
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 20, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E1DFDD" },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: FOREGROUNDS,
    },
    emphasis: {
      backgroundColor: "#F5F5F5",
      foregroundColors: FOREGROUNDS,
    },
  },
  actions: {
    maxActions: 6,
    spacing: "default",
    buttonSpacing: 8,
    showCard: { actionMode: "inline", inlineTopMargin: 16, style: "emphasis" },
    preExpandSingleShowCardAction: false,
    actionsOrientation: "horizontal",
    actionAlignment: "left",
    wrap: false,
  },
  adaptiveCard: { allowCustomStyle: false },
  imageSet: { imageSize: "medium", maxImageHeight: 100 },
  factSet: {
    title: {
      color: "default",
      size: "default",
      isSubtle: false,
      weight: "bolder",
      wrap: true,
      maxWidth: 150,
    },
    value: { color: "default", size: "default", isSubtle: false, weight: "default", wrap: true },
    spacing: 8,
  },
  inputs: {
    label: {
      requiredInputs: { weight: "bolder", suffix: " *", suffixColor: "attention" },
      optionalInputs: { weight: "bolder" },
    },
    errorMessage: { color: "attention", size: "small" },
  },
};

/** CSS for what the host config can't say: Teams' button look and the chat bubble around the card. */
export const TEAMS_CSS = `
.tm-root{background:#F5F5F5;padding:8px;font-family:${TEAMS_HOST_CONFIG.fontFamily}}
.tm-bubble{background:#fff;border:1px solid #E0E0E0;border-radius:6px;overflow:hidden}
.tm-meta{font:12px ${TEAMS_HOST_CONFIG.fontFamily};color:#616161;margin:0 0 4px 2px}
.tm-text{padding:8px 12px;font-size:14px;line-height:20px;color:#242424;overflow-wrap:anywhere}
.tm-text p{margin:0 0 8px}
.tm-text code{font-family:Consolas,'Courier New',monospace;background:#F5F5F5;padding:0 2px}
.ac-pushButton{font:600 14px ${TEAMS_HOST_CONFIG.fontFamily};min-height:32px;padding:4px 12px;border:1px solid #D1D1D1;border-radius:4px;background:#fff;color:#242424;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ac-pushButton.style-positive{background:#5B5FC7;border-color:#5B5FC7;color:#fff}
.ac-pushButton.style-destructive{color:#C4314B}
.ac-input{font:14px ${TEAMS_HOST_CONFIG.fontFamily};border:1px solid #D1D1D1;border-radius:4px;min-height:32px;box-sizing:border-box}
.ac-input input,.ac-input select,.ac-input textarea{font:inherit}
.ac-textBlock a{color:#5B5FC7}
.ac-textBlock ul,.ac-textBlock ol{box-sizing:border-box;padding-left:20px;margin:0}
.ac-textBlock p{margin:0}
`;
