// Browser test of the UI embedded in `kaoping serve`: Debian's chromium,
// headless, driven by playwright-core (web/package.json) through the
// round a unit, an assessor, the office and the public go through:
//   a unit user logs in and submits a self-assessment (自评) with an
//   attachment (佐证材料, uploaded through el-upload);
//   an assessor scores the same unit beside its self score (考核), sees
//   the attachment and downloads it byte for byte;
//   the office rescores (重新计分) and publishes the round (公示);
//   the public sees the published ranking without logging in;
//   the office re-inspects (复查) a unit's site on 127.0.0.1 from 检测 and
//   waits for the new inspection.
// Each step asserts what the page shows (the figures of the sample round)
// and saves a screenshot in OUT.  Prints "ok - what" / "not ok - what"
// lines that tests/web/test_ui.sh counts.
//
//   BASE=http://127.0.0.1:PORT OUT=DIR ROUND=… node ui.test.mjs
import { createRequire } from 'node:module'
import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'

const require = createRequire(path.resolve(process.env.KP_ROOT || '.', 'web/package.json'))
const { chromium } = require('playwright-core')
const ExcelJS = require('exceljs')
const BASE = process.env.BASE
const OUT = process.env.OUT
const ROUND = process.env.ROUND
fs.mkdirSync(OUT, { recursive: true })

let failed = 0
const ok = (cond, what) => {
  console.log(`${cond ? 'ok' : 'not ok'} - ${what}`)
  if (!cond) failed++
}
// The attachment the unit uploads: a small PDF
const EVIDENCE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kp-ui-')), '自查材料.pdf')
fs.writeFileSync(EVIDENCE, '%PDF-1.4\n% 市公安局 2.2 自查材料\n' + 'x'.repeat(2000) + '\n%%EOF\n')
const shot = (page, name) => page.screenshot({ path: path.join(OUT, name + '.png'), fullPage: true })

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
})
const outside = []            // any request that leaves this server
const errors = []             // script errors on the pages

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url()) })
  page.on('pageerror', (e) => errors.push(String(e)))
  return { ctx, page }
}

async function login(page, user, pass) {
  await page.goto(BASE + '/#/login')
  await page.fill('input[name=username]', user)
  await page.fill('input[name=password]', pass)
  await page.click('[data-test=login]')
  await page.waitForSelector('[data-test=who]')
}

// The row of a table whose first cell is code (the indicator's number).
const row = (page, table, code) =>
  page.locator(`[data-test=${table}] .el-table__body tr`).filter({
    has: page.locator('td:first-child', { hasText: new RegExp('^' + code.replace(/\./g, '\\.') + '$') }),
  }).first()
const cells = async (r) => (await r.locator('td').allInnerTexts()).map((s) => s.trim())

async function confirmDialog(page) {
  await page.locator('.el-message-box__btns .el-button--primary').click()
}

// The text of a downloaded file, by clicking the button with data-test t.
async function download(page, t) {
  const dl = page.waitForEvent('download')
  await page.click(`[data-test=${t}]`)
  const d = await dl
  return { name: d.suggestedFilename(), data: fs.readFileSync(await d.path()) }
}
// The cells of a downloaded workbook's first sheet, row by row.
async function xlsxRows(data) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(data)
  const out = []
  wb.worksheets[0].eachRow((r) => out.push(r.values.slice(1)))
  return out
}
const rowsOf = (page, t) => page.locator(`[data-test=${t}] .el-table__body tr`)
const rowWith = (page, t, text) => rowsOf(page, t).filter({ hasText: text }).first()

