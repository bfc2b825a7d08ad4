import { expect, test, type Page } from '@playwright/test'
import { choose, login, rowAction } from './helpers'

const CERT = '人工智能深度学习工程应用职业技能等级证书'

async function confirmBox(page: Page) {
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
}

/** `YYYY-MM-DD HH:mm` of now plus `hours`, in the browser's time zone. */
function stamp(hours: number): string {
  const t = new Date(Date.now() + hours * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`
}

test('the province publishes a by-major plan; a school declares, is returned, resubmits and is approved', async ({ page }) => {
  page.setDefaultTimeout(15_000)
  // 1. 省级: 发布申报计划 (by major, open now).
  await login(page, 'province-admin')
  await page.getByRole('menuitem', { name: '申报计划' }).click()
  await page.getByRole('button', { name: '发布申报计划' }).click()
  const plan = page.getByRole('dialog', { name: '发布申报计划' })
  await plan.locator('.el-range-input').first().click()
  const panel = page.locator('.el-picker-panel:visible')
  await panel.locator('.el-date-range-picker__editors-wrap').first().locator('input').first().fill(stamp(-1).slice(0, 10))
  await panel.locator('.el-date-range-picker__editors-wrap').first().locator('input').nth(1).fill(stamp(-1).slice(11))
  await panel.locator('.el-date-range-picker__editors-wrap').nth(1).locator('input').first().fill(stamp(24 * 20).slice(0, 10))
  await panel.locator('.el-date-range-picker__editors-wrap').nth(1).locator('input').nth(1).fill(stamp(24 * 20).slice(11))
  await panel.locator('.el-picker-panel__footer').getByRole('button', { name: /确定|OK/ }).click()
  await plan.locator('.el-form-item').filter({ hasText: '是否要求按专业填报' }).locator('.el-switch').click()
  await plan.getByRole('button', { name: '确 定' }).click()
  await expect(page.getByText('已发布')).toBeVisible()
  const second = page.locator('.el-table__row').filter({ hasText: '第二批' })
  await expect(second.getByText('进行中')).toBeVisible()

  // 2. 院校: 申报证书试点 from the plan, by major, the total summed live.
  await login(page, 'school2-admin')
  await page.getByRole('menuitem', { name: '证书试点申报' }).click()
  await page.getByRole('button', { name: '申报证书试点' }).click()
  const plans = page.getByRole('dialog', { name: '查看申报计划' })
  await plans.locator('.el-table__row').filter({ hasText: '第二批' }).getByRole('button', { name: '立即申报' }).click()
  const form = page.getByRole('dialog', { name: '申报证书试点' })
  await choose(page, '选择证书名称', CERT, form)
  await form.locator('.el-radio').filter({ hasText: '中级' }).click()
  await form.getByRole('button', { name: '保存并提交' }).click()
  await expect(page.getByText('本批次要求按专业填报，请选择拟申报专业')).toBeVisible()
  await form.locator('.majors-bar .el-select').click()
  for (const m of ['510209 人工智能技术应用', '510201 计算机应用技术']) {
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: m }).click()
  }
  await page.keyboard.press('Escape')
  await form.getByRole('button', { name: '添加' }).click()
  const lines = form.locator('.el-table__row')
  await expect(lines).toHaveCount(2)
  const numbers = async (row: number, students: string, teachers: string, applied: string) => {
    const inputs = lines.nth(row).locator('.el-input-number input')
    await inputs.nth(0).fill(students)
    await inputs.nth(0).blur()
    await inputs.nth(1).fill(teachers)
    await inputs.nth(1).blur()
    await inputs.nth(2).fill(applied)
    await inputs.nth(2).blur()
  }
  await numbers(0, '120', '6', '50')
  await numbers(1, '80', '4', '30')
  await expect(form.locator('[data-test="applied-total"]')).toHaveText('80')
  await form.locator('.el-form-item').filter({ hasText: '师资情况' }).locator('textarea').fill('人工智能方向专任教师10人')
  await form.getByRole('textbox', { name: '申报情况' }).fill('学校已建成人工智能实训基地')
  await form.getByRole('button', { name: '保存并提交' }).click()
  await confirmBox(page)
  await expect(page.getByText('已提交，等待审核')).toBeVisible()
  const mine = page.locator('.el-table__row').filter({ hasText: CERT })
  await expect(mine.getByText('待初审')).toBeVisible()
  await expect(mine).toContainText('80')

  // 3. 省级: 退回 with a reason.
  await login(page, 'province-admin')
  await page.getByRole('menuitem', { name: '试点申报审核' }).click()
  const pending = page.locator('.el-table__row').filter({ hasText: CERT })
  await rowAction(page, pending, '退回')
  await page.locator('.el-message-box textarea').fill('请核实人工智能技术应用专业的在校学生数')
  await confirmBox(page)
  await expect(pending.getByText('审核退回')).toBeVisible()

  // 4. 院校: 编辑 and 保存并提交 again.
  await login(page, 'school2-admin')
  await page.getByRole('menuitem', { name: '证书试点申报' }).click()
  const returned = page.locator('.el-table__row').filter({ hasText: CERT })
  await expect(returned.getByText('审核退回')).toBeVisible()
  await rowAction(page, returned, '编辑')
  const edit = page.getByRole('dialog', { name: '编辑试点申报' })
  const editLines = edit.locator('.el-table__row')
  await expect(editLines).toHaveCount(2)
  const students = editLines.nth(0).locator('.el-input-number input').nth(0)
  await students.fill('100')
  await students.blur()
  const applied = editLines.nth(0).locator('.el-input-number input').nth(2)
  await applied.fill('45')
  await applied.blur()
  await expect(edit.locator('[data-test="applied-total"]')).toHaveText('75')
  await edit.getByRole('button', { name: '保存并提交' }).click()
  await confirmBox(page)
  await expect(page.getByText('已提交，等待审核')).toBeVisible()
  await expect(returned.getByText('待初审')).toBeVisible()

  // 5. 省级: 通过 with 审核人数 per major.
  await login(page, 'province-admin')
  await page.getByRole('menuitem', { name: '试点申报审核' }).click()
  const again = page.locator('.el-table__row').filter({ hasText: CERT })
  await rowAction(page, again, '通过')
  const approve = page.getByRole('dialog', { name: '审核通过' })
  const approved = approve.locator('.el-table__row').nth(1).locator('.el-input-number input')
  await approved.fill('20')
  await approved.blur()
  await expect(approve.getByText('审核总人数：65')).toBeVisible()
  await approve.getByRole('button', { name: '确 定' }).click()
  await expect(again.getByText('审核通过')).toBeVisible()
  await expect(again).toContainText('65')
  await again.getByRole('button', { name: '查看' }).click()
  const detail = page.locator('.el-drawer')
  await detail.getByRole('tab', { name: '审核记录' }).click()
  const history = detail.getByRole('tabpanel', { name: '审核记录' })
  await expect(history.locator('.el-table__row')).toHaveCount(4)
  await expect(history.getByText('请核实人工智能技术应用专业的在校学生数')).toBeVisible()

  // 6. The certificate is now one of the school's pilots.
  await login(page, 'school2-admin')
  await page.getByRole('menuitem', { name: '证书信息管理' }).click()
  await expect(page.locator('.el-table__row').filter({ hasText: CERT })).toBeVisible()
})

test('a school submits a weekly report, withdraws and resubmits it; the province approves', async ({ page }) => {
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '提交周报' }).click()
  await expect(page.getByText('本省上报周期：周报')).toBeVisible()
  await page.getByRole('button', { name: '提交周报' }).click()
  const dlg = page.getByRole('dialog', { name: '提交周报' })
  await expect(dlg.getByText('填报周期')).toBeVisible()
  await dlg.getByRole('textbox', { name: '周报内容' }).fill('本周完成考生信息导入与考核站点申报。')
  await dlg.getByRole('button', { name: '提 交' }).click()
  await confirmBox(page)
  await expect(page.getByText('已提交，等待审核')).toBeVisible()
  const row = page.locator('.el-table__row').first()
  await expect(row.getByText('待审核')).toBeVisible()

  // One report per period.
  await page.getByRole('button', { name: '提交周报' }).click()
  await expect(page.getByText('本周周报已提交，请勿重复提交')).toBeVisible()

  // 撤回, then 提交 again.
  await rowAction(page, row, '撤回')
  await confirmBox(page)
  await expect(row.getByText('未提交')).toBeVisible()
  await rowAction(page, row, '提交')
  await confirmBox(page)
  await expect(row.getByText('待审核')).toBeVisible()

  // 省级 approves.
  await login(page, 'province-admin')
  await page.getByRole('menuitem', { name: '周报审核' }).click()
  // Four demo schools: 北方工业大学, 北京示范职业技术学院 and the two of the 排考 demo.
  await expect(page.locator('[data-test="overview"]')).toContainText('已提交 1 / 4 所院校')
  await page.getByRole('button', { name: '查看提交情况' }).click()
  const overview = page.getByRole('dialog', { name: '本期提交情况' })
  await expect(overview.locator('.el-table__row').filter({ hasText: '北京示范职业技术学院' })).toContainText('未提交')
  await overview.locator('.el-dialog__headerbtn').click()
  const report = page.locator('.el-table__row').filter({ hasText: '北方工业大学' }).filter({ hasText: '待审核' })
  await rowAction(page, report, '通过')
  await confirmBox(page)
  await expect(page.locator('.el-table__row').filter({ hasText: '北方工业大学' }).first().getByText('审核通过')).toBeVisible()

  // The school's view shows the 审核记录.
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '提交周报' }).click()
  await page.locator('.el-table__row').first().getByRole('button', { name: '查看' }).click()
  const view = page.getByRole('dialog', { name: '查看周报' })
  await view.getByRole('tab', { name: '审核记录' }).click()
  await expect(view.locator('.el-table__row')).toHaveCount(4)
  await expect(view.locator('.el-table__row').nth(1)).toContainText('撤回')
  await expect(view.locator('.el-table__row').nth(3)).toContainText('审核通过')
})
