// What an official does by hand in Excel's grid, for tests: type into a cell and press Enter, or
// paste a value copied elsewhere. Neither goes through Office.js, so they act on the document directly.
import { fireChanged } from "./events";
import { interpretInput } from "./input";
import { OfficeError, a1, emptyCell, key, parseCell, type Scalar, type SheetState, type WorkbookState } from "./state";

const activeSheet = (state: WorkbookState): SheetState => {
  const s = state.sheets.find((x) => x.name === state.activeSheet);
  if (!s) throw new Error("no active sheet");
  return s;
};

/**
 * On a protected sheet only unlocked cells take input (paraphrasing "Lock or unlock specific areas of
 * a protected worksheet": cells are locked by default, and locking matters once the sheet is protected;
 * https://support.microsoft.com/office/lock-or-unlock-specific-areas-of-a-protected-worksheet-75481b72-db8a-4267-8c43-042a5f2cd93a).
 */
function editable(sheet: SheetState, address: string) {
  const [r, c] = parseCell(address);
  let cell = sheet.cells.get(key(r, c));
  if (sheet.protected && (cell?.locked ?? true)) throw new OfficeError("AccessDenied", `The cell ${address} is on a protected sheet and is locked.`);
  if (!cell) { cell = emptyCell(); sheet.cells.set(key(r, c), cell); }
  sheet.version++;
  return cell;
}

/** The official's edit raises worksheet.onChanged, not triggered by this add-in (events.ts). */
const changed = (state: WorkbookState, address: string) => fireChanged(state, activeSheet(state), address.toUpperCase(), "Unknown");

/**
 * Types text into a cell of the active sheet and presses Enter: Excel parses it as input.ts says
 * ("typed"). The cell's data validation is not applied: Excel's Stop alert would refuse what the rule
 * does not allow, so tests type only what it allows, and paste the rest (validation checks typing,
 * not pasting: "Apply data validation to cells" — it does not stop data pasted or filled in,
 * https://support.microsoft.com/office/apply-data-validation-to-cells-29fecbcc-d1b9-42c1-9d76-eff3ce5f7249).
 */
export function typeInto(state: WorkbookState, address: string, text: string): void {
  const cell = editable(activeSheet(state), address);
  const stored = interpretInput(text, cell.numberFormat, "typed");
  cell.value = stored.value;
  cell.error = stored.error ?? false;
  cell.formula = stored.formula;
  if (stored.numberFormat) cell.numberFormat = stored.numberFormat;
  changed(state, address);
}

/**
 * Pastes a value copied from another workbook with Paste Special → Values: the value itself goes in
 * unparsed (a number with all its digits, an error value as an error), the cell keeps its own format
 * (paraphrasing "Paste options": Values pastes the values only, not formulas or formatting;
 * https://support.microsoft.com/office/paste-options-8ea795b0-87cd-46af-9b59-ed4d8b1669ad).
 */
export function pasteValue(state: WorkbookState, address: string, value: Scalar | { error: string }): void {
  const cell = editable(activeSheet(state), address);
  const isError = typeof value === "object";
  cell.value = isError ? value.error : value;
  cell.error = isError;
  cell.formula = null;
  changed(state, address);
}

/**
 * Pastes a block of values copied from another workbook (Paste Special → Values, as pasteValue) with
 * its top-left cell at `topLeft`: on a protected sheet Excel refuses the whole paste if any target
 * cell is locked, and pastes nothing. One change for the whole block (worksheet.onChanged gives the
 * pasted range's address, as for any edit of several cells at once).
 */
export function pasteValues(state: WorkbookState, topLeft: string, rows: readonly (readonly (Scalar | null)[])[]): string {
  const sheet = activeSheet(state);
  const [r0, c0] = parseCell(topLeft);
  const width = Math.max(...rows.map((r) => r.length));
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < width; j++) {
      if (sheet.protected && (sheet.cells.get(key(r0 + i, c0 + j))?.locked ?? true)) throw new OfficeError("AccessDenied", `The cell ${a1(r0 + i, c0 + j)} is on a protected sheet and is locked.`);
    }
  }
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < width; j++) {
      let cell = sheet.cells.get(key(r0 + i, c0 + j));
      if (!cell) { cell = emptyCell(); sheet.cells.set(key(r0 + i, c0 + j), cell); }
      const v = rows[i]![j];
      cell.value = v ?? "";
      cell.error = false;
      cell.formula = null;
    }
  }
  sheet.version++;
  const address = `${a1(r0, c0)}:${a1(r0 + rows.length - 1, c0 + width - 1)}`;
  fireChanged(state, sheet, address, "Unknown");
  return address;
}

/** The official selects cells on the active sheet (click, or a drag over row headers: "12:14"). */
export function selectCells(state: WorkbookState, address: string): void {
  activeSheet(state).selected = address;
}
