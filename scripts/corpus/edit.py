# Run by make.mjs: python3 edit.py <base dir> <out dir> <work dir>
#
# Edits the workbooks render.ts drew the way officials edit them, with two real third-party
# writers: LibreOffice 7 (driven through UNO, as a person drives it: typing goes through
# .uno:EnterString, so what is typed is parsed by the profile's locale exactly as at the keyboard)
# in zh-CN and de-DE profiles, and python3-openpyxl (what a script, or Excel's way of writing
# percent and date formats, produces). Each file reproduces one class of issue 20; the expected
# answers are in worker/test/corpus/manifest.ts.
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

import openpyxl
import uno
from com.sun.star.beans import PropertyValue

BASE, OUT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
FILL_SHEET = "晋城市2025年-语料县"


def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def named(name, value):
    v = uno.createUnoStruct("com.sun.star.beans.NamedValue")
    v.Name, v.Value = name, value
    return v


class LibreOffice:
    """One headless LibreOffice with a private profile whose locale is `locale` (zh-CN, de-DE)."""

    def __init__(self, locale):
        self.profile = tempfile.mkdtemp(prefix=f"lo-{locale}-", dir=WORK)
        os.makedirs(f"{self.profile}/user")
        with open(f"{self.profile}/user/registrymodifications.xcu", "w") as f:
            f.write(f'''<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>''')
        pipe = f"tianbao-corpus-{os.getpid()}-{locale}"
        # a fresh profile restarts LibreOffice once on first start: let that happen before connecting
        subprocess.run(["/usr/bin/soffice", f"-env:UserInstallation=file://{self.profile}", "--headless", "--norestore", "--terminate_after_init"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        self.proc = subprocess.Popen(
            ["/usr/bin/soffice", f"-env:UserInstallation=file://{self.profile}", "--headless", "--norestore", "--nolockcheck", "--invisible", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(200):
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.3)
        else:
            raise RuntimeError("LibreOffice did not start")
        self.desk = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatch = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)

    def open(self, name):
        # a copy of its own for each open: a lock file left by one document never blocks the next
        copy = tempfile.mkdtemp(dir=WORK)
        shutil.copy(f"{BASE}/{name}", copy)
        name = f"{copy}/{name}"
        for _ in range(20):  # right after start-up the first load may come back empty
            doc = self.desk.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(name)), "_blank", 0, props(Hidden=True))
            if doc is not None:
                break
            time.sleep(0.5)
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {name}")
        return doc

    def new(self):
        return self.desk.loadComponentFromURL("private:factory/scalc", "_blank", 0, props(Hidden=True))

    def type(self, doc, sheet, cell, text):
        """Types `text` into `cell` as at the keyboard (the profile's locale parses it)."""
        doc.CurrentController.setActiveSheet(doc.Sheets.getByName(sheet))
        frame = doc.CurrentController.Frame
        self.dispatch.executeDispatch(frame, ".uno:GoToCell", "", 0, props(ToPoint=cell))
        self.dispatch.executeDispatch(frame, ".uno:EnterString", "", 0, props(StringName=text))

    def save(self, doc, name, **extra):
        args = props(FilterName="Calc MS Excel 2007 XML", **extra)
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(os.path.abspath(f"{OUT}/{name}")), uno.Any("[]com.sun.star.beans.PropertyValue", args)))
        try:
            doc.close(True)
        except Exception:
            pass

    def quit(self):
        try:
            self.desk.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def pyxl(src, name, edit=None):
    wb = openpyxl.load_workbook(f"{BASE}/{src}")
    if edit:
        edit(wb)
    wb.save(f"{OUT}/{name}")


