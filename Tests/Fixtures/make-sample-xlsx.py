# Builds Tests/Fixtures/sample-case-export.xlsx from the CSV sample: shared strings for text,
# numeric cells for amounts, and date-formatted serial numbers for valid dates (as Excel saves them).
import csv, datetime, re, zipfile, io
from xml.sax.saxutils import escape
rows = list(csv.reader(open('Tests/Fixtures/sample-case-export.csv', encoding='utf-8-sig')))
shared, index = [], {}
def sid(text):
    if text not in index:
        index[text] = len(shared); shared.append(text)
    return index[text]
def col(n):
    s = ''
    n += 1
    while n: n, r = divmod(n - 1, 26); s = chr(65 + r) + s
    return s
date_columns = {rows[0].index('立案日期'), rows[0].index('结案日期')}
amount_columns = {rows[0].index('执行标的金额(元)'), rows[0].index('已履行金额(元)')}
def serial(text):
    m = re.fullmatch(r'(\d{4})-(\d{2})-(\d{2})', text)
    if not m: return None
    try: d = datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError: return None
    return (d - datetime.date(1899, 12, 30)).days
out = []
for r, row in enumerate(rows, start=1):
    cells = []
    for c, value in enumerate(row):
        ref = f'{col(c)}{r}'
        if value == '': continue
        if r > 1 and c in date_columns and serial(value) is not None:
            cells.append(f'<c r="{ref}" s="1"><v>{serial(value)}</v></c>')
        elif r > 1 and c in amount_columns and re.fullmatch(r'-?\d+(\.\d+)?', value):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="s"><v>{sid(value)}</v></c>')
    out.append(f'<row r="{r}">{"".join(cells)}</row>')
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
files = {
 '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
 '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
 'xl/workbook.xml': f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rns}><sheets><sheet name="案件" sheetId="1" r:id="rId1"/></sheets></workbook>',
 'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
 'xl/styles.xml': f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>',
 'xl/worksheets/sheet1.xml': f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{"".join(out)}</sheetData></worksheet>',
 'xl/sharedStrings.xml': f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(shared)}" uniqueCount="{len(shared)}">' + ''.join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in shared) + '</sst>',
}
with zipfile.ZipFile('Tests/Fixtures/sample-case-export.xlsx', 'w', zipfile.ZIP_DEFLATED) as z:
    for name, content in files.items():
        z.writestr(zipfile.ZipInfo(name, (2026, 11, 29, 0, 0, 0)), content.encode('utf-8'), zipfile.ZIP_DEFLATED)
print(len(rows), 'rows', len(shared), 'strings')
