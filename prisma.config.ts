import { defineConfig } from "prisma/config";

// Prisma's CLI would download a native schema engine, which cannot be fetched here. `generate`
// never runs it; /bin/false (not /bin/true) makes any migrate command fail loudly instead of
// "succeeding" while doing nothing. Migrations are applied by src/store/migrate.ts.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({});
