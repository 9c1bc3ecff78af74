// The web page at / for counties without the add-in (WPS, old Excel): download the fill template,
// upload it filled, see every problem by cell; and the city's desk: the board, reviewing a report,
// rounds, units and accounts, templates and the audit trail. Screens have addresses (#/…), so a
// refresh, Back/Forward and a link land on the same screen.
import { ApiClient } from "../api/client";
import { T, errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";
import { passwordForm } from "../taskpane/password-form";
import { accountsScreen } from "./accounts";
import { auditScreen } from "./audit";
import { boardScreen } from "./board";
import type { Desk } from "./desk";
import { designerSection } from "./designer";
import { homeScreen } from "./home";
import { inboxIntro } from "./inbox";
import { listRollupScreen } from "./list-rollup";
import { reviewScreen } from "./review";
import { guardedStore } from "../flows/storage";

const api = new ApiClient();
// guarded like the pane's: a browser that refuses storage (a policy, a full quota) keeps the session in memory
const store = guardedStore();
let lang: Lang = (store.get("tianbao.lang") as Lang | null) ?? (navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en");
const W = {
  other: { zh: "English", en: "中文" },
  navRounds: { zh: "填报任务", en: "Rounds" },
  navAccounts: { zh: "单位与账号", en: "Units and accounts" },
  navTemplates: { zh: "模板与开启轮次", en: "Templates and new rounds" },
  notFound: { zh: "找不到这个页面，已回到填报任务", en: "No such screen; back to the rounds" },
};

// The session lives in localStorage: it survives refresh, Back/Forward and a second tab, and ends in all
// of them at once on sign-out (the storage event) or when the server says it has expired.
const SESSION_KEY = "tianbao.web.session";
const remember = () => { if (api.token && api.user) store.set(SESSION_KEY, JSON.stringify({ token: api.token, user: api.user })); };
const forget = () => { store.remove(SESSION_KEY); api.token = null; api.user = null; };

const root = document.getElementById("app")!;
const notice = h("div", { class: "notice", role: "status", "aria-live": "polite" });
const nav = h("nav", { class: "desk-nav" });
const body = h("div", { class: "body" });
const say = (text: string, kind: "ok" | "error" | "info" = "info") => { notice.textContent = text; notice.className = `notice ${kind}`; };

function save(blob: Blob, filename: string): void {
  const a = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

const desk = (): Desk => ({ api, lang, say, save, go: (hash) => { if (location.hash === hash) void route(); else location.hash = hash; }, redraw: () => void route() });

function frame(): void {
  root.replaceChildren(
    h("header", {}, h("h1", {}, T.title[lang]), h("button", { class: "link lang", id: "lang", onclick: () => {
      lang = lang === "zh" ? "en" : "zh";
      store.set("tianbao.lang", lang);
      say("");
      frame();
      void (api.user ? route() : showLogin()); // what is on screen is drawn again in the other language
    } }, W.other[lang])),
    nav, notice, body);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

function showLogin(): void {
  drawing++; // a screen still being drawn for the session that ended is not put over the sign-in form
  nav.replaceChildren();
  const user = h("input", { id: "username", autocomplete: "username", required: true });
  const pass = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "card" }, h("p", {}, inboxIntro[lang]), h("label", { for: "username" }, T.username[lang]), user, h("label", { for: "password" }, T.password[lang]), pass,
    h("button", { type: "submit", class: "primary", id: "sign-in" }, T.signIn[lang]));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void (async () => {
      const r = await api.login(user.value.trim(), pass.value);
      if (!r.ok) return say(errorText(r.error, lang), "error");
      say("");
      if (r.value.mustChangePassword) return showPasswordChange(pass.value);
      remember();
      await route();
    })();
  });
  body.replaceChildren(form);
}

function showPasswordChange(current: string): void {
  body.replaceChildren(passwordForm(lang, async (next) => {
    const r = await api.changePassword(current, next);
    if (!r.ok) return errorText(r.error, lang);
    remember();
    await route();
    return null;
  }));
}

/** The top line: who is signed in, the desk's screens, sign-out. */
function drawNav(): void {
  const me = api.user!;
  const here = location.hash.split("?")[0] ?? "";
  const link = (hash: string, label: string, id: string) => h("a", { href: hash, id, class: (hash === "#/" ? here === "" || here === "#/" || here.startsWith("#/round") : here.startsWith(hash)) ? "active" : "" }, label);
  nav.replaceChildren(
    h("span", { class: "who" }, `${me.displayName} · ${me.unitName[lang]}`),
    ...(me.role === "reporter" ? [] : [link("#/", W.navRounds[lang], "nav-rounds")]),
    ...(me.role === "admin" ? [link("#/accounts", W.navAccounts[lang], "nav-accounts"), link("#/templates", W.navTemplates[lang], "nav-templates")] : []),
    h("button", { class: "link", id: "sign-out", onclick: () => void (async () => { await api.logout(); forget(); location.hash = ""; showLogin(); })() }, T.signOut[lang]));
}

let drawing = 0;
/** Draws the screen the address names; a newer navigation wins over a slower older one. */
async function route(): Promise<void> {
  if (!api.user) return showLogin();
  const mine = ++drawing;
  drawNav();
  const [path = "", query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  const d = desk();
  let screen: HTMLElement;
  if (parts[0] === "round" && parts[1] && api.user.role !== "reporter") {
    const r = await api.rounds();
    const round = r.ok ? r.value.find((x) => x.id === parts[1]) : undefined;
    if (!round) { say(r.ok ? W.notFound[lang] : errorText(r.error, lang), "error"); screen = await homeScreen(d); }
    else if (parts[2] === "unit" && parts[3]) screen = await reviewScreen(d, round, parts[3]);
    else if (parts[2] === "audit") screen = await auditScreen(d, round, params);
    else if (parts[2] === "list" && parts[3]) screen = await listRollupScreen(d, round, parts[3], params);
    else screen = await boardScreen(d, round, params);
  } else if (parts[0] === "accounts" && api.user.role === "admin") screen = await accountsScreen(d);
  else if (parts[0] === "templates" && api.user.role === "admin") screen = h("div", {}, designerSection(api, lang, say, save, async () => { d.go("#/"); }));
  else screen = await homeScreen(d);
  if (mine === drawing) body.replaceChildren(screen);
}

window.addEventListener("hashchange", () => { if (api.user) void route(); });

const SIGNED_OUT = { zh: "登录已过期或已在其他窗口退出，请重新登录", en: "Your session has expired or was ended in another window; please sign in again" };
api.onSignedOut = () => { forget(); showLogin(); say(SIGNED_OUT[lang], "error"); };
window.addEventListener("storage", (e) => {
  if (e.key !== SESSION_KEY) return;
  if (e.newValue === null && api.token) { api.token = null; api.user = null; showLogin(); say(SIGNED_OUT[lang], "error"); }
});

frame();
void (async () => {
  try {
    const saved = JSON.parse(store.get(SESSION_KEY) ?? "null") as { token: string } | null;
    if (saved?.token) {
      api.token = saved.token;
      const me = await api.me();
      if (me.ok && !me.value.mustChangePassword) { api.user = me.value; remember(); await route(); return; }
      forget();
    }
  } catch { forget(); }
  showLogin();
})();
