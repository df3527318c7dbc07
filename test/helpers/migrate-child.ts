// Spawned by the migration test: applies migrations from a separate process.
import { migrate } from "../../src/store/migrate.ts";

const url = process.argv[2];
if (!url) throw new Error("usage: migrate-child.ts DATABASE_URL");
const result = await migrate(url);
process.stdout.write(JSON.stringify(result));
