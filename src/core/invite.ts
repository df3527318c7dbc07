import ical from "ical-generator";

// An .ics invite for a planned lunch, so people can put it in whatever calendar they use.

export interface InviteInput {
  lunchId: string;
  contactName: string;
  start: Date;
  durationMinutes?: number;
  place: string | null;
  organizerName: string;
  attendeeNames: string[];
  now: Date;
}

export function lunchInvite(input: InviteInput): string {
  const cal = ical({ name: "Take It Offline", prodId: { company: "take-it-offline", product: "bot" } });
  const who = [input.organizerName, ...input.attendeeNames].filter(Boolean).join(", ");
  cal.createEvent({
    id: `lunch-${input.lunchId}@take-it-offline`,
    stamp: input.now,
    start: input.start,
    end: new Date(input.start.getTime() + (input.durationMinutes ?? 60) * 60_000),
    summary: `Lunch with ${input.contactName}`,
    location: input.place ?? undefined,
    description: `Planned with Take It Offline. Going: ${who}.`,
  });
  return cal.toString();
}

/** "lunch-with-jane-doe.ics": the invite's file name on every platform. */
export function inviteFileName(contactName: string): string {
  const slug =
    contactName
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "contact";
  return `lunch-with-${slug}.ics`;
}
