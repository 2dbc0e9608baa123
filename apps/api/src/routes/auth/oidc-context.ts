import type { Context } from "hono";
import type { AppEnv } from "../../lib/app-env.ts";
import type { OidcLoginContext } from "../../services/oidc/oidc-login.ts";
import { identityContext } from "../identity-context.ts";

export function oidcLoginContext(c: Context<AppEnv>): OidcLoginContext {
  const { deps } = c.var;
  return {
    ...identityContext(c),
    oidc: deps.oidc,
    redirectUri: `${deps.config.publicUrl}/auth/oidc/callback`,
  };
}
