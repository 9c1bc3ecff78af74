// The shared runtime's entry: registers the ribbon functions at once, restores a remembered sign-in
// once Office has initialised (its key includes Office.context.partitionKey; a ribbon function
// restores it too, so a first click finds it), and loads the pane's UI when the pane is shown.
import { RIBBON_FUNCTIONS } from "./commands/commands";
import { registerCustomFunctions } from "./functions/functions";
import { restoreSession } from "./flows/session";
import { startupProblem } from "./startup";

// boot.js (a plain script that runs first) reads this flag: without it, the module did not start.
(window as unknown as { tianbaoStarted: boolean }).tianbaoStarted = true;

type StartupError = (zh: string, en: string) => void;
const showStartupError = (window as unknown as { tianbaoStartupError?: StartupError }).tianbaoStartupError;

// Ribbon functions are associated at the top level of the function file, as Microsoft's samples do
// (https://learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime),
// so the first click finds them even before Office.onReady has resolved.
try {
  for (const [id, fn] of Object.entries(RIBBON_FUNCTIONS)) Office.actions.associate(id, fn);
} catch (e) {
  console.error("could not register the ribbon functions", e); // outside Office there is no Office.actions
}
// =TIANBAO.TOTAL / =TIANBAO.COMPLETE, likewise at the top level; an Excel without custom functions
// (CustomFunctionsRuntime) has no CustomFunctions namespace and the add-in runs without them.
try {
  registerCustomFunctions();
} catch (e) {
  console.error("could not register the custom functions", e);
}

const UI_FAILED = {
  zh: "填报窗格的程序文件未能加载（可能刚刚更新了版本，或网络中断）。请关闭并重新打开本窗格；如仍不行，请改用网页版填报。",
  en: "The pane's program file did not load (a new version may just have been deployed, or the network dropped). Close and reopen the pane; if that does not help, use the web page.",
};

let uiLoaded = false;
/**
 * Loads the pane's UI once. It is small and loaded as soon as the pane could be on screen: when
 * the page is visible, when Office says the pane is shown (SharedRuntime 1.1's
 * onVisibilityModeChanged, https://learn.microsoft.com/office/dev/add-ins/develop/show-hide-add-in),
 * or when the browser says the page became visible. A chunk that fails to load (the runtime outlived
 * a deployment) is explained, never left on 正在加载….
 */
function loadUi(force = false): void {
  if (uiLoaded || (!force && document.visibilityState !== "visible")) return;
  uiLoaded = true;
  import("./taskpane/ui")
    .then((m) => m.mountPane(document.getElementById("app")!))
    .catch((e: unknown) => {
      console.error("the pane's UI did not load", e);
      uiLoaded = false;
      showStartupError?.(UI_FAILED.zh, UI_FAILED.en);
    });
}

void Office.onReady((info) => {
  restoreSession(); // guarded: a browser that refuses storage leaves the user signed out, never a failed start
  const problem = startupProblem(info.host ? String(info.host) : null, (name, version) => Office.context.requirements.isSetSupported(name, version));
  if (problem) {
    showStartupError?.(problem.zh, problem.en);
    return;
  }
  loadUi();
  document.addEventListener("visibilitychange", () => loadUi());
  try {
    void Office.addin.onVisibilityModeChanged((args) => { if (String(args.visibilityMode) === "Taskpane") loadUi(true); });
  } catch { /* a host without it: visibility is enough */ }
});
