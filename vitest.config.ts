import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: end-to-end and adversarial files share two cores with the databases they drive.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests open servers and databases; two cores, so keep parallelism modest.
    pool: "forks",
    maxWorkers: 2,
  },
});
