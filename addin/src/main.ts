// The shared runtime's entry: registers the ribbon functions at once, and loads the pane's UI
// only when the pane is shown (a ribbon click alone never pays for it).
import { RIBBON_FUNCTIONS } from "./commands/commands";
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

let uiLoaded = false;
function loadUi(): void {
  if (uiLoaded || document.visibilityState !== "visible") return;
  uiLoaded = true;
  void import("./taskpane/ui").then((m) => m.mountPane(document.getElementById("app")!));
}

void Office.onReady((info) => {
  const problem = startupProblem(info.host ? String(info.host) : null, (name, version) => Office.context.requirements.isSetSupported(name, version));
  if (problem) {
    showStartupError?.(problem.zh, problem.en);
    return;
  }
  restoreSession();
  loadUi();
  document.addEventListener("visibilitychange", loadUi);
});
