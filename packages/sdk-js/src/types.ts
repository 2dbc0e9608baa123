/**
 * Names for the spec's schemas, as the API answers them (snake_case, like Resend's SDK). They
 * come from src/generated/openapi.ts, which `pnpm generate` writes from openapi/openapi.json.
 */
import type { components } from "./generated/openapi.ts";

type Schemas = components["schemas"];

export type Email = Schemas["Email"];
export type EmailListItem = Schemas["EmailListItem"];
export type EmailRef = Schemas["EmailRef"];
export type EmailLastEvent = Schemas["EmailLastEvent"];
export type SendEmailResponse = Schemas["SendEmailResponse"];
export type BatchResponse = Schemas["BatchResponse"];
export type EmailList = Schemas["EmailList"];

export type ApiKey = Schemas["ApiKey"];
export type ApiKeyList = Schemas["ApiKeyList"];
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type DeletedApiKey = Schemas["DeletedApiKey"];
export type RotatedApiKey = Schemas["RotatedApiKey"];

export type Domain = Schemas["Domain"];
export type DomainList = Schemas["DomainList"];
export type DomainListItem = Schemas["DomainListItem"];
export type DomainRecord = Schemas["DomainRecord"];
export type DomainRegion = Schemas["CreatedDomain"]["region"];
export type CreatedDomain = Schemas["CreatedDomain"];
export type DomainRef = Schemas["DomainRef"];
export type DeletedDomain = Schemas["DeletedDomain"];

export type Suppression = Schemas["Suppression"];
export type SuppressionList = Schemas["SuppressionList"];
export type SuppressionListEntry = Schemas["SuppressionListEntry"];
export type SuppressionOrigin = Schemas["Suppression"]["origin"];
export type SuppressionRef = Schemas["SuppressionRef"];
export type RemovedSuppression = Schemas["RemovedSuppression"];
export type BatchAddedSuppressions = Schemas["BatchAddedSuppressions"];
export type BatchRemovedSuppressions = Schemas["BatchRemovedSuppressions"];

export type Reputation = Schemas["Reputation"];

export type Provider = Schemas["Provider"];
export type ProviderList = Schemas["ProviderList"];
export type DeletedProvider = Schemas["DeletedProvider"];

export type Webhook = Schemas["Webhook"];
export type WebhookList = Schemas["WebhookList"];
export type WebhookListItem = Schemas["WebhookListItem"];
export type WebhookSigningSecret = Schemas["WebhookSigningSecret"];
export type WebhookRef = Schemas["WebhookRef"];
export type DeletedWebhook = Schemas["DeletedWebhook"];
export type WebhookEventType = Schemas["CreateWebhookRequest"]["events"][number];
export type WebhookEvent = Schemas["WebhookEvent"];
export type WebhookEventList = Schemas["WebhookEventList"];
export type WebhookEventListItem = Schemas["WebhookEventListItem"];
export type WebhookEventRef = Schemas["WebhookEventRef"];
export type WebhookEventAttempt = Schemas["WebhookEventAttempt"];
export type WebhookEventAttemptList = Schemas["WebhookEventAttemptList"];

/** An email event, as GET /events lists it and its export writes each line. */
export type EmailEvent = Schemas["Event"];
export type EmailEventList = Schemas["EventList"];
export type EmailEventType = EmailEvent["type"];

/** The signed-in person and their organizations (and the CSRF token of their changes). */
export type Session = Schemas["Session"];
export type User = Schemas["User"];
export type OrganizationMembership = Schemas["OrganizationMembership"];
export type SignedOut = Schemas["SignedOut"];
export type PasswordResetRequested = Schemas["PasswordResetRequested"];
export type PasswordResetDone = Schemas["PasswordResetDone"];
export type EmailVerified = Schemas["EmailVerified"];
export type MfaSetup = Schemas["MfaSetup"];
export type MfaEnabled = Schemas["MfaEnabled"];
export type MfaDisabled = Schemas["MfaDisabled"];

/** The organization's settings (GET /organization). */
export type Organization = Schemas["Organization"];
export type DeletedOrganization = Schemas["DeletedOrganization"];
export type OidcConnection = Schemas["OidcConnection"];
export type DeletedOidcConnection = Schemas["DeletedOidcConnection"];
export type Member = Schemas["Member"];
export type MemberList = Schemas["MemberList"];
export type DeletedMember = Schemas["DeletedMember"];
export type Role = Schemas["Role"];
export type RoleList = Schemas["RoleList"];
export type DeletedRole = Schemas["DeletedRole"];
export type Invitation = Schemas["Invitation"];
export type InvitationList = Schemas["InvitationList"];
export type DeletedInvitation = Schemas["DeletedInvitation"];

export type AuditLog = Schemas["AuditLog"];
export type AuditLogList = Schemas["AuditLogList"];
export type Usage = Schemas["Usage"];
export type UsageDay = Schemas["UsageDay"];
export type RequestSigning = Schemas["RequestSigning"];
export type RequestSigningSecret = Schemas["RequestSigningSecret"];

export type Health = Schemas["Health"];
export type Readiness = Schemas["Readiness"];

/** `POST /webhooks/{id}/test`'s event: ours, not in Resend's catalog. */
export interface WebhookTestEvent {
  type: "webhook.test";
  created_at: string;
  data: { webhook_id: string; endpoint: string; message: string };
}

/**
 * What a webhook endpoint receives (and GET /events/stream sends as `data:`): one of the
 * spec's `webhooks` payloads, `{type, created_at, data}`.
 */
export type WebhookPayload =
  | Schemas["EmailSentEvent"]
  | Schemas["EmailScheduledEvent"]
  | Schemas["EmailDeliveredEvent"]
  | Schemas["EmailDeliveryDelayedEvent"]
  | Schemas["EmailComplainedEvent"]
  | Schemas["EmailBouncedEvent"]
  | Schemas["EmailOpenedEvent"]
  | Schemas["EmailClickedEvent"]
  | Schemas["EmailFailedEvent"]
  | Schemas["EmailSuppressedEvent"]
  | Schemas["DomainCreatedEvent"]
  | Schemas["DomainUpdatedEvent"]
  | Schemas["DomainDeletedEvent"]
  | Schemas["OrganizationSendingPausedEvent"]
  | Schemas["OrganizationSendingResumedEvent"]
  | WebhookTestEvent;
