import type { App } from "../../lib/app-env.ts";
import { registerAuthMfaDisable } from "./auth.mfa-disable.ts";
import { registerAuthMfaEnable } from "./auth.mfa-enable.ts";
import { registerAuthMfaSetup } from "./auth.mfa-setup.ts";
import { registerAuthMfaVerify } from "./auth.mfa-verify.ts";
import { registerAuthOidcCallback } from "./auth.oidc-callback.ts";
import { registerAuthOidcStart } from "./auth.oidc-start.ts";
import { registerAuthPasswordReset } from "./auth.password-reset.ts";
import { registerAuthPasswordResetConfirm } from "./auth.password-reset-confirm.ts";
import { registerAuthSession } from "./auth.session.ts";
import { registerAuthSignIn } from "./auth.sign-in.ts";
import { registerAuthSignOut } from "./auth.sign-out.ts";
import { registerAuthSignUp } from "./auth.sign-up.ts";
import { registerAuthSwitchOrganization } from "./auth.switch-organization.ts";
import { registerAuthVerifyEmail } from "./auth.verify-email.ts";

export function registerAuthRoutes(app: App): void {
  registerAuthSignUp(app);
  registerAuthSignIn(app);
  registerAuthMfaVerify(app);
  registerAuthSignOut(app);
  registerAuthSession(app);
  registerAuthPasswordReset(app);
  registerAuthPasswordResetConfirm(app);
  registerAuthVerifyEmail(app);
  registerAuthMfaSetup(app);
  registerAuthMfaEnable(app);
  registerAuthMfaDisable(app);
  registerAuthSwitchOrganization(app);
  registerAuthOidcStart(app);
  registerAuthOidcCallback(app);
}
