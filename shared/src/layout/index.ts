export * from "./sheet-plan";
export * from "./fill-layout";
export * from "./fill-plan";
export * from "./fill-parse";
export * from "./totals-plan";
export * from "./completeness-plan";
export * from "./csv";