# ---------------------------------------------------------------- LibreOffice, zh-CN profile
def zh_cn(lo):
    # f01: opened and saved again, no edit
    lo.save(lo.open("fill.xlsx"), "f01-lo-zh-resave.xlsx")

    # f04: figures typed as a person types them in zh-CN: a new figure, a date-like answer and a
    # percent note typed into Text cells (they stay what was typed)
    d = lo.open("fill.xlsx")
    lo.type(d, FILL_SHEET, "D29", "520")
    lo.type(d, FILL_SHEET, "D56", "3月1日")
    lo.type(d, FILL_SHEET, "F29", "12.5%")
    lo.save(d, "f04-lo-zh-typed.xlsx")

    # f06: the 上期数值 column dragged in front of 本期数值 (sheet unprotected first, as one must)
    d = lo.open("fill.xlsx")
    s = d.Sheets.getByName(FILL_SHEET)
    s.unprotect("")
    s.Columns.insertByIndex(3, 1)
    s.moveRange(s.getCellByPosition(3, 0).CellAddress, s.getCellRangeByName("F1:F1048576").RangeAddress)
    s.Columns.removeByIndex(5, 1)
    lo.save(d, "f06-lo-zh-swap-columns.xlsx")

    # f07: a blank column inserted before 本期数值
    d = lo.open("fill.xlsx")
    s = d.Sheets.getByName(FILL_SHEET)
    s.unprotect("")
    s.Columns.insertByIndex(3, 1)
    lo.save(d, "f07-lo-zh-insert-column.xlsx")

    # f08: a backup copy (备份) placed first, then the real sheet corrected
    d = lo.open("fill.xlsx")
    d.Sheets.copyByName(FILL_SHEET, "备份", 0)
    lo.type(d, FILL_SHEET, "D29", "520")
    lo.save(d, "f08-lo-zh-backup-first.xlsx")


    # f12: 45% typed into the 万元 cell D12 (LibreOffice keeps the cell's 0.00 format: it shows 0.45)
    d = lo.open("fill.xlsx")
    lo.type(d, FILL_SHEET, "D12", "45%")
    lo.save(d, "f12-lo-zh-percent-typed-in-amount.xlsx")

    # f14: 3月1日 typed into a count cell: zh-CN makes it a date (of the current year)
    d = lo.open("fill.xlsx")
    lo.type(d, FILL_SHEET, "D14", "3月1日")
    lo.save(d, "f14-lo-zh-date-in-count.xlsx")

    # f20: a notes sheet added first, the fill sheet hidden
    d = lo.open("fill.xlsx")
    d.Sheets.insertNewByName("笔记", 0)
    d.Sheets.getByName("笔记").getCellRangeByName("A1").setString("上报前请科长过目")
    d.Sheets.getByName(FILL_SHEET).IsVisible = False
    lo.save(d, "f20-lo-zh-hidden-notes-first.xlsx")

    # f21: a chart of three figures placed on the fill sheet (a drawing and a chart part)
    d = lo.open("fill.xlsx")
    s = d.Sheets.getByName(FILL_SHEET)
    s.unprotect("")
    rect = uno.createUnoStruct("com.sun.star.awt.Rectangle")
    rect.X, rect.Y, rect.Width, rect.Height = 20000, 2000, 10000, 6000
    s.Charts.addNewByName("图表1", rect, (s.getCellRangeByName("B29:D31").RangeAddress,), False, True)
    lo.save(d, "f21-lo-zh-chart.xlsx")

    # f22: saved with an opening password
    # (LibreOffice 7.4 here fails writing the default Agile encryption; ECMA-376 Standard encryption,
    # which Excel opens too, is written. Options must reach it typed, hence uno.invoke in save.)
    lo.save(lo.open("fill.xlsx"), "f22-lo-zh-password.xlsx",
            EncryptionData=uno.Any("[]com.sun.star.beans.NamedValue", (named("OOXPassword", "corpus-secret"), named("CryptoType", "Standard"))))

    # f23: a new blank workbook; f25: an unrelated workbook of someone's own
    lo.save(lo.new(), "f23-lo-zh-blank.xlsx")
    d = lo.new()
    for row, (a, b) in enumerate([("产品名称", "数量"), ("水泥", "120"), ("钢材", "85"), ("合计", "=SUM(B2:B3)")]):
        lo.type(d, d.Sheets.getByIndex(0).Name, f"A{row + 1}", a)
        lo.type(d, d.Sheets.getByIndex(0).Name, f"B{row + 1}", b)
    lo.save(d, "f25-lo-zh-unrelated.xlsx")

    # d01: the designer workbook saved again; d04: a sheet renamed; d05: a column inserted in 指标
    lo.save(lo.open("designer.xlsx"), "d01-lo-zh-resave.xlsx")
    d = lo.open("designer.xlsx")
    d.Sheets.getByName("指标").Name = "指标（新）"
    lo.save(d, "d04-lo-zh-renamed-sheet.xlsx")
    d = lo.open("designer.xlsx")
    d.Sheets.getByName("指标").Columns.insertByIndex(4, 1)
    lo.save(d, "d05-lo-zh-insert-column.xlsx")

    # u01: the 单位与账号 workbook saved again; u04: its sheets renamed; u05: a column inserted
    lo.save(lo.open("directory.xlsx"), "u01-lo-zh-resave.xlsx")
    d = lo.open("directory.xlsx")
    d.Sheets.getByName("单位").Name = "Units"
    d.Sheets.getByName("账号").Name = "Accounts"
    lo.save(d, "u04-lo-zh-renamed-sheets.xlsx")
    d = lo.open("directory.xlsx")
    d.Sheets.getByName("单位").Columns.insertByIndex(2, 1)
    lo.save(d, "u05-lo-zh-insert-column.xlsx")

    # f09: last year's tab first, this year's filled tab second
    d = lo.open("fill.xlsx")
    old = lo.open("fill-r2024.xlsx")
    d.Sheets.importSheet(old, old.Sheets.getByIndex(0).Name, 0)
    # (LibreOffice 7.4 may crash closing a document after importSheet: done last, the file already saved)
    lo.save(d, "f09-lo-zh-last-year-first.xlsx")


