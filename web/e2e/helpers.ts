import { expect, type Locator, type Page } from '@playwright/test'

export const PASSWORD = 'Vslc@2026'

/** Signs in (signing out whoever was signed in first). */
export async function login(page: Page, account: string, password = PASSWORD) {
  await page.goto('/login')
  await page.evaluate(() => localStorage.clear())
  await page.goto('/login')
  await page.getByPlaceholder('账号').fill(account)
  await page.getByPlaceholder('密码').fill(password)
  await page.getByRole('button', { name: '登 录' }).click()
  await expect(page.getByText('欢迎，')).toBeVisible()
}

/** Picks an option of the Element Plus select inside the form item labelled
 *  `label`, within `scope` (a dialog) when given. */
export async function choose(page: Page, label: string, option: string, scope?: Locator) {
  await (scope ?? page).locator('.el-form-item').filter({ hasText: label }).locator('.el-select').first().click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: option }).first().click()
  // The next select opens only after this dropdown is gone.
  await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0)
}

/** The newest SMS code sent to `phone`, from the dev outbox. */
export async function smsCode(page: Page, phone: string): Promise<string> {
  const r = await page.request.get('/api/dev/sms')
  const messages = (await r.json()) as { phone: string; text: string }[]
  const text = messages.find((m) => m.phone === phone)?.text ?? ''
  const code = /验证码为(\d{6})/.exec(text)?.[1]
  expect(code, `an SMS code for ${phone}`).toBeTruthy()
  return code!
}

/** Runs a row's action, whether it shows as a link or sits behind 更多. */
export async function rowAction(page: Page, row: Locator, name: string) {
  const link = row.getByRole('button', { name, exact: true })
  const more = row.getByRole('button', { name: '更多' })
  // The row may still be loading: wait until it shows either.
  await expect(link.or(more).first()).toBeVisible()
  if (await link.isVisible()) return link.click()
  await more.click()
  await page.locator('.el-dropdown-menu:visible').getByRole('menuitem', { name, exact: true }).click()
}

/** Picks an item of a toolbar dropdown (批量导入 ▾ and the like). */
export async function toolbarMenu(page: Page, button: string, item: string) {
  await page.locator('.toolbar').getByRole('button', { name: button }).click()
  await page.locator('.el-dropdown-menu:visible').getByRole('menuitem', { name: item, exact: true }).click()
}

/** Where the specs keep their screenshots (and files) for a reviewer. */
export const SCREENS = '../target/e2e-results/screens'

/** Opens a sidebar page and waits until it has drawn its data. */
export async function open(page: Page, title: string) {
  await page.getByRole('menuitem', { name: title, exact: true }).click()
  await expect(page.locator('.header .el-breadcrumb')).toContainText(title)
  await expect(page.locator('.main .el-loading-mask:visible')).toHaveCount(0)
}

/** The cell of a row under the header `label` (the table's own header;
 *  `table` when the page has more than one list). */
export async function cell(page: Page, row: Locator, label: string, table?: Locator): Promise<Locator> {
  const headers = (await (table ?? page.locator('.main')).locator('.el-table__header-wrapper th').allInnerTexts()).map((t) => t.trim())
  const i = headers.indexOf(label)
  expect(i, `a column ${label} among ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0)
  return row.locator('td').nth(i)
}

/** Answers the confirmation box (checking what it says, when given). */
export async function confirmBox(page: Page, says?: RegExp) {
  const box = page.locator('.el-message-box')
  if (says) await expect(box).toContainText(says)
  await box.getByRole('button', { name: /确定|OK/ }).click()
}

/** A screenshot of the page as it is, once Element's transitions settled. */
export async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(400)
  await page.screenshot({ path: `${SCREENS}/${name}.png` })
}

/** Moves the dev server's clock (VSLC_DEV_CLOCK=1) to `at`, or back to the
 *  system time with null. */
export async function moveClock(page: Page, at: Date | null) {
  const r = await page.request.post('/api/dev/clock', { data: { at: at ? at.toISOString() : null } })
  expect(r.status(), 'the dev clock (is the server running with VSLC_DEV_CLOCK=1?)').toBe(204)
}

/** A bearer token of a demo account, for reading what the pages mask. */
export async function token(page: Page, account: string, password = PASSWORD): Promise<string> {
  const r = await page.request.post('/api/auth/login', { data: { account, password } })
  expect(r.status(), `signing ${account} in`).toBe(200)
  return ((await r.json()) as { token: string }).token
}
