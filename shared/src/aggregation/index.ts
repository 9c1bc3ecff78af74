export * from "./aggregate";
export * from "./counters";
export * from "./completeness";
