// The UI's number format and its XLSX writer, outside the browser:
// fmt2 (web/src/num.js) on numbers and strings, and a workbook written by
// web/src/xlsx.js read back by kaoping's own XLSX reader (the caller runs
// `kaoping table import` on the file this writes).  Prints "ok - what" /
// "not ok - what" lines that tests/web/test_export.sh counts.
//
//   KP_ROOT=… OUT=FILE.xlsx node export.test.mjs
import path from 'node:path'
import fs from 'node:fs'
import { pathToFileURL } from 'node:url'

const root = process.env.KP_ROOT
const { fmt2, fmt2d } = await import(pathToFileURL(path.join(root, 'web/src/num.js')))
const { toXlsx } = await import(pathToFileURL(path.join(root, 'web/src/xlsx.js')))

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
const cols = heads.map((label, i) => ({ label, value: (r) => r[i] }))
const blob = toXlsx(cols, rows, '指标表')
const buf = Buffer.from(await blob.arrayBuffer())
fs.writeFileSync(process.env.OUT, buf)
ok(buf.subarray(0, 4).toString('latin1') === 'PK\x03\x04', 'toXlsx writes a ZIP')
ok(buf.toString('utf8').includes('<t xml:space="preserve">机构职能 &amp; 领导&lt;信息&gt;</t>'), 'text is escaped as XML')
ok(buf.toString('utf8').includes('<c r="D4" s="1"><v>26</v></c>'), 'a two-decimal number is a number cell with the 0.00 format')
