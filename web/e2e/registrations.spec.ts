import { expect, test, type Page } from '@playwright/test'
import { choose, login, rowAction } from './helpers'
import { idNumber, photo, sheet } from './files'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const PLAN = 'Web前端开发职业技能等级证书考试'

async function api(page: Page) {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('vslc.session') ?? '{}').token as string)
  return { Authorization: `Bearer ${token}` }
}

/** A 院校考生 brought to 信息准确 through the API: photo, then 认证. */
async function accurateCandidate(page: Page, name: string, id: string, major: string): Promise<string> {
  const headers = await api(page)
  const c = await page.request.post('/api/candidates', {
    headers,
    data: { kind: 'school', name, namePinyin: 'XUE SHENG', idType: '身份证', idNumber: id, phone: '18512340926', majorCode: major, enrolmentYear: 2024 },
  })
  expect(c.status()).toBe(201)
  const no = (await c.json()).candidateNo as string
  const begin = await (await page.request.post(`/api/candidates/${no}/photo`, { headers, data: { contentType: 'image/png' } })).json()
  expect((await page.request.put(begin.uploadUrl, { headers: { 'Content-Type': begin.contentType }, data: photo() })).ok()).toBe(true)
  expect((await page.request.post(`/api/candidates/${no}/photo/confirm`, { headers })).ok()).toBe(true)
  expect((await page.request.post(`/api/candidates/${no}/authenticate`, { headers })).ok()).toBe(true)
  await expect(async () => {
    const r = await (await page.request.get(`/api/candidates/${no}`, { headers })).json()
    expect(r.status).toBe('信息准确')
  }).toPass({ timeout: 20_000 })
  return no
}

test('registrations with ineligible rows, an order, the org confirms, and paid registrations stay', async ({ page }) => {
  await login(page, 'school-admin')
  const ok = await accurateCandidate(page, '报考甲', idNumber(5001), '510201')
  const wrongMajor = await accurateCandidate(page, '报考乙', idNumber(5002), '510205')

  // 1. Import by certificate: one eligible row, two not.
  await page.getByRole('menuitem', { name: '报考管理' }).click()
  await page.getByRole('button', { name: '批量导入报考-按证书导入' }).click()
  const pick = page.getByRole('dialog', { name: '批量导入报考-按证书导入' }).first()
  await choose(page, '考试计划', PLAN, pick)
  await pick.getByRole('button', { name: '确 定' }).click()
  const dialog = page.getByRole('dialog', { name: '批量导入报考-按证书导入' }).last()
  const file = await sheet(['*考生编号或证件号码', '姓名', '*考试证书', '*证书等级'], [
    [ok, '报考甲', 'Web前端开发职业技能等级证书', '初级'],
    [wrongMajor, '报考乙', 'Web前端开发职业技能等级证书', '初级'],
    [idNumber(5999), '', 'Web前端开发职业技能等级证书', '初级'],
  ])
  await dialog.locator('input[type=file]').setInputFiles({ name: '报考.xlsx', mimeType: XLSX, buffer: file })
  const counts = dialog.locator('[data-test=import-counts]')
  await expect(counts).toContainText('成功1')
  await expect(counts).toContainText('失败2')
  await dialog.getByRole('button', { name: '关 闭' }).click()
  const row = page.locator('.el-table__row').filter({ hasText: ok })
  await expect(row.getByText('未缴费')).toBeVisible()

  // 2. An order for the plan's certificate.
  await page.getByRole('menuitem', { name: '缴费管理' }).click()
  await page.getByRole('button', { name: '按证书报考生生成缴费申请单' }).click()
  const gen = page.getByRole('dialog', { name: '按证书报考生生成缴费申请单' })
  await choose(page, '考试计划', PLAN, gen)
  await choose(page, '考核证书', 'Web前端开发职业技能等级证书', gen)
  await gen.getByRole('button', { name: '确 定' }).click()
  await expect(page.getByText(/已生成缴费申请单 JF/)).toBeVisible()
  const order = page.locator('.el-table__row').first()
  const no = (await order.locator('td').nth(1).innerText()).trim()
  expect(no).toMatch(/^JF\d{8}-10009-\d{6}$/)

  // 3. The org confirms it.
  await login(page, 'org-admin')
  await page.getByRole('menuitem', { name: '缴费管理' }).click()
  const mine = page.locator('.el-table__row').filter({ hasText: no })
  await rowAction(page, mine, '确认缴费')
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
  await expect(mine.getByText('已确认')).toBeVisible()

  // 4. The registration is paid and can no longer be deleted.
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '报考管理' }).click()
  const paid = page.locator('.el-table__row').filter({ hasText: ok })
  await expect(paid.getByText('已缴费')).toBeVisible()
  await expect(paid.getByRole('button', { name: '删除' })).toHaveCount(0)
  const list = await (await page.request.get('/api/registrations?paid=true', { headers: await api(page) })).json()
  const id = list.items.find((r: { candidate: { candidateNo: string } }) => r.candidate.candidateNo === ok).id
  const del = await page.request.delete(`/api/registrations/${id}`, { headers: await api(page) })
  expect(del.status()).toBe(409)
})
