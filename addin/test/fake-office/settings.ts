// Office.context.document.settings (Common API, Settings): "Represents custom settings for a task
// pane or content add-in that are stored in the host document as name/value pairs". set() and
// remove() change an in-memory copy; only saveAsync() persists it to the document, answering with
// an AsyncResult whose status is "succeeded" or "failed"
// (https://learn.microsoft.com/javascript/api/office/office.settings). A value must be
// JSON-serialisable (same page: "The specified value … must be serializable").
export type AsyncResult = { status: "succeeded" | "failed"; error?: { message: string } };

export class FakeSettings {
  /** What the document holds (saved). */
  readonly saved = new Map<string, unknown>();
  private readonly working = new Map<string, unknown>();
  constructor(private readonly save: "ok" | "fails") {}
  get(name: string): unknown { return this.working.has(name) ? this.working.get(name) : null; }
  set(name: string, value: unknown): void {
    JSON.stringify(value); // throws for what cannot be serialised
    this.working.set(name, value);
  }
  remove(name: string): void { this.working.delete(name); }
  saveAsync(options?: unknown, callback?: (r: AsyncResult) => void): void {
    const cb = typeof options === "function" ? (options as (r: AsyncResult) => void) : callback;
    setTimeout(() => {
      if (this.save === "fails") return cb?.({ status: "failed", error: { message: "The settings could not be saved." } });
      this.saved.clear();
      for (const [k, v] of this.working) this.saved.set(k, v);
      cb?.({ status: "succeeded" });
    }, 0);
  }
}
