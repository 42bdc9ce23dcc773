// The UI's number format and its export helper, outside the browser:
// fmt2 (web/src/num.js) on numbers and strings; a workbook written by
// web/src/export.js (ExcelJS) read back cell by cell with ExcelJS and by
// kaoping's own XLSX reader (the caller runs `kaoping table import` on
// the file this writes); the CSV with its BOM.  Prints "ok - what" /
// "not ok - what" lines that tests/web/test_export.sh counts.
//
//   KP_ROOT=… OUT=FILE.xlsx node export.test.mjs
import path from 'node:path'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const root = process.env.KP_ROOT
const { fmt2, fmt2d } = await import(pathToFileURL(path.join(root, 'web/src/num.js')))
const { toXlsx, toCsv } = await import(pathToFileURL(path.join(root, 'web/src/export.js')))
const ExcelJS = createRequire(path.join(root, 'web/package.json'))('exceljs')

const ok = (cond, what) => console.log(`${cond ? 'ok' : 'not ok'} - ${what}`)
const cases = [
  [82, '82.00'], ['82.00', '82.00'], ['82', '82.00'], [-5, '-5.00'], ['-5.00', '-5.00'],
  [92.5, '92.50'], [4 / 3, '1.33'], [0.125, '0.13'], [2.675, '2.68'], [-0.004, '0.00'],
  [0, '0.00'], [null, ''], [undefined, ''], ['', ''], ['—', '—'],
]
for (const [v, want] of cases) {
  const got = fmt2(v)
  ok(got === want, `fmt2(${JSON.stringify(v)}) = ${JSON.stringify(want)} (${JSON.stringify(got)})`)
}
ok(fmt2d(null) === '—' && fmt2d('7.5') === '7.50', 'fmt2d: a dash for none, two decimals otherwise')

// A published-layout table, as an office would keep it in Excel.
const rows = [
  ['政务公开 (30分)', '基本信息 (4分)', '概况信息', 1, '机构职能 & 领导<信息>', '缺一项扣0.5分'],
  ['', '', '政策文件', '3', '规范性文件', '每项扣2分'],
  ['', '互动交流 (26分)', '领导信箱', '26.00', '按时回复', '酌情扣分'],
  ['网站建设（70分）', '栏目设置', '', '70', '栏目齐全', ''],
]
const heads = ['一级指标', '二级指标', '三级指标', '权重', '评估内容', '评分标准']
const cols = heads.map((label, i) => ({ label, value: (r) => r[i], num: label === '权重' }))
const buf = Buffer.from(await toXlsx(cols, rows, '指标表'))
fs.writeFileSync(process.env.OUT, buf)
ok(buf.subarray(0, 4).toString('latin1') === 'PK\x03\x04', 'toXlsx writes a ZIP')
const wb = new ExcelJS.Workbook()
await wb.xlsx.load(buf)
const ws = wb.worksheets[0]
ok(wb.worksheets.length === 1 && ws.name === '指标表', `one worksheet named 指标表 (${ws.name})`)
ok(ws.getRow(1).values.slice(1).join('|') === heads.join('|') && ws.getCell('A1').font?.bold, 'the header row, bold')
ok(ws.views?.[0]?.state === 'frozen' && ws.views[0].ySplit === 1, 'the header row frozen')
ok(ws.getCell('E2').value === '机构职能 & 领导<信息>', `text read back as written (${ws.getCell('E2').value})`)
ok(ws.getCell('D2').value === 1 && ws.getCell('D3').value === 3, 'numbers in a num column are number cells')
ok(ws.getCell('D4').value === 26 && ws.getCell('D4').numFmt === '0.00', `a two-decimal number (26.00) is 26 with the 0.00 format (${ws.getCell('D4').numFmt})`)
ok(ws.getCell('A3').value === null && ws.getCell('F5').value === null, 'empty cells stay empty')
// a code such as 3.10 in a text column is not turned into the number 3.1
const codes = await toXlsx([{ label: '编号', value: (r) => r }, { label: '得分', value: () => '—', num: true }], ['3.10', '1.2'])
const wb2 = new ExcelJS.Workbook()
await wb2.xlsx.load(Buffer.from(codes))
ok(wb2.worksheets[0].getCell('A2').value === '3.10' && wb2.worksheets[0].getCell('B2').value === '—', 'indicator codes stay text (3.10); a dash in a num column stays the dash shown')
const csv = toCsv(cols, rows)
ok(csv.startsWith('\ufeff一级指标,二级指标') && csv.includes('\r\n,互动交流 (26分),领导信箱,26.00,按时回复,酌情扣分\r\n'), 'CSV: a BOM, the text shown, CRLF lines')
ok(toCsv([{ label: 'a', value: (r) => r }], ['x,"y"']).endsWith('"x,""y"""\r\n'), 'CSV: a field with a comma or quote is quoted')
