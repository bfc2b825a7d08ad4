import { expect, test } from '@playwright/test'
import { choose, login } from './helpers'

test('an administrator reads the 操作日志, filters it, opens an entry and exports it', async ({ page }) => {
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '操作日志' }).click()
  const rows = page.locator('.el-table__row')
  const signIn = rows.filter({ hasText: 'school-admin' }).filter({ hasText: '登录' }).first()
  await expect(signIn).toContainText('成功')
  await expect(signIn).toContainText('登录认证')

  await choose(page, '操作类型', '登录')
  await page.getByRole('button', { name: '搜索' }).click()
  await expect(rows.first()).toContainText('登录')
  await expect(rows.filter({ hasText: '导出' })).toHaveCount(0)

  await rows.first().getByRole('button', { name: '详细' }).click()
  const dialog = page.getByRole('dialog', { name: '操作日志详细' })
  await expect(dialog).toContainText('auth.login')
  await expect(dialog).toContainText('POST /api/auth/login')
  await dialog.getByRole('button', { name: '关 闭' }).click()

  const answer = page.waitForResponse((r) => r.url().endsWith('/api/audit/export'))
  // The page follows the answer's link to the file: wait for that download,
  // or the navigation below races it (net::ERR_ABORTED).
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: '导出' }).click()
  expect((await answer).status()).toBe(200)
  expect((await download).suggestedFilename()).toMatch(/^操作日志_\d{14}\.xlsx$/)
  // The export is itself in the log.
  await page.goto('/audit')
  await expect(rows.filter({ hasText: '导出操作日志' })).toHaveCount(1)
})

test('the 操作日志 is for administrators only', async ({ page }) => {
  await login(page, 'city-reviewer')
  await expect(page.getByRole('menuitem', { name: '操作日志' })).toHaveCount(0)
})
