export * from "./aggregate";
export * from "./counters";
export * from "./completeness";
export * from "./integrity";
export * from "./median";
export * from "./hierarchy";
export * from "./integrity-round";
export * from "./integrity-plan";
