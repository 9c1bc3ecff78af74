// worksheet.onChanged (ExcelApi 1.7): "Occurs when data changes in a specific worksheet"
// (https://learn.microsoft.com/javascript/api/excel/excel.worksheet#excel-excel-worksheet-onchanged-member).
// Handlers run after the change, asynchronously, with WorksheetChangedEventArgs: type, worksheetId,
// address, changeType, source, and — from ExcelApi 1.14 — triggerSource, "ThisLocalAddin" when
// "the event is triggered by the Office JS API of the current add-in", else "Unknown"
// (https://learn.microsoft.com/javascript/api/excel/excel.eventtriggersource). In an older Excel
// the member is absent (excel-rules.ts, MEMBER_SETS).
import { MEMBER_SETS } from "./excel-rules";
import { versionAtMost, type SheetState, type WorkbookState } from "./state";

export type Trigger = "ThisLocalAddin" | "Unknown";

/** Excel.DataChangeType (https://learn.microsoft.com/javascript/api/excel/excel.datachangetype): what the change did. */
export type ChangeType = "RangeEdited" | "RowInserted" | "RowDeleted";

export function fireChanged(state: WorkbookState, sheet: SheetState, address: string, trigger: Trigger, changeType: ChangeType = "RangeEdited"): void {
  for (const h of state.changeHandlers.filter((x) => x.sheet === sheet)) {
    const args: Record<string, unknown> = { type: "WorksheetChanged", worksheetId: sheet.id, address, changeType, source: "Local" };
    if (versionAtMost(MEMBER_SETS["WorksheetChangedEventArgs.triggerSource"], state.excelApi)) args.triggerSource = trigger;
    state.pendingEvents.push(Promise.resolve().then(() => h.handler(args)).catch((e: unknown) => console.error("onChanged handler failed", e)));
  }
}

/** Waits until every handler called so far (and any it caused) has settled. */
export async function settleEvents(state: WorkbookState): Promise<void> {
  for (let i = 0; i < 20 && state.pendingEvents.length > 0; i++) {
    const now = state.pendingEvents.splice(0);
    await Promise.all(now);
    await new Promise((r) => setTimeout(r, 0));
  }
}
