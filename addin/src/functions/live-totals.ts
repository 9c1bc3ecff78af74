// Live totals in cells (Smart View's HsGetValue for city roles): what =TIANBAO.TOTAL(…) and
// =TIANBAO.COMPLETE(…) compute, without any Excel or CustomFunctions API (functions.ts registers
// them; tests call them directly and through the fake host).
//
// Requests are memoised as promises, so every cell of one recalculation that needs the same thing
// waits on the same request: the rounds list, the units list, a template, and one totals view per
// (round, basis, viewing unit) — never one request per cell. An entry lives while cells keep using
// it (BATCH_IDLE_MS after the last use, or while its request is still running); the pane's 刷新
// clears it all and recalculates; a change of sign-in starts afresh.
import {
  parsePeriod, roundName, unitSubtree,
  type CompiledTemplate, type Indicator, type LocalizedText, type RoundView, type TotalsView, type ErrorBody, type Unit,
} from "@tianbao/shared";
import { errorText } from "../i18n/messages";
import { api, compiledFor, restoreSession } from "../flows/session";

/**
 * Why a cell shows one of the add-in's own problems rather than an answer about the data: "sign-in"
 * (not signed in, or the session expired: the cell recalculates after a sign-in), "connection" (the
 * server could not be reached or failed, or the add-in itself failed: 刷新 may cure it). Such a cell
 * must never be frozen by 转为数值.
 */
export type OwnProblem = "sign-in" | "connection";

/** What a formula cell shows instead of a value: Excel's #N/A (notAvailable) or #VALUE! (invalidValue), with a message. */
export class CellProblem {
  constructor(readonly code: "notAvailable" | "invalidValue", readonly message: LocalizedText, readonly reason?: OwnProblem) {}
}

/** A number, text (an exact amount beyond Excel's 15 digits), or "" for "not reported" (never 0). */
export type CellResult = number | string;

type UnitView = Unit & { contact?: unknown };

// ---- the cache -------------------------------------------------------------------------------

/** How long a fetched answer serves further cells after the last one used it. */
export const BATCH_IDLE_MS = 5_000;
/** The time source (tests move it forward). */
export const clock = { now: (): number => Date.now() };

interface Entry { promise: Promise<unknown>; lastUsed: number; settled: boolean }
const cache = new Map<string, Entry>();
let cacheToken: string | null = null;

/**
 * The calls (function and arguments) whose last answer was one of the add-in's own problems — not
 * signed in, session expired, server unreachable, the add-in failed — rather than an answer about
 * the data (functions.ts keeps it). 转为数值 refuses while there is one: frozen, such a cell would
 * keep that error for good. 刷新 empties it with the cache (the full recalculation calls every cell again).
 */
export const ownProblems = new Set<string>();

/** Forgets every fetched answer (and every problem of the add-in's own): the next calculation asks the server again. */
export function clearLiveCache(): void {
  cache.clear();
  ownProblems.clear();
}

function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (cacheToken !== api.token) { cache.clear(); cacheToken = api.token; } // another sign-in sees other units
  const now = clock.now();
  const hit = cache.get(key);
  if (hit && (!hit.settled || now - hit.lastUsed <= BATCH_IDLE_MS)) {
    hit.lastUsed = now;
    return hit.promise as Promise<T>;
  }
  const entry: Entry = { promise: load(), lastUsed: now, settled: false };
  const settle = () => { entry.settled = true; entry.lastUsed = clock.now(); };
  entry.promise.then(settle, settle);
  cache.set(key, entry);
  return entry.promise as Promise<T>;
}

const roundsList = () => memo("rounds", () => api.rounds());
const unitsList = () => memo("units", () => api.units());
const templateOf = (r: RoundView) => memo(`template|${r.templateId}@${r.templateVersion}`, () => compiledFor(r));
const totalsView = (roundId: string, basis: Basis, unitId: string | null) =>
  memo(`totals|${roundId}|${basis}|${unitId ?? ""}`, () => api.totals(roundId, unitId ? { unit: unitId, basis } : { basis }));
const completenessOf = (roundId: string) => memo(`completeness|${roundId}`, () => api.completeness(roundId));

// ---- problems, in both languages ---------------------------------------------------------------

