import { toBase64 } from "../core/base64.ts";
import { type ReactEmailElement, renderReact } from "../core/render.ts";
import type { components } from "../generated/openapi.ts";

type SendEmailRequest = components["schemas"]["SendEmailRequest"];
type AttachmentRequest = components["schemas"]["Attachment"];

export interface Attachment {
  /** The file: base64 text, or bytes (sent as base64). Either this or `path`. */
  content?: string | Uint8Array | ArrayBuffer;
  /** An http(s) URL the worker fetches when it sends the email. */
  path?: string;
  filename?: string;
  contentType?: string;
  /** Makes the attachment inline, referenced from the html as `cid:<contentId>`. */
  contentId?: string;
}

export interface Tag {
  name: string;
  value: string;
}

/** An email to send, in camelCase; the SDK writes the API's snake_case. */
export interface SendEmailOptions {
  /** `"Acme <hello@acme.dev>"` or a bare address. */
  from: string;
  to: string | string[];
  subject: string;
  cc?: string | string[];
  bcc?: string | string[];
  replyTo?: string | string[];
  html?: string;
  /** Generated from `html` (or `react`) when absent. */
  text?: string;
  /** A React Email element, rendered to `html` (and `text` when absent) before sending. */
  react?: ReactEmailElement;
  /** Extra MIME headers, sent as given. */
  headers?: Record<string, string>;
  attachments?: Attachment[];
  tags?: Tag[];
  /** When to send it (ISO 8601 or a Date); now when absent. */
  scheduledAt?: string | Date;
}

/**
 * The wire body of an email. Only the SDK's own option names are translated: the values of
 * `headers` and `tags` are the caller's data and go as they are.
 */
export async function toSendEmailRequest(email: SendEmailOptions): Promise<SendEmailRequest> {
  let { html, text } = email;
  if (email.react !== undefined) {
    const rendered = await renderReact(email.react, text === undefined);
    html = rendered.html;
    text ??= rendered.text;
  }
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    cc: email.cc,
    bcc: email.bcc,
    reply_to: email.replyTo,
    html,
    text,
    headers: email.headers,
    attachments: email.attachments?.map(toAttachmentRequest),
    tags: email.tags?.map(({ name, value }) => ({ name, value })),
    scheduled_at:
      email.scheduledAt instanceof Date ? email.scheduledAt.toISOString() : email.scheduledAt,
  };
}

function toAttachmentRequest(attachment: Attachment): AttachmentRequest {
  const { content } = attachment;
  return {
    content:
      content instanceof ArrayBuffer
        ? toBase64(new Uint8Array(content))
        : content instanceof Uint8Array
          ? toBase64(content)
          : content,
    path: attachment.path,
    filename: attachment.filename,
    content_type: attachment.contentType,
    content_id: attachment.contentId,
  };
}
