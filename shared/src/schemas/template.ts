import { z } from "zod";
import { CodeSchema, LocalizedTextSchema, SheetTextSchema } from "./text";
import { PeriodTypeSchema } from "./period";
import { FormSchema } from "./form";

/**
 * Units of measure a statistical form commonly prints (the designer offers them; any other is accepted):
 * money, counts, and physical quantities (吨, 平方米, 千瓦时 …). "%" marks a rate (a ratio of sums).
 */
export const COMMON_UNITS = ["万元", "亿元", "元", "万美元", "个", "家", "户", "人", "项", "批次", "件", "起", "吨", "万吨", "平方米", "千瓦时", "%"] as const;
/**
 * Whatever unit the form says (issue 23): one line of at most 12 characters, no leading or trailing
 * spaces, nothing a spreadsheet would run. The fill sheet prints it beside the figure.
 */
export const MeasureUnitSchema = SheetTextSchema.pipe(z.string().min(1).max(12).regex(/^\S(.*\S)?$/u, "no leading or trailing spaces").refine((s) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(s), "no control or invisible characters"));
export type MeasureUnit = z.infer<typeof MeasureUnitSchema>;

const DecimalTextSchema = z.string().max(30).regex(/^-?\d+(\.\d+)?$/, "a decimal number such as 0 or 100.5");

const common = {
  code: CodeSchema,
  section: CodeSchema,
  name: LocalizedTextSchema,
  help: LocalizedTextSchema.optional(),
  required: z.boolean().default(false),
};

/**
 * Bounds of a numeric indicator. Left out, min is 0 and max is 9,999,999,999,999 (10^13 − 1), lowered
 * for amounts with more than 2 decimals so that value × 10^decimals stays within 10^15; a template may
 * set its own within ±10^15 scaled (see validation/number.ts for why totals then cannot overflow).
 */
const numericBounds = {
  min: DecimalTextSchema.optional(),
  max: DecimalTextSchema.optional(),
  /** Percent change against the unit's previous period above which a warning asks to confirm. */
  jumpPercent: z.number().positive().max(100000).optional(),
};

export const CountIndicatorSchema = z.strictObject({
  ...common,
  kind: z.literal("count"),
  unit: MeasureUnitSchema.optional(),
  ...numericBounds,
});

export const AmountIndicatorSchema = z.strictObject({
  ...common,
  kind: z.literal("amount"),
  unit: MeasureUnitSchema,
  decimals: z.number().int().min(0).max(6),
  ...numericBounds,
});

export const YesNoIndicatorSchema = z.strictObject({ ...common, kind: z.literal("yesno") });

export const ChoiceOptionSchema = z.strictObject({ code: CodeSchema, name: LocalizedTextSchema });
export const ChoiceIndicatorSchema = z.strictObject({
  ...common,
  kind: z.literal("choice"),
  options: z.array(ChoiceOptionSchema).min(2).max(50),
});

export const TextIndicatorSchema = z.strictObject({
  ...common,
  kind: z.literal("text"),
  maxLength: z.number().int().min(1).max(2000).default(500),
});

/** Computed from other indicators; never typed in. Rates are derived, never averaged. */
export const DerivedIndicatorSchema = z.strictObject({
  ...common,
  kind: z.literal("derived"),
  formula: SheetTextSchema.pipe(z.string().min(1).max(2000)),
  unit: MeasureUnitSchema.optional(),
  decimals: z.number().int().min(0).max(6),
  ...numericBounds,
});

export const IndicatorSchema = z.discriminatedUnion("kind", [
  CountIndicatorSchema,
  AmountIndicatorSchema,
  YesNoIndicatorSchema,
  ChoiceIndicatorSchema,
  TextIndicatorSchema,
  DerivedIndicatorSchema,
]);
export type Indicator = z.infer<typeof IndicatorSchema>;
export type IndicatorKind = Indicator["kind"];
export type NumericIndicator = Extract<Indicator, { kind: "count" | "amount" | "derived" }>;

export const SeveritySchema = z.enum(["error", "warning"]);
export type Severity = z.infer<typeof SeveritySchema>;

/** A cross-indicator rule: a formula that must hold, e.g. `products_no_std <= products`. */
export const RuleSchema = z.strictObject({
  code: CodeSchema,
  expr: SheetTextSchema.pipe(z.string().min(1).max(2000)),
  severity: SeveritySchema,
  message: LocalizedTextSchema,
});
export type Rule = z.infer<typeof RuleSchema>;

export const SectionSchema = z.strictObject({ code: CodeSchema, name: LocalizedTextSchema });
export type Section = z.infer<typeof SectionSchema>;

export const TemplateStatusSchema = z.enum(["draft", "published"]);

export const TemplateSchema = z.strictObject({
  id: CodeSchema,
  version: z.number().int().min(1),
  status: TemplateStatusSchema,
  name: LocalizedTextSchema,
  periodType: PeriodTypeSchema,
  sections: z.array(SectionSchema).min(1).max(50),
  /** The list tables' indicators (a grid's cells are generated from the grid: template/form.ts). */
  indicators: z.array(IndicatorSchema).max(1000),
  rules: z.array(RuleSchema).max(500).default([]),
  /** The numbered tables and the legal face; absent, the template is one list table of all its sections. */
  form: FormSchema.optional(),
});
export type Template = z.infer<typeof TemplateSchema>;
export type TemplateInput = z.input<typeof TemplateSchema>;
