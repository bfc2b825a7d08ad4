import { expect, test, type Page } from '@playwright/test'
import { login } from './helpers'

// Every list page, as each kind of tenant sees it, at 1280×800 and
// 1440×900: no column lies under the fixed 操作 column or out of reach of
// the horizontal scrollbar, status columns show without scrolling, the
// 操作 column is as narrow as its links, the toolbar stays on one line.
// The pages are the sidebar's (those built), so a new page is checked
// the day it lands. A screenshot of each page at 1280 is saved to
// target/e2e-results/screens/ for a reviewer.

/** What is wrong with the page's list tables and toolbar, in words. */
function fitProblems(): string[] {
  const out: string[] = []
  const main = document.querySelector('.main') as HTMLElement
  const shown = (e: Element) => (e as HTMLElement).offsetParent !== null
  for (const t of main.querySelectorAll('.el-table')) {
    if (shown(t) && !t.closest('.data-table')) out.push('a list table does not use DataTable')
  }
  for (const table of [...main.querySelectorAll('.data-table > .el-table')].filter(shown) as HTMLElement[]) {
    const box = table.getBoundingClientRect()
    if (box.right > window.innerWidth + 1) out.push(`the table ends at ${box.right}px, past the window's ${window.innerWidth}px`)
    const body = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') as HTMLElement
    const head = table.querySelector('.el-table__header-wrapper') as HTMLElement
    const scrollTo = (x: number) => {
      body.scrollLeft = x
      head.scrollLeft = body.scrollLeft
    }
    const ths = [...table.querySelectorAll('.el-table__header-wrapper th')] as HTMLElement[]
    const fixed = ths.filter((th) => th.classList.contains('el-table-fixed-column--right'))
    const fixedLeft = fixed.length ? Math.min(...fixed.map((th) => th.getBoundingClientRect().left)) : box.right
    const region = fixedLeft - box.left
    const max = body.scrollWidth - body.clientWidth
    if (max > 1) {
      const bar = table.querySelector('.el-table__body-wrapper .el-scrollbar__bar.is-horizontal') as HTMLElement | null
      const thumb = bar?.querySelector('.el-scrollbar__thumb') as HTMLElement | null
      if (!bar || getComputedStyle(bar).display === 'none' || getComputedStyle(bar).opacity === '0' || !thumb || thumb.offsetWidth === 0)
        out.push('the columns are wider than the table but no horizontal scrollbar shows')
    }
    scrollTo(0)
    for (const th of ths.filter((th) => !fixed.includes(th))) {
      const name = th.innerText.trim() || '(选择)'
      const r = th.getBoundingClientRect()
      if (/状态/.test(name) && (r.right > fixedLeft + 1 || r.left < box.left - 1)) out.push(`status column ${name} is covered or off-screen before scrolling`)
      // Scroll so that the column's right edge meets the fixed column.
      scrollTo(Math.max(0, r.right - box.left - region))
      const seen = th.getBoundingClientRect()
      if (seen.right > fixedLeft + 1) out.push(`column ${name} lies under the fixed column (right edge ${Math.round(seen.right)} > ${Math.round(fixedLeft)}) at the furthest scroll`)
      if (seen.left < box.left - 1) out.push(`column ${name} is wider than the visible part of the table`)
      scrollTo(0)
    }
    for (const th of fixed) {
      const name = th.innerText.trim()
      const cells = [...table.querySelectorAll('.el-table__body-wrapper td.el-table-fixed-column--right .row-actions')] as HTMLElement[]
      if (!cells.length) continue
      const need = Math.max(...cells.map((c) => c.scrollWidth))
      const room = th.getBoundingClientRect().width - 24
      if (need > room + 1) out.push(`${name}: links need ${need}px, the column gives ${Math.round(room)}px`)
      if (room - need > 72) out.push(`${name}: the column is ${Math.round(room - need)}px wider than its links`)
    }
  }
  for (const bar of [...main.querySelectorAll('.toolbar')].filter(shown)) {
    const tops = new Set([...bar.children].filter(shown).map((b) => Math.round((b as HTMLElement).getBoundingClientRect().top)))
    if (tops.size > 1) out.push(`the toolbar wraps onto ${tops.size} lines`)
  }
  return out
}

/** Opens a sidebar page and waits until it has drawn its data. */
async function open(page: Page, title: string) {
  await page.getByRole('menuitem', { name: title, exact: true }).click()
  await expect(page.locator('.header .el-breadcrumb')).toContainText(title)
  await expect(page.locator('.main .el-loading-mask:visible')).toHaveCount(0)
  await page.waitForLoadState('networkidle')
}

for (const account of ['school-admin', 'org-admin', 'province-admin']) {
  test(`every list page fits at 1280 and 1440 (${account})`, async ({ page }) => {
    test.setTimeout(180_000)
    await login(page, account)
    const items = page.locator('.aside .el-menu-item')
    const titles = (await items.allInnerTexts()).map((t) => t.trim()).filter((t) => !t.includes('建设中'))
    expect(titles.length).toBeGreaterThan(3)
    const problems: string[] = []
    for (const [width, height] of [
      [1280, 800],
      [1440, 900],
    ]) {
      await page.setViewportSize({ width, height })
      for (const title of titles) {
        await open(page, title)
        // Element lays its columns out (and the 操作 column measures its
        // links) after the data arrive: give it a moment to settle.
        let found: string[] = []
        await expect
          .poll(async () => (found = await page.evaluate(fitProblems)), { timeout: 3000 })
          .toEqual([])
          .catch(() => undefined)
        if (width === 1280) {
          // Element's tags zoom in (0.3 s): let them finish for the picture.
          await page.waitForTimeout(400)
          await page.screenshot({ path: `../target/e2e-results/screens/${account}-${title}.png` })
        }
        for (const p of found) problems.push(`${title} at ${width}: ${p}`)
      }
    }
    expect(problems).toEqual([])
  })
}
