import { z } from "@hono/zod-openapi";
import { BUILT_IN_ROLES } from "../../lib/roles.ts";
import { nameText } from "../../lib/text-schema.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../services/users/passwords.ts";

const id = (example: string) => z.uuid().openapi({ example });

/**
 * z.email()'s check, written as its regex so that the spec publishes exactly that `pattern`
 * (`format: email` would promise other rules, RFC 5321's 64-octet local part among them).
 */
export const EmailSchema = z
  .string()
  .regex(z.regexes.email, "must be an email address")
  .max(254)
  .openapi({ example: "ada@acme.dev" });

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .openapi({ example: "correct horse battery staple" });

const NameSchema = nameText(200);

/** Sign-in's password is only checked, never validated: an old one may not meet today's rules. */
const AnyPasswordSchema = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH)
  .openapi({ example: "correct horse battery staple" });

export const TokenSchema = z.string().min(10).max(200).openapi({
  description: "The token of the emailed link.",
  example: "q3Jx0T1m8bYw6w2c9d1Lr7fS4nK0pQ2uV5zA8eH3iJo",
});

export const CodeSchema = z.string().trim().min(6).max(20).openapi({
  description: "6 digits from the authenticator app, or a recovery code.",
  example: "123456",
});

export const SignUpSchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    name: NameSchema.optional().openapi({ example: "Ada Lovelace" }),
    organization_name: NameSchema.openapi({ example: "Acme" }),
  })
  .openapi("SignUpRequest");

export const SignInSchema = z
  .strictObject({ email: EmailSchema, password: AnyPasswordSchema })
  .openapi("SignInRequest");

export const MfaCodeSchema = z.strictObject({ code: CodeSchema }).openapi("MfaCodeRequest");

export const PasswordResetSchema = z
  .strictObject({ email: EmailSchema })
  .openapi("PasswordResetRequest");

export const PasswordResetConfirmSchema = z
  .strictObject({ token: TokenSchema, password: PasswordSchema })
  .openapi("PasswordResetConfirmRequest");

export const VerifyEmailSchema = z
  .strictObject({ token: TokenSchema })
  .openapi("VerifyEmailRequest");

export const SwitchOrganizationSchema = z
  .strictObject({ organization_id: id("019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11") })
  .openapi("SwitchOrganizationRequest");

const OrganizationRef = z
  .object({
    id: id("019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11"),
    name: z.string().openapi({ example: "Acme" }),
    role: z
      .string()
      .openapi({ example: "owner", description: `One of ${BUILT_IN_ROLES.join(", ")}.` }),
  })
  .openapi("OrganizationMembership");

export const UserSchema = z
  .object({
    id: id("019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e"),
    email: z.string().openapi({ example: "ada@acme.dev" }),
    name: z.string().nullable().openapi({ example: "Ada Lovelace" }),
    email_verified: z.boolean().openapi({ example: true }),
    mfa_enabled: z.boolean().openapi({ example: false }),
    created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  })
  .openapi("User");

export const SessionSchema = z
  .object({
    object: z.literal("session"),
    id: id("019a7c2e-7b12-7e3c-9d4f-5a6b7c8d9e0f"),
    user: UserSchema,
    organization: OrganizationRef.nullable().openapi({
      description: "The organization the session acts for.",
    }),
    organizations: z
      .array(OrganizationRef)
      .openapi({ description: "Every organization of the user." }),
    permissions: z.array(z.string()).openapi({
      description:
        "What the member's role (built-in or custom, inheritance resolved) allows in `organization`, as the operations' `x-permission` name them; empty without an organization or before the second factor.",
      example: ["api_keys:read", "domains:read", "emails:read", "members:read"],
    }),
    mfa_required: z.boolean().openapi({
      description:
        "True until the second factor is verified (POST /auth/mfa/verify); nothing else works until then.",
      example: false,
    }),
    csrf_token: z.string().openapi({
      description: "Send it as `X-CSRF-Token` with every POST, PATCH and DELETE of this session.",
      example: "l2Yx3f0cQ0h4t8r1J2dY7kq5Nw9sVb6eZm3aP1uT0oI",
    }),
    idle_expires_at: z.string().openapi({ example: "2026-11-25T14:00:00.000Z" }),
    expires_at: z.string().openapi({ example: "2026-12-09T12:00:00.000Z" }),
  })
  .openapi("Session", { description: "The signed-in person, the cookie's session." });

export const SignedOutSchema = z
  .object({ object: z.literal("session"), signed_out: z.literal(true) })
  .openapi("SignedOut");

export const AcceptedSchema = z
  .object({ object: z.literal("password_reset"), requested: z.literal(true) })
  .openapi("PasswordResetRequested");

export const PasswordResetDoneSchema = z
  .object({ object: z.literal("password_reset"), reset: z.literal(true) })
  .openapi("PasswordResetDone");

export const EmailVerifiedSchema = z
  .object({ object: z.literal("email_verification"), verified: z.literal(true) })
  .openapi("EmailVerified");

export const MfaSetupSchema = z
  .object({
    object: z.literal("mfa_setup"),
    secret: z
      .string()
      .openapi({ description: "Base32, for typing into the app.", example: "JBSWY3DPEHPK3PXP" }),
    otpauth_uri: z.string().openapi({
      description: "For a QR code.",
      example:
        "otpauth://totp/Thrive-Send:ada%40acme.dev?secret=JBSWY3DPEHPK3PXP&issuer=Thrive-Send",
    }),
  })
  .openapi("MfaSetup");

export const MfaEnabledSchema = z
  .object({
    object: z.literal("mfa"),
    enabled: z.literal(true),
    recovery_codes: z.array(z.string()).openapi({
      description: "Shown once: each signs in once in place of a code.",
      example: ["k7m2p-x9q4r", "a3b5c-d7e9f"],
    }),
  })
  .openapi("MfaEnabled");

export const MfaDisabledSchema = z
  .object({ object: z.literal("mfa"), enabled: z.literal(false) })
  .openapi("MfaDisabled");

export const OrgParamSchema = z.object({
  org: z.uuid("must be an organization id (a UUID)").openapi({
    param: { name: "org", in: "path" },
    example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11",
  }),
});

export const CallbackQuerySchema = z.object({
  code: z
    .string()
    .max(4096)
    .optional()
    .openapi({ param: { name: "code", in: "query" }, example: "SplxlOBeZQQYbYS6WxSbIA" }),
  state: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: "state", in: "query" }, example: "af0ifjsldkj" }),
  error: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: "error", in: "query" }, example: "access_denied" }),
  // RFC 9207: the provider names itself, against mix-up attacks; openid-client checks it
  // against the connection's issuer (and requires it when the provider says it sends it).
  iss: z
    .string()
    .max(2000)
    .optional()
    .openapi({
      param: { name: "iss", in: "query" },
      description:
        "The provider's issuer identifier (RFC 9207), which must be the connection's issuer.",
      example: "https://idp.acme.dev",
    }),
});
