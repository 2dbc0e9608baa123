ALTER TABLE "emails" DROP CONSTRAINT "emails_org_id_organizations_id_fk";
