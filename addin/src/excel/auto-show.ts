/**
 * Opens the pane with a pulled workbook: the document setting Office.AutoShowTaskpaneWithDocument
 * = true, saved into the workbook, makes Office open the task pane whose manifest ShowTaskpane
 * action has TaskpaneId "Office.AutoShowTaskpaneWithDocument" whenever this workbook is opened
 * (AddInCommands 1.1; "Automatically open a task pane with a document",
 * https://learn.microsoft.com/office/dev/add-ins/develop/automatically-open-a-task-pane-with-a-document,
 * and Office.Settings, https://learn.microsoft.com/javascript/api/office/office.settings: set()
 * changes an in-memory copy, saveAsync() writes it to the document). Best-effort: never throws;
 * says whether the setting was saved.
 *
 * The same page's best practices ask that users can turn the automatic opening off: the pane's
 * checkbox (autoShowToggle in taskpane/ui.ts) saves true or false. false is the user's choice and
 * is kept: a later pull into the workbook does not turn it on again.
 */
export const AUTO_SHOW = "Office.AutoShowTaskpaneWithDocument";

function save(settings: Office.Settings, resolve: (ok: boolean) => void, what: string): void {
  settings.saveAsync((r) => {
    if (String(r.status) !== "succeeded") console.warn(what, r.error);
    resolve(String(r.status) === "succeeded");
  });
}

export function openPaneWithDocument(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const settings = Office.context.document.settings;
      const now = settings.get(AUTO_SHOW) as unknown;
      if (now === true) return resolve(true);
      if (now === false) return resolve(false); // turned off by the user in the pane
      settings.set(AUTO_SHOW, true);
      save(settings, resolve, "the pane will not open with this workbook");
    } catch (e) {
      console.warn("document settings are not available", e);
      resolve(false);
    }
  });
}

/** Whether this workbook opens the pane when it is opened; null where document settings are not available. */
export function autoShowEnabled(): boolean | null {
  try {
    return Office.context.document.settings.get(AUTO_SHOW) === true;
  } catch {
    return null;
  }
}

/** Turns the automatic opening of the pane with this workbook on or off, saved into the document. Says whether it was saved. */
export function setAutoShow(on: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const settings = Office.context.document.settings;
      settings.set(AUTO_SHOW, on);
      save(settings, resolve, "the automatic opening of the pane could not be changed");
    } catch (e) {
      console.warn("document settings are not available", e);
      resolve(false);
    }
  });
}
