import type { App } from "../../lib/app-env.ts";
import { registerMembersDelete } from "./members.delete.ts";
import { registerMembersLeave } from "./members.leave.ts";
import { registerMembersList } from "./members.list.ts";
import { registerMembersUpdate } from "./members.update.ts";

export function registerMemberRoutes(app: App): void {
  registerMembersList(app);
  registerMembersLeave(app);
  registerMembersUpdate(app);
  registerMembersDelete(app);
}