const q = (s: string) => `“${s}”`;
const P = {
  signIn: () => new CellProblem("notAvailable", { zh: "请先在天宝质量填报窗格中登录（登录后自动重算）", en: "Sign in in the Tianbao pane first (the cells recalculate once you have)" }, "sign-in"),
  expired: () => new CellProblem("notAvailable", { zh: "登录已过期，请在天宝质量填报窗格中重新登录（登录后自动重算）", en: "Your session has expired; sign in again in the Tianbao pane (the cells recalculate once you have)" }, "sign-in"),
  cityOnly: () => new CellProblem("notAvailable", {
    zh: "TIANBAO 函数供市级角色（管理员、审核员、查看者）取汇总数；填报员账号不能使用，请在窗格中填报本单位数据",
    en: "The TIANBAO functions are for city roles (admin, reviewer, viewer); a reporter's account cannot use them — report your unit's figures in the pane",
  }),
  /** A failed request: a 401 is an expired session, no answer or a 5xx the connection; anything else is the server's word. */
  server: (r: { status: number; error: ErrorBody | null }) => {
    if (r.status === 401) return P.expired();
    const own = r.status === 0 || r.status >= 500 || r.error === null;
    return new CellProblem("notAvailable", r.error
      ? { zh: errorText(r.error, "zh"), en: errorText(r.error, "en") }
      : { zh: "无法连接天宝服务器，请检查网络后点“刷新”", en: "Cannot reach the Tianbao server; check the network, then click Refresh" }, own ? "connection" : undefined);
  },
  badPeriod: (p: string) => new CellProblem("invalidValue", {
    zh: `期别${q(p)}写法不对：应写 2025、2025H1、2025Q3、2025-09、2025年、2025年第三季度、2025年9月，或填报轮次代码`,
    en: `Period ${q(p)} is not a period: write 2025, 2025H1, 2025Q3, 2025-09, or a round code`,
  }),
  dateNoRound: (d: DateArg, seen: string[]) => new CellProblem("notAvailable", {
    zh: `期别是日期 ${d.label}（Excel 把单元格中输入的“${d.year}年${d.month}月”或“${d.year}-${String(d.month).padStart(2, "0")}”存为日期），按月份理解为 ${d.year}年${d.month}月，但没有该月的填报轮次${seen.length ? `（有：${seen.join("、")}）` : ""}。取年度、季度数请写 ${d.year}、${d.year}Q${Math.ceil(d.month / 3)} 等，或把该单元格设为文本格式后重新输入`,
    en: `The period is the date ${d.iso} (Excel stores "${d.year}-${String(d.month).padStart(2, "0")}" typed into a cell as a date), read as the month ${d.period}, but no round has that month${seen.length ? ` (there are: ${seen.join(", ")})` : ""}. For a year or quarter write ${d.year} or ${d.year}Q${Math.ceil(d.month / 3)}, or format the cell as Text and type it again`,
  }),
  noRound: (p: string, seen: string[]) => new CellProblem("notAvailable", {
    zh: `您能看到的填报轮次中没有期别 ${p}${seen.length ? `（有：${seen.join("、")}）` : ""}`,
    en: `No reporting round of period ${p} that you can see${seen.length ? ` (there are: ${seen.join(", ")})` : ""}`,
  }),
  ambiguousRound: (p: string, rounds: RoundView[]) => new CellProblem("notAvailable", {
    zh: `期别 ${p} 有多个填报轮次：${rounds.map((r) => `${roundName(r, "zh")}（代码 ${r.id}）`).join("、")}。请把期别写成轮次代码`,
    en: `Period ${p} has several rounds: ${rounds.map((r) => `${roundName(r, "en")} (code ${r.id})`).join(", ")}. Write the round code as the period`,
  }),
  unknownUnit: (u: string) => new CellProblem("invalidValue", {
    zh: `找不到单位${q(u)}：请写您能看到的单位全称或代码（如 泽州县 或 zezhou）`,
    en: `Unknown unit ${q(u)}: write the full name or code of a unit you can see`,
  }),
  ambiguousUnit: (u: string, units: UnitView[]) => new CellProblem("invalidValue", {
    zh: `有多个单位叫${q(u)}，请改用代码：${units.map((x) => x.id).join("、")}`,
    en: `Several units are called ${q(u)}; use a code: ${units.map((x) => x.id).join(", ")}`,
  }),
  unknownIndicator: (i: string, r: RoundView) => new CellProblem("invalidValue", {
    zh: `${roundName(r, "zh")}的模板中没有指标${q(i)}：请写指标代码或完整的中文名称`,
    en: `The template of ${roundName(r, "en")} has no indicator ${q(i)}: write its code or full name`,
  }),
  unknownIndicatorAnywhere: (i: string, p: string) => new CellProblem("invalidValue", {
    zh: `期别 ${p} 的填报轮次中没有指标${q(i)}：请写指标代码或完整的中文名称`,
    en: `No round of period ${p} has an indicator ${q(i)}: write its code or full name`,
  }),
  noTotal: (ind: Indicator) => new CellProblem("invalidValue", ind.kind === "choice"
    ? { zh: `${ind.name.zh}是选择题，没有合计：请写“${ind.name.zh}：${ind.options[0]!.name.zh}”取选此项的单位数`, en: `${ind.name.en} is a choice; write "${ind.code}:${ind.options[0]!.code}" for the units that chose an option` }
    : { zh: `${ind.name.zh}是文字题，没有合计`, en: `${ind.name.en} is text and has no total` }),
  unknownOption: (ind: Indicator, o: string) => new CellProblem("invalidValue", {
    zh: `${ind.name.zh}没有选项${q(o)}`, en: `${ind.name.en} has no option ${q(o)}`,
  }),
  badBasis: (b: string) => new CellProblem("invalidValue", {
    zh: `口径${q(b)}不对：写 standing（全部已报，默认）或 approved（仅已审核）`,
    en: `Basis ${q(b)} is not one: write standing (the default) or approved`,
  }),
  badMeasure: (m: string) => new CellProblem("invalidValue", {
    zh: `${q(m)}不是完成情况的一项：写 rate（完成率，默认）、expected（应报）、submitted（已报）、approved（已审核）、returned（退回）、late（逾期）或 missing（未报）`,
    en: `${q(m)} is not a completeness measure: write rate (the default), expected, submitted, approved, returned, late or missing`,
  }),
  notExpected: (u: UnitView, r: RoundView) => new CellProblem("notAvailable", {
    zh: `${u.name.zh}不在${roundName(r, "zh")}的应报范围内`, en: `${u.name.en} has nothing to report in ${roundName(r, "en")}`,
  }),
  tooLarge: (ind: Indicator) => new CellProblem("notAvailable", { zh: `${ind.name.zh}的汇总值超出可计算范围`, en: `${ind.name.en}: the total is too large to compute` }),
};

