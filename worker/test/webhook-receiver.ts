// A local stand-in for 企业微信 / 钉钉 group robots, run by vitest.config.ts in Node on loopback, for
// the Worker's reminder tests in workerd. What it answers depends on the path:
//   /ok/…          {"errcode":0}
//   /fail-once/…   HTTP 500 the first time a path is posted to, then {"errcode":0}
//   /refuse/…      {"errcode":310000,"errmsg":"keywords not in content"} (DingTalk's refusal)
// GET /_log answers every message received so far: [{ path, query, body }].
import { createServer, type Server } from "node:http";

export async function startReceiver(): Promise<{ url: string; server: Server }> {
  const log: { path: string; query: string; body: unknown }[] = [];
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/_log") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(log));
      return;
    }
    let data = "";
    req.on("data", (chunk: Buffer) => { data += chunk.toString("utf8"); });
    req.on("end", () => {
      let body: unknown = null;
      try { body = JSON.parse(data); } catch { body = data; }
      log.push({ path: url.pathname, query: url.search, body });
      res.setHeader("content-type", "application/json");
      if (url.pathname.startsWith("/fail-once/") && !seen.has(url.pathname)) {
        seen.add(url.pathname);
        res.statusCode = 500;
        res.end(JSON.stringify({ errcode: -1, errmsg: "system busy" }));
        return;
      }
      seen.add(url.pathname);
      res.end(JSON.stringify(url.pathname.startsWith("/refuse/") ? { errcode: 310000, errmsg: "keywords not in content" } : { errcode: 0, errmsg: "ok" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("receiver did not start");
  return { url: `http://127.0.0.1:${address.port}`, server };
}