# ---------------------------------------------------------------- LibreOffice, de-DE profile
def de_de(lo):
    # f05: decimals typed with a decimal comma and a grouping dot
    d = lo.open("fill.xlsx")
    lo.type(d, FILL_SHEET, "D22", "58,9")
    lo.type(d, FILL_SHEET, "D39", "2.750,5")
    lo.save(d, "f05-lo-de-typed.xlsx")
    # d02: 30% typed into 环比提示 % of work_funds (指标!K9, a Text cell)
    d = lo.open("designer.xlsx")
    lo.type(d, "指标", "K9", "30%")
    lo.save(d, "d02-lo-de-typed-30pct.xlsx")
    # u02: a second new unit typed in, its landline with the leading 0
    d = lo.open("directory.xlsx")
    for cell, text in [("A4", "corpus_new2"), ("B4", "语料二区"), ("C4", "Corpus New 2"), ("D4", "县（区）"), ("E4", "jincheng"), ("F4", "王五"), ("G4", "03562021235")]:
        lo.type(d, "单位", cell, text)
    lo.save(d, "u02-lo-de-typed-landline.xlsx")

# ---------------------------------------------------------------- openpyxl
pyxl("fill-zezhou.xlsx", "f11-openpyxl-other-unit.xlsx")


def percent_amount(wb):  # how Excel stores 45% typed into an amount cell: 0.45 under 0%
    c = wb[FILL_SHEET]["D12"]
    c.value, c.number_format = 0.45, "0%"
pyxl("fill.xlsx", "f13-openpyxl-percent-in-amount.xlsx", percent_amount)


def shown_in_text(wb):  # a date pasted into the text answer, a percent into a note
    ws = wb[FILL_SHEET]
    ws["D56"].value, ws["D56"].number_format = datetime.datetime(2025, 3, 1), 'm"月"d"日"'
    ws["F14"].value, ws["F14"].number_format = 0.125, "0.0%"
pyxl("fill.xlsx", "f15-openpyxl-date-percent-in-text.xlsx", shown_in_text)


