-- Who installed the app: they administer the workspace even when the platform doesn't call them an admin.
ALTER TABLE "Member" ADD COLUMN "isInstaller" BOOLEAN NOT NULL DEFAULT false;
