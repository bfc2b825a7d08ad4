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
