#!/usr/bin/env python3
"""Regenerates the Excel 97 (BIFF8) and Excel 95 (BIFF7) fixtures of the
office package tests from a hand-written workbook, with gnumeric's
ssconvert (Debian package gnumeric). Tests never run this; all data is
synthetic (fictional people, phone numbers in the 090-0000 style).

The Excel 95 file stores 8-bit strings in the code page of the locale, so
ssconvert must run in a Japanese one (CP932):
    localedef -i ja_JP -f UTF-8 /tmp/loc/ja_JP.UTF-8
    LOCPATH=/tmp/loc python3 make_fixtures.py"""
import os, subprocess, tempfile, zipfile
from xml.sax.saxutils import escape

def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in rows:
        out.append('<row r="%d">' % r)
        for c, v in row:
            ref = "%s%d" % (col(c), r)
            if isinstance(v, (int, float)):
                out.append('<c r="%s"><v>%s</v></c>' % (ref, v))
            elif isinstance(v, tuple):  # formula
                out.append('<c r="%s" t="str"><f>%s</f><v>%s</v></c>' % (ref, escape(v[0]), escape(v[1])))
            else:
                out.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    return "".join(out)

tokusoku = [
    (1, [(0, "利用者番号"), (1, "氏名"), (2, "電話番号"), (3, "書名"), (4, "返却期限")]),
    (2, [(0, "A0001"), (1, "岡崎 花子"), (2, "090-0000-1111"), (3, "坊っちゃん"), (4, "2010-05-01")]),
    (3, [(0, "A0002"), (1, "矢作 次郎"), (2, 9000002222), (3, "こころ"), (4, "2010-05-02")]),
    (5, [(0, "A0003"), (1, "額田 三子"), (3, "草枕"), (4, ("CONCATENATE(\"2010-\",\"05-03\")", "2010-05-03"))]),
    (6, [(0, "A0004"), (1, "本宿 四郎"), (2, "0564-00-3333"), (3, "三四郎"), (4, 40303.5)]),
]
zousho = [(1, [(0, "書名"), (1, "著者")]),
          (2, [(0, "坊っちゃん"), (1, "夏目 漱石")])]
# Many distinct strings, so that the shared string table runs into CONTINUE records.
many = [(1, [(0, "番号"), (1, "文")])] + [
    (i + 2, [(0, i), (1, "連続した試験用の文字列その%04d番目です" % i)]) for i in range(300)]

sheets = [("督促", tokusoku), ("蔵書", zousho), ("多数", many)]
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1) for i in range(len(sheets)))
      + '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      + "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1) for i, (n, _) in enumerate(sheets))
      + '</sheets></workbook>')
wbrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
          + "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(len(sheets)))
          + '</Relationships>')

here = os.path.dirname(os.path.abspath(__file__))
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src.xlsx")
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        for i, (_, rows) in enumerate(sheets):
            z.writestr("xl/worksheets/sheet%d.xml" % (i + 1), sheet_xml(rows))
    for out, exporter in [("patrons.xls", "Gnumeric_Excel:excel_biff8"),
                          ("patrons95.xls", "Gnumeric_Excel:excel_biff7"),
                          ("patrons-gnumeric.xlsx", "Gnumeric_Excel:xlsx2")]:
        env = dict(os.environ, LANG="ja_JP.UTF-8", LC_ALL="ja_JP.UTF-8")
        subprocess.run(["ssconvert", "-T", exporter, src, os.path.join(here, out)], check=True, env=env)
