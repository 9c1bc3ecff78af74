import { TemplateSchema, type Template, type TemplateInput } from "../schemas/template";

const t = (zh: string, en: string) => ({ zh, en });

/**
 * 质量兴市工作年报 — the built-in annual template, from what the Jincheng drive and the city survey
 * report (see domain.md): organisation, brands, brand enterprises, standards, industry, product
 * quality, and supervision. Rates are derived from counts, never typed in.
 */
export const BUILTIN_TEMPLATE_INPUT: TemplateInput = {
  id: "quality_city_annual",
  version: 1,
  status: "published",
  name: t("质量兴市工作年报", "Quality-driven city annual report"),
  periodType: "annual",
  sections: [
    { code: "org", name: t("一、组织领导", "1. Organisation") },
    { code: "brand", name: t("二、品牌建设", "2. Brands") },
    { code: "brand_ent", name: t("三、名牌企业", "3. Brand enterprises") },
    { code: "std", name: t("四、标准化", "4. Standards") },
    { code: "industry", name: t("五、工业经济", "5. Industry") },
    { code: "quality", name: t("六、产品质量", "6. Product quality") },
    { code: "supervision", name: t("七、质量安全监管", "7. Safety and supervision") },
  ],
  indicators: [
    { code: "leading_group", section: "org", kind: "yesno", required: true, name: t("已成立质量兴县（区）工作领导组", "Quality leading group set up") },
    { code: "plan_issued", section: "org", kind: "yesno", required: true, name: t("已以政府名义印发质量兴县（区）实施方案", "Quality plan issued in the government's name") },
    { code: "perf_review", section: "org", kind: "yesno", required: true, name: t("已将质量工作纳入干部政绩考核", "Quality part of officials' performance review") },
    { code: "mayor_award", section: "org", kind: "yesno", required: true, name: t("已设立县（区）长质量奖或奖励制度", "County-mayor quality award or reward system") },
    { code: "park_activity", section: "org", kind: "yesno", required: true, name: t("工业园区已开展质量兴园活动", "Industrial parks run quality-park activities") },
    { code: "drive_status", section: "org", kind: "choice", required: true, name: t("质量兴县（区）活动进展", "Progress of the quality-county drive"),
      options: [
        { code: "not_started", name: t("尚未启动", "Not started") },
        { code: "in_progress", name: t("正在推进", "In progress") },
        { code: "achieved", name: t("已达标", "Achieved") },
      ] },
    { code: "work_funds", section: "org", kind: "amount", unit: "万元", decimals: 2, required: true, jumpPercent: 200, name: t("质量工作经费落实额", "Quality work funds in place") },

    { code: "cn_famous_brands", section: "brand", kind: "count", unit: "个", required: true, name: t("中国名牌产品数", "China famous-brand products") },
    { code: "inspection_exempt", section: "brand", kind: "count", unit: "个", required: true, name: t("国家免检产品数", "National inspection-exempt products") },
    { code: "prov_iconic_brands", section: "brand", kind: "count", unit: "个", required: true, name: t("省标志性名牌产品数", "Provincial iconic brands") },
    { code: "prov_famous_brands", section: "brand", kind: "count", unit: "个", required: true, name: t("省名牌产品数", "Provincial famous brands") },
    { code: "geo_indication", section: "brand", kind: "count", unit: "个", required: true, name: t("国家地理标志保护产品数", "National geographic-indication products") },
    { code: "brand_reward_funds", section: "brand", kind: "amount", unit: "万元", decimals: 2, required: true, jumpPercent: 200, name: t("名牌奖励资金", "Brand reward funds") },

    { code: "brand_enterprises", section: "brand_ent", kind: "count", unit: "家", required: true, name: t("名牌产品生产企业数", "Famous-brand producers") },
    { code: "brand_output", section: "brand_ent", kind: "amount", unit: "亿元", decimals: 2, required: true, jumpPercent: 50, name: t("名牌企业工业总产值", "Brand producers' output value") },
    { code: "brand_profit_tax", section: "brand_ent", kind: "amount", unit: "亿元", decimals: 2, required: true, jumpPercent: 50, name: t("名牌企业利税", "Brand producers' profit and tax") },
    { code: "brand_exports", section: "brand_ent", kind: "amount", unit: "万美元", decimals: 2, required: true, jumpPercent: 50, name: t("名牌企业出口创汇", "Brand producers' exports") },
    { code: "brand_output_share", section: "brand_ent", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "brand_output / above_output * 100", name: t("名牌企业产值占规上工业比重", "Brand producers' share of above-scale output") },
    { code: "brand_profit_share", section: "brand_ent", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "brand_profit_tax / above_profit_tax * 100", name: t("名牌企业利税占规上工业比重", "Brand producers' share of above-scale profit and tax") },
    { code: "brand_export_share", section: "brand_ent", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "brand_exports / above_exports * 100", name: t("名牌企业出口占规上工业比重", "Brand producers' share of above-scale exports") },

    { code: "products", section: "std", kind: "count", unit: "个", required: true, jumpPercent: 50, name: t("工业产品总数", "Industrial products") },
    { code: "products_no_std", section: "std", kind: "count", unit: "个", required: true, name: t("无标生产产品数", "Products made with no standard") },
    { code: "products_adopting", section: "std", kind: "count", unit: "个", required: true, name: t("采用国际标准和国外先进标准产品数", "Products adopting international or advanced foreign standards") },
    { code: "std_coverage_rate", section: "std", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "(products - products_no_std) / products * 100", name: t("标准覆盖率", "Standard coverage rate") },
    { code: "adoption_rate", section: "std", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "products_adopting / products * 100", name: t("采标率", "Standard adoption rate") },

    { code: "above_scale_ents", section: "industry", kind: "count", unit: "家", required: true, jumpPercent: 30, name: t("规模以上工业企业数", "Above-scale industrial enterprises") },
    { code: "ents_over_100m", section: "industry", kind: "count", unit: "家", required: true, name: t("主营业务收入超亿元企业数", "Enterprises with revenue over 100 m CNY") },
    { code: "above_output", section: "industry", kind: "amount", unit: "亿元", decimals: 2, required: true, jumpPercent: 50, name: t("规模以上工业总产值", "Above-scale industrial output value") },
    { code: "above_profit_tax", section: "industry", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("规模以上工业利税", "Above-scale profit and tax") },
    { code: "above_exports", section: "industry", kind: "amount", unit: "万美元", decimals: 2, required: true, name: t("规模以上工业出口创汇", "Above-scale exports") },
    { code: "above_value_added", section: "industry", kind: "amount", unit: "亿元", decimals: 2, required: true, jumpPercent: 50, name: t("规模以上工业增加值", "Above-scale industrial value added") },
    { code: "all_enterprises", section: "industry", kind: "count", unit: "家", required: true, name: t("工业企业总数", "All industrial enterprises") },
    { code: "small_firms", section: "industry", kind: "count", unit: "家", required: true, name: t("小型及家庭作坊式企业数", "Small and household firms") },
    { code: "small_firm_share", section: "industry", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "small_firms / all_enterprises * 100", name: t("小企业及家庭作坊占比", "Small and household firms' share") },

    { code: "main_products", section: "quality", kind: "count", unit: "个", required: true, name: t("主要工业产品数", "Main industrial products") },
    { code: "graded_products", section: "quality", kind: "count", unit: "个", required: true, name: t("达到质量等级的主要产品数", "Main products at a quality grade") },
    { code: "grade_rate", section: "quality", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "graded_products / main_products * 100", name: t("主要工业产品质量等级品率", "Quality grade rate of main products") },

    { code: "spot_batches", section: "supervision", kind: "count", unit: "批次", required: true, jumpPercent: 100, name: t("监督抽查批次", "Supervision spot-check batches") },
    { code: "spot_passed", section: "supervision", kind: "count", unit: "批次", required: true, name: t("抽查合格批次", "Batches that passed") },
    { code: "spot_pass_rate", section: "supervision", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "spot_passed / spot_batches * 100", name: t("监督抽查合格率", "Spot-check pass rate") },
    { code: "complaints", section: "supervision", kind: "count", unit: "件", required: true, name: t("受理质量投诉件数", "Quality complaints received") },
    { code: "complaints_resolved", section: "supervision", kind: "count", unit: "件", required: true, name: t("办结质量投诉件数", "Quality complaints resolved") },
    { code: "complaint_resolve_rate", section: "supervision", kind: "derived", unit: "%", decimals: 2, min: "0", max: "100", formula: "complaints_resolved / complaints * 100", name: t("投诉办结率", "Complaint resolution rate") },
    { code: "quality_incidents", section: "supervision", kind: "count", unit: "起", required: true, name: t("质量安全事故起数", "Quality incidents") },
    { code: "remarks", section: "supervision", kind: "text", maxLength: 500, name: t("工作说明", "Remarks") },
  ],
  rules: [
    { code: "no_std_le_products", expr: "products_no_std <= products", severity: "error", message: t("无标生产产品数不能大于工业产品总数", "products with no standard cannot exceed all products") },
    { code: "adopting_le_products", expr: "products_adopting <= products", severity: "error", message: t("采标产品数不能大于工业产品总数", "products adopting standards cannot exceed all products") },
    { code: "over100m_le_above", expr: "ents_over_100m <= above_scale_ents", severity: "error", message: t("超亿元企业数不能大于规模以上企业数", "enterprises over 100 m cannot exceed above-scale enterprises") },
    { code: "above_le_all", expr: "above_scale_ents <= all_enterprises", severity: "error", message: t("规模以上企业数不能大于工业企业总数", "above-scale enterprises cannot exceed all enterprises") },
    { code: "small_le_all", expr: "small_firms <= all_enterprises", severity: "error", message: t("小型企业数不能大于工业企业总数", "small firms cannot exceed all enterprises") },
    { code: "brand_output_le_above", expr: "brand_output <= above_output", severity: "error", message: t("名牌企业产值不能大于规模以上工业总产值", "brand producers' output cannot exceed above-scale output") },
    { code: "brand_pt_le_above", expr: "brand_profit_tax <= above_profit_tax", severity: "error", message: t("名牌企业利税不能大于规模以上工业利税", "brand producers' profit and tax cannot exceed the above-scale figure") },
    { code: "brand_exports_le_above", expr: "brand_exports <= above_exports", severity: "error", message: t("名牌企业出口不能大于规模以上工业出口", "brand producers' exports cannot exceed above-scale exports") },
    { code: "graded_le_main", expr: "graded_products <= main_products", severity: "error", message: t("达到质量等级的产品数不能大于主要产品数", "graded products cannot exceed main products") },
    { code: "passed_le_batches", expr: "spot_passed <= spot_batches", severity: "error", message: t("抽查合格批次不能大于抽查批次", "passed batches cannot exceed batches checked") },
    { code: "resolved_le_complaints", expr: "complaints_resolved <= complaints", severity: "error", message: t("办结投诉件数不能大于受理件数", "resolved complaints cannot exceed complaints received") },
    { code: "award_has_funds", expr: "NOT mayor_award OR brand_reward_funds > 0", severity: "warning", message: t("已设立质量奖，但名牌奖励资金为 0，请确认", "a quality award exists but brand reward funds are 0; please confirm") },
    { code: "brand_ents_have_brands", expr: "brand_enterprises = 0 OR cn_famous_brands + prov_famous_brands + prov_iconic_brands > 0", severity: "warning", message: t("有名牌企业但名牌产品数为 0，请确认", "brand producers reported but no brand products; please confirm") },
  ],
};

