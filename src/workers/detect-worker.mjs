// Entry of the detection worker thread. Worker threads don't inherit a TypeScript loader in every
// host (a test runner's workers, for one), so register tsx here before loading the worker itself.
import { register } from "tsx/esm/api";

register();
await import("./detect-worker.ts");
