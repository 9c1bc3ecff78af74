import type { LocalizedText } from "../schemas/text";

/** A template problem, named by where it is (`indicators.std_rate.formula`) and what is wrong. */
export interface TemplateIssue {
  path: string;
  message: LocalizedText;
}
