import type { Context } from "hono";
import type { AppEnv } from "../env";
import { failure, type Result } from "../errors";
import { FILL_READ, readUploadedWorkbook, UPLOAD_LIMITS, type ReadLimits, type UploadedGrid } from "../upload/read-xlsx";

/**
 * An uploaded workbook, the request body: refused by its declared length before a byte is read,
 * then read with every limit of `readUploadedWorkbook` (the area and cells of its kind). One path for
 * fill sheets, the units-and-accounts workbook and the template designer.
 */
export async function uploadedWorkbook(c: Context<AppEnv>, limits: ReadLimits = FILL_READ): Promise<Result<UploadedGrid[]>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > UPLOAD_LIMITS.bytes) return failure(413, "body_too_large", `文件超过 ${UPLOAD_LIMITS.bytes / 1_000_000} MB`, `The file is over ${UPLOAD_LIMITS.bytes / 1_000_000} MB`);
  return readUploadedWorkbook(new Uint8Array(await c.req.arrayBuffer()), limits);
}
