import util from "node:util";

// workerd's node:util debuglog() returns a logger that always prints (it ignores NODE_DEBUG), so
// readable-stream under exceljs would log every stream event of every export. Node's own contract
// is "silent unless NODE_DEBUG names the section"; restore that before exceljs loads.
const silent = Object.assign(() => undefined, { enabled: false });
try {
  (util as unknown as { debuglog: (section: string) => typeof silent }).debuglog = () => silent;
} catch {
  // A frozen module namespace keeps the noisy logger; exports still work.
}
