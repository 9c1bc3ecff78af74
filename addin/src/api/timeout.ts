/**
 * A signal that aborts after `ms`. AbortSignal.timeout() is missing from older webviews (Safari
 * before 16, which Excel on Mac uses through WKWebView on older macOS: MDN's compatibility table;
 * https://learn.microsoft.com/office/dev/add-ins/concepts/browsers-used-by-office-web-add-ins), and
 * calling it there threw before fetch was reached, so every call said "cannot reach the server".
 * Feature-detected, with an AbortController and a timer in its place; without AbortController
 * either, no signal (the request then has no client-side limit).
 */
export function timeoutSignal(ms: number): AbortSignal | undefined {
  if (typeof AbortSignal !== "undefined" && typeof AbortSignal.timeout === "function") return AbortSignal.timeout(ms);
  if (typeof AbortController === "undefined") return undefined;
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException("The operation timed out.", "TimeoutError")), ms);
  return controller.signal;
}
