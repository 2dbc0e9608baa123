import type { App } from "../../lib/app-env.ts";
import { registerRolesCreate } from "./roles.create.ts";
import { registerRolesDelete } from "./roles.delete.ts";
import { registerRolesGet } from "./roles.get.ts";
import { registerRolesList } from "./roles.list.ts";
import { registerRolesUpdate } from "./roles.update.ts";

export function registerRoleRoutes(app: App): void {
  registerRolesList(app);
  registerRolesCreate(app);
  registerRolesGet(app);
  registerRolesUpdate(app);
  registerRolesDelete(app);
}
