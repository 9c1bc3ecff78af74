export * from "./issue";
export * from "./normalize";
export * from "./derive";
export * from "./validate";
export * from "./number";
