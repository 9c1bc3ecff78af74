import { z } from "zod";
import { CodeSchema } from "./text";
import { PeriodSchema } from "./period";

/** A reporting round: one template version, one period, a deadline and the units expected to report. */
export const RoundSchema = z.strictObject({
  id: CodeSchema,
  templateId: CodeSchema,
  templateVersion: z.number().int().min(1),
  period: PeriodSchema,
  deadline: z.iso.datetime({ offset: true }),
  ownerUnitId: CodeSchema,
  expectedUnitIds: z.array(CodeSchema).min(1).max(5000),
});
export type Round = z.infer<typeof RoundSchema>;
