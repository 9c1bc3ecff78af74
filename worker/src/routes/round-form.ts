import type { z } from "zod";
import { failure, type Failure } from "../errors";

// The 开启填报轮次 form's mistakes in the officials' words, each under its field (issue 22): the
// schema's own text ("body.id: letters, digits…", "Invalid ISO datetime") is for developers.
type Said = { zh: string; en: string };
const PERIOD: Said = { zh: "填报期只写数字：年报写 2026，半年报 2026H1，季报 2026Q1，月报 2026-03（不要写“年”“月”“季度”等字）", en: "Write the period as 2026 (annual), 2026H1 (half-year), 2026Q1 (quarter) or 2026-03 (month), without words" };

function fieldMessage(key: string, value: unknown): Said {
  const empty = value === undefined || value === null || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
  switch (key) {
    case "id": return { zh: "轮次代码只能用字母、数字和下划线，以字母开头，最多 40 个字；不填则自动生成", en: "The round code takes letters, digits and _, starting with a letter, at most 40; leave it out to have one made" };
    case "templateId":
    case "templateVersion": return { zh: "请选择一个已发布的模板版本", en: "Choose a published template version" };
    case "period": return empty ? { zh: "请填写填报期，如 2026", en: "Enter the period, e.g. 2026" } : { zh: `「${String(value).slice(0, 20)}」不是填报期的写法。${PERIOD.zh}`, en: `'${String(value).slice(0, 20)}' is not a period. ${PERIOD.en}` };
    case "deadline": return empty ? { zh: "请选择截止日期", en: "Choose the deadline" } : { zh: "截止日期不是有效的日期时间（须在 2000 年至 9999 年之间）", en: "The deadline is not a real date and time (between the years 2000 and 9999)" };
    case "expectedUnitIds": return empty ? { zh: "请至少选择一个应报单位", en: "Choose at least one unit to report" } : { zh: "应报单位有误（最多 5000 个，须是本单位的下级单位）", en: "The expected units are not valid (at most 5,000, units below yours)" };
    case "levelDeadlines": return { zh: "上报截止时间不是有效的日期时间", en: "An upward deadline is not a real date and time" };
    default: return { zh: "表单中有无法识别的内容，请刷新页面后重试", en: "The form holds something unexpected; refresh the page and try again" };
  }
}

/** Every field the schema refused, once, in Chinese and English; `issues` puts each under its field. */
export function explainRoundBody(error: z.ZodError, body: unknown): Failure | null {
  const sent = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const fields = new Map<string, Said>();
  for (const issue of error.issues) {
    const key = typeof issue.path[0] === "string" ? issue.path[0] : "";
    if (!fields.has(key)) fields.set(key, fieldMessage(key, sent[key]));
  }
  const at = (key: string) => (key ? `body.${key}` : "body");
  const all = [...fields.entries()];
  return failure(422, "invalid_body", all.map(([, m]) => m.zh).join("；"), all.map(([, m]) => m.en).join("; "), {
    where: all.map(([k]) => at(k)).join(", "),
    issues: all.map(([k, m]) => ({ code: "field", severity: "error" as const, indicator: at(k), message: m })),
  });
}
