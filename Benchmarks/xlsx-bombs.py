#!/usr/bin/env python3
"""Writes the two hostile workbooks of issue 14 item 2 into a folder, for measuring what the
importer's memory does with them (docs/performance.md, "Hostile XLSX files"):

  laughs.xlsx  about 2 KB: shared strings whose one entry nests ten levels of ten entity references
  bomb.xlsx    about 1 MB: xl/workbook.xml unpacks to 1 GiB of white space

Usage: Benchmarks/xlsx-bombs.py OUT_DIR
"""
import os
import sys
import zipfile

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = f'<?xml version="1.0"?><workbook xmlns="{NS}"><sheets><sheet name="s" sheetId="1"/></sheets></workbook>'
SHEET = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'


def laughs(path):
    doctype = '<!DOCTYPE sst [<!ENTITY l0 "lol">'
    for level in range(1, 10):
        doctype += f'<!ENTITY l{level} "' + f"&l{level - 1};" * 10 + '">'
    doctype += "]>"
    strings = f'<?xml version="1.0"?>{doctype}<sst xmlns="{NS}"><si><t>&l9;</t></si></sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/worksheets/sheet1.xml", SHEET)


def bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("xl/workbook.xml", "w", force_zip64=True) as part:
            part.write(WORKBOOK.encode())
            chunk = b" " * (1 << 20)
            for _ in range(1024):
                part.write(chunk)
        z.writestr("xl/worksheets/sheet1.xml", SHEET)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    laughs(os.path.join(out, "laughs.xlsx"))
    bomb(os.path.join(out, "bomb.xlsx"))
    for name in ("laughs.xlsx", "bomb.xlsx"):
        print(name, os.path.getsize(os.path.join(out, name)), "bytes")
