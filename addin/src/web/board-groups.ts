// A province's board organised by city: when the board's units sit under more than one unit (the
// cities of a province's round), each city heads its units with a row of subtotals, a 所属市 column
// names each unit's city, and a filter shows one city. Cities and units keep the official order the
// API gives (the order each parent set its units up in; see listStatuses).
import type { BoardGroup, CompletenessSchema } from "@tianbao/shared";
import type { z } from "zod";
import type { Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { stateText } from "./desk";

type Unit = z.infer<typeof CompletenessSchema>["units"][number];

export type Group = BoardGroup;
// the grouping itself (and each group's name by its path below the viewer) is shared: @tianbao/shared board-groups
export { groupUnits } from "@tianbao/shared";

const G = {
  city: { zh: "所属市", en: "City" },
  all: { zh: "全部市", en: "All cities" },
  expected: { zh: "应报", en: "expected" },
  in: { zh: "已报", en: "in" },
  review: { zh: "待审核", en: "to review" },
  returned: { zh: "已退回", en: "returned" },
  approved: { zh: "已审核", en: "approved" },
  late: { zh: "逾期", en: "late" },
  upward: { zh: "向上级上报", en: "upward" },
};
export const cityHeader = G.city;

/** The group's heading row: its name and subtotals, spanning the table. */
export function groupRow(g: Group, lang: Lang, columns: number): HTMLTableRowElement {
  const n = (keep: (u: Unit) => boolean) => g.units.filter(keep).length;
  const parts = [
    `${G.expected[lang]} ${g.units.length}`,
    `${G.in[lang]} ${n((u) => u.state !== "not_started")}`,
    `${G.review[lang]} ${n((u) => u.state === "submitted")}`,
    `${G.returned[lang]} ${n((u) => u.state === "returned")}`,
    `${G.approved[lang]} ${n((u) => u.state === "approved")}`,
    `${G.late[lang]} ${n((u) => u.late)}`,
    ...(g.level ? [`${G.upward[lang]}：${stateText(g.level.state, g.level.revision, lang)}`] : []),
  ];
  return h("tr", { class: "group", "data-group": g.id },
    h("th", { colspan: String(columns), scope: "rowgroup" }, h("span", { class: "group-name" }, g.name[lang]), h("span", { class: "subtotals" }, parts.join(" · "))));
}

/** The 所属市 filter: every city, or one; `onChange` keeps it in the address. */
export function cityFilter(groups: readonly Group[], current: string, lang: Lang, onChange: (id: string) => void): HTMLSelectElement {
  const select = h("select", { id: "board-city", "aria-label": G.city[lang] },
    h("option", { value: "" }, G.all[lang]),
    ...groups.map((g) => h("option", { value: g.id, ...(g.id === current ? { selected: true } : {}) }, g.name[lang])));
  select.addEventListener("change", () => onChange(select.value));
  return select;
}
