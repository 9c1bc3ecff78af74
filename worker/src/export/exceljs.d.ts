// exceljs's Node entry, imported by path so the bundler does not pick its browser bundle, whose
// bundled `process` shim shares one timer-driven queue across requests (a cross-request hang in Workers).
declare module "exceljs/excel.js" {
  import ExcelJS from "exceljs";
  export default ExcelJS;
}
