// The add-in manifest (XML, task pane, shared runtime), generated for one base URL: the dev one at
// the repository root points at https://localhost:8787; `npm run build -- --base-url https://…`
// writes addin/dist/manifest.xml for production. Office requires HTTPS for every URL in the
// manifest, in development too (https://learn.microsoft.com/javascript/api/manifest/sourcelocation:
// "must be an HTTPS address"), so http is refused here, localhost included.
import { readFileSync } from "node:fs";

const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

/** Every user-visible string, en-US first (the default locale) with its zh-CN override. */
export const STRINGS = {
  short: {
    "Group.Label": ["Quality reporting", "质量填报"],
    "OpenPane.Label": ["Open pane", "打开填报窗格"],
    "Submit.Label": ["Submit", "一键上报"],
    "Totals.Label": ["Download totals", "下载汇总"],
    "GetStarted.Title": ["Tianbao is ready", "天宝填报已就绪"],
  },
  long: {
    "OpenPane.Tip": ["Sign in, see what is due, pull the template into a sheet and check it.", "登录、查看待报任务、拉取填报模板并校验。"],
    "Submit.Tip": ["Validate the active sheet and submit it to the city.", "校验当前工作表并上报市局。"],
    "Totals.Tip": ["City roles: write the totals and completeness sheets for the round.", "市局用户：下载本轮汇总表和完成情况表。"],
    "GetStarted.Description": ["Open the Quality reporting group on the Home tab.", "在“开始”选项卡的“质量填报”组中打开。"],
  },
};

/**
 * Live totals in cells: custom functions in the shared runtime (the CustomFunctions extension point's
 * Page is the task pane, https://learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime),
 * metadata in addin/static/functions.json. Deliberately no CustomFunctionsRuntime requirement: in the
 * base <Requirements> it would stop the add-in installing where custom functions are missing, and in
 * <VersionOverrides> it would drop every ribbon button there too ("Specify Office applications and API
 * requirements": Design for alternate experiences). The pane checks isSetSupported instead and says
 * where the functions work.
 */
export const FUNCTIONS_NAMESPACE = "TIANBAO";

/** Different Ids, so a developer's sideloaded copy and the deployed add-in can sit side by side. */
export const MANIFEST_IDS = { dev: "5f0c2a4e-7b1d-4c2e-9a61-3d8e2b7c1f40", production: "b8e3d1a7-2c4f-4e69-8d15-6a9f0c3e7b52" };

/** The add-in's version (addin/package.json) as the manifest's four-part Version. */
export const MANIFEST_VERSION = (() => {
  const v = JSON.parse(readFileSync(new URL("../addin/package.json", import.meta.url), "utf8")).version;
  const parts = String(v).split("-")[0].split(".").map(Number);
  while (parts.length < 4) parts.push(0);
  return parts.slice(0, 4).join(".");
})();

export const isDevBaseUrl = (baseUrl) => /^https:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(baseUrl);

