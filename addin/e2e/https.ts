import { request } from "node:https";

export interface SimpleResponse {
  status: number;
  ok: boolean;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/**
 * fetch-like HTTPS request that trusts exactly the development CA (office-addin-dev-certs), so
 * the tests check that the server's certificate is valid for localhost, not merely encrypted.
 */
export function httpsFetch(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers ?? {}, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
