export * from "./schema";
export * from "./rows";
export * from "./rollup";
export * from "./figures";
