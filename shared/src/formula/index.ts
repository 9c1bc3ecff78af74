export * from "./ast";
export * from "./errors";
export { tokenize } from "./lexer";
export * from "./parser";
export * from "./check";
export * from "./evaluate";
export * from "./render";
export * from "./size";
