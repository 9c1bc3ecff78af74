// Units and accounts on screen, for administrators: the unit tree with each unit's contact (the 催报
// list's name and phone), a unit added below any unit, accounts created, a password reset (shown once),
// an account disabled or enabled. The workbook and the robots (admin.ts) sit below for bulk changes.
import { levelsBelow, type AccountView, type UnitLevel } from "@tianbao/shared";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { adminSection } from "./admin";
import { unitChangesSection } from "./audit";
import { beijingTime, busyButton, type Desk } from "./desk";
import { confirmAction, passwordDialog, type OneTimePassword } from "./confirm";

const U = {
  title: { zh: "单位与账号", en: "Units and accounts" },
  tree: { zh: "单位", en: "Units" },
  contact: { zh: "联系人", en: "Contact" },
  phone: { zh: "电话", en: "Phone" },
  saveContact: { zh: "保存联系人", en: "Save contact" },
  contactSaved: { zh: "联系人已保存：", en: "Contact saved: " },
  addBelow: { zh: "添加下级单位", en: "Add a unit below" },
  unitId: { zh: "单位代码（小写字母、数字、_）", en: "Unit id (lower-case letters, digits, _)" },
  nameZh: { zh: "名称（中文）", en: "Name (Chinese)" },
  nameEn: { zh: "名称（英文，可选）", en: "Name (English, optional)" },
  level: { zh: "层级", en: "Level" },
  add: { zh: "添加", en: "Add" },
  added: { zh: "已添加单位：", en: "Unit added: " },
  accounts: { zh: "账号", en: "Accounts" },
  username: { zh: "用户名", en: "Username" },
  displayName: { zh: "姓名", en: "Name" },
  role: { zh: "角色", en: "Role" },
  unit: { zh: "单位", en: "Unit" },
  status: { zh: "状态", en: "Status" },
  lastIn: { zh: "最近登录", en: "Last sign-in" },
  active: { zh: "正常", en: "active" },
  disabled: { zh: "已停用", en: "disabled" },
  mustChange: { zh: "待改初始密码", en: "initial password" },
  reset: { zh: "重置密码", en: "Reset password" },
  disable: { zh: "停用", en: "Disable" },
  enable: { zh: "启用", en: "Enable" },
  newPassword: { zh: "的新初始密码（只显示这一次，首次登录时必须修改）", en: "'s new initial password (shown this once; it must be changed at first sign-in)" },
  resetAsk: { zh: "重置后原密码立即失效，该账号须用新的初始密码登录并修改密码。确认重置？", en: "The current password stops working at once; the account signs in with a new initial password and must change it. Reset?" },
  create: { zh: "新建账号", en: "New account" },
  created: { zh: "已新建账号", en: "Account created" },
  never: { zh: "从未", en: "never" },
  you: { zh: "（本人）", en: " (you)" },
};

const ROLES: Record<string, { zh: string; en: string }> = {
  admin: { zh: "管理员", en: "administrator" },
  reviewer: { zh: "审核人", en: "reviewer" },
  reporter: { zh: "填报人", en: "reporter" },
  viewer: { zh: "查看", en: "viewer" },
};
const LEVELS: Record<string, { zh: string; en: string }> = {
  nation: { zh: "国家", en: "nation" },
  province: { zh: "省", en: "province" },
  city: { zh: "市", en: "city" },
  county: { zh: "县（市、区）", en: "county" },
  self: { zh: "本级", en: "own figures (本级)" },
};

/** A generated password (new account or reset), kept across the redraw that lists the account's new state, and shown once in a dialog. */
let fresh: (OneTimePassword & { title: string }) | null = null;

