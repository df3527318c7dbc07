// Files from the bot to a person, the way Teams lets bots do it in personal chats: a file consent
// card ("Allow" / "Decline"); on Allow, Teams sends a fileConsent/invoke with an upload URL in the
// person's OneDrive, the bot PUTs the bytes there and posts a file info card pointing at the file.
// The only file we send is a lunch's .ics, a few hundred bytes, so it travels in the card's
// acceptContext and comes back with the invoke: nothing is kept on our side.
import type { Activity } from "botbuilder";
import { z } from "zod";

export const FILE_CONSENT_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.info";
export const FILE_CONSENT_INVOKE = "fileConsent/invoke";

/** The biggest .ics we hand over (an invite is well under 2 KB). */
const MAX_ICS = 16_000;

const icsContext = z.object({
  tio: z.literal("ics"),
  ics: z
    .string()
    .max(MAX_ICS)
    .refine((v) => v.startsWith("BEGIN:VCALENDAR"), "not an iCalendar file"),
});

export const fileConsentSchema = z.object({
  type: z.literal("fileUpload"),
  action: z.enum(["accept", "decline"]),
  context: icsContext.nullish(),
  uploadInfo: z
    .object({
      name: z.string().min(1).max(255),
      uploadUrl: z.url({ protocol: /^https?$/ }),
      contentUrl: z.url({ protocol: /^https?$/ }),
      uniqueId: z.string().max(200).nullish(),
      fileType: z.string().max(20).nullish(),
    })
    .nullish(),
});
export type FileConsent = z.infer<typeof fileConsentSchema>;

/** The consent card for one .ics: its name, size and a line on what Allow does. */
export function fileConsentActivity(name: string, ics: string, description: string): Partial<Activity> {
  const context = { tio: "ics", ics } satisfies z.input<typeof icsContext>;
  return {
    type: "message",
    summary: description,
    attachments: [
      {
        contentType: FILE_CONSENT_CONTENT_TYPE,
        name,
        content: {
          description,
          sizeInBytes: Buffer.byteLength(ics, "utf8"),
          acceptContext: context,
          declineContext: { tio: "ics" },
        },
      },
    ],
  };
}

/**
 * Where an upload may go: OneDrive for Business lives on SharePoint (commercial and sovereign
 * clouds). The URL comes inside an activity, so a bot that PUT wherever it was told would be a
 * way to make our server send requests into its own network. `allowLocal` (unauthenticated
 * local mode only, for the fake connector) also accepts http://127.0.0.1.
 */
export function isUploadUrlAllowed(raw: string, allowLocal: boolean): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (allowLocal && url.protocol === "http:" && url.hostname === "127.0.0.1") return true;
  return url.protocol === "https:" && /\.sharepoint(?:-df)?\.(?:com|us|de|cn)$/i.test(url.hostname);
}

/** PUTs the file in one request (an upload session accepts the whole range for small files). */
export async function uploadFile(uploadUrl: string, content: string, timeoutMs = 10_000): Promise<void> {
  const bytes = Buffer.from(content, "utf8");
  const res = await fetch(uploadUrl, {
    method: "PUT",
    headers: {
      "content-type": "application/octet-stream",
      "content-range": `bytes 0-${bytes.length - 1}/${bytes.length}`,
    },
    body: bytes,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`file upload answered ${res.status}`);
}

/** The card that shows the uploaded file in the chat (Teams renders it as the file itself). */
export function fileInfoActivity(info: NonNullable<FileConsent["uploadInfo"]>): Partial<Activity> {
  return {
    type: "message",
    attachments: [
      {
        contentType: FILE_INFO_CONTENT_TYPE,
        contentUrl: info.contentUrl,
        name: info.name,
        content: { uniqueId: info.uniqueId ?? "", fileType: info.fileType ?? "ics" },
      },
    ],
  };
}
