// What an uploaded file would lose of the current revision (409 loss_not_acknowledged): each 说明 it
// drops and each signature field it changes, side by side, with the choice to go ahead knowingly or
// to download the current version (which carries every note and the signature) instead.
import { SIGNATURE_NAMES, type LostWritingSchema, type SignatureField } from "@tianbao/shared";
import type { z } from "zod";
import { h } from "../taskpane/dom";
import { busyButton, downloadButton, fmt, type Desk } from "./desk";

type Lost = z.infer<typeof LostWritingSchema>;

const L = {
  title: { zh: "这份文件与当前的第 {rev} 版相比，下列已填写的内容将会丢失：", en: "Compared with the current revision {rev}, this file would lose what was written here:" },
  what: { zh: "内容", en: "What" },
  now: { zh: "第 {rev} 版中", en: "In revision {rev}" },
  inFile: { zh: "这份文件", en: "This file" },
  note: { zh: "{name} 的说明", en: "note on {name}" },
  empty: { zh: "（空）", en: "(empty)" },
  go: { zh: "确认不保留这些内容，上报这份文件", en: "Submit this file without them" },
  current: { zh: "下载当前版本的填报表（含说明和签字栏）", en: "Download the current revision's sheet (notes and signature included)" },
};

export function lossView(desk: Desk, lost: Lost, nameOf: (code: string) => string, go: () => Promise<void>, currentPath: string): HTMLElement {
  const { lang } = desk;
  const v = { rev: lost.revision };
  const row = (key: string, what: string, before: string, after: string | null) =>
    h("tr", { "data-lost": key }, h("td", {}, what), h("td", {}, before), h("td", { class: after === null ? "gone" : "" }, after ?? L.empty[lang]));
  return h("div", { class: "stale lost" },
    h("p", {}, fmt(L.title[lang], v)),
    h("table", { class: "diff" },
      h("thead", {}, h("tr", {}, h("th", {}, L.what[lang]), h("th", {}, fmt(L.now[lang], v)), h("th", {}, L.inFile[lang]))),
      h("tbody", {},
        ...lost.notes.map((n) => row(n.indicator, fmt(L.note[lang], { name: nameOf(n.indicator) }), n.before, null)),
        ...lost.signature.map((s) => row(s.field, SIGNATURE_NAMES[s.field as SignatureField]?.[lang] ?? s.label, s.before, s.after)))),
    h("div", { class: "actions" },
      busyButton(L.go[lang], "…", { class: "primary submit-losing" }, go),
      downloadButton(desk, L.current[lang], "download-current", currentPath)));
}
