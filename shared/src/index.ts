// @tianbao/shared: the pure core both the add-in and the Worker run.
export * as Exact from "./exact/exact";
export * from "./schemas";
export * from "./formula";
export * from "./template/compile";
export * from "./template/form";
export * from "./template/excel-limits";
export * from "./template/builtin";
export * from "./validation";
export * from "./aggregation";
export * from "./layout";
export * from "./api/errors";
export * from "./api/contract";
export * from "./api/names";
export * from "./demo/jincheng";
export * from "./demo/changzhi";
export * from "./demo/synthetic";
export * from "./directory/directory";
export * from "./designer/designer";
