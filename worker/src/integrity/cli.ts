// What `npm run integrity` bundles: the queries and the sliced check, without anything of D1 or Hono.
export { INTEGRITY_QUERIES } from "./queries";
export { runIntegrity, DEFAULT_LIMITS } from "./run";
