import { memberships, organizations } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { actingAs, userTarget } from "../audit/user-audit.ts";
import { createSession, type NewSession } from "../sessions/sessions.ts";
import { hashPassword } from "../users/passwords.ts";
import { createUser } from "../users/users.ts";
import { sendVerificationEmail } from "./email-verification.ts";
import type { IdentityContext } from "./identity-context.ts";

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | undefined;
  organization_name: string;
}

/**
 * A new person, their organization (they are its owner) and a session, in one transaction,
 * with an email that confirms their address, audited as the new person's doing. 409
 * already_exists for a registered email.
 */
export async function signUp({
  ctx,
  input,
}: {
  ctx: IdentityContext;
  input: SignUpInput;
}): Promise<NewSession & { userId: string; orgId: string }> {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const user = await createUser(tx, {
      email: input.email,
      name: input.name,
      passwordHash,
      now: ctx.now,
    });
    const orgId = newId();
    await tx.insert(organizations).values({ id: orgId, name: input.organization_name });
    await tx.insert(memberships).values({
      id: newId(),
      orgId,
      userId: user.id,
      role: "owner",
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    await recordAudit(tx, actingAs(ctx.audit, user.id), [
      {
        orgId,
        action: "organization.created",
        target: { type: "organization", id: orgId },
        details: { name: input.organization_name },
      },
      {
        orgId,
        action: "user.signed_up",
        target: userTarget(user.id),
        details: { email: user.email, method: "password", role: "owner" },
      },
    ]);
    await sendVerificationEmail(tx, ctx, user);
    const session = await createSession(tx, {
      userId: user.id,
      orgId,
      mfaVerified: false,
      ...ctx.client,
      now: ctx.now,
      timeouts: ctx.timeouts,
    });
    return { ...session, userId: user.id, orgId };
  });
}