def date_in_count(wb):  # 3月1日 as Excel zh-CN stores it when typed into a count cell
    c = wb[FILL_SHEET]["D14"]
    c.value, c.number_format = datetime.datetime(2025, 3, 1), 'yyyy"年"m"月"d"日"'
pyxl("fill.xlsx", "f27-openpyxl-date-in-count.xlsx", date_in_count)


def na_in_count(wb):
    wb[FILL_SHEET]["D14"].value = "#N/A"
pyxl("fill.xlsx", "f16-openpyxl-na-in-count.xlsx", na_in_count)


def div0_in_text(wb):
    wb[FILL_SHEET]["D56"].value = "#DIV/0!"
pyxl("fill.xlsx", "f17-openpyxl-div0-in-text.xlsx", div0_in_text)


def seventeen_digits(wb):  # values pasted from calculations
    ws = wb[FILL_SHEET]
    ws["D22"].value = 30.299999999999997
    ws["D12"].value = 14.200000000000001
pyxl("fill.xlsx", "f18-openpyxl-17-digits.xlsx", seventeen_digits)


def over_rate(wb):  # 45% typed over the computed 标准覆盖率
    c = wb[FILL_SHEET]["D32"]
    c.value, c.number_format = 0.45, "0%"
pyxl("fill.xlsx", "f19-openpyxl-over-rate.xlsx", over_rate)

openpyxl.Workbook().save(f"{OUT}/f24-openpyxl-blank.xlsx")


def pct_number(wb):  # 30% as Excel stores it: 0.3 under 0%
    c = wb["指标"]["K9"]
    c.value, c.number_format = 0.3, "0%"
pyxl("designer.xlsx", "d03-openpyxl-30pct-number.xlsx", pct_number)


def past_z(wb):
    wb["指标"]["AB3"].value = "备注：待定"
pyxl("designer.xlsx", "d06-openpyxl-past-z.xlsx", past_z)


def landline_number(wb):  # the phone written as a number into a General cell
    c = wb["单位"]["G3"]
    c.value, c.number_format = 3562021234, "General"
pyxl("directory.xlsx", "u03-openpyxl-landline-number.xlsx", landline_number)


def no_accounts(wb):
    del wb["账号"]
pyxl("directory.xlsx", "u06-openpyxl-no-accounts-sheet.xlsx", no_accounts)


for locale, edits in [("zh-CN", zh_cn), ("de-DE", de_de)]:
    office = LibreOffice(locale)
    try:
        edits(office)
    finally:
        office.quit()


def embed_worksheet(src, name):
    """An embedded Excel worksheet object laid out as Excel writes one (xl/embeddings/*.xlsx,
    a package relationship and <oleObjects>), added to `src` by a direct edit of its XML."""
    inner = f"{WORK}/inner.xlsx"
    openpyxl.Workbook().save(inner)
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    parts["xl/embeddings/Microsoft_Excel_Worksheet.xlsx"] = open(inner, "rb").read()
    ct = parts["[Content_Types].xml"].decode()
    if 'Extension="xlsx"' not in ct:
        ct = ct.replace("<Default ", '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/><Default ', 1)
    parts["[Content_Types].xml"] = ct.encode()
    rel = '<Relationship Id="rIdOle1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
    r = parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>').decode()
    parts[rels] = r.replace("</Relationships>", rel + "</Relationships>").encode()
    x = parts[sheet].decode()
    ole = '<oleObjects><oleObject progId="Excel.Sheet.12" shapeId="1025" r:id="rIdOle1"/></oleObjects>'
    if "xmlns:r=" not in x[:2000]:
        x = x.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    at = min([i for i in (x.find("<tableParts"), x.find("<extLst"), x.find("</worksheet>")) if i >= 0])
    parts[sheet] = (x[:at] + ole + x[at:]).encode()
    with zipfile.ZipFile(f"{OUT}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


# f26: the LibreOffice re-save of f01 with an embedded worksheet object
embed_worksheet(f"{OUT}/f01-lo-zh-resave.xlsx", "f26-xml-embedded-worksheet.xlsx")
