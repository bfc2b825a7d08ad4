import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { SCREENS, cell, choose, confirmBox, login, open, rowAction, screenshot, toolbarMenu } from './helpers'
import { idNumber, readSheet } from './files'

// 排考管理 and 监考人员 on the demo data: the 排考演示 plan's 排考 window is
// open, 北京电子科技职业学院 (school3-admin, 10010) runs the site and
// 北京信息职业技术学院 (school4-admin, 10011) borrows it; 14 + 10 paid
// registrations, rooms 第1考场 and 第2考场 (16 seats each) for 理论知识, and
// four certified invigilators of 10010.

const ROOM_HEADERS = [
  '考试计划', '考场名称', '所属院校', '所在地区', '考核站点', '考试单位', '考试证书', '考试科目',
  '考试时间', '排考人数', '准考证姓名（编号）', '监考人员姓名（编号）', '监考人员所在区域（院校）',
]

const screen = (page: Page, name: string) => screenshot(page, `scheduling-${name}`)

test.use({ viewport: { width: 1280, height: 800 } })

test('监考人员认证, 排考, the seat map, the room export, the print documents and a borrowing school’s 排考明细', async ({ page }) => {
  test.setTimeout(120_000)

  // (a) The org certifies one 待认证 application and rejects another.
  await login(page, 'org-admin')
  await open(page, '监考人员认证')
  await choose(page, '认证状态', '待认证')
  await page.getByRole('button', { name: '搜索' }).click()
  const rows = page.locator('.main .el-table__row')
  await expect(rows.first()).toBeVisible()
  await screen(page, '监考人员认证')
  const zhao = rows.filter({ hasText: 'JE10006' })
  await rowAction(page, zhao, '认证')
  await confirmBox(page, /赵敏/)
  await expect(page.locator('.el-message').filter({ hasText: '已认证' })).toBeVisible()
  await expect(rows.filter({ hasText: 'JE10006' })).toHaveCount(0)
  const cao = rows.filter({ hasText: 'DZ30005' })
  await rowAction(page, cao, '驳回')
  const reject = page.getByRole('dialog', { name: '驳回认证申请' })
  await reject.getByRole('button', { name: '确 定' }).click()
  await expect(reject.getByText('请填写驳回原因')).toBeVisible()
  await reject.locator('textarea').fill('未参加本证书考评员培训')
  await screen(page, '监考人员认证-驳回')
  await reject.getByRole('button', { name: '确 定' }).click()
  await expect(page.locator('.el-message').filter({ hasText: '已驳回' })).toBeVisible()
  await choose(page, '认证状态', '未通过')
  await page.getByRole('button', { name: '搜索' }).click()
  await expect(rows.filter({ hasText: 'DZ30005' })).toContainText('未通过')

  // The school sees the decision; a 已认证 certificate cannot be removed.
  await login(page, 'school3-admin')
  await open(page, '监考人员')
  await expect(rows.filter({ hasText: 'DZ30005' })).toContainText('未通过')
  await expect(rows.filter({ hasText: 'DZ30001' })).toContainText('已认证')
  await screen(page, '监考人员')
  await rowAction(page, rows.filter({ hasText: 'DZ30001' }), '编辑')
  const edit = page.getByRole('dialog', { name: '编辑监考人员' })
  const held = edit.getByRole('checkbox', { name: /Web前端开发/ })
  await expect(held).toBeChecked()
  await expect(held).toBeDisabled()
  await screen(page, '监考人员-编辑')
  await edit.getByRole('button', { name: '取 消' }).click()

  // Another school applies again for a certificate the org turned down.
  await login(page, 'school-admin')
  await open(page, '监考人员')
  await expect(rows.filter({ hasText: 'JE10006' })).toContainText('已认证')
  const huang = rows.filter({ hasText: 'JE10007' })
  await expect(huang).toContainText('未通过')
  await rowAction(page, huang, '重新申请')
  await confirmBox(page, /重新申请“网店运营推广职业技能等级证书”/)
  await expect(huang).toContainText('待认证')

  // 新增监考人员 applies for a certificate (待认证); without a 已认证 one it may be deleted.
  await page.locator('.toolbar').getByRole('button', { name: '新增监考人员' }).click()
  const add = page.getByRole('dialog', { name: '新增监考人员' })
  await add.getByRole('button', { name: '确 定' }).click()
  await expect(add.getByText('请至少选择一个申请证书')).toBeVisible()
  await add.locator('.el-form-item').filter({ hasText: '教师编号' }).locator('input').fill('JE19999')
  await add.locator('.el-form-item').filter({ hasText: '姓名' }).first().locator('input').fill('测试员')
  await add.locator('.el-form-item').filter({ hasText: '手机号' }).locator('input').fill('13800001234')
  await add.locator('.el-form-item').filter({ hasText: '证件号码' }).locator('input').fill(idNumber(3001))
  await add.locator('.el-checkbox').filter({ hasText: 'Web前端开发' }).click()
  await expect(add.getByRole('checkbox', { name: /Web前端开发/ })).toBeChecked()
  await add.getByRole('button', { name: '确 定' }).click()
  const added = rows.filter({ hasText: 'JE19999' })
  await expect(added).toContainText('待认证')
  await expect(added).toContainText(/138\*{4}1234/)
  await rowAction(page, added, '删除')
  await confirmBox(page, /测试员/)
  await expect(added).toHaveCount(0)
  await toolbarMenu(page, '批量导入监考人员', '导入')
  const imp = page.getByRole('dialog', { name: '批量导入监考人员' })
  await expect(imp.locator('[data-test=download-template]')).toBeVisible()
  await imp.getByRole('button', { name: '关 闭' }).click()

  // (b) 考核站点编排: 理论知识 of the 排考演示 plan waits for 排考; arrange it.
  await login(page, 'school3-admin')
  await open(page, '考核站点编排')
  const theory = rows.filter({ hasText: '排考演示' }).filter({ hasText: '理论知识' })
  await expect(await cell(page, theory, '排考状态')).toHaveText('未排考')
  await expect(await cell(page, theory, '报考人数')).toHaveText('24')
  await expect(await cell(page, theory, '已排人数')).toHaveText('0')
  await screen(page, '考核站点编排')
  await rowAction(page, theory, '排考')
  const arrange = page.getByRole('dialog', { name: '排考', exact: true })
  await expect(arrange).toContainText('2 个考场，32 个考位')
  await expect(arrange.locator('.el-input-number input')).toHaveValue('2')
  await screen(page, '考核站点编排-排考')
  await arrange.getByRole('button', { name: '确 定' }).click()
  await confirmBox(page, /24 名未排考的考生/)
  // A clean arrangement says so in a message; a partial one opens its reasons.
  const result = page.getByRole('dialog', { name: '排考结果' })
  await expect(page.locator('.el-message--success').or(result)).toBeVisible()
  if (await result.isVisible()) await result.getByRole('button', { name: '知道了' }).click()
  await expect(await cell(page, theory, '排考状态')).toHaveText('已排完')
  await expect(await cell(page, theory, '已排人数')).toHaveText('24')

  await rowAction(page, theory, '查看')
  const drawer = page.getByRole('dialog', { name: '考核站点编排详情' })
  await expect(drawer.locator('.el-table__row')).toHaveCount(2)
  await expect(drawer).toContainText('第1考场')
  await screen(page, '考核站点编排-查看')
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()

  // (c) 考场编排: the two rooms; a seat map with names and 准考证号.
  await rowAction(page, theory, '查看考场编排')
  await expect(page.locator('.header .el-breadcrumb')).toContainText('考场编排')
  await expect(rows).toHaveCount(2)
  await screen(page, '考场编排')
  const first = rows.filter({ hasText: '第1考场' })
  await expect(await cell(page, first, '排考人数')).toHaveText(/^\d+ \/ 16$/)
  await rowAction(page, first, '查看')
  const map = page.getByRole('dialog', { name: /考点编排详情/ })
  const seats = map.locator('[data-test=seat-map] .seat')
  await expect(seats).toHaveCount(16)
  const taken = map.locator('[data-test=seat-map] .seat:not(.empty)')
  expect(await taken.count()).toBeGreaterThan(8)
  await expect(taken.first().locator('.name')).not.toBeEmpty()
  await expect(taken.first().locator('.ticket')).toHaveText(/^\d{26}$/)
  await screen(page, '考场编排-座位表')

  // 调整座位: the host swaps seats 1 and 2 (both taken after interleaving).
  const one = seats.nth(0)
  const two = seats.nth(1)
  const [a, b] = [await one.locator('.name').innerText(), await two.locator('.name').innerText()]
  await map.getByRole('button', { name: '调整座位' }).click()
  await one.click()
  await two.click()
  await map.getByRole('button', { name: '确定调整' }).click()
  await confirmBox(page, /对调座位/)
  await expect(one.locator('.name')).toHaveText(b)
  await expect(two.locator('.name')).toHaveText(a)
  await map.getByRole('button', { name: '关 闭' }).click()

  // (d) 批量导出考场编排记录: the manual's 13 columns.
  const download = page.waitForEvent('download')
  await page.locator('.toolbar').getByRole('button', { name: '批量导出考场编排记录' }).click()
  const file = await download
  const bytes = Buffer.concat(await (await file.createReadStream()).toArray())
  const sheet = await readSheet(bytes)
  expect(sheet[0]).toEqual(ROOM_HEADERS)
  expect(sheet.length).toBeGreaterThanOrEqual(3)

  // (d') 打印: each of the room's documents downloads as a PDF that reads
  // back (pdftotext) and renders (pdftoppm, kept beside the screenshots).
  const documents: [string, string, RegExp][] = [
    ['下载考场门贴', '门贴', /第1考场[\s\S]*座位号：1–\d+号，共\d+人/],
    ['下载考场桌贴', '桌贴', /座位号[\s\S]*准考证号：\d{26}/],
    ['下载考场签到表', '签到表', /考场签到表[\s\S]*准考证号[\s\S]*考生签名/],
    ['导出准考证', '准考证', /准考证[\s\S]*考试须知/],
  ]
  for (const [action, name, says] of documents) {
    const pdfDownload = page.waitForEvent('download')
    await rowAction(page, first, action)
    const pdf = await pdfDownload
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    const path = `${SCREENS}/scheduling-打印-${name}.pdf`
    await pdf.saveAs(path)
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-')
    expect(execFileSync('pdftotext', ['-layout', path, '-']).toString()).toMatch(says)
    execFileSync('pdftoppm', ['-png', '-singlefile', '-r', '60', path, `${SCREENS}/scheduling-打印-${name}`])
    await expect(page.locator('.el-message--success').filter({ hasText: '已生成' }).last()).toBeVisible()
  }

  // (d'') 批量打印: the plan's rooms' 门贴 and 签到表 in one zip, made by
  // the print worker; the page shows the job until its link appears.
  await page.getByRole('button', { name: '批量打印' }).click()
  const jobs = page.locator('.el-dialog').filter({ hasText: '打印任务' })
  await jobs.locator('[data-test=print-plan]').click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '排考演示' }).first().click()
  await jobs.locator('[data-test=print-submit]').click()
  const link = jobs.locator('[data-test=print-jobs]').getByRole('link', { name: /下载（\d+ 个PDF/ })
  await expect(link).toBeVisible({ timeout: 30_000 })
  await expect(link).toContainText('4 个PDF')
  await screen(page, '考场编排-批量打印')
  const zipDownload = page.waitForEvent('download')
  await link.click()
  const zip = await zipDownload
  expect(zip.suggestedFilename()).toMatch(/^批量打印_.*\.zip$/)
  const zipPath = `${SCREENS}/scheduling-批量打印.zip`
  await zip.saveAs(zipPath)
  expect(readFileSync(zipPath).subarray(0, 2).toString()).toBe('PK')
  await jobs.getByRole('button', { name: 'Close' }).or(jobs.locator('.el-dialog__headerbtn')).first().click()

  await open(page, '排考明细')
  await expect(rows.first()).toBeVisible()
  await screen(page, '排考明细')

  // (e) The borrowing school: its 10 candidates, each with a 准考证号.
  await login(page, 'school4-admin')
  await open(page, '考核站点编排')
  const borrowed = rows.filter({ hasText: '理论知识' })
  await expect(borrowed).toContainText('借考')
  await expect(borrowed.getByRole('button', { name: '排考', exact: true })).toHaveCount(0)
  await open(page, '排考明细')
  await expect(rows).toHaveCount(10)
  for (let i = 0; i < 10; i++) {
    await expect(await cell(page, rows.nth(i), '准考证号')).toHaveText(/^\d{26}$/)
    await expect(await cell(page, rows.nth(i), '所属院校')).toHaveText('北京信息职业技术学院')
  }
  await screen(page, '排考明细-借考院校')
  // Its own candidates' 准考证 from 排考明细: one page each.
  await choose(page, '考试计划', '排考演示')
  const ticketDownload = page.waitForEvent('download')
  await page.locator('.toolbar').getByRole('button', { name: '导出准考证' }).click()
  const tickets = `${SCREENS}/scheduling-打印-借考院校准考证.pdf`
  await (await ticketDownload).saveAs(tickets)
  expect(execFileSync('pdfinfo', [tickets]).toString()).toMatch(/Pages:\s+10\b/)
  await open(page, '考场编排')
  await rowAction(page, rows.filter({ hasText: '第1考场' }), '查看')
  // Another school's candidates show as their school only.
  const other = page.locator('[data-test=seat-map] .seat.other').first()
  await expect(other).toContainText('其他院校考生')
  await expect(other).toContainText('北京电子科技职业学院')
  await expect(other.locator('.ticket')).toHaveCount(0)
  await screen(page, '考场编排-借考院校座位表')

  // (f) 考场签到: the host opens a 监考员 login for an invigilator of
  // 第1考场; on the exam day, before the start, the invigilator signs a
  // candidate in by typed 准考证号 on the phone page.
  await login(page, 'school3-admin')
  await open(page, '考场编排')
  const roomOne = rows.filter({ hasText: '第1考场' })
  const duty = await (await cell(page, roomOne, '监考人员')).innerText()
  const teacherNo = /（([A-Za-z0-9]+)）/.exec(duty)?.[1]
  expect(teacherNo, duty).toBeTruthy()
  const examText = await (await cell(page, roomOne, '考试时间')).innerText()
  const [, day, hour, minute] = /(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})/.exec(examText) ?? []
  expect(day, examText).toBeTruthy()
  await open(page, '监考人员')
  const person = rows.filter({ hasText: teacherNo! })
  await rowAction(page, person, '开通监考员账号')
  const opening = page.getByRole('dialog', { name: '开通监考员账号' })
  const account = await opening.locator('input[data-test=login-account]').inputValue()
  await opening.getByRole('button', { name: '确 定' }).click()
  const issued = page.getByRole('dialog', { name: '监考员账号已开通' })
  const password = await issued.locator('input[data-test=issued-password]').inputValue()
  expect(password.length).toBeGreaterThan(7)
  await screen(page, '监考人员-开通监考员账号')
  await issued.getByRole('button', { name: '我已记下' }).click()
  await expect(person).toContainText(account)

  // Half an hour before the exam (the dev server's clock, moved for the test).
  const start = new Date(`${day}T${hour}:${minute}:00+08:00`).getTime()
  const at = new Date(start - 30 * 60_000).toISOString()
  expect((await page.request.post('/api/dev/clock', { data: { at } })).status()).toBe(204)
  try {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto('/login')
    await page.evaluate(() => localStorage.clear())
    await page.goto('/login')
    await page.getByPlaceholder('账号').fill(account)
    await page.getByPlaceholder('密码').fill(password)
    await page.getByRole('button', { name: '登 录' }).click()
    await expect(page).toHaveURL(/\/door/)
    const dutyRoom = page.locator('[data-test=duty-room]').filter({ hasText: '第1考场' })
    await expect(dutyRoom).toContainText('签到中')
    await screen(page, '考场签到-考场')
    await dutyRoom.click()
    const people = page.locator('[data-test=door-candidate]')
    await expect(people.first()).toBeVisible()
    const count = await people.count()
    expect(count).toBeGreaterThan(8)
    // Another page of the school is not for a 监考员: back to the door.
    await page.goto('/scheduling/rooms')
    await expect(page).toHaveURL(/\/door/)
    await page.locator('[data-test=duty-room]').filter({ hasText: '第1考场' }).click()
    // The first candidate's 准考证号, as read from the 排考 data.
    const first = await people.first().innerText()
    const tail = /(\d{6})/.exec(first)?.[1]
    expect(tail, first).toBeTruthy()
    const full = (await page.request.get(`/api/scheduling/invigilation/rooms/${encodeURIComponent(new URL(page.url()).searchParams.get('room')!)}`, {
      headers: { authorization: `Bearer ${await page.evaluate(() => JSON.parse(localStorage.getItem('vslc.session') ?? '{}').token)}` },
    }).then((r) => r.json())).candidates[0].ticketNo as string
    expect(full.endsWith(tail!)).toBe(true)
    await page.locator('input[data-test=ticket-input]').fill(full)
    await page.getByRole('button', { name: '签到', exact: true }).click()
    const result = page.locator('[data-test=sign-in-result]')
    await expect(result).toContainText('签到成功')
    await expect(people.first()).toContainText('已签到')
    await screen(page, '考场签到-签到成功')
    // The same number again: already signed in, nothing changes.
    await page.locator('input[data-test=ticket-input]').fill(full)
    await page.getByRole('button', { name: '签到', exact: true }).click()
    await expect(result).toContainText('已于')
    // A number of no one in this room says so.
    await page.locator('input[data-test=ticket-input]').fill('20991231000000000000000001')
    await page.getByRole('button', { name: '签到', exact: true }).click()
    await expect(result).toContainText('不在本考场')
  } finally {
    await page.request.post('/api/dev/clock', { data: { at: null } })
    await page.setViewportSize({ width: 1280, height: 800 })
  }
})