// ---- arguments ---------------------------------------------------------------------------------

/** An argument as text: Excel passes a typed 2025 as a number, an empty cell as null (web) or 0 (desktop). */
const text = (v: unknown): string => (v === null || v === undefined ? "" : typeof v === "number" ? String(v) : String(v).trim());
const absent = (v: unknown): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

export type Basis = "standing" | "approved";
// Maps, not plain objects: a word such as "constructor" or "valueOf" must not find Object.prototype's
const BASES = new Map<string, Basis>(Object.entries({
  standing: "standing", "": "standing", 全部: "standing", 最新: "standing", 已报: "standing",
  approved: "approved", accepted: "approved", 已审核: "approved", 仅已审核: "approved", 审核通过: "approved",
}));

/**
 * A name as compared: NFKC (full-width letters, digits, brackets, colons and spaces become their
 * half-width forms, so 质量兴县(区) matches 质量兴县（区）), trimmed, lower-case.
 */
const norm = (s: string): string => s.normalize("NFKC").trim().toLowerCase();

/** An optional argument left empty: a referenced empty cell comes as null (web) or 0 (Windows, OfficeDev/office-js#4702). */
const unset = (v: unknown): boolean => absent(v) || v === 0;

function parseBasis(v: unknown): Basis | CellProblem {
  if (unset(v)) return "standing";
  return BASES.get(norm(text(v))) ?? P.badBasis(text(v));
}

const CN_DIGITS = new Map(Object.entries({ 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 }));
const numeral = (s: string): number => (/^\d+$/.test(s) ? Number(s) : CN_DIGITS.get(s) ?? NaN);