// ---- 管理员: 指标体系, 单位, 检测, 台账 (the registry pages) ----------------
// Each page is visited as the office, one real value asserted, a
// screenshot saved, and its table exported (CSV with a BOM, XLSX).
async function registryPages() {
  const { ctx, page } = await newPage()
  await login(page, 'admin1', 'admin-pass-1')

  // 指标体系: the round's table, each rule in Chinese
  await page.click('.el-menu-item:has-text("指标体系")')
  await page.waitForSelector('[data-test=tree-table] .el-table__body tr')
  const r3 = await cells(row(page, 'tree-table', '3'))
  ok(r3[2] === '50.00' && r3[4] === '倒扣分', `指标体系：3 分值 50.00，计分规则“倒扣分”（${r3[2]} ${r3[4]}）`)
  const r32 = await cells(row(page, 'tree-table', '3.2'))
  ok(r32[4] === '扣分项：最多扣25分', `指标体系：3.2 的计分规则“扣分项：最多扣25分”（${r32[4]}）`)
  const veto = await rowWith(page, 'tree-table', '一票否决').innerText()
  ok(veto.includes('一票否决：折算后的结果扣2分'), '指标体系：一票否决项写成中文“一票否决：折算后的结果扣2分”')
  const rules = await page.locator('[data-test=rule-text]').allInnerTexts()
  ok(rules.length > 20 && !rules.some((t) => /^[a-z_]+$/.test(t.trim())), `指标体系：${rules.length} 条规则都是中文，没有 deduct 之类的关键字`)
  await shot(page, '13-指标体系')
  const tx = await download(page, 'export-table-xlsx')
  const txr = await xlsxRows(tx.data)
  const t32 = txr.find((r) => r[0] === '3.2') || []
  ok(tx.name.endsWith('.xlsx') && t32[4] === '扣分项：最多扣25分', `指标体系导出 Excel：${tx.name}，3.2 的计分规则“扣分项：最多扣25分”（${t32[4]}）`)
  // import a published-layout table
  await page.click('[data-test=import-open]')
  await page.locator('.el-dialog input[type=file]').setInputFiles(process.env.PUB_CSV)
  await page.fill('[data-test=import-id] input, input[data-test=import-id]', 'web-2017')
  await page.click('[data-test=import-run]')
  await page.waitForSelector('[data-test=import-rules] .el-table__body tr')
  const imp = await cells(rowWith(page, 'import-rules', '政策文件'))
  ok(imp[0] === '1.1.2' && imp[2] === '倒扣分：每项扣2分' && imp[3] === '确定', `导入指标表：1.1.2 政策文件提出“倒扣分：每项扣2分”，确定（${imp.slice(0, 4).join(' ')}）`)
  const stored = await page.locator('[data-test=import-stored]').innerText()
  ok(stored.includes('已保存在服务器上（stored:1）'), `导入指标表：保存在服务器上（${stored.trim().slice(0, 40)}）`)
  await page.click('[data-test=only-unsure]')
  const unsure = await rowsOf(page, 'import-rules').allInnerTexts()
  ok(unsure.length >= 1 && unsure.every((t) => t.includes('需确认')), `导入指标表：只看需确认，剩 ${unsure.length} 行，都是“需确认”`)
  await shot(page, '14-指标体系-导入')
  const canon = await download(page, 'download-canonical')
  ok(canon.data.toString('utf8').includes('#meta,id,web-2017'), '导入指标表：下载的规范文本是 kaoping 的指标表（#meta,id,web-2017）')
  await page.keyboard.press('Escape')

  // 单位: the registry with quotas and accounts
  await page.goto(BASE + '/#/units')
  await page.waitForSelector('[data-test=units-table] .el-table__body tr')
  const nu = await rowsOf(page, 'units-table').count()
  ok(nu === 63, `单位：63 个参评单位（${nu}）`)
  const gaj = await rowWith(page, 'units-table', '市公安局').innerText()
  ok(gaj.includes('80.00 / 6.00') && gaj.includes('gaj'), '单位：市公安局的政务信息任务 80.00 / 6.00，账号 gaj')
  await shot(page, '15-单位')
  const uc = await download(page, 'export-units-csv')
  ok(uc.data.toString('utf8').startsWith('\ufeff单位,类型,别名,网站,市级信息任务') &&
    uc.data.toString('utf8').split('\r\n').some((l) => l.startsWith('市公安局,市级部门,') && l.includes(',80.00,6.00,')), '单位导出 CSV：带 BOM 的中文表头，市公安局一行的任务 80.00、6.00')

  // 检测: the inspection and a finding's evidence
  await page.goto(BASE + '/#/inspect')
  await page.waitForSelector('[data-test=findings-table] .el-table__body tr')
  const insp = await cells(rowsOf(page, 'inspections-table').first())
  ok(insp[1] === '市公安局' && insp[2] === process.env.SITE + '/', `检测：市公安局的检测，网站 ${insp[2]}`)
  await page.fill('[data-test=finding-filter] input, input[data-test=finding-filter]', process.env.DEAD_URL)
  const dead = await cells(rowsOf(page, 'findings-table').first())
  ok(dead[1] === '死链' && dead[4] === process.env.DEAD_URL && dead[6] === '2024-06-30', `检测：死链的证据网址 ${dead[4]}，日期 ${dead[6]}`)
  await shot(page, '16-检测')
  const fx = await download(page, 'export-findings-xlsx')
  const fxr = await xlsxRows(fx.data)
  ok(fxr.length === 2 && fxr[1][2] === '死链' && fxr[1][5] === process.env.DEAD_URL && typeof fxr[1][0] === 'number',
    `检测发现导出 Excel：筛选后的一行，死链和它的网址，检测编号是数字（${fxr.length - 1} 行）`)

  // 复查: the office re-inspects 市公安局's site from its row — the test
  // site on 127.0.0.1, still serving — as of the first inspection's day,
  // each request 1 s and no retries (its stalling page would otherwise
  // hold the crawl for a minute); the job runs on the server, the page
  // polls it and says when the new inspection is stored.
  await page.fill('[data-test=finding-filter] input, input[data-test=finding-filter]', '')
  const idsBefore = (await rowsOf(page, 'inspections-table').allInnerTexts()).map((t) => Number(t.trim().split(/\s+/)[0]))
  await rowWith(page, 'inspections-table', '市公安局').locator('[data-test=recheck]').click()
  const dlg = page.locator('.el-dialog').filter({ has: page.locator('[data-test=recheck-start]') })
  await dlg.waitFor({ state: 'visible' })
  const dlgText = await dlg.innerText()
  ok(dlgText.includes('复查网站') && dlgText.includes('重新检测单位“市公安局”的网站 ' + process.env.SITE + '/'),
    `复查：对话框写明重新检测“市公安局”的网站 ${process.env.SITE}/`)
  // (el-date-picker hands its attributes to its popup, not its input)
  const asof = dlg.locator('.el-date-editor input').first()
  await asof.fill('2024-06-30')
  await asof.press('Enter')
  await dlg.locator('[data-test=recheck-timeout] input').fill('1')
  await dlg.locator('[data-test=recheck-retries] input').fill('0')
  await dlg.locator('[data-test=recheck-retries] input').press('Tab')
  ok(await asof.inputValue() === '2024-06-30', `复查：检测日期选为 2024-06-30（${await asof.inputValue()}）`)
  await shot(page, '16b-检测-复查对话框')
  const started = page.waitForResponse((r) => r.url().endsWith('/recheck') && r.request().method() === 'POST')
  await dlg.locator('[data-test=recheck-start]').click()
  const sres = await started
  const sbody = sres.request().postDataJSON()
  ok(sres.status() === 202 && sbody.as_of === '2024-06-30' && sbody.timeout === 1 && sbody.retries === 0,
    `复查：服务器接受了复查（${sres.status()}），请求带着日期、超时和重试（${JSON.stringify(sbody)}）`)
  await page.waitForSelector('.el-message--success:has-text("已开始复查“市公安局”的网站")')
  await dlg.waitFor({ state: 'hidden' })
  // the job in 复查任务, then the message that it is done (30 s at most)
  await page.waitForSelector('[data-test=rechecks-table] .el-table__body tr')
  const job = await cells(rowsOf(page, 'rechecks-table').first())
  ok(job[1] === '市公安局' && job[2] === process.env.SITE + '/' && job[8] === 'admin1',
    `复查任务：市公安局的网站 ${job[2]}，发起人 ${job[8]}`)
  const done = page.locator('.el-message--success', { hasText: '复查完成' })
  await done.first().waitFor({ state: 'visible', timeout: 30000 })
  const msg = (await done.first().innerText()).trim()
  const newId = Math.max(...idsBefore) + 1
  const nf = Number(process.env.NFINDINGS)
  ok(msg === `复查完成：市公安局，检测编号 ${newId}，发现 ${nf} 条（新发现 0，已整改 0）`,
    `复查完成的提示：“${msg}”（检测编号 ${newId}，同一网站同一日期的 ${nf} 条发现，没有新发现或已整改）`)
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=inspections-table] .el-table__body tr').length === n, idsBefore.length + 1)
  const nrow = await cells(rowsOf(page, 'inspections-table').filter({
    has: page.locator('td:first-child', { hasText: new RegExp('^' + newId + '$') }) }).first())
  ok(nrow[1] === '市公安局' && nrow[2] === process.env.SITE + '/' && nrow[3] === '2024-06-30' && nrow[5] === String(nf) && nrow[6] === 'admin1',
    `检测列表多了一次检测（${idsBefore.length} → ${idsBefore.length + 1}）：编号 ${newId}，市公安局，2024-06-30，发现 ${nrow[5]}，检测人 ${nrow[6]}`)
  const jobDone = await cells(rowsOf(page, 'rechecks-table').first())
  ok(jobDone[3] === '已完成' && jobDone[5] === String(newId) && jobDone[7] === '新发现 0，已整改 0',
    `复查任务：已完成，新检测编号 ${jobDone[5]}，${jobDone[7]}`)
  await shot(page, '16c-检测-复查完成')

  // 台账: the 政务信息 statistics with the points
  await page.goto(BASE + '/#/ledger')
  await page.waitForSelector('[data-test=stats-table] .el-table__body tr')
  const fgw = await rowWith(page, 'stats-table', '市发展改革委').innerText()
  ok(fgw.includes('25 / 110.00') && fgw.includes('120.00'), '台账：市发展改革委市级采用 25 条、得 110.00 分，任务 120.00')
  await shot(page, '17-台账')
  // the ranking (总览) exports as XLSX too, with the scores as numbers
  await page.goto(BASE + '/#/overview')
  await page.waitForSelector('[data-test=rank-table] .el-table__body tr')
  const rx = await download(page, 'export-rank-xlsx')
  const api = await (await page.request.get(`${BASE}/api/rounds/${encodeURIComponent(ROUND)}/rank`)).json()
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(rx.data)
  const ws = wb.worksheets[0]
  const head = ws.getRow(1).values.slice(1)
  ok(rx.name.endsWith('-排名.xlsx') && head[0] === '名次' && head[1] === '单位' && head[2] === '得分', `总览导出 Excel：${rx.name}，表头 ${head.join(' ')}`)
  let same = ws.rowCount === api.results.length + 1
  api.results.forEach((r, i) => {
    const row = ws.getRow(i + 2)
    if (row.getCell(1).value !== r.rank || row.getCell(2).value !== r.unit ||
        typeof row.getCell(3).value !== 'number' || Math.abs(row.getCell(3).value - Number(r.total)) > 0.005) same = false
  })
  ok(same, `总览导出 Excel：${api.results.length} 行的名次、单位、得分（数字单元格）与接口的排名逐行相同`)
  ok(ws.getCell('C2').numFmt === '0.00', `总览导出 Excel：得分保留 0.00 格式（${ws.getCell('C2').numFmt}）`)
  // the reports' documents (下载文档): the server's own ranking workbook
  await page.click('[data-test=docs]')
  await page.waitForSelector('[data-test=doc-rank-xlsx]', { state: 'visible' })
  const dhref = await page.getAttribute('[data-test=doc-rank-xlsx]', 'href')
  const dres = await page.request.get(BASE + dhref)   // the session's cookie goes along
  const dwb = new ExcelJS.Workbook()
  await dwb.xlsx.load(await dres.body())
  const dtext = dwb.worksheets.map((w) => w.getSheetValues().flat().join(' ')).join(' ')
  ok(dres.status() === 200 && dhref.endsWith('/documents/rank.xlsx') && dtext.includes('名次') && dtext.includes(api.results[0].unit),
    `总览下载文档：链接 ${dhref} 给出排名的工作簿，有“名次”和第一名 ${api.results[0].unit}`)
  await shot(page, '17b-下载文档')
  await page.goto(BASE + '/#/ledger')
  await page.waitForSelector('[data-test=stats-table] .el-table__body tr')
  const lc = await download(page, 'export-stats-csv')
  ok(lc.data.toString('utf8').split('\r\n').some((l) => l.startsWith('市发展改革委,') && l.includes(',25,110.00,')), '台账导出 CSV：市发展改革委 25 条、110.00 分')
  await ctx.close()

  // a unit account sees its own unit's findings only
  {
    const { ctx, page } = await newPage()
    await login(page, 'gaj', 'unit-pass-gaj')
    await page.goto(BASE + '/#/inspect')
    await page.waitForSelector('[data-test=inspections-table] .el-table__body tr')
    const units = new Set()
    for (const r of await rowsOf(page, 'inspections-table').all()) units.add((await cells(r))[1])
    ok(units.size === 1 && units.has('市公安局'), '单位用户的检测页只列本单位的检测')
    ok(await page.locator('[data-test=recheck]').count() === 0, '单位用户没有“复查”按钮')
    await ctx.close()
  }
}

