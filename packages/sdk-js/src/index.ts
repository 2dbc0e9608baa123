export { ThriveSend, type ThriveSendOptions, type ThriveSendSessionOptions } from "./client.ts";
export type { EventStream, EventStreamOptions, StreamedEvent } from "./core/event-stream.ts";
export type { IdempotentRequestOptions, RequestOptions } from "./core/http.ts";
export type { Page, PagePromise, PaginationOptions } from "./core/pagination.ts";
export { AuditLogExport, EventExport, RecordExport } from "./core/record-export.ts";
export type { ReactEmailElement } from "./core/render.ts";
export {
  type ApiResponse,
  type ErrorName,
  type ErrorResponse,
  ThriveSendError,
} from "./core/response.ts";
export type { RetryPolicy } from "./core/retry.ts";
export type { components, operations, paths, webhooks } from "./generated/openapi.ts";
export { type OperationId, operationMethods } from "./operations.ts";
export type {
  CreateApiKeyOptions,
  ListApiKeysOptions,
  RotateApiKeyOptions,
} from "./resources/api-keys.ts";
export type {
  AuditActorType,
  AuditLogFilters,
  ExportAuditLogsOptions,
  ListAuditLogsOptions,
} from "./resources/audit-logs.ts";
export type {
  MfaCodeOptions,
  OidcCallbackOptions,
  PasswordResetConfirmOptions,
  SignInOptions,
  SignUpOptions,
  SwitchOrganizationOptions,
  TokenOptions,
} from "./resources/auth.ts";
export type { BatchSendOptions } from "./resources/batch.ts";
export type {
  CreateDomainOptions,
  ListDomainsOptions,
  UpdateDomainOptions,
} from "./resources/domains.ts";
export type { Attachment, SendEmailOptions, Tag } from "./resources/email-input.ts";
export type { ListEmailsOptions, UpdateEmailOptions } from "./resources/emails.ts";
export type {
  EventFilters,
  ExportEventsOptions,
  ListEventsOptions,
  StreamEventsOptions,
} from "./resources/events.ts";
export type {
  AcceptInvitationOptions,
  CreateInvitationOptions,
  ListInvitationsOptions,
} from "./resources/invitations.ts";
export type { ListMembersOptions, MemberRole, UpdateMemberOptions } from "./resources/members.ts";
export type {
  CreateOidcConnectionOptions,
  OidcDefaultRole,
  TransferOwnershipOptions,
  UpdateOidcConnectionOptions,
  UpdateOrganizationOptions,
} from "./resources/organization.ts";
export type {
  CreateProviderOptions,
  ListProvidersOptions,
  SesProviderSettings,
  SmtpProviderSettings,
  UpdateProviderOptions,
} from "./resources/providers.ts";
export type { ReputationOptions, ResumeSendingOptions } from "./resources/reputation.ts";
export type { CreateRoleOptions, RolePermission, UpdateRoleOptions } from "./resources/roles.ts";
export type {
  AddSuppressionOptions,
  BatchAddSuppressionsOptions,
  BatchRemoveSuppressionsOptions,
  ListSuppressionsOptions,
} from "./resources/suppressions.ts";
export type { UsageOptions } from "./resources/usage.ts";
export type {
  CreateWebhookOptions,
  ListWebhookEventAttemptsOptions,
  ListWebhookEventsOptions,
  ListWebhooksOptions,
  UpdateWebhookOptions,
  WebhookEventOptions,
} from "./resources/webhooks.ts";
export type * from "./types.ts";
export { VERSION } from "./version.ts";
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookHeaders,
  type WebhookHeaderValues,
  WebhookVerificationError,
} from "./webhooks/verify.ts";
