// What `npm run integrity` bundles: the queries and the check, without anything of D1 or Hono.
export { INTEGRITY_QUERIES } from "./queries";
export { integrityOf } from "./run";
