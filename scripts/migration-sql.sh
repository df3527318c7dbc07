#!/usr/bin/env bash
# Prints the SQL that takes a database from one version of prisma/models.prisma to another, for
# one provider, without Prisma's native schema engine (which can't be downloaded here).
# It uses prisma 6.19's JavaScript schema engine (engine: "js" + a driver adapter) in a throwaway
# folder. Usage:
#   scripts/migration-sql.sh sqlite|postgresql [FROM_MODELS_FILE] > migration.sql
# With no FROM file the diff starts from an empty database. Copy the output into
# prisma/<provider>/migrations/<timestamp>_<name>/migration.sql and never edit an applied one.
set -euo pipefail
provider=${1:?sqlite or postgresql}
from=${2:-}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${MIGRATION_SQL_WORKDIR:-/tmp/take-it-offline-migration-sql}
mkdir -p "$work"
cd "$work"
if [ ! -d node_modules/@prisma/adapter-pg ]; then
  npm init -y >/dev/null
  npm install --ignore-scripts --no-audit --no-fund prisma@6.19 @prisma/adapter-pg@6.19 pg@8 \
    @prisma/adapter-better-sqlite3@6.19 better-sqlite3@12 >&2
  npm rebuild better-sqlite3 >&2
fi
header() {
  if [ "$provider" = sqlite ]; then url='file:./x.db'; else url='postgresql://postgres@127.0.0.1:5432/postgres'; fi
  printf 'generator client {\n provider = "prisma-client-js"\n previewFeatures = ["queryCompiler", "driverAdapters"]\n}\ndatasource db {\n provider = "%s"\n url = "%s"\n}\n' "$provider" "$url"
}
{ header; cat "$repo/prisma/models.prisma"; } > to.prisma
if [ -n "$from" ]; then { header; cat "$from"; } > from.prisma; fromArgs=(--from-schema-datamodel from.prisma); else fromArgs=(--from-empty); fi
if [ "$provider" = sqlite ]; then
  adapter='import { PrismaBetterSQLite3 as A } from "@prisma/adapter-better-sqlite3"; const a = () => new A({ url: "file:./x.db" });'
else
  adapter='import { PrismaPg as A } from "@prisma/adapter-pg"; const a = () => new A({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });'
fi
cat > prisma.config.ts <<CFG
import { defineConfig } from "prisma/config";
$adapter
export default defineConfig({ experimental: { adapter: true }, engine: "js", schema: "to.prisma", async adapter() { return a(); } });
CFG
touch fake-engine.so.node
# The CLI insists on a query engine library path even though the JS schema engine never loads it.
PRISMA_QUERY_ENGINE_LIBRARY="$work/fake-engine.so.node" PRISMA_SCHEMA_ENGINE_BINARY=/bin/false \
  npx prisma migrate diff "${fromArgs[@]}" --to-schema-datamodel to.prisma --script
