/**
 * Opens the pane with a pulled workbook: the document setting Office.AutoShowTaskpaneWithDocument
 * = true, saved into the workbook, makes Office open the task pane whose manifest ShowTaskpane
 * action has TaskpaneId "Office.AutoShowTaskpaneWithDocument" whenever this workbook is opened
 * (AddInCommands 1.1; "Automatically open a task pane with a document",
 * https://learn.microsoft.com/office/dev/add-ins/develop/automatically-open-a-task-pane-with-a-document,
 * and Office.Settings, https://learn.microsoft.com/javascript/api/office/office.settings: set()
 * changes an in-memory copy, saveAsync() writes it to the document). Best-effort: never throws;
 * says whether the setting was saved.
 */
export const AUTO_SHOW = "Office.AutoShowTaskpaneWithDocument";

export function openPaneWithDocument(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const settings = Office.context.document.settings;
      if (settings.get(AUTO_SHOW) === true) return resolve(true);
      settings.set(AUTO_SHOW, true);
      settings.saveAsync((r) => {
        if (String(r.status) !== "succeeded") console.warn("the pane will not open with this workbook", r.error);
        resolve(String(r.status) === "succeeded");
      });
    } catch (e) {
      console.warn("document settings are not available", e);
      resolve(false);
    }
  });
}
