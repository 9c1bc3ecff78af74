/* Runs before the add-in's module, in any webview (plain ES5, no module syntax). When the pane or
   the ribbon cannot start, the user is told why in Chinese and English, with a link to the web
   page, instead of an endless "正在加载…". The cases, decided without timers:
   - office.js did not load (no route to appsforoffice.microsoft.com, common on government intranets):
     it is a classic script before this one, so by now it has either run or failed;
   - the webview cannot run ES modules (Internet Explorer 11 / old Office): no noModule support;
   - the module did not start (an engine too old for its syntax, or app.js unreachable): module
     scripts run before DOMContentLoaded, and app.js sets window.tianbaoStarted first thing. */
(function () {
  var officeLoaded = typeof window.Office !== "undefined";
  var modules = "noModule" in document.createElement("script");
  function show(zh, en) {
    var app = document.getElementById("app");
    if (!app) return;
    var box = document.createElement("div");
    box.className = "startup-error";
    box.setAttribute("role", "alert");
    var p1 = document.createElement("p");
    p1.textContent = zh;
    var p2 = document.createElement("p");
    p2.textContent = en;
    p2.className = "en";
    var link = document.createElement("a");
    link.href = "/";
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = "打开网页版填报（无需插件）· Open the web page (no add-in needed)";
    box.appendChild(p1);
    box.appendChild(p2);
    box.appendChild(link);
    while (app.firstChild) app.removeChild(app.firstChild);
    app.appendChild(box);
  }
  window.tianbaoStartupError = show;
  document.addEventListener("DOMContentLoaded", function () {
    if (!officeLoaded) {
      show("无法加载 Office 组件（office.js）：本机无法访问 appsforoffice.microsoft.com。请联系网络管理员放行该地址，或改用网页版填报。",
        "Office.js could not be loaded: this computer cannot reach appsforoffice.microsoft.com. Ask your network administrator to allow it, or use the web page instead.");
    } else if (!modules || !window.tianbaoStarted) {
      show("此 Excel 版本过旧，无法运行插件。需要 Excel 2021、Microsoft 365 版 Excel 或网页版 Excel；也可改用网页版填报。",
        "This version of Excel is too old to run the add-in. It needs Excel 2021, Microsoft 365 Excel or Excel on the web; or use the web page instead.");
    }
  });
})();
