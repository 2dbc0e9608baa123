import { parseEnv } from "../config.ts";
import { isPlan, setOrganizationPlan } from "../services/organizations/set-plan.ts";
import { connectDatabase } from "./client.ts";
import { PLANS } from "./schema/index.ts";

// `pnpm org:plan <organization id> <plan>`: an operator moves an organization to a plan.
const [orgId, plan] = process.argv.slice(2);
const env = parseEnv(process.env);
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is required");
  process.exit(1);
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!orgId || !UUID.test(orgId) || !plan || !isPlan(plan)) {
  console.error(`usage: pnpm org:plan <organization id> <${PLANS.join("|")}>`);
  process.exit(2);
}
const database = connectDatabase(env.DATABASE_URL, { max: 1 });
try {
  const result = await setOrganizationPlan(database.db, orgId, plan);
  if (!result) {
    console.error(`no organization ${orgId}`);
    process.exitCode = 1;
  } else {
    console.log(`organization ${orgId}: plan ${result.previous} -> ${plan}`);
  }
} finally {
  await database.close();
}
