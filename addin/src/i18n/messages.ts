import type { ErrorBody, ErrorCode, LocalizedText } from "@tianbao/shared";

export type Lang = "zh" | "en";

/** zh-CN for Chinese Office, English otherwise. */
export const languageOf = (displayLanguage: string | undefined): Lang => (displayLanguage?.toLowerCase().startsWith("zh") ? "zh" : "en");

export const T = {
  title: { zh: "天宝质量填报", en: "Tianbao quality reporting" },
  username: { zh: "用户名", en: "Username" },
  password: { zh: "密码", en: "Password" },
  remember: { zh: "在此电脑上记住我", en: "Remember me on this computer" },
  signIn: { zh: "登录", en: "Sign in" },
  mustChange: { zh: "这是系统生成的初始密码，请先设置您自己的密码（至少 10 个字符）。", en: "This is a generated initial password; set your own (at least 10 characters) first." },
  newPassword: { zh: "新密码", en: "New password" },
  newPasswordAgain: { zh: "再次输入新密码", en: "New password again" },
  changePassword: { zh: "修改密码并继续", en: "Change password and continue" },
  passwordTooShort: { zh: "新密码至少需要 10 个字符", en: "The new password needs at least 10 characters" },
  passwordsDiffer: { zh: "两次输入的新密码不一致", en: "The two new passwords differ" },
  signOut: { zh: "退出", en: "Sign out" },
  rounds: { zh: "填报任务", en: "Reporting rounds" },
  deadline: { zh: "截止", en: "Due" },
  closed: { zh: "已截止", en: "closed" },
  pull: { zh: "拉取模板", en: "Pull template" },
  validate: { zh: "校验", en: "Check" },
  submit: { zh: "一键上报", en: "Submit" },
  totals: { zh: "下载汇总", en: "Download totals" },
  completeness: { zh: "填报进度", en: "Completeness" },
  approve: { zh: "审核通过", en: "Approve" },
  return: { zh: "退回", en: "Return" },
  returnComment: { zh: "退回意见（必填）", en: "Reason for returning (required)" },
  noIssues: { zh: "校验通过，没有发现问题", en: "No problems found" },
  working: { zh: "正在处理…", en: "Working…" },
  droppedTyped: { zh: "不适用（—）的单元格中填写的内容未保留，如需要请填在相应的单元格或说明中：", en: "What was typed in cells that do not apply (—) was not kept; put it in the right cell or a 说明 if it is needed: " },
  keptTyped: { zh: "已保留您在表中填写的数据：", en: "Kept the figures you had typed: " },
  pulled: { zh: "模板已拉取到工作表", en: "Template pulled into the sheet" },
  pulledForm: { zh: "模板已拉取到工作表（封面及 {n} 张表）", en: "Template pulled into the sheets (a cover and {n} tables)" },
  tableSheetMissing: { zh: "工作簿中找不到这张表的工作表（已删除？请重新“拉取模板”）：", en: "This table's sheet is not in the workbook (deleted? Pull the template again): " },
  unexpected: { zh: "操作未完成：Excel 或插件出错。已上报的数据以窗格中显示的状态和版本号为准；请查看后再试，或改用网页版。", en: "The action did not finish: Excel or the add-in failed. What was submitted is what the pane shows (state and revision); check there and try again, or use the web page." },
  designer: { zh: "模板设计", en: "Template design" },
  designerBuiltin: { zh: "放入质量兴市工作年报设计表", en: "Designer of the built-in report" },
  designerBlank: { zh: "放入空白设计表", en: "Blank designer" },
  designerUpload: { zh: "上传设计表", en: "Upload designer" },
  previewDraft: { zh: "预览填报表", en: "Preview the fill sheet" },
  previewChecked: { zh: "我已核对预览；发布后不能再修改", en: "I have checked the preview; once published it cannot change" },
  publish: { zh: "发布", en: "Publish" },
  published: { zh: "已发布", en: "Published" },
  noRounds: { zh: "没有可下载汇总的填报轮次", en: "There is no reporting round to download totals for" },
  sheetTaken: { zh: "已有同名工作表，但它不是本轮本单位的填报表；为免覆盖其中的数据，未拉取。请先将该工作表重命名或删除，再拉取：", en: "A sheet of that name exists but is not this round's fill sheet for your unit; to keep what it holds, nothing was pulled. Rename or delete it, then pull again: " },
  totalsWritten: { zh: "汇总表和完成情况表已写入新工作表", en: "Totals and completeness sheets written" },
  notFillSheet: { zh: "当前工作表不是填报表，请先在窗格中拉取模板", en: "The active sheet is not a fill sheet; pull the template from the pane first" },
  signInFirst: { zh: "请先在窗格中登录", en: "Please sign in in the pane first" },
  cityOnly: { zh: "只有市局用户可以下载汇总", en: "Only city users can download totals" },
  network: { zh: "无法连接服务器，数据未上报；表中数据完好，请检查网络后重试", en: "Cannot reach the server; nothing was submitted and your sheet is unchanged — check the network and try again" },
  reviewComment: { zh: "市局意见", en: "Reviewer's comment" },
  readFailed: { zh: "无法读取当前工作表，数据未上报。请确认没有正在编辑的单元格后重试。", en: "Could not read the active sheet; nothing was submitted. Make sure no cell is being edited and try again." },
  returnSubmit: { zh: "确认退回", en: "Return it" },
  cancel: { zh: "取消", en: "Cancel" },
  returnCommentMissing: { zh: "请填写退回意见", en: "Please write why it is returned" },
  storageRefused: { zh: "此浏览器不允许插件保存数据（第三方存储已被阻止），登录状态不会被记住：关闭窗格或 Excel 后需重新登录。", en: "This browser does not let the add-in store data (third-party storage is blocked), so your sign-in will not be remembered: sign in again after closing the pane or Excel." },
  statusNotStarted: { zh: "未上报", en: "not submitted" },
  signedOutElsewhere: { zh: "登录已过期或已在其他窗口退出，请重新登录", en: "Your session has expired or was ended in another window; please sign in again" },
  autoShow: { zh: "打开此工作簿时自动显示填报窗格", en: "Show the reporting pane when this workbook opens" },
  autoShowOn: { zh: "已设置：打开此工作簿时自动显示填报窗格（保存工作簿后生效）", en: "This workbook now opens the pane when it is opened (once the workbook is saved)" },
  autoShowOff: { zh: "已关闭：打开此工作簿时不再自动显示填报窗格（保存工作簿后生效；可从功能区打开窗格）", en: "This workbook no longer opens the pane by itself (once the workbook is saved; open it from the ribbon)" },
  autoShowFailed: { zh: "未能保存此设置（此工作簿不允许保存插件设置）", en: "The setting could not be saved in this workbook" },
  listRows: { zh: "清单（浮动行）", en: "List rows" },
  listRowsNote: { zh: "在清单工作表中选中行：插入行插在所选行的上方，删除行删除所选的行；清单的行数上限不变。", en: "Select rows on a list sheet: insert puts blank rows above the selected one, delete removes the selected rows; the list's limit stays the same." },
  listRowsCountLabel: { zh: "插入行数", en: "Rows to insert" },
  listInsert: { zh: "插入行", en: "Insert rows" },
  listDelete: { zh: "删除所选行", en: "Delete selected rows" },
  listDeleteConfirm: { zh: "确认删除", en: "Delete them" },
  listRowsCount: { zh: "插入行数应为 1 到清单行数上限之间的整数", en: "The rows to insert must be a whole number from 1 to the list's limit" },
  notListSheet: { zh: "当前工作表不是清单（浮动行）工作表：插入行、删除行只用于清单。请先切换到清单工作表（如“质兴4表附表”）并选中行。", en: "The active sheet is not a list sheet: inserting and deleting rows is for lists. Go to the list's sheet and select rows first." },
  listLayoutChanged: { zh: "此清单工作表的格式与模板不一致（模板已更新？），未改动。请重新“拉取模板”后再插入或删除行。", en: "This list sheet's layout differs from its template (updated?); nothing changed. Pull the template again, then insert or delete rows." },
  listSheetMoved: { zh: "当前工作表或选中的行已变化，未改动。请重新选中行后再试。", en: "The active sheet or the selection changed meanwhile; nothing changed. Select the rows again and retry." },
  listRowsReadFailed: { zh: "无法读取当前工作表，未改动。请确认没有正在编辑的单元格后重试。", en: "Could not read the active sheet; nothing changed. Make sure no cell is being edited and try again." },
  listRowsOneBlock: { zh: "选中了多个区域（按住 Ctrl 选中的几处），未改动。请只选中一块连续的行（可按住 Shift 扩展选区），再插入或删除行。", en: "Several areas are selected (Ctrl+click); nothing changed. Select one block of adjacent rows (Shift+click extends a selection), then insert or delete rows." },
  listRowsFailed: { zh: "插入或删除行时 Excel 出错，未改动。请重试。", en: "Excel failed while inserting or deleting rows; nothing changed. Please try again." },
  keptListRows: { zh: "已保留您在清单中填写的行：", en: "Kept the list rows you had typed: " },
} satisfies Record<string, LocalizedText>;