export function buildManifest(baseUrl) {
  if (!/^https:\/\/[^/\s"<>&]+(\/[^\s"<>&]*)?$/.test(baseUrl)) throw new Error(`manifest: the base URL must be https (Office loads add-ins only over HTTPS): ${baseUrl}`);
  const base = baseUrl.replace(/\/$/, "");
  const dev = isDevBaseUrl(baseUrl);
  const id = dev ? MANIFEST_IDS.dev : MANIFEST_IDS.production;
  // the development copy says so in its name and its ribbon group, so the two never look alike
  const tag = ([en, zh]) => (dev ? [`${en} (dev)`, `${zh}（开发）`] : [en, zh]);
  // the functions' namespace (=TIANBAO.TOTAL): the development copy's differs, or the two would clash
  // when both are installed ("If your function name is the same as a function name in an add-in
  // that already exists, the #REF! error will appear", custom-functions-naming)
  const short = { ...STRINGS.short, "Group.Label": tag(STRINGS.short["Group.Label"]), "Functions.Namespace": Array(2).fill(dev ? `${FUNCTIONS_NAMESPACE}DEV` : FUNCTIONS_NAMESPACE) };
  const str = (tag, [en, zh], id) =>
    `        <bt:${tag} id="${id}" DefaultValue="${esc(en)}">\n          <bt:Override Locale="zh-CN" Value="${esc(zh)}"/>\n        </bt:${tag}>`;
  const icons = `<Icon>
                    <bt:Image size="16" resid="Icon.16"/>
                    <bt:Image size="32" resid="Icon.32"/>
                    <bt:Image size="80" resid="Icon.80"/>
                  </Icon>`;
  const button = (id, label, tip, action) => `                <Control xsi:type="Button" id="${id}">
                  <Label resid="${label}"/>
                  <Supertip>
                    <Title resid="${label}"/>
                    <Description resid="${tip}"/>
                  </Supertip>
                  ${icons}
                  ${action}
                </Control>`;
  const execute = (fn) => `<Action xsi:type="ExecuteFunction">
                    <FunctionName>${fn}</FunctionName>
                  </Action>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0" xmlns:ov="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="TaskPaneApp">
  <Id>${id}</Id>
  <Version>${MANIFEST_VERSION}</Version>
  <ProviderName>Tianbao</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="${esc(tag(["Tianbao quality reporting", "天宝质量填报"])[0])}">
    <Override Locale="zh-CN" Value="${esc(tag(["Tianbao quality reporting", "天宝质量填报"])[1])}"/>
  </DisplayName>
  <Description DefaultValue="Report quality-supervision indicators to the city from Excel, and get correct totals back.">
    <Override Locale="zh-CN" Value="在 Excel 中填报质量监管指标、一键上报市局，并下载准确的汇总表。"/>
  </Description>
  <IconUrl DefaultValue="${base}/assets/icon-32.png"/>
  <HighResolutionIconUrl DefaultValue="${base}/assets/icon-64.png"/>
  <SupportUrl DefaultValue="${base}/"/>
  <AppDomains>
    <AppDomain>${base}</AppDomain>
  </AppDomains>
  <Hosts>
    <Host Name="Workbook"/>
  </Hosts>
  <Requirements>
    <Sets DefaultMinVersion="1.1">
      <Set Name="ExcelApi" MinVersion="1.11"/>
      <Set Name="SharedRuntime" MinVersion="1.1"/>
    </Sets>
  </Requirements>
  <DefaultSettings>
    <SourceLocation DefaultValue="${base}/taskpane"/>
  </DefaultSettings>
  <Permissions>ReadWriteDocument</Permissions>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Hosts>
      <Host xsi:type="Workbook">
        <Runtimes>
          <Runtime resid="Taskpane.Url" lifetime="long"/>
        </Runtimes>
        <AllFormFactors>
          <ExtensionPoint xsi:type="CustomFunctions">
            <Script>
              <SourceLocation resid="Functions.Script.Url"/>
            </Script>
            <Page>
              <SourceLocation resid="Taskpane.Url"/>
            </Page>
            <Metadata>
              <SourceLocation resid="Functions.Metadata.Url"/>
            </Metadata>
            <Namespace resid="Functions.Namespace"/>
          </ExtensionPoint>
        </AllFormFactors>
        <DesktopFormFactor>
          <GetStarted>
            <Title resid="GetStarted.Title"/>
            <Description resid="GetStarted.Description"/>
            <LearnMoreUrl resid="Help.Url"/>
          </GetStarted>
          <FunctionFile resid="Taskpane.Url"/>
          <ExtensionPoint xsi:type="PrimaryCommandSurface">
            <OfficeTab id="TabHome">
              <Group id="Tianbao.Group">
                <Label resid="Group.Label"/>
                ${icons}
${button("Tianbao.OpenPane", "OpenPane.Label", "OpenPane.Tip", `<Action xsi:type="ShowTaskpane">
                    <TaskpaneId>Office.AutoShowTaskpaneWithDocument</TaskpaneId>
                    <SourceLocation resid="Taskpane.Url"/>
                  </Action>`)}
${button("Tianbao.Submit", "Submit.Label", "Submit.Tip", execute("submitActiveSheet"))}
${button("Tianbao.Totals", "Totals.Label", "Totals.Tip", execute("downloadTotals"))}
              </Group>
            </OfficeTab>
          </ExtensionPoint>
        </DesktopFormFactor>
      </Host>
    </Hosts>
    <Resources>
      <bt:Images>
        <bt:Image id="Icon.16" DefaultValue="${base}/assets/icon-16.png"/>
        <bt:Image id="Icon.32" DefaultValue="${base}/assets/icon-32.png"/>
        <bt:Image id="Icon.80" DefaultValue="${base}/assets/icon-80.png"/>
      </bt:Images>
      <bt:Urls>
        <bt:Url id="Taskpane.Url" DefaultValue="${base}/taskpane"/>
        <bt:Url id="Help.Url" DefaultValue="${base}/"/>
        <bt:Url id="Functions.Script.Url" DefaultValue="${base}/app.js"/>
        <bt:Url id="Functions.Metadata.Url" DefaultValue="${base}/functions.json"/>
      </bt:Urls>
      <bt:ShortStrings>
${Object.entries(short).map(([id, v]) => str("String", v, id)).join("\n")}
      </bt:ShortStrings>
      <bt:LongStrings>
${Object.entries(STRINGS.long).map(([id, v]) => str("String", v, id)).join("\n")}
      </bt:LongStrings>
    </Resources>
  </VersionOverrides>
</OfficeApp>
`;
}

/** The ribbon functions: manifest FunctionName = Office.actions.associate id = function name. */
export const RIBBON_FUNCTIONS = ["submitActiveSheet", "downloadTotals"];

export const DEV_BASE_URL = "https://localhost:8787";
