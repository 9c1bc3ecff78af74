export * from "./text";
export * from "./period";
export * from "./unit";
export * from "./form";
export * from "./template";
export * from "./submission";
export * from "./unit-code";
export * from "./round";