/**
 * A period as written into a formula, in the form rounds use (2025, 2025H1, 2025Q3, 2025-09), or
 * null: the codes themselves (any case), and the Chinese an official writes — 2025年 / 2025年度,
 * 2025年上半年, 2025年第3季度 / 2025年第三季度 / 2025年三季度, 2025年9月 / 2025年09月 / 2025年九月,
 * 2025-9 — after NFKC (full-width ２０２５年) and with spaces removed (2025 年).
 */
export function canonicalPeriod(written: string): string | null {
  const p = written.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
  if (parsePeriod(p)) return p;
  let m = /^(\d{4})年度?$/.exec(p);
  if (m) return m[1]!;
  m = /^(\d{4})年?([上下])半年$/.exec(p);
  if (m) return `${m[1]}H${m[2] === "上" ? 1 : 2}`;
  m = /^(\d{4})年?第?([1-4一二三四])季度?$/.exec(p);
  if (m) return `${m[1]}Q${numeral(m[2]!)}`;
  m = /^(\d{4})年(\d{1,2}|十[一二]?|[一二三四五六七八九])月份?$/.exec(p) ?? /^(\d{4})[-/.](\d{1,2})$/.exec(p);
  if (m) {
    const month = numeral(m[2]!);
    if (month >= 1 && month <= 12) return `${m[1]}-${String(month).padStart(2, "0")}`;
  }
  return null;
}

/** A period argument that is a date: Excel stores "2025年9月" or "2025-09" typed into a cell as the serial of its first day. */
interface DateArg { year: number; month: number; period: string; label: string; iso: string }

/**
 * A number beyond any year is a date serial (1900 date system; a time of day ignored): read as its
 * month, the form Excel makes a date of. Serials 1–9999 stay years: 2025 is the year, not 1905-07-17.
 */
function dateArg(v: unknown): DateArg | null {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 9999 || v >= 2_958_466) return null;
  const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86_400_000);
  const year = d.getUTCFullYear(), month = d.getUTCMonth() + 1, day = d.getUTCDate();
  const mm = String(month).padStart(2, "0");
  return { year, month, period: `${year}-${mm}`, label: `${year}年${month}月${day}日`, iso: `${year}-${mm}-${String(day).padStart(2, "0")}` };
}

/** A period argument as a message names it: a date as its month (2025-09), anything else as written. */
const shownPeriod = (v: unknown): string => dateArg(v)?.period ?? text(v);

/** The units the user can see, or the problem that stops that. */
async function visibleUnits(): Promise<UnitView[] | CellProblem> {
  const u = await unitsList();
  return u.ok ? u.value : P.server(u);
}

function findUnit(units: UnitView[], arg: unknown): UnitView | CellProblem {
  const s = text(arg);
  if (!s) return P.unknownUnit(s);
  const n = norm(s);
  const byCode = units.filter((u) => norm(u.id) === n);
  if (byCode.length === 1) return byCode[0]!;
  const byName = units.filter((u) => norm(u.name.zh) === n || norm(u.name.en) === n);
  if (byName.length === 1) return byName[0]!;
  return byName.length > 1 ? P.ambiguousUnit(s, byName) : P.unknownUnit(s);
}

/**
 * The rounds a period can mean to this user: its code if it is one; else the rounds of that period
 * issued by the user's own unit or a unit above it (a round a county opened for itself never
 * counts), nearest issuer first — the user's own unit's rounds before those from above.
 */
async function roundsFor(periodArg: unknown, units: UnitView[]): Promise<RoundView[] | CellProblem> {
  const p = text(periodArg);
  const rounds = await roundsList();
  if (!rounds.ok) return P.server(rounds);
  const byCode = rounds.value.filter((r) => r.id === p);
  if (byCode.length === 1) return byCode;
  const date = dateArg(periodArg);
  const period = date ? date.period : canonicalPeriod(p);
  if (!period) return P.badPeriod(p);
  const own = api.user!.unitId;
  const below = new Set(units.filter((u) => u.id !== own).map((u) => u.id));
  const fromAbove = rounds.value.filter((r) => !below.has(r.ownerUnitId));
  const matching = fromAbove.filter((r) => r.period === period);
  const seen = () => [...new Set(fromAbove.map((r) => r.period))].sort();
  if (matching.length === 0) return date ? P.dateNoRound(date, seen()) : P.noRound(p, seen());
  return [...matching.filter((r) => r.ownerUnitId === own), ...matching.filter((r) => r.ownerUnitId !== own)];
}

