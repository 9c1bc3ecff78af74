import type { LocalizedText } from "@tianbao/shared";

/** An Office.js error (OfficeExtension.Error) with its code, e.g. "ItemNotFound". */
export const isOfficeError = (e: unknown, code?: string): boolean =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" && (code === undefined || (e as { code: string }).code === code);

/** Writing to a sheet failed part-way; the sheet was protected again if it could be. */
export class SheetWriteError extends Error {
  readonly text: LocalizedText;
  constructor(readonly sheetName: string, readonly original: unknown, readonly reprotected: boolean) {
    const code = isOfficeError(original) ? (original as { code: string }).code : "Error";
    super(`writing sheet '${sheetName}' failed (${code})`);
    this.name = "SheetWriteError";
    this.text = reprotected
      ? { zh: `写入工作表「${sheetName}」时出错（${code}），工作表已重新保护，表中已填写的数据未改动。请重试。`, en: `Writing sheet '${sheetName}' failed (${code}); the sheet is protected again and the figures typed into it are unchanged. Please try again.` }
      : { zh: `写入工作表「${sheetName}」时出错（${code}），表中已填写的数据未改动。请重试。`, en: `Writing sheet '${sheetName}' failed (${code}); the figures typed into it are unchanged. Please try again.` };
  }
}