try {
  // ---- 单位用户: 自评 -----------------------------------------------------
  {
    const { ctx, page } = await newPage()
    await page.goto(BASE + '/#/login')
    await page.waitForSelector('text=用户登录')
    await shot(page, '01-登录')
    ok(await page.locator('text=政务公开绩效考评系统').first().isVisible(), '登录页：标题“政务公开绩效考评系统”')

    await page.fill('input[name=username]', 'gaj')
    await page.fill('input[name=password]', 'wrong-password')
    await page.click('[data-test=login]')
    await page.waitForSelector('text=用户名或密码错误')
    ok(true, '登录页：密码错误时显示服务器的“用户名或密码错误”')

    await login(page, 'gaj', 'unit-pass-gaj')
    ok((await page.locator('[data-test=who]').innerText()).includes('gaj（单位用户·市公安局）'), '单位用户登录后页头显示“gaj（单位用户·市公安局）”')
    ok(await page.locator('.el-menu-item', { hasText: '总览' }).count() === 0, '单位用户的导航没有“总览”（排名不对单位开放）')
    await page.waitForSelector('[data-test=score-table]')
    const missingBefore = await page.locator('[data-test=missing]').innerText()
    const r = row(page, 'score-table', '2.2')
    await r.locator('input[role=spinbutton], .el-input-number input').first().fill('1')
    await r.locator('input[placeholder=自评说明]').fill('自查：基本信息更新滞后')
    await r.locator('input[placeholder^="http"]').fill('http://www.example.gov.cn/gaj/jbxx')
    await page.locator('[data-test=missing]').click()     // blur: the number is committed
    const missingAfter = await page.locator('[data-test=missing]').innerText()
    ok(missingBefore !== missingAfter, `自评页：填写后“未填”项数变化（${missingBefore} → ${missingAfter}）`)
    await shot(page, '02-自评-填写')
    // the attachment: 2.2, a PDF, through el-upload
    await page.waitForSelector('[data-test=evidence-table]')
    await page.click('[data-test=evidence-indicator]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^2\.2 / }).click()
    await page.setInputFiles('[data-test=evidence-upload] input[type=file]', EVIDENCE)
    await page.waitForSelector('text=已上传附件“自查材料.pdf”（2.2）')
    await page.waitForSelector('[data-test=evidence-table] .el-table__body tr:has-text("自查材料.pdf")')
    const ev = await cells(page.locator('[data-test=evidence-table] .el-table__body tr').first())
    ok(ev[0] === '2.2' && ev[2] === '自查材料.pdf' && ev[4] === 'gaj', `自评页：附件列表显示 2.2 的“自查材料.pdf”，上传人 gaj（${ev.join(' ')}）`)
    await shot(page, '02b-自评-附件')
    await page.click('[data-test=submit]')
    await page.waitForSelector('.el-message-box')
    ok((await page.locator('.el-message-box').innerText()).includes('将为“市公安局”提交 1 条自评记录'), '自评提交前的确认框：为“市公安局”提交 1 条')
    await confirmDialog(page)
    await page.waitForSelector('text=已提交 1 条自评记录')
    ok(true, '自评提交成功：“已提交 1 条自评记录”')
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-test=score-table] .el-table__body tr')]
      const r = rows.find((tr) => tr.querySelector('td')?.innerText.trim() === '2.2')
      return r && r.innerText.includes('-5.00')
    })
    const c = await cells(row(page, 'score-table', '2.2'))
    ok(c[3] === '-5.00', `自评页：2.2 的自评分为 -5.00（${c[3]}）`)
    await shot(page, '03-自评-已提交')

    await page.click('.el-menu-item:has-text("单位考评表")')
    await page.waitForSelector('[data-test=sheet-summary]')
    const summary = await page.locator('[data-test=sheet-summary]').innerText()
    ok(/自评总分\s*95\.00/.test(summary), '单位考评表：自评总分 95.00')
    ok(/得分\s*92\.50/.test(summary), '单位考评表：得分 92.50（考核分未变）')
    const csv = (await download(page, 'export-sheet-csv')).data.toString('utf8')
    ok(csv.startsWith('\ufeff编号,指标,规则,满分,自评分,考核分,得分,状态,依据'), '考评表导出 CSV：带 BOM 的中文表头')
    ok(csv.split('\r\n').some((l) => l.startsWith('2.2,日常工作情况/未能及时更新基本信息,扣分项,0.00,-5.00,—,0.00,已计分,')), '考评表导出 CSV：2.2 一行的自评分 -5.00')
    // every row read back against the sheet the API returns
    const sh = await (await page.request.get(`${BASE}/api/rounds/${encodeURIComponent(ROUND)}/units/${encodeURIComponent('市公安局')}`)).json()
    const lines = csv.replace(/^\ufeff/, '').split('\r\n').filter(Boolean).slice(1)
    const two = (v) => (v === null || v === undefined ? '—' : Number(v).toFixed(2))
    const bad = sh.nodes.filter((n, i) => {
      const c = (lines[i] || '').split(',')
      return c[0] !== (n.code || '') || c[3] !== two(n.max) || c[4] !== two(n.self) || c[6] !== two(n.score)
    })
    ok(lines.length === sh.nodes.length && bad.length === 0, `考评表导出 CSV：${lines.length} 行的编号、满分、自评分、得分与接口的考评表相同（不同 ${bad.length} 行）`)
    await shot(page, '04-单位考评表')
    await ctx.close()
  }

  // ---- 考核人员: 考核 -----------------------------------------------------
  {
    const { ctx, page } = await newPage()
    await login(page, 'zhang', 'assessor-pass-1')
    await page.waitForSelector('[data-test=rank-table]')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=rank-table] .el-table__body tr').length > 0)
    const n = await page.locator('[data-test=rank-table] .el-table__body tr').count()
    ok(n === 63, `总览：排名表列出 63 个单位（${n}）`)
    ok(await page.locator('[data-test=chart] canvas').count() > 0, '总览：得分分布图已绘制')
    await page.fill('input[data-test=rank-filter], [data-test=rank-filter] input', '公安')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=rank-table] .el-table__body tr').length === 1)
    const rc = await cells(page.locator('[data-test=rank-table] .el-table__body tr').first())
    ok(rc[0] === '59' && rc[1] === '市公安局' && rc[2] === '92.50', `总览：筛选“公安”只剩市公安局，第 59 名 92.50（与另一单位同为扣0.15，并列）（${rc.slice(0, 3).join(' ')}）`)
    await page.fill('input[data-test=rank-filter], [data-test=rank-filter] input', '')
    await shot(page, '05-总览')

    await page.goto(BASE + '/#/assess?unit=' + encodeURIComponent('市公安局'))
    await page.waitForSelector('[data-test=score-table]')
    const r = row(page, 'score-table', '3.3')
    await r.locator('.el-input-number input').first().fill('1')
    await r.locator('input[placeholder=理由]').fill('行权平台年内未更新')
    await page.locator('[data-test=missing]').click()
    const self22 = await cells(row(page, 'score-table', '2.2'))
    ok(self22[3] === '-5.00', `考核页：自评分列显示单位的自评 -5.00（${self22[3]}）`)
    await page.waitForSelector('[data-test=evidence-table] .el-table__body tr:has-text("自查材料.pdf")')
    ok(true, '考核页：看到单位上传的附件“自查材料.pdf”')
    const evdl = page.waitForEvent('download')
    await page.locator('[data-test=evidence-table] a', { hasText: '自查材料.pdf' }).click()
    const got = await (await evdl).path()
    ok(fs.readFileSync(got).equals(fs.readFileSync(EVIDENCE)), '考核页：下载的附件与上传的逐字节相同')
    await shot(page, '06-考核-填写')
    await page.click('[data-test=submit]')
    await page.waitForSelector('.el-message-box')
    await confirmDialog(page)
    await page.waitForSelector('text=已提交 1 条考核记录')
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-test=score-table] .el-table__body tr')]
      const r = rows.find((tr) => tr.querySelector('td')?.innerText.trim() === '3.3')
      return r && r.innerText.includes('-20.00')
    })
    const c = await cells(row(page, 'score-table', '3.3'))
    ok(c[4] === '-20.00' && c[8] === '-20.00', `考核页：3.3 的考核分和得分为 -20.00（${c[4]}，${c[8]}）`)
    await shot(page, '07-考核-已提交')
    await page.goto(BASE + '/#/sheet?unit=' + encodeURIComponent('市公安局'))
    await page.waitForSelector('[data-test=sheet-summary]')
    await page.waitForFunction(() => /得分\s*72\.50/.test(document.querySelector('[data-test=sheet-summary]').innerText))
    ok(true, '单位考评表：考核后市公安局得分 72.50')
    ok(await page.locator('.el-menu-item', { hasText: '公示' }).count() === 0, '考核人员的导航没有“公示”')
    await ctx.close()
  }

  // ---- 管理员: 公示 -------------------------------------------------------
  {
    const { ctx, page } = await newPage()
    await login(page, 'admin1', 'admin-pass-1')
    await page.goto(BASE + '/#/overview')
    await page.waitForSelector('[data-test=rescore]')
    await page.click('[data-test=rescore]')
    await page.waitForSelector('.el-message-box')
    await confirmDialog(page)
    await page.waitForSelector('text=已重新计分：63 个单位')
    ok(true, '总览：管理员重新计分，“已重新计分：63 个单位”')
    await page.fill('input[data-test=rank-filter], [data-test=rank-filter] input', '公安')
    await page.waitForFunction(() => {
      const r = document.querySelectorAll('[data-test=rank-table] .el-table__body tr')
      return r.length === 1 && r[0].innerText.includes('72.50')
    })
    ok(true, '总览：重新计分后排名里市公安局为 72.50（考核的扣分已计入）')
    await page.click('.el-menu-item:has-text("公示")')
    await page.waitForSelector('[data-test=rounds-table]')
    await shot(page, '08-公示-前')
    await page.click('[data-test=publish]')
    await page.waitForSelector('.el-message-box')
    await confirmDialog(page)
    await page.waitForSelector('[data-test=rounds-table] .el-tag--success')
    const t = await page.locator('[data-test=rounds-table] .el-table__body tr').first().innerText()
    ok(t.includes(ROUND) && t.includes('已公示'), `公示页：轮次 ${ROUND} 显示“已公示”`)
    await shot(page, '09-公示-后')
    await ctx.close()
  }

  // ---- 公众: 公示的排名 ---------------------------------------------------
  {
    const { ctx, page } = await newPage()
    await page.goto(BASE + '/#/public?round=' + encodeURIComponent(ROUND))
    await page.waitForSelector('[data-test=rank-table]')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=rank-table] .el-table__body tr').length > 0)
    const n = await page.locator('[data-test=rank-table] .el-table__body tr').count()
    ok(n === 63, `公众：不登录看到公示的排名，63 个单位（${n}）`)
    const first = await cells(page.locator('[data-test=rank-table] .el-table__body tr').first())
    ok(first[0] === '1' && first[1] === '攀枝花市人民政府办公室' && first[2] === '100.00', `公众：第 1 名攀枝花市人民政府办公室 100.00（${first.slice(0, 3).join(' ')}）`)
    await shot(page, '10-公众-排名')
    const dl = page.waitForEvent('download')
    await page.click('[data-test=export-rank-csv]')
    const csv = fs.readFileSync(await (await dl).path(), 'utf8')
    const lines = csv.split('\r\n').filter(Boolean)
    ok(lines.length === 64 && lines[1].startsWith('1,攀枝花市人民政府办公室,100.00'), `公众：排名导出 CSV 64 行（表头和 63 个单位，${lines.length}）`)
    await page.click('[data-test=vote-unit]')
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^市公安局$/ }).click()
    await page.locator('[data-test=vote-form] .el-radio', { hasText: /^基本满意$/ }).click()
    await page.click('[data-test=vote]')
    await page.waitForSelector('text=您已投票')
    ok(true, '公众评估：为市公安局投“基本满意”一票，页面显示“您已投票”')
    await shot(page, '11-公众-已投票')
    await page.fill('input[data-test=public-round], [data-test=public-round] input', '2099-没有')
    await page.keyboard.press('Enter')
    await page.waitForSelector('text=没有公示')
    ok(await page.locator('[data-test=rank-table]').count() === 0, '公众：未公示（不存在）的轮次不显示排名')
    await shot(page, '12-公众-未公示')
    await ctx.close()
  }
  await registryPages()
} catch (e) {
  ok(false, '浏览器测试中断：' + String(e).split('\n')[0])
}
ok(outside.length === 0, `页面没有请求本服务器以外的地址（${outside.slice(0, 3).join(' ') || '无'}）`)
ok(errors.length === 0, `页面没有脚本错误（${errors.slice(0, 2).join(' | ') || '无'}）`)
await browser.close()
process.exit(failed ? 1 : 0)