/** One round out of several candidates: the user's own unit's if there is exactly one; one alone; else ambiguous. */
function pickRound(p: string, candidates: RoundView[]): RoundView | CellProblem {
  if (candidates.length === 1) return candidates[0]!;
  const own = candidates.filter((r) => r.ownerUnitId === api.user!.unitId);
  if (own.length === 1) return own[0]!;
  return P.ambiguousRound(p, own.length > 1 ? own : candidates);
}

interface IndicatorRef { ind: Indicator; option?: string }

function findIndicator(c: CompiledTemplate, arg: string): IndicatorRef | "unknown" | CellProblem {
  const named = (x: { code: string; name: LocalizedText }, s: string) => { const n = norm(s); return norm(x.code) === n || norm(x.name.zh) === n || norm(x.name.en) === n; };
  const match = (s: string) => c.template.indicators.find((i) => named(i, s));
  const whole = match(arg);
  if (whole) return { ind: whole };
  // a choice's option: "drive_status:achieved" or "质量兴县（区）活动进展：已达标" (NFKC makes ： a :)
  const m = /^(.+?):(.+)$/.exec(arg.normalize("NFKC"));
  const ind = m ? match(m[1]!) : undefined;
  if (!ind || ind.kind !== "choice") return "unknown";
  const o = m![2]!.trim();
  const opt = ind.options.find((x) => named(x, o));
  return opt ? { ind, option: opt.code } : P.unknownOption(ind, o);
}

// ---- values ------------------------------------------------------------------------------------

/**
 * An exact decimal as a cell value: a number when Excel keeps it exactly (at most 15 significant
 * digits: "Number precision: 15 digits", Excel specifications and limits,
 * https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3),
 * else the exact text, so no digit is silently lost.
 */
export function cellNumber(decimal: string): number | string {
  const m = /^-?(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) return decimal;
  const significant = `${m[1]}${m[2] ?? ""}`.replace(/^0+/, "").replace(/0+$/, "");
  return significant.length <= 15 ? Number(decimal) : decimal;
}

/** The view whose figures are `unit`'s own totals on this basis, with as few distinct requests as possible. */
function viewFor(round: RoundView, basis: Basis, unit: UnitView, units: UnitView[]): { unitId: string | null; pick: (v: TotalsView) => TotalsView["totals"] | undefined } {
  const own = api.user!.unitId;
  if (unit.id === own) return { unitId: null, pick: (v) => v.totals };
  // A child's row in its parent's view is its own total, except on the accepted basis of a round
  // with review levels, where a row is what the child adds to the parent (README: Totals you can trust).
  const levels = (round.levelUnitIds?.length ?? 0) > 0;
  const parent = units.find((u) => u.id === unit.parentId);
  if (parent && (basis === "standing" || !levels)) {
    return { unitId: parent.id === own ? null : parent.id, pick: (v) => v.children.find((c) => c.unitId === unit.id)?.totals };
  }
  return { unitId: unit.id, pick: (v) => v.totals };
}

/** Signed in, as a city role: a reporter's account sees only its own unit and may not ask for totals, so nothing is requested. */
function ensureSignedIn(): CellProblem | null {
  restoreSession(); // a custom function may be the first thing this runtime runs
  if (!api.token || !api.user) return P.signIn();
  return api.user.role === "reporter" ? P.cityOnly() : null;
}

/**
 * =TIANBAO.TOTAL(indicator, unit, period[, basis]): a unit's total for an indicator in the round of
 * that period. Counts and amounts are the exact sums, rates the ratio of the sums (as the server
 * computes them), yes/no the number of units that said 是, a choice's option ("指标：选项") the
 * number that chose it. "" where nobody reported it (never 0).
 */