/** The built-in template, parsed through the same schema every template goes through. */
export const BUILTIN_TEMPLATE: Template = TemplateSchema.parse(BUILTIN_TEMPLATE_INPUT);

/**
 * The built-in report as a real form set (issue 23): 质兴1表 基本情况 lists the built-in indicators;
 * 质兴2表 主导产业 is the survey city's grid — its four leading industries (有色金属 / 新能源 / 机电光学 /
 * 新型建材, 合计 above them, 其中：光伏 under 新能源) × 企业数 / 主营业务收入 / 产品数 / 无标产品数 /
 * 采标产品数 / 产量 — with the legal face a city bureau prints.
 */
export const BUILTIN_FORM_INPUT: TemplateInput = {
  ...BUILTIN_TEMPLATE_INPUT,
  id: "quality_city_form",
  name: t("质量兴市工作年报（表式）", "Quality-driven city annual report (form set)"),
  form: {
    legal: { maker: "晋城市质量技术监督局", approver: "晋城市统计局", approvalNo: "晋市统制〔2025〕12号", validUntil: "2027年12月" },
    tables: [
      { kind: "list", code: "basic", formNo: "质兴1表", name: t("基本情况", "Basics"), sections: BUILTIN_TEMPLATE_INPUT.sections.map((s) => s.code) },
      {
        kind: "grid", code: "lead", formNo: "质兴2表", name: t("主导产业", "Leading industries"), attachedTo: "basic",
        notes: t("合计 = 四大主导产业之和；其中：光伏 计入新能源。产量只填新型建材（万吨）。", "Total = the four leading industries; photovoltaics is part of new energy. Output only for building materials (10 kt)."),
        rows: [
          { code: "total", name: t("合计", "Total"), role: "total" },
          { code: "metal", name: t("有色金属", "Non-ferrous metals") },
          { code: "energy", name: t("新能源", "New energy") },
          { code: "pv", name: t("其中：光伏", "of which: photovoltaics"), role: "ofWhich", of: "energy" },
          { code: "optic", name: t("机电光学", "Mechatronics and optics") },
          { code: "build", name: t("新型建材", "New building materials") },
        ],
        columns: [
          { code: "firms", name: t("企业数", "Enterprises"), kind: "count", unit: "家" },
          { code: "rev", name: t("主营业务收入", "Main business revenue"), kind: "amount", unit: "亿元", decimals: 1 },
          { code: "prod", name: t("产品数", "Products"), kind: "count", unit: "个" },
          { code: "nostd", name: t("无标产品数", "Products without a standard"), kind: "count", unit: "个", role: "ofWhich", of: "prod" },
          { code: "adopt", name: t("采标产品数", "Products adopting standards"), kind: "count", unit: "个", role: "ofWhich", of: "prod" },
          { code: "out", name: t("产量", "Output"), kind: "amount", unit: "万吨", decimals: 1 },
        ],
        skip: ["metal:out", "energy:out", "pv:out", "optic:out"],
      },
    ],
  },
};

/** The built-in form set, parsed like every template. */
export const BUILTIN_FORM_TEMPLATE: Template = TemplateSchema.parse(BUILTIN_FORM_INPUT);
