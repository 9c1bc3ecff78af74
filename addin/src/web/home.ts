// The rounds screen (填报任务). A county sees what is due, soonest first. A city or province sees its
// rounds grouped by who issued them — its own first, then each other issuer under its name (the
// province's home: its own round, then each city's rounds under the city) — every card titled by the
// round's name (山西省 2025年 质量兴市工作年报), since one template and period can run at two levels.
import { roundName, type LocalizedText, type RoundView } from "@tianbao/shared";
import { T, errorText } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { beijingTime, daysLeft, downloadButton, fmt, type Desk } from "./desk";
import { countyCard } from "./inbox";
import { reviewsUnit, type UnitTree } from "./authority";

const W = {
  downloadXlsx: { zh: "汇总表 (.xlsx)", en: "Totals (.xlsx)" },
  downloadCsv: { zh: "汇总 (CSV)", en: "Totals (CSV)" },
  past: { zh: "已截止的轮次", en: "Past rounds" },
  none: { zh: "目前没有填报任务", en: "No reporting rounds yet" },
  progress: { zh: "已报 {in}/{all}，待审核 {review}", en: "{in}/{all} in, {review} to review" },
  ownIssued: { zh: "{unit}（本单位）发起的填报任务", en: "Rounds opened by {unit} (your unit)" },
  issued: { zh: "{unit}发起的填报任务", en: "Rounds opened by {unit}" },
};

const byDeadline = (a: RoundView, b: RoundView) => Date.parse(a.deadline) - Date.parse(b.deadline);

export async function homeScreen(desk: Desk): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const rounds = await api.rounds();
  if (!rounds.ok) { say(errorText(rounds.error, lang), "error"); return h("div"); }
  const card = (r: RoundView) => (me.role === "reporter" ? countyCard(desk, r) : cityCard(desk, r));
  // open rounds soonest deadline first; past ones below, newest first
  const list = async (rs: RoundView[]) => {
    const open = await Promise.all(rs.filter((r) => !r.closed).sort(byDeadline).map(card));
    const past = await Promise.all(rs.filter((r) => r.closed).sort((a, b) => byDeadline(b, a)).map(card));
    return [
      ...(open.length ? [h("ul", { class: "rounds" }, ...open)] : []),
      ...(past.length ? [h("h4", { class: "past" }, W.past[lang]), h("ul", { class: "rounds past" }, ...past)] : []),
    ];
  };
  if (rounds.value.length === 0) return h("div", {}, h("h2", {}, T.rounds[lang]), h("p", { class: "hint" }, W.none[lang]));
  if (me.role === "reporter") return h("div", {}, h("h2", {}, T.rounds[lang]), ...(await list(rounds.value)));
  // by issuer: the signed-in unit's own rounds first, then the others in the order first met
  const groups = new Map<string, { name: LocalizedText; rounds: RoundView[] }>();
  if (rounds.value.some((r) => r.ownerUnitId === me.unitId)) groups.set(me.unitId, { name: me.unitName, rounds: [] });
  for (const r of [...rounds.value].sort(byDeadline)) {
    const g = groups.get(r.ownerUnitId) ?? { name: r.ownerName ?? { zh: "—", en: "—" }, rounds: [] };
    g.rounds.push(r);
    groups.set(r.ownerUnitId, g);
  }
  const sections = await Promise.all([...groups].map(async ([owner, g]) => h("section", { class: "round-group", "data-owner": owner },
    h("h3", {}, fmt(owner === me.unitId ? W.ownIssued[lang] : W.issued[lang], { unit: g.name[lang] })),
    ...(await list(g.rounds)))));
  return h("div", {}, h("h2", {}, T.rounds[lang]), ...sections);
}

async function cityCard(desk: Desk, round: RoundView): Promise<HTMLElement> {
  const { api, lang } = desk;
  const [c, units] = await Promise.all([api.completeness(round.id), api.units()]);
  const due = daysLeft(round.deadline, new Date(), lang);
  // 已报: units that have submitted (whatever happened to it since); 待审核: what waits for this desk
  // — in a round reported level by level, a city's upward submission, not the counties it reviews
  const tree: UnitTree = { parentOf: new Map(units.ok ? units.value.map((u) => [u.id, u.parentId]) : []) };
  const reviewer = api.user!.role === "admin" || api.user!.role === "reviewer";
  const waiting = c.ok ? (reviewer
    ? [...c.value.units, ...(c.value.levels ?? [])].filter((u) => u.state === "submitted" && reviewsUnit(api.user!, round, tree, u.unitId)).length
    : c.value.units.filter((u) => u.state === "submitted").length) : 0;
  const progress = c.ok ? fmt(W.progress[lang], { in: c.value.expected - c.value.notStarted, all: c.value.expected, review: waiting }) : "";
  return h("li", { class: "card round", "data-round": round.id },
    h("div", { class: "round-title" }, roundName(round, lang)),
    // a closed round with everyone in is finished, not alarming: grey, not red
    h("div", { class: `due ${round.closed ? (c.ok && c.value.notStarted === 0 ? "done" : "closed") : due.urgency}` }, `${T.deadline[lang]} ${beijingTime(round.deadline, lang)} · `, h("b", { class: "days-left" }, round.closed ? T.closed[lang] : due.text)),
    progress ? h("div", { class: "progress" }, progress) : null,
    h("div", { class: "actions" },
      h("a", { class: "button board", href: `#/round/${round.id}` }, T.completeness[lang]),
      downloadButton(desk, W.downloadXlsx[lang], "xlsx", `/rounds/${round.id}/export.xlsx`),
      downloadButton(desk, W.downloadCsv[lang], "csv", `/rounds/${round.id}/export.csv`)));
}
