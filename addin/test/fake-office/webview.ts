// The webview's JavaScript, where it differs in ways the add-in must handle. "safari15": the
// WKWebView of Excel on Mac on an older macOS has no AbortSignal.timeout (Safari added it in 16:
// MDN's compatibility table for AbortSignal.timeout_static; Mac add-ins use "Safari with WKWebView",
// https://learn.microsoft.com/office/dev/add-ins/concepts/browsers-used-by-office-web-add-ins).
export type Webview = "current" | "safari15";

const original = AbortSignal.timeout;

export function installWebview(kind: Webview): void {
  Object.defineProperty(AbortSignal, "timeout", { configurable: true, writable: true, value: kind === "safari15" ? undefined : original });
}