export async function total(indicator: unknown, unit: unknown, period: unknown, basisArg?: unknown): Promise<CellResult | CellProblem> {
  const signIn = ensureSignedIn();
  if (signIn) return signIn;
  const basis = parseBasis(basisArg);
  if (basis instanceof CellProblem) return basis;
  const units = await visibleUnits();
  if (units instanceof CellProblem) return units;
  const u = findUnit(units, unit);
  if (u instanceof CellProblem) return u;
  const candidates = await roundsFor(period, units);
  if (candidates instanceof CellProblem) return candidates;
  const name = text(indicator);
  // the indicator decides between rounds of different templates
  const found: { round: RoundView; ref: IndicatorRef }[] = [];
  let problem: CellProblem | null = null;
  for (const r of candidates) {
    const c = await templateOf(r);
    if (!c) return P.server({ status: 0, error: null });
    const ref = findIndicator(c, name);
    if (ref instanceof CellProblem) problem ??= ref;
    else if (ref !== "unknown") found.push({ round: r, ref });
  }
  if (found.length === 0) return problem ?? (candidates.length === 1 ? P.unknownIndicator(name, candidates[0]!) : P.unknownIndicatorAnywhere(name, shownPeriod(period)));
  const round = pickRound(shownPeriod(period), found.map((f) => f.round));
  if (round instanceof CellProblem) return round;
  const { ref } = found.find((f) => f.round === round)!;
  const { unitId, pick } = viewFor(round, basis, u, units);
  const view = await totalsView(round.id, basis, unitId);
  if (!view.ok) return P.server(view);
  const t = pick(view.value)?.indicators[ref.ind.code];
  if (!t) return ""; // the unit has no row here: nothing reported
  switch (t.kind) {
    case "count": case "amount": return t.value === null ? "" : cellNumber(t.value);
    case "derived":
      if (t.reason === "too_large") return P.tooLarge(ref.ind);
      return t.value === null ? "" : cellNumber(t.value);
    case "yesno": return t.reported === 0 ? "" : t.yes;
    case "choice":
      if (!ref.option) return P.noTotal(ref.ind);
      return t.reported === 0 ? "" : (t.counts[ref.option] ?? 0);
    case "text": return P.noTotal(ref.ind);
  }
}

export type Measure = "rate" | "expected" | "submitted" | "approved" | "returned" | "late" | "missing";
const MEASURES = new Map<string, Measure>(Object.entries({
  "": "rate", rate: "rate", 完成率: "rate", 上报率: "rate",
  expected: "expected", 应报: "expected", submitted: "submitted", 已报: "submitted",
  approved: "approved", 已审核: "approved", returned: "returned", 退回: "returned",
  late: "late", 逾期: "late", missing: "missing", 未报: "missing",
}));

/**
 * =TIANBAO.COMPLETE(unit, period[, measure]): how complete a unit's reporting is in the round of
 * that period. By default the rate submitted ÷ expected (a fraction: format the cell as a
 * percentage), worked out from the counts; "expected", "submitted", "approved", "returned", "late"
 * or "missing" give that count. One completeness request per round serves every unit below the
 * user: a unit's figures are counted over the expected units in its subtree, as the server does.
 */
export async function complete(unit: unknown, period: unknown, measureArg?: unknown): Promise<CellResult | CellProblem> {
  const signIn = ensureSignedIn();
  if (signIn) return signIn;
  const measure = unset(measureArg) ? "rate" : MEASURES.get(norm(text(measureArg)));
  if (!measure) return P.badMeasure(text(measureArg));
  const units = await visibleUnits();
  if (units instanceof CellProblem) return units;
  const u = findUnit(units, unit);
  if (u instanceof CellProblem) return u;
  const candidates = await roundsFor(period, units);
  if (candidates instanceof CellProblem) return candidates;
  const round = pickRound(shownPeriod(period), candidates);
  if (round instanceof CellProblem) return round;
  const c = await completenessOf(round.id);
  if (!c.ok) return P.server(c);
  const within = new Set(unitSubtree(units, u.id).map((x) => x.id));
  const rows = c.value.units.filter((r) => within.has(r.unitId));
  const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
  const expected = rows.length;
  const submitted = count((r) => r.state === "submitted" || r.state === "approved");
  if (expected === 0) return P.notExpected(u, round);
  switch (measure) {
    case "rate": return submitted / expected;
    case "expected": return expected;
    case "submitted": return submitted;
    case "approved": return count((r) => r.state === "approved");
    case "returned": return count((r) => r.state === "returned");
    case "late": return count((r) => r.late);
    case "missing": return expected - submitted;
  }
}
