import { expect, test, type Locator, type Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import { cell, choose, login, moveClock, open, rowAction, screenshot, token } from './helpers'
import { idNumber, readSheet } from './files'

// 科目成绩, 考证结果, 统计分析 and 成绩查询 on the demo data: the 排考演示
// plan's two subjects, 理论知识 (arranged by scheduling.spec.ts when it ran
// first) and 实操技能, are arranged through the API for 北京电子科技职业学院
// (school3-admin, 14 candidates) and 北京信息职业技术学院 (school4-admin, 10);
// a certificate is passed when both are. The org (org-admin) downloads each
// subject's 成绩登记表 inside 成绩登记, fills the scores in and imports it
// back; in 公示期 it corrects one with a reason; when
// 公示期 ends the period closer (vslc-local's timer, VSLC_PERIOD_CLOSER_SECS)
// locks the sheet and anchors it on the ledger, and 校验 says it is intact.
// Then the school reads its 考证结果 and 统计分析, and a candidate looks the
// score up without an account. The dev clock (VSLC_DEV_CLOCK=1) moves the
// server through the plan's windows and back.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const PLAN = '排考演示'
/** The scores written into each subject's 成绩登记表, in turn (52 is also marked 违纪). */
const SCORES: Record<string, number[]> = {
  理论知识: [92, 85.5, 52, 78, 66, 59.5, 71, 88, 45, 95, 63.5, 80],
  实操技能: [88, 76, 90, 65, 72, 58, 81],
}
/** The period closer's timer is 300 s unless the server was told otherwise: wait a round and a bit. */
const CLOSER_WAIT = 330_000

type Window = { start: string; end: string }
type Sheet = { id: string; subjectName: string; status: string; recorded: number; scoreEntry: Window; publicity: Window; chain?: { blockHeight: number } | null }

const screen = (page: Page, name: string) => screenshot(page, `scores-${name}`)
/** `2026-12-17 08:00:00` (China time) as an instant. */
const china = (t: string) => new Date(`${t.replace(' ', 'T')}+08:00`)
const later = (t: string, minutes: number) => new Date(china(t).getTime() + minutes * 60_000)
const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } })

async function getJson<T>(page: Page, url: string, t: string): Promise<T> {
  const r = await page.request.get(url, bearer(t))
  expect(r.status(), `${url}: ${await r.text()}`).toBe(200)
  return (await r.json()) as T
}

/** The 排考演示 plan's id (from the org's plans) and its sheets. */
async function demoPlan(page: Page, org: string): Promise<{ planId: string; sheets: Sheet[] }> {
  const plans = await getJson<{ items: { id: string; name: string }[] }>(page, '/api/exam/plans?pageSize=100', org)
  const plan = plans.items.find((p) => p.name.includes(PLAN))
  expect(plan, 'the demo plan 排考演示').toBeTruthy()
  return { planId: plan!.id, sheets: await getJson<Sheet[]>(page, `/api/scores/sheets?planId=${plan!.id}`, org) }
}

/** Both subjects seated (the 排考 window is open at the real time): arranged here unless already. */
async function arrangeAll(page: Page) {
  const host = await token(page, 'school3-admin')
  const sites = await getJson<{ items: { id: string; planName: string; subjectName: string; status: string }[] }>(page, '/api/scheduling/sites?pageSize=100', host)
  const mine = sites.items.filter((r) => r.planName.includes(PLAN))
  expect(mine.map((r) => r.subjectName).sort()).toEqual(Object.keys(SCORES).sort())
  for (const site of mine.filter((r) => r.status === '未排考')) {
    const r = await page.request.post(`/api/scheduling/sites/${encodeURIComponent(site.id)}/arrange`, { ...bearer(host), data: { invigilatorsPerRoom: null } })
    expect(r.status(), await r.text()).toBe(200)
  }
}

/** Once the exam is over, a room that signed anyone in has the others marked 缺考 by the
 *  period closer; waits for that (when scheduling.spec.ts signed a candidate in), so the
 *  成绩登记表 carries the marks the import will check. */
