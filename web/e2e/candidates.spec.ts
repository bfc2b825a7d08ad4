import { expect, test } from '@playwright/test'
import { login, toolbarMenu } from './helpers'
import { idNumber, photo, readSheet, roster, zipOf } from './files'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

test('a roster with bad rows is imported, fixed, re-imported, given photos and authenticated', async ({ page }) => {
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '院校考生' }).click()
  const base = 3000
  const ids = [0, 1, 2].map((i) => idNumber(base + i))
  const badId = idNumber(base + 3).slice(0, 17) + (idNumber(base + 3).endsWith('0') ? '1' : '0')
  const row = (name: string, id: string, major = '510201 计算机应用技术') => [name, 'XUE SHENG', '', '身份证', id, '18512340926', major, '', '2024']

  // 1. Import: two good rows, a bad check character, an unknown major.
  await toolbarMenu(page, '批量导入', '批量导入考生信息')
  const dialog = page.getByRole('dialog', { name: '批量导入考生信息' })
  const file = await roster([row('甲', ids[0]), row('乙', ids[1]), row('丙', badId), row('丁', ids[2], '999999')])
  await dialog.locator('input[type=file]').setInputFiles({ name: '考生名单.xlsx', mimeType: XLSX, buffer: file })
  const counts = dialog.locator('[data-test=import-counts]')
  await expect(counts).toContainText('总数4')
  await expect(counts).toContainText('成功2')
  await expect(counts).toContainText('失败2')

  // 2. The failed rows carry their reasons.
  const href = await dialog.locator('[data-test=failed-rows]').getAttribute('href')
  const failed = await readSheet(Buffer.from(await (await page.request.get(href!)).body()))
  expect(failed.map((r) => r[r.length - 1])).toEqual(['失败原因', '第4行：身份证号码校验位错误', '第5行：就读专业 999999 不在证书专业目录中'])

  // 3. Fix the two rows and import them again.
  await dialog.getByRole('button', { name: '继续导入' }).click()
  const fixed = await roster([row('丙', idNumber(base + 3)), row('丁', ids[2])])
  await dialog.locator('input[type=file]').setInputFiles({ name: '修正.xlsx', mimeType: XLSX, buffer: fixed })
  await expect(counts).toContainText('成功2')
  await dialog.getByRole('button', { name: '关 闭' }).click()
  await expect(page.locator('.cursor-pager')).toContainText('共 4 条')

  // 导入记录 on the same page: both imports, with their counts.
  await toolbarMenu(page, '批量导入', '导入记录')
  const records = page.getByRole('dialog', { name: '导入记录' })
  await expect(records.locator('.el-table__row')).toHaveCount(2)
  const first = records.locator('.el-table__row').filter({ hasText: '考生名单.xlsx' })
  await expect(first).toContainText('已完成')
  await expect(first.locator('td')).toContainText(['考生名单.xlsx', '已完成', '4', '2', '2', '下载'])
  await expect(records.locator('.el-table__row').filter({ hasText: '修正.xlsx' })).toContainText('已完成')
  await records.locator('.el-dialog__headerbtn').click()

  // 4. Photos as a zip: everyone moves to 信息待认证.
  await toolbarMenu(page, '批量导入', '批量导入考生照片')
  const photos = page.getByRole('dialog', { name: '批量导入考生照片' })
  const zip = await zipOf(Object.fromEntries([...ids, idNumber(base + 3)].map((id) => [`${id}.png`, photo()])))
  await photos.locator('input[type=file]').setInputFiles({ name: '照片.zip', mimeType: 'application/zip', buffer: zip })
  await expect(photos.locator('[data-test=import-counts]')).toContainText('成功4')
  await photos.getByRole('button', { name: '关 闭' }).click()
  await expect(page.locator('.el-table__body .el-tag').filter({ hasText: '信息待认证' })).toHaveCount(4)

  // 5. Authenticate all of them.
  await page.locator('.el-table__header .el-checkbox').click()
  await page.getByRole('button', { name: '批量认证' }).click()
  await expect(page.getByText('提交认证成功 4 条')).toBeVisible()
  // The list follows the check by itself: no 搜索 needed.
  await expect(page.locator('.el-table__body .el-tag').filter({ hasText: '信息准确' })).toHaveCount(4, { timeout: 20_000 })
})
