// The shared runtime's entry: registers the ribbon functions at once, and loads the pane's UI
// only when the pane is shown (a ribbon click alone never pays for it).
import { RIBBON_FUNCTIONS } from "./commands/commands";
import { restoreSession } from "./flows/session";

let uiLoaded = false;
function loadUi(): void {
  if (uiLoaded || document.visibilityState !== "visible") return;
  uiLoaded = true;
  void import("./taskpane/ui").then((m) => m.mountPane(document.getElementById("app")!));
}

void Office.onReady(() => {
  restoreSession();
  for (const [id, fn] of Object.entries(RIBBON_FUNCTIONS)) Office.actions.associate(id, fn);
  loadUi();
  document.addEventListener("visibilitychange", loadUi);
});
