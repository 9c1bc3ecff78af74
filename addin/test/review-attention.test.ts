// @vitest-environment jsdom
// The review screen's list of what to look at first (issue 24): a warning the unit confirmed reads as
// confirmed; a rule not checked for want of another period's approved figures reads as not checked —
// never as something the unit confirmed.
import { describe, expect, it } from "vitest";
import { DEMO_MONTHLY_TEMPLATE, type ReviewContext } from "@tianbao/shared";
import { attentionOf } from "../src/web/review-figures";
import { compiled } from "./helpers";

describe("the review screen's attention list", () => {
  it("says 未检查 for a rule not checked and 填报单位已确认 for a confirmed warning", () => {
    const c = compiled(DEMO_MONTHLY_TEMPLATE);
    const context = { submission: { values: { month_output: "10.00", ytd_output: "999.00" }, derived: {} }, previous: null } as unknown as ReviewContext;
    const lead = "1–N月累计工业总产值（ytd_output）：";
    const warnings = [
      { code: "not_checked", severity: "warning" as const, indicator: "ytd_output", message: { zh: `${lead}本年以前各期没有已审核的数据，规则「1–N月累计应等于本年各月（已审核）之和加本月」本次未检查`, en: "this year's earlier periods has no approved figures, so the rule was not checked" } },
      { code: "rule", severity: "warning" as const, indicator: "month_output", message: { zh: "本月工业总产值（month_output）：本月产值超过上年同月的 3 倍，请确认", en: "over three times" } },
    ];
    const got = attentionOf(c, context, warnings, "zh");
    expect(got.get("ytd_output")).toEqual(["未检查：本年以前各期没有已审核的数据，规则「1–N月累计应等于本年各月（已审核）之和加本月」本次未检查"]);
    expect(got.get("month_output")).toEqual(["填报单位已确认：本月产值超过上年同月的 3 倍，请确认"]);
  });
});