export async function accountsScreen(desk: Desk): Promise<HTMLElement> {
  const { api, lang, say } = desk;
  const me = api.user!;
  const [units, accounts] = await Promise.all([api.units(), api.accounts()]);
  if (!units.ok) { say(errorText(units.error, lang), "error"); return h("div"); }
  if (!accounts.ok) { say(errorText(accounts.error, lang), "error"); return h("div"); }
  const byParent = new Map<string | null, typeof units.value>();
  for (const u of units.value) byParent.set(u.parentId, [...(byParent.get(u.parentId) ?? []), u]);
  const ids = new Set(units.value.map((u) => u.id));
  if (fresh) { const f = fresh; queueMicrotask(() => void passwordDialog(lang, f.title, f)); }
  fresh = null;

  const unitNode = (u: (typeof units.value)[number]): HTMLElement => {
    const known = u.contact;
    const name = h("input", { class: "contact-name", value: known?.name ?? "", maxlength: "64", "aria-label": `${U.contact[lang]}：${u.name[lang]}` });
    const phone = h("input", { class: "contact-phone", value: known?.phone ?? "", maxlength: "32", inputmode: "tel", "aria-label": `${U.phone[lang]}：${u.name[lang]}` });
    const saveContact = busyButton(U.saveContact[lang], "…", { class: "save-contact" }, async () => {
      const r = await api.setContact(u.id, { name: name.value.trim() || null, phone: phone.value.trim() || null });
      if (!r.ok) return say(errorText(r.error, lang), "error");
      say(`${U.contactSaved[lang]}${u.name[lang]}`, "ok");
    });
    const children = (byParent.get(u.id) ?? []).map(unitNode);
    const addSpot = h("div", { class: "add-unit-spot" });
    const addButton = levelsBelow(u.level).length === 0 ? null : h("button", { class: "add-unit link", onclick: () => addSpot.replaceChildren(addUnitForm(desk, u.id, u.level)) }, U.addBelow[lang]);
    return h("li", { "data-unit": u.id },
      h("div", { class: "unit-line" }, h("b", {}, u.name[lang]), ` ${u.id} · ${LEVELS[u.level]![lang]}`),
      u.id === me.unitId && me.role !== "admin" ? null : h("div", { class: "contact-line" }, U.contact[lang], name, U.phone[lang], phone, saveContact),
      addButton, addSpot,
      children.length ? h("ul", { class: "tree" }, ...children) : null);
  };
  const roots = units.value.filter((u) => u.parentId === null || !ids.has(u.parentId));

  const accountRow = (a: AccountView) => {
    const self = a.username.toLowerCase() === me.username.toLowerCase();
    const status = a.disabled ? U.disabled[lang] : a.mustChangePassword ? U.mustChange[lang] : U.active[lang];
    return h("tr", { "data-username": a.username, class: a.disabled ? "disabled" : "" },
      h("td", {}, a.username, self ? U.you[lang] : ""), h("td", {}, a.displayName), h("td", {}, ROLES[a.role]![lang]), h("td", {}, a.unitName[lang]),
      h("td", { class: "status" }, status), h("td", {}, a.lastSignInAt ? beijingTime(a.lastSignInAt, lang, true) : U.never[lang]),
      h("td", { class: "actions" }, ...(self ? [] : [
        busyButton(U.reset[lang], "…", { class: "reset-password" }, async () => {
          // asked first: the old password stops working at once and the holder must be told the new one
          const ok = await confirmAction(lang, { title: `${U.reset[lang]}：${a.displayName}（${a.username}）`, body: [U.resetAsk[lang]], confirm: U.reset[lang] });
          if (ok === null) return;
          const r = await api.resetPassword(a.username);
          if (!r.ok) return say(errorText(r.error, lang), "error");
          fresh = { title: `${a.username}${U.newPassword[lang]}`, username: a.username, displayName: a.displayName, unitName: a.unitName[lang], password: r.value.password };
          desk.redraw(); // the row now says 待改初始密码
        }),
        busyButton(a.disabled ? U.enable[lang] : U.disable[lang], "…", { class: a.disabled ? "enable" : "disable" }, async () => {
          const r = await api.setDisabled(a.username, !a.disabled);
          if (!r.ok) return say(errorText(r.error, lang), "error");
          desk.redraw();
          say(`${a.disabled ? U.enable[lang] : U.disable[lang]}：${a.username}`, "ok");
        }),
      ])));
  };

  return h("section", { class: "accounts-screen" },
    h("h2", {}, U.tree[lang]), h("ul", { class: "tree unit-tree" }, ...roots.map(unitNode)),
    unitChangesSection(desk, me.unitId, new Map(units.value.map((u) => [u.id, u.name[lang]]))),
    h("h2", {}, U.accounts[lang]),
    h("table", { class: "accounts" },
      h("thead", {}, h("tr", {}, ...[U.username, U.displayName, U.role, U.unit, U.status, U.lastIn].map((t) => h("th", {}, t[lang])), h("th", {}, ""))),
      h("tbody", {}, ...accounts.value.map(accountRow))),
    createAccountForm(desk, units.value.map((u) => ({ id: u.id, name: u.name[lang] }))),
    adminSection(api, lang, say, desk.save));
}

