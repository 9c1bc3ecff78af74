// How a round is named to people: by who issued it, the period and the template — "山西省 2025年
// 质量兴市工作年报" — never by its code. A county in its city's round and in the province's round of the
// same template and period tells them apart only by the issuer, so every card, file name, sheet tab
// and refusal uses this one name.
import { periodLabel } from "../schemas/period";
import type { LocalizedText } from "../schemas/text";

export interface NamedRound {
  period: string;
  templateName: LocalizedText;
  ownerName?: LocalizedText | undefined;
}

/** "山西省 2025年 质量兴市工作年报" / "Shanxi 2025 …" (without the issuer when it is not known). */
export function roundName(r: NamedRound, lang: "zh" | "en"): string {
  return [r.ownerName?.[lang], periodLabel(r.period, lang), r.templateName[lang]].filter(Boolean).join(" ");
}

/** Both languages at once, for an error body. */
export const roundNames = (r: NamedRound): LocalizedText => ({ zh: roundName(r, "zh"), en: roundName(r, "en") });
