import { describe, expect, it } from "vitest";
import { DEMO_PAST_VALUES, validateValues, type RawValue } from "@tianbao/shared";
import { compiled } from "./helpers";

const c = compiled();
const zezhou = (): Record<string, RawValue> => ({ ...DEMO_PAST_VALUES.zezhou! });

describe("validateValues", () => {
  it("accepts the demo figures with no error and computes derived values at their decimals", () => {
    const r = validateValues(c, zezhou());
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(r.derived.std_coverage_rate).toBe("87.00");
    expect(r.values.work_funds).toBe("14.20");
  });

  it("keeps blank distinct from 0: blank is 'required', 0 is a figure", () => {
    const blank = validateValues(c, { ...zezhou(), quality_incidents: null });
    expect(blank.values.quality_incidents).toBeNull();
    expect(blank.issues).toContainEqual(expect.objectContaining({ code: "required", indicator: "quality_incidents" }));
    const zero = validateValues(c, { ...zezhou(), quality_incidents: 0 });
    expect(zero.values.quality_incidents).toBe(0);
    expect(zero.issues.some((i) => i.indicator === "quality_incidents")).toBe(false);
    const blankText = validateValues(c, { ...zezhou(), quality_incidents: "  " });
    expect(blankText.values.quality_incidents).toBeNull();
  });

  it("names the indicator in both languages for each kind of bad value", () => {
    const r = validateValues(c, {
      ...zezhou(), products: 12.5, work_funds: "1.234", plan_issued: "maybe", drive_status: "done",
      above_scale_ents: "many", cn_famous_brands: -1, remarks: "x".repeat(501), nonsense: 1, std_coverage_rate: 50,
    });
    const by = (code: string) => r.issues.find((i) => i.indicator === code)!;
    expect(by("products")).toMatchObject({ code: "not_integer", message: { zh: "工业产品总数（products）：必须是整数" } });
    expect(by("work_funds")).toMatchObject({ code: "too_many_decimals" });
    expect(by("work_funds").message.en).toBe("Quality work funds in place (work_funds): at most 2 decimal places");
    expect(by("plan_issued").code).toBe("not_yes_no");
    expect(by("drive_status").message.zh).toContain("尚未启动");
    expect(by("above_scale_ents").code).toBe("not_a_number");
    expect(by("cn_famous_brands").code).toBe("below_min");
    expect(by("remarks").code).toBe("too_long");
    expect(by("nonsense").code).toBe("unknown_indicator");
    expect(by("std_coverage_rate").code).toBe("derived_is_computed");
    expect(r.hasErrors).toBe(true);
  });

  it("accepts what officials type: 是/否, option names, thousands separators, numbers as text", () => {
    const r = validateValues(c, { ...zezhou(), plan_issued: "否", drive_status: "已达标", products: "1,500", work_funds: 14.2 });
    expect(r.values).toMatchObject({ plan_issued: false, drive_status: "achieved", products: 1500, work_funds: "14.20" });
  });

  it("runs cross-indicator rules: parts never exceed their whole", () => {
    const r = validateValues(c, { ...zezhou(), products_no_std: 600 });
    const issue = r.issues.find((i) => i.rule === "no_std_le_products")!;
    expect(issue).toMatchObject({ severity: "error", indicator: "products_no_std", indicators: ["products_no_std", "products"] });
    expect(issue.message.zh).toContain("无标生产产品数不能大于工业产品总数");
    // and the rate derived from them falls outside 0–100, which is also named
    expect(r.issues.find((i) => i.indicator === "std_coverage_rate")?.code).toBe("below_min");
  });

  it("skips a rule until its inputs are reported (the blank is reported as required instead)", () => {
    const r = validateValues(c, { ...zezhou(), products: null, products_no_std: 600 });
    expect(r.issues.some((i) => i.rule === "no_std_le_products")).toBe(false);
    expect(r.issues.some((i) => i.code === "required" && i.indicator === "products")).toBe(true);
  });

  it("warns, without blocking, when a figure jumps against the previous period", () => {
    const r = validateValues(c, { ...zezhou(), products: 1000 }, { previous: DEMO_PAST_VALUES.zezhou! });
    const w = r.issues.find((i) => i.code === "jump")!;
    expect(w).toMatchObject({ severity: "warning", indicator: "products" });
    expect(w.message.zh).toContain("100.0%");
    expect(r.hasErrors).toBe(false);
    expect(r.hasWarnings).toBe(true);
  });

  it("raises the template's warning rules (award without reward funds)", () => {
    const r = validateValues(c, { ...zezhou(), brand_reward_funds: "0" });
    expect(r.issues.find((i) => i.rule === "award_has_funds")?.severity).toBe("warning");
  });
});
