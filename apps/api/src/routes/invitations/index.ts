import type { App } from "../../lib/app-env.ts";
import { registerInvitationsAccept } from "./invitations.accept.ts";
import { registerInvitationsCreate } from "./invitations.create.ts";
import { registerInvitationsDelete } from "./invitations.delete.ts";
import { registerInvitationsList } from "./invitations.list.ts";

export function registerInvitationRoutes(app: App): void {
  registerInvitationsAccept(app);
  registerInvitationsCreate(app);
  registerInvitationsList(app);
  registerInvitationsDelete(app);
}
