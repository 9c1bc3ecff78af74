import type { LocalizedText } from "@tianbao/shared";

/** An Office.js error (OfficeExtension.Error) with its code, e.g. "ItemNotFound". */
export const isOfficeError = (e: unknown, code?: string): boolean =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" && (code === undefined || (e as { code: string }).code === code);

/** Writing to a sheet (or to the sheets of a form's report) failed part-way; they were protected again if they could be. */
export class SheetWriteError extends Error {
  readonly text: LocalizedText;
  /** The sheet's name; several sheets' names joined with ", ". */
  readonly sheetName: string;
  constructor(sheetNames: string | readonly string[], readonly original: unknown, readonly reprotected: boolean) {
    const names = typeof sheetNames === "string" ? [sheetNames] : sheetNames;
    const code = isOfficeError(original) ? (original as { code: string }).code : "Error";
    const zh = names.map((n) => `「${n}」`).join("、");
    const en = names.map((n) => `'${n}'`).join(", ");
    super(`writing sheet ${en} failed (${code})`);
    this.name = "SheetWriteError";
    this.sheetName = names.join(", ");
    const sheets = names.length > 1 ? { zh: "工作表均已重新保护", en: "the sheets are protected again" } : { zh: "工作表已重新保护", en: "the sheet is protected again" };
    this.text = reprotected
      ? { zh: `写入工作表${zh}时出错（${code}），${sheets.zh}，表中已填写的数据未改动。请重试。`, en: `Writing sheet ${en} failed (${code}); ${sheets.en} and the figures typed into it are unchanged. Please try again.` }
      : { zh: `写入工作表${zh}时出错（${code}），表中已填写的数据未改动。请重试。`, en: `Writing sheet ${en} failed (${code}); the figures typed into it are unchanged. Please try again.` };
  }
}