async function absencesSettled(page: Page, planId: string) {
  const host = await token(page, 'school3-admin')
  type Seat = { roomName: string; subjectName: string; attendance?: string | null }
  const seats = async () => (await getJson<{ items: Seat[] }>(page, `/api/scheduling/details?planId=${planId}&pageSize=100`, host)).items
  const room = (s: Seat) => `${s.subjectName}/${s.roomName}`
  const used = new Set((await seats()).filter((s) => s.attendance === '已签到').map(room))
  if (!used.size) return
  await expect
    .poll(async () => (await seats()).filter((s) => used.has(room(s)) && !s.attendance).length, { timeout: CLOSER_WAIT, intervals: [1000, 2000, 5000] })
    .toBe(0)
}

/** The downloaded 成绩登记表 with a score for every candidate not marked 缺考. */
async function fillScores(bytes: Buffer, scores: number[]): Promise<{ file: Buffer; rows: number }> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const ws = wb.worksheets[0]
  const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? '').replace(/^\*/, '').trim())
  const [scoreCol, markCol] = [header.indexOf('成绩'), header.indexOf('缺考/违纪')]
  expect(scoreCol, header.join(' | ')).toBeGreaterThan(0)
  expect(markCol, header.join(' | ')).toBeGreaterThan(0)
  let [rows, scored] = [0, 0]
  ws.eachRow((row, n) => {
    if (n === 1) return
    rows++
    if (String(row.getCell(markCol).value ?? '').trim() === '缺考') return
    const score = scores[scored++ % scores.length]
    row.getCell(scoreCol).value = score
    if (score === 52) row.getCell(markCol).value = '违纪'
  })
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), rows }
}

async function download(page: Page, click: () => Promise<unknown>): Promise<{ name: string; bytes: Buffer }> {
  const waiting = page.waitForEvent('download')
  await click()
  const file = await waiting
  return { name: file.suggestedFilename(), bytes: Buffer.concat(await (await file.createReadStream()).toArray()) }
}

/** The org's 科目成绩 page on the demo plan; the subjects' table and its 理论知识 row. */
async function orgScores(page: Page): Promise<{ sheets: Locator; theory: Locator }> {
  await open(page, '科目成绩')
  await choose(page, '考试计划', PLAN)
  const sheets = page.locator('[data-test=score-sheets]')
  await expect(sheets.locator('.el-table__row')).toHaveCount(2)
  return { sheets, theory: subjectRow(sheets, '理论知识') }
}

const subjectRow = (sheets: Locator, subject: string) => sheets.locator('.el-table__row').filter({ hasText: subject })

/** 导入成绩 of a subject through the dialog: its 成绩登记表 from the dialog's link (every
 *  seated candidate, 缺考 marked from the sign-in), filled in and uploaded. */
async function importScores(page: Page, sheets: Locator, subject: string): Promise<number> {
  const row = subjectRow(sheets, subject)
  await rowAction(page, row, '导入成绩')
  const dialog = page.getByRole('dialog', { name: new RegExp(`^导入成绩 — \\w+ ${subject}$`) })
  await expect(dialog).toContainText('成绩登记时间')
  const sheet = await download(page, () => dialog.locator('[data-test=download-template]').click())
  expect(sheet.name).toMatch(/成绩登记表.*\.xlsx$/)
  const { file, rows } = await fillScores(sheet.bytes, SCORES[subject])
  await dialog.locator('input[type=file]').setInputFiles({ name: `成绩登记表-${subject}.xlsx`, mimeType: XLSX, buffer: file })
  const counts = dialog.locator('[data-test=import-counts]')
  await expect(counts).toContainText(`成功${rows}`, { timeout: 30_000 })
  await expect(counts).toContainText('失败0')
  if (subject === '理论知识') await screen(page, '科目成绩-导入成绩')
  await dialog.getByRole('button', { name: '关 闭' }).click()
  await expect(dialog).toBeHidden()
  await expect(await cell(page, row, '已登记', sheets)).toHaveText(String(rows))
  return rows
}

test.use({ viewport: { width: 1280, height: 800 }, actionTimeout: 15_000 })

