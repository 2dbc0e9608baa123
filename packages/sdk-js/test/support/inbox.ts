import { eventually, live } from "./client.ts";

interface InboxSummary {
  id: number;
  subject: string | null;
  to: string | null;
}

export interface InboxMessage extends InboxSummary {
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  attachments: { filename: string | null; content_type: string; size: number }[];
}

/** The message the live server's mail catcher received with this subject (GET /dev/inbox). */
export async function caughtMessage(subject: string): Promise<InboxMessage> {
  const summary = await eventually(async () => {
    const inbox = (await (await fetch(`${live.url}/dev/inbox`)).json()) as { data: InboxSummary[] };
    return inbox.data.find((message) => message.subject === subject);
  });
  return (await (await fetch(`${live.url}/dev/inbox/${summary.id}`)).json()) as InboxMessage;
}