export const STATE: Record<string, LocalizedText> = {
  not_started: { zh: "未上报", en: "not started" },
  submitted: { zh: "已上报", en: "submitted" },
  returned: { zh: "已退回", en: "returned" },
  approved: { zh: "已审核", en: "approved" },
};

// What a user is told for each error code; the server's own message is used where it carries
// specifics (which cell, which revision), never a raw exception text.
const BY_CODE: Partial<Record<ErrorCode, LocalizedText>> = {
  unauthenticated: { zh: "登录已过期，请重新登录", en: "Your session has expired; please sign in again" },
  forbidden: { zh: "您没有权限执行此操作", en: "You are not allowed to do this" },
  internal: { zh: "服务器出错，请稍后重试；表中数据完好", en: "The server had a problem; please try again — your sheet is unchanged" },
};

/** The message for an API error body, in the user's language. */
export function errorText(body: ErrorBody | null, lang: Lang): string {
  if (!body) return T.network[lang];
  const generic = BY_CODE[body.error.code];
  return (body.error.code === "internal" && generic ? generic : body.error.message)[lang];
}

export const t = (text: LocalizedText, lang: Lang): string => text[lang];

/** A revision as people say it: 第 2 版, never "r2". */
export const revisionText = (n: number, lang: Lang): string => (lang === "zh" ? `第 ${n} 版` : `revision ${n}`);

/** A report's state with its revision: 已审核（第 2 版）; 未上报 alone. */
export function stateText(state: string, revision: number | null | undefined, lang: Lang): string {
  const name = STATE[state]?.[lang] ?? state;
  return revision ? (lang === "zh" ? `${name}（${revisionText(revision, lang)}）` : `${name} (${revisionText(revision, lang)})`) : name;
}