function addUnitForm(desk: Desk, parentId: string, parentLevel: UnitLevel): HTMLFormElement {
  const { api, lang, say } = desk;
  const levels = levelsBelow(parentLevel); // every level below the parent's, and 本级
  const id = h("input", { class: "new-unit-id", required: true, pattern: "[a-z][a-z0-9_]{0,63}", "aria-label": U.unitId[lang] });
  const zh = h("input", { class: "new-unit-zh", required: true, maxlength: "64", "aria-label": U.nameZh[lang] });
  const en = h("input", { class: "new-unit-en", maxlength: "64", "aria-label": U.nameEn[lang] });
  const level = h("select", { class: "new-unit-level", "aria-label": U.level[lang] }, ...levels.map((l) => h("option", { value: l }, LEVELS[l]![lang])));
  const add = h("button", { type: "submit", class: "primary add-unit-confirm" }, U.add[lang]);
  const form = h("form", { class: "add-unit-form" }, h("label", {}, U.unitId[lang], id), h("label", {}, U.nameZh[lang], zh), h("label", {}, U.nameEn[lang], en), h("label", {}, U.level[lang], level), add);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (add.disabled) return;
    add.disabled = true;
    void (async () => {
      const r = await api.createUnit({ id: id.value.trim(), name: { zh: zh.value.trim(), en: en.value.trim() || zh.value.trim() }, level: level.value as UnitLevel, parentId });
      add.disabled = false;
      if (!r.ok) return say(errorText(r.error, lang), "error");
      desk.redraw();
      say(`${U.added[lang]}${r.value.name[lang]}`, "ok");
    })();
  });
  queueMicrotask(() => id.focus());
  return form;
}

function createAccountForm(desk: Desk, units: { id: string; name: string }[]): HTMLFormElement {
  const { api, lang, say } = desk;
  const username = h("input", { id: "new-username", required: true, pattern: "[a-z][a-z0-9_.\\-]{2,31}", autocomplete: "off" });
  const displayName = h("input", { id: "new-display-name", required: true, maxlength: "64" });
  const role = h("select", { id: "new-role" }, ...Object.entries(ROLES).map(([k, l]) => h("option", { value: k, ...(k === "reporter" ? { selected: true } : {}) }, l[lang])));
  const unit = h("select", { id: "new-unit" }, ...units.map((u) => h("option", { value: u.id }, u.name)));
  const create = h("button", { type: "submit", class: "primary", id: "create-account" }, U.create[lang]);
  const form = h("form", { class: "create-account card" }, h("h3", {}, U.create[lang]),
    h("label", { for: "new-username" }, U.username[lang]), username, h("label", { for: "new-display-name" }, U.displayName[lang]), displayName,
    h("label", { for: "new-role" }, U.role[lang]), role, h("label", { for: "new-unit" }, U.unit[lang]), unit, create);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (create.disabled) return;
    create.disabled = true;
    void (async () => {
      const name = username.value.trim();
      // the account's first password is generated by the server, shown once, and changed at first sign-in
      const r = await api.createUser({ username: name, displayName: displayName.value.trim(), role: role.value, unitId: unit.value });
      create.disabled = false;
      if (!r.ok) return say(errorText(r.error, lang), "error");
      const unitName = units.find((u) => u.id === unit.value)?.name ?? "";
      if (r.value.password) fresh = { title: `${U.created[lang]}：${name}${U.newPassword[lang]}`, username: name, displayName: displayName.value.trim(), unitName, password: r.value.password };
      desk.redraw();
      say(`${U.created[lang]}：${name}`, "ok");
    })();
  });
  return form;
}

export const roleName = (role: string, lang: Lang): string => ROLES[role]?.[lang] ?? role;
