import { expect, test } from '@playwright/test'
import { choose, login, rowAction, smsCode } from './helpers'

test('a wrong password is refused with the server message', async ({ page }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/login/)
  await page.getByPlaceholder('账号').fill('school2-admin')
  await page.getByPlaceholder('密码').fill('not-the-password1')
  await page.getByRole('button', { name: '登 录' }).click()
  await expect(page.getByText('账号或密码错误（连续输错5次将暂停本机登录15分钟）')).toBeVisible()
})

test('a school browses its certificates and checks their chain record', async ({ page }) => {
  await login(page, 'school-admin')
  await expect(page.locator('.header')).toContainText('北方工业大学')
  await page.getByRole('menuitem', { name: '证书信息管理' }).click()
  await expect(page.locator('.el-pagination')).toContainText('共 4 条')
  await page.locator('.el-radio-button').filter({ hasText: '全部' }).click()
  await expect(page.locator('.el-pagination')).toContainText('共 12 条')

  const row = page.locator('.el-table__row').filter({ hasText: 'Web前端开发职业技能等级证书' })
  await row.getByRole('button', { name: '查看' }).click()
  const drawer = page.locator('.el-drawer')
  await expect(drawer).toContainText('计算机应用技术')
  await expect(drawer).toContainText('510201')
  await drawer.locator('.el-drawer__close-btn').click()

  await rowAction(page, row, '上链信息')
  const dialog = page.getByRole('dialog', { name: '上链信息' })
  await expect(dialog).toContainText('区块高度')
  await expect(dialog).toContainText('Merkle 证明校验通过')
})

test('an administrator creates a sub-account with the SMS code, then stops and starts it', async ({ page }) => {
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('button', { name: '新增' }).click()
  const dialog = page.getByRole('dialog', { name: '新增用户' })
  await dialog.getByLabel('账号').fill('e2e-kw')
  await dialog.getByLabel('姓名').fill('端到端考务')
  await choose(page, '角色', '考务管理员')
  await dialog.getByLabel('手机号').fill('13312345678')
  await dialog.locator('[data-test=send-code]').click()
  await expect(page.getByText('验证码已发送，5分钟内有效')).toBeVisible()
  await dialog.getByLabel('验证码').fill(await smsCode(page, '13312345678'))
  await dialog.getByRole('button', { name: '确 定' }).click()

  const issued = page.getByRole('dialog', { name: '新增用户成功' })
  const password = await issued.getByRole('textbox').inputValue()
  expect(password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{8,}$/)
  await issued.getByRole('button', { name: '我已记下' }).click()

  const row = page.locator('.el-table__row').filter({ hasText: 'e2e-kw' })
  await expect(row).toContainText('133****5678')
  await expect(row).toContainText('启用')
  const login1 = await page.request.post('/api/auth/login', { data: { account: 'e2e-kw', password } })
  expect(login1.status()).toBe(200)

  await rowAction(page, row, '停用')
  await page.getByRole('dialog').filter({ hasText: '确定停用账号' }).getByRole('button', { name: '停用' }).click()
  await expect(row.locator('.el-tag')).toHaveText('停用')
  const refused = await page.request.post('/api/auth/login', { data: { account: 'e2e-kw', password } })
  expect(refused.status()).toBe(403)

  await rowAction(page, row, '启用')
  await page.getByRole('dialog').filter({ hasText: '确定启用账号' }).getByRole('button', { name: '启用' }).click()
  await expect(row.locator('.el-tag')).toHaveText('启用')
  const again = await page.request.post('/api/auth/login', { data: { account: 'e2e-kw', password } })
  expect(again.status()).toBe(200)
})

test('an org sees its own menu and profile', async ({ page }) => {
  await login(page, 'org-admin')
  await expect(page.getByRole('menuitem', { name: '本机构信息' })).toBeVisible()
  await expect(page.getByRole('menuitem', { name: '培训评价组织管理' })).toHaveCount(0)
  await page.getByRole('menuitem', { name: '本机构信息' }).click()
  await expect(page.locator('.el-descriptions')).toContainText('北京示例培训评价组织有限公司')
})

test('open pages stay as tabs; the sidebar folds; an area still being built says so at its address', async ({ page }) => {
  await login(page, 'school-admin')
  const tabs = page.locator('.tags-view')
  for (const title of ['院校考生', '考场管理', '报考管理']) {
    await page.getByRole('menuitem', { name: title, exact: true }).click()
    await expect(page.locator('.header .el-breadcrumb')).toContainText(title)
  }
  await expect(tabs.getByRole('tab')).toHaveText(['首页', '院校考生', '考场管理', '报考管理'])
  await expect(tabs.getByRole('tab', { name: '报考管理' })).toHaveAttribute('aria-selected', 'true')

  // Back to a tab; close the current one; close the others.
  await tabs.getByRole('tab', { name: '院校考生' }).click()
  await expect(page).toHaveURL(/\/candidates\/school$/)
  await tabs.getByRole('tab', { name: '院校考生' }).getByLabel('关闭 院校考生').click()
  await expect(page).toHaveURL(/\/rooms$/)
  await expect(tabs.getByRole('tab')).toHaveText(['首页', '考场管理', '报考管理'])
  await tabs.getByRole('tab', { name: '报考管理' }).click({ button: 'right' })
  await page.getByRole('menuitem', { name: '关闭其他' }).click()
  await expect(tabs.getByRole('tab')).toHaveText(['首页', '报考管理'])
  await expect(page).toHaveURL(/\/registrations$/)
  // The tabs survive a reload.
  await page.reload()
  await expect(tabs.getByRole('tab')).toHaveText(['首页', '报考管理'])

  // The sidebar folds to its icons and stays folded.
  await page.getByRole('button', { name: '收起菜单' }).click()
  await expect(page.locator('.aside')).toHaveCSS('width', '64px')
  await page.reload()
  await expect(page.locator('.aside')).toHaveCSS('width', '64px')
  await page.getByRole('button', { name: '展开菜单' }).click()
  await expect(page.locator('.aside')).toHaveCSS('width', '220px')

  // 证书发放管理 is in the manual's menu but not built yet: its page says so.
  await page.getByRole('menuitem', { name: /证书发放管理/ }).click()
  await expect(page).toHaveURL(/\/issuance$/)
  await expect(page.getByText('证书发放管理：建设中')).toBeVisible()
  await page.goto('/no-such-page')
  await expect(page.getByText('页面不存在')).toBeVisible()
})

test('a session that ends says so once, however many requests were in flight', async ({ page }) => {
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '院校考生' }).click()
  await expect(page.locator('.cursor-pager')).toBeVisible()
  // The server forgets the session (as after 修改密码 elsewhere).
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('vslc.session') ?? '{}')
    s.token = 'expired-' + s.token
    localStorage.setItem('vslc.session', JSON.stringify(s))
  })
  await page.reload()
  await expect(page).toHaveURL(/\/login/)
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-message')).toHaveCount(1)
  await expect(page.locator('.el-message')).toContainText('登录')
})