test('成绩登记 by import, a correction in 公示期, the lock and 校验, then 考证结果, 统计分析 and the public 成绩查询', async ({ page }) => {
  test.setTimeout(15 * 60_000)
  await moveClock(page, null)
  await arrangeAll(page)
  const org = await token(page, 'org-admin')
  const { planId, sheets: before } = await demoPlan(page, org)
  const theorySheet = before.find((s) => s.subjectName === '理论知识')!
  expect(theorySheet.status).toBe('待公示')

  try {
    // (a) 成绩登记: the org downloads each subject's 成绩登记表, fills it in and imports it.
    await moveClock(page, later(theorySheet.scoreEntry.start, 60))
    await absencesSettled(page, planId)
    await login(page, 'org-admin')
    let { sheets, theory } = await orgScores(page)
    await expect(await cell(page, theory, '状态', sheets)).toHaveText('待公示')
    await expect(await cell(page, theory, '已登记', sheets)).toHaveText('0')
    await expect(await cell(page, theory, '上链信息', sheets)).toHaveText('锁定后上链')
    await screen(page, '科目成绩-成绩登记')

    expect(await importScores(page, sheets, '理论知识')).toBe(24)
    expect(await importScores(page, sheets, '实操技能')).toBe(24)

    // 查看成绩: the list below shows that subject; 待公示 until 公示期.
    await rowAction(page, theory, '查看成绩')
    const list = page.locator('[data-test=score-list]')
    const scoreRows = list.locator('.el-table__row')
    await expect(scoreRows).toHaveCount(20)
    await expect(page.locator('[data-test=subject-filter]')).toContainText('理论知识')
    await expect(scoreRows.first()).toContainText('待公示')
    await expect(list.getByRole('button', { name: '修改', exact: true })).toHaveCount(0)
    await screen(page, '科目成绩-查看成绩')
    await choose(page, '成绩类别', '违纪')
    await page.getByRole('button', { name: '搜索' }).click()
    await expect(scoreRows.first()).toContainText('违纪（52）')

    // (b) 公示期: a score corrected with its reason; the history shows it.
    // (The session ends with the days skipped: sign in again after each move.)
    await moveClock(page, later(theorySheet.publicity.start, 60))
    await login(page, 'org-admin')
    ;({ sheets, theory } = await orgScores(page))
    await expect(await cell(page, theory, '状态', sheets)).toHaveText('公示中')
    await expect(theory.getByRole('button', { name: '导入成绩' })).toHaveCount(0)
    await choose(page, '考试科目', '理论知识')
    await choose(page, '成绩类别', '合格')
    await page.getByRole('button', { name: '搜索' }).click()
    const first = scoreRows.first()
    await expect(first).toContainText('公示中')
    const ticket = (await (await cell(page, first, '准考证号', list)).innerText()).trim()
    const was = (await (await cell(page, first, '成绩', list)).innerText()).trim()
    const target = scoreRows.filter({ hasText: ticket })
    await rowAction(page, target, '修改')
    const fix = page.getByRole('dialog', { name: '修改成绩' })
    await fix.getByRole('button', { name: '确 定' }).click()
    await expect(fix.getByText('请填写修改原因')).toBeVisible()
    const scoreInput = fix.locator('[data-test=correct-score] input')
    await scoreInput.fill('58.5')
    await scoreInput.press('Tab')
    await fix.locator('textarea[data-test=correct-reason]').fill('复核答题卡后更正：第12题误判为正确')
    await screen(page, '科目成绩-修改成绩')
    await fix.getByRole('button', { name: '确 定' }).click()
    await expect(page.locator('.el-message--success').filter({ hasText: `${was} → 58.5` })).toBeVisible()
    await expect(fix).toBeHidden()
    // 合格 no longer: the filtered list drops it; without the filter it shows 58.5, changed once.
    await expect(target).toHaveCount(0)
    await choose(page, '成绩类别', '不合格')
    await page.getByRole('button', { name: '搜索' }).click()
    await expect(await cell(page, target, '成绩', list)).toHaveText('58.5')
    await expect(await cell(page, target, '修改次数', list)).toHaveText('1')
    // The same score again: the server's message, nothing changes.
    await rowAction(page, target, '修改')
    await fix.locator('textarea[data-test=correct-reason]').fill('再次确认')
    await fix.getByRole('button', { name: '确 定' }).click()
    await expect(page.locator('.el-message--error').filter({ hasText: '成绩未改变' })).toBeVisible()
    await fix.getByRole('button', { name: '取 消' }).click()
    await rowAction(page, target, '查看')
    const drawer = page.getByRole('dialog', { name: '科目成绩详情' })
    const history = drawer.locator('[data-test=score-history] .el-table__row')
    await expect(history).toHaveCount(1)
    await expect(history.first()).toContainText(was)
    await expect(history.first()).toContainText('58.5')
    await expect(history.first()).toContainText('复核答题卡后更正')
    await expect(drawer.locator('[data-test=detail-score]')).toHaveText('58.5')
    // (The messages above fade first: the picture shows the drawer whole.)
    await expect(page.locator('.el-message')).toHaveCount(0)
    await screen(page, '科目成绩-修改记录')
    await page.keyboard.press('Escape')
    await expect(drawer).toBeHidden()

    // (c) 公示期 over: the period closer locks the sheet and anchors it on the ledger.
    await moveClock(page, later(theorySheet.publicity.end, 1))
    const orgNow = await token(page, 'org-admin')
    await expect
      .poll(async () => {
        const s = (await demoPlan(page, orgNow)).sheets.find((x) => x.subjectName === '理论知识')!
        return s.status === '已锁定' && !!s.chain
      }, { timeout: CLOSER_WAIT, intervals: [1000, 2000, 5000] })
      .toBe(true)
    await login(page, 'org-admin')
    ;({ sheets, theory } = await orgScores(page))
    await expect(await cell(page, theory, '状态', sheets)).toHaveText('已锁定')
    await expect(theory.locator('[data-test=chain]')).toContainText(/区块 \d+/)
    await theory.getByRole('button', { name: '复制交易哈希' }).click()
    await expect(page.locator('.el-message--success').filter({ hasText: '已复制交易哈希' })).toBeVisible()
    await expect(list.getByRole('button', { name: '修改', exact: true })).toHaveCount(0)
    await rowAction(page, theory, '校验')
    const check = page.getByRole('dialog', { name: '校验结果' })
    const verdict = check.locator('[data-test=verify-result]')
    await expect(verdict).toHaveClass(/el-alert--success/)
    await expect(check).toContainText('链上哈希')
    await screen(page, '科目成绩-校验')
    await check.getByRole('button', { name: '关 闭' }).click()
    await screen(page, '科目成绩-已锁定')

    // (d) The school: its candidates' scores (locked) and 考证结果.
    await login(page, 'school3-admin')
    await open(page, '科目成绩')
    await expect(scoreRows).toHaveCount(20)
    await expect(scoreRows.first()).toContainText('已锁定')
    await expect(list.getByRole('button', { name: '修改', exact: true })).toHaveCount(0)
    await screen(page, '科目成绩-院校')
    const scoreExport = await download(page, () => page.locator('.toolbar').getByRole('button', { name: '批量导出科目成绩' }).click())
    const scoreSheet = await readSheet(scoreExport.bytes)
    // 14 candidates, two subjects each, under the header.
    expect(scoreSheet.length).toBe(29)
    expect(scoreSheet[0]).toContain('考生姓名')
    await rowAction(page, scoreRows.first(), '查看')
    await expect(page.getByRole('dialog', { name: '科目成绩详情' }).locator('[data-test=score-detail]')).toContainText('已锁定')
    await page.keyboard.press('Escape')

    await open(page, '考证结果')
    const results = page.locator('[data-test=result-list] .el-table__row')
    await expect(results).toHaveCount(14)
    const host = await token(page, 'school3-admin')
    type Result = { status: string; ticketNo: string; candidateNo: string; candidateName: string }
    const mine = (await getJson<{ items: Result[] }>(page, '/api/results?pageSize=100', host)).items
    const passed = mine.filter((r) => r.status === '已通过')
    expect(passed.length).toBeGreaterThan(0)
    expect(passed.length).toBeLessThan(14)
    await expect(results.filter({ hasText: '已通过' })).toHaveCount(passed.length)
    await screen(page, '考证结果')
    const one = results.filter({ hasText: passed[0].candidateNo })
    await rowAction(page, one, '查看考证详情')
    const detail = page.getByRole('dialog', { name: '考证详情' })
    await expect(detail.locator('[data-test=result-detail]')).toContainText('已通过')
    await expect(detail.locator('[data-test=result-subjects] .el-table__row')).toHaveCount(2)
    await expect(detail.locator('[data-test=result-subjects]')).toContainText('理论知识')
    await expect(detail.locator('[data-test=result-subjects]')).toContainText('实操技能')
    await expect(detail.locator('[data-test=result-subjects]')).toContainText('合格')
    await screen(page, '考证结果-考证详情')
    await page.keyboard.press('Escape')
    const resultExport = await download(page, () => page.locator('.toolbar').getByRole('button', { name: '批量导出证书考核详情' }).click())
    expect((await readSheet(resultExport.bytes)).length).toBe(15)

    // (e) 统计分析: the school's figures agree with its results; the charts draw.
    await open(page, '证书通过率统计')
    const stats = page.locator('[data-test=stat-table]')
    const web = stats.locator('.el-table__body .el-table__row').filter({ hasText: 'Web前端开发职业技能等级证书' })
    await expect(web).toHaveCount(1)
    await expect(await cell(page, web, '报考人数', stats)).toHaveText('14')
    await expect(await cell(page, web, '通过人数', stats)).toHaveText(String(passed.length))
    await expect(await cell(page, web, '通过率', stats)).toHaveText(/^\d+(\.\d)?%$/)
    await expect(stats.locator('.el-table__footer')).toContainText('合计')
    await expect(page.locator('[data-test=chart-bar] canvas')).toBeVisible()
    await expect(page.locator('[data-test=chart-trend] canvas')).toBeVisible()
    await screen(page, '证书通过率统计')
    const statExport = await download(page, () => page.locator('.toolbar').getByRole('button', { name: '导出' }).click())
    expect((await readSheet(statExport.bytes)).some((r) => r.includes('Web前端开发职业技能等级证书'))).toBe(true)
    await page.getByRole('tab', { name: '按证书等级统计' }).click()
    await expect(stats.locator('.el-table__body .el-table__row').filter({ hasText: '初级' })).toHaveCount(1)
    await choose(page, '考试计划', PLAN)
    await page.getByRole('button', { name: '搜索' }).click()
    await expect(await cell(page, stats.locator('.el-table__body .el-table__row').first(), '报考人数', stats)).toHaveText('14')
    await screen(page, '证书通过率统计-按证书等级')
    // The org's figures count both schools' candidates.
    await login(page, 'org-admin')
    await open(page, '证书通过率统计')
    await choose(page, '考试计划', PLAN)
    await page.getByRole('button', { name: '搜索' }).click()
    await expect(await cell(page, stats.locator('.el-table__body .el-table__row').first(), '报考人数', stats)).toHaveText('24')

    // (f) 成绩查询 without an account: the 准考证号 and the 证件号码 (read through the
    // API, the pages mask it) answer the scores; a wrong number is refused.
    const candidate = await getJson<{ idNumber: string }>(page, `/api/candidates/${passed[0].candidateNo}`, host)
    await page.goto('/login')
    await page.evaluate(() => localStorage.clear())
    await page.goto('/login')
    await page.locator('[data-test=score-lookup-link]').click()
    await expect(page).toHaveURL(/\/score-lookup$/)
    await page.locator('input[data-test=lookup-ticket]').fill(passed[0].ticketNo)
    await page.locator('input[data-test=lookup-id]').fill(idNumber(4321))
    await page.getByRole('button', { name: '查 询' }).click()
    await expect(page.locator('[data-test=lookup-error]')).toContainText('不正确')
    await page.locator('input[data-test=lookup-id]').fill(candidate.idNumber)
    await page.getByRole('button', { name: '查 询' }).click()
    const answer = page.locator('[data-test=lookup-answer]')
    await expect(answer).toContainText(passed[0].ticketNo)
    await expect(answer).toContainText('已通过')
    await expect(answer).not.toContainText(passed[0].candidateName)
    await expect(page.locator('[data-test=lookup-subjects] .el-table__row')).toHaveCount(2)
    await expect(page.locator('[data-test=lookup-subjects]')).toContainText('理论知识')
    await expect(page.locator('[data-test=lookup-error]')).toHaveCount(0)
    await screen(page, '成绩查询')
  } finally {
    await moveClock(page, null)
  }
})
