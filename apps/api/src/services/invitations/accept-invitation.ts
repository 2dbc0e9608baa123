import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, memberships, organizations } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { actingAs, userTarget } from "../audit/user-audit.ts";
import type { IdentityContext } from "../auth/identity-context.ts";
import {
  type ActiveSession,
  createSession,
  type NewSession,
  rotateSession,
} from "../sessions/sessions.ts";
import { hashLinkToken } from "../users/link-tokens.ts";
import { normalizeEmail } from "../users/login-throttle.ts";
import { hashPassword } from "../users/passwords.ts";
import { createUser, findUser, findUserByEmail } from "../users/users.ts";

export interface AcceptInput {
  token: string;
  /** For someone without an account: the account to create. */
  name?: string | undefined;
  password?: string | undefined;
}

/**
 * Accepts an invitation from its emailed link. Signed in, the invitation must be for the
 * signed-in address; the session moves to the organization (rotated). Not signed in, the
 * address must not have an account yet (its owner signs in first): one is created with the
 * given password, verified (the link reached the address), and signed in. Audited as the
 * accepting person's doing, in the organization.
 */
export async function acceptInvitation({
  ctx,
  input,
  session,
}: {
  ctx: IdentityContext;
  input: AcceptInput;
  session: ActiveSession | null;
}): Promise<NewSession> {
  const passwordHash = session || !input.password ? null : await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(invitations)
      .innerJoin(
        organizations,
        and(eq(organizations.id, invitations.orgId), isNull(organizations.deletedAt)),
      )
      .where(
        and(
          eq(invitations.tokenHash, hashLinkToken(input.token)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, ctx.now),
        ),
      )
      .for("update", { of: invitations });
    if (!invitation)
      throw new AppError("invalid_token", "This invitation is unknown, used, revoked or expired");
    const { orgId, email, role, id } = invitation.invitations;

    let userId: string;
    let createdAccount = false;
    if (session) {
      const user = await findUser(tx, session.userId);
      if (!user || normalizeEmail(user.email) !== email) {
        throw new AppError(
          "forbidden",
          `This invitation is for ${email}: sign in with that address`,
        );
      }
      userId = user.id;
    } else {
      if (await findUserByEmail(tx, email)) {
        throw new AppError("forbidden", `${email} has an account: sign in first, then accept`);
      }
      if (!passwordHash) {
        throw new AppError("validation_error", "`password`: required to create your account", [
          { path: "password", message: "required to create your account" },
        ]);
      }
      const user = await createUser(tx, {
        email,
        name: input.name,
        passwordHash,
        emailVerifiedAt: ctx.now,
        now: ctx.now,
      });
      userId = user.id;
      createdAccount = true;
    }

    const [joined] = await tx
      .insert(memberships)
      .values({ id: newId(), orgId, userId, role, createdAt: ctx.now, updatedAt: ctx.now })
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    await tx
      .update(invitations)
      .set({ acceptedAt: ctx.now, acceptedBy: userId })
      .where(eq(invitations.id, id));
    await recordAudit(tx, actingAs(ctx.audit, userId), [
      ...(createdAccount
        ? [
            {
              orgId,
              action: "user.signed_up",
              target: userTarget(userId),
              details: { email, method: "invitation" },
            },
          ]
        : []),
      {
        orgId,
        action: "invitation.accepted",
        target: { type: "invitation", id },
        // No member id when they were one already (an old invitation of theirs).
        details: { email, role, user_id: userId, member_id: joined?.id ?? null },
      },
    ]);

    if (session) {
      // A nested transaction (a savepoint): the rotation commits with the acceptance.
      return rotateSession(tx, session, {
        now: ctx.now,
        timeouts: ctx.timeouts,
        orgId,
        ...ctx.client,
      });
    }
    return createSession(tx, {
      userId,
      orgId,
      mfaVerified: false,
      ...ctx.client,
      now: ctx.now,
      timeouts: ctx.timeouts,
    });
  });
}
