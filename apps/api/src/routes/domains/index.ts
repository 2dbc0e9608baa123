import type { App } from "../../lib/app-env.ts";
import { registerDomainsCreate } from "./domains.create.ts";
import { registerDomainsDelete } from "./domains.delete.ts";
import { registerDomainsGet } from "./domains.get.ts";
import { registerDomainsList } from "./domains.list.ts";
import { registerDomainsUpdate } from "./domains.update.ts";
import { registerDomainsVerify } from "./domains.verify.ts";

export function registerDomainRoutes(app: App): void {
  registerDomainsCreate(app);
  registerDomainsList(app);
  registerDomainsGet(app);
  registerDomainsUpdate(app);
  registerDomainsVerify(app);
  registerDomainsDelete(app);
}
