import type { App } from "../../lib/app-env.ts";
import { registerOidcCreate } from "./oidc.create.ts";
import { registerOidcDelete } from "./oidc.delete.ts";
import { registerOidcGet } from "./oidc.get.ts";
import { registerOidcUpdate } from "./oidc.update.ts";
import { registerOrganizationDelete } from "./organization.delete.ts";
import { registerOrganizationGet } from "./organization.get.ts";
import { registerOrganizationTransferOwnership } from "./organization.transfer-ownership.ts";
import { registerOrganizationUpdate } from "./organization.update.ts";

export function registerOrganizationRoutes(app: App): void {
  registerOrganizationGet(app);
  registerOrganizationUpdate(app);
  registerOrganizationDelete(app);
  registerOrganizationTransferOwnership(app);
  registerOidcCreate(app);
  registerOidcGet(app);
  registerOidcUpdate(app);
  registerOidcDelete(app);
}
