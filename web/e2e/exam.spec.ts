import { expect, test, type Page } from '@playwright/test'
import { choose, login, rowAction } from './helpers'
import { fillTemplate, readSheet } from './files'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('vslc.session') ?? '{}').token as string)
}

async function confirmBox(page: Page) {
  await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
}

test('an org publishes a plan, a school declares a site, the org approves it, the school sets up rooms and imports more', async ({ page }) => {
  // 1. The org publishes a subject, then a plan that uses it.
  await login(page, 'org-admin')
  await page.getByRole('menuitem', { name: '考试科目' }).click()
  await page.getByRole('button', { name: '新增科目' }).click()
  const dlg = page.getByRole('dialog', { name: '新增考试科目' })
  await choose(page, '证书', 'Web前端开发职业技能等级证书', dlg)
  await dlg.locator('.el-radio').filter({ hasText: '中级' }).click()
  await dlg.locator('.el-form-item').filter({ hasText: '科目代码' }).locator('input').fill('E2EM03')
  await dlg.locator('.el-form-item').filter({ hasText: '科目名称' }).locator('input').fill('综合面试')
  await choose(page, '考试方式', '面试', dlg)
  await dlg.getByRole('button', { name: '确 定' }).click()
  await expect(page.getByText('考试科目已保存')).toBeVisible()
  const row = page.locator('.el-table__row').filter({ hasText: 'E2EM03' })
  await rowAction(page, row, '发布')
  await confirmBox(page)
  await expect(row.locator('.el-tag')).toHaveText('已发布')

  const subjects = await (await page.request.get('/api/exam/subjects?certificateId=CERT0101&pageSize=100', { headers: { Authorization: `Bearer ${await token(page)}` } })).json()
  const interview = subjects.items.find((s: { code: string }) => s.code === 'E2EM03').id
  const day = (d: number, h: number) => {
    const t = new Date(Date.now() + d * 86_400_000)
    return `${t.toISOString().slice(0, 10)} ${String(h).padStart(2, '0')}:00:00`
  }
  const created = await page.request.post('/api/exam/plans', {
    headers: { Authorization: `Bearer ${await token(page)}` },
    data: {
      name: 'E2E面试考试计划', mode: '按科目', certificates: [{ certificateId: 'CERT0101', levels: ['中级'], feeCents: 0 }],
      subjects: [{ subjectId: interview, exam: { start: day(40, 9), end: day(40, 11) }, feeCents: 5000 }],
      schoolIds: ['10009'], registration: { start: day(1, 8), end: day(10, 18) }, scheduling: { start: day(11, 8), end: day(20, 18) },
      scoreEntry: { start: day(41, 8), end: day(50, 18) }, publicity: { start: day(51, 8), end: day(58, 18) },
    },
  })
  expect(created.status()).toBe(201)
  await page.getByRole('menuitem', { name: '考试计划' }).click()
  const plan = page.locator('.el-table__row').filter({ hasText: 'E2E面试考试计划' })
  await expect(plan.getByText('未发布')).toBeVisible()
  await rowAction(page, plan, '发布')
  await confirmBox(page)
  await expect(plan.getByText('未开始')).toBeVisible()

  // 2. The school sees the plan and declares a site for 中级.
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '考试计划' }).click()
  await expect(page.locator('.el-table__row').filter({ hasText: 'E2E面试考试计划' })).toBeVisible()
  await page.getByRole('menuitem', { name: '考核站点申报' }).click()
  await page.getByRole('button', { name: '申报考核站点' }).click()
  const site = page.getByRole('dialog', { name: '申报考核站点' })
  await choose(page, '考核证书', 'Web前端开发职业技能等级证书', site)
  await site.locator('.el-radio').filter({ hasText: '中级' }).click()
  await expect(site.locator('input[disabled]').first()).toHaveValue('北方工业大学Web前端开发职业技能等级证书(中级)考核站点')
  await site.locator('.el-form-item').filter({ hasText: '站点地址' }).locator('input').fill('北京市石景山区晋元庄路5号')
  await site.locator('.el-form-item').filter({ hasText: '联系人' }).locator('input').fill('张老师')
  await site.locator('.el-form-item').filter({ hasText: '联系电话' }).locator('input').fill('010-88801234')
  await expect(site.getByText('考核站点建设标准')).toBeVisible()
  await site.getByRole('button', { name: '保存并提交' }).click()
  await confirmBox(page)
  await expect(page.getByText('已提交，等待培训评价组织审核')).toBeVisible()
  await expect(page.locator('.el-table__row').getByText('待审核')).toBeVisible()

  // 3. The org approves it.
  await login(page, 'org-admin')
  await page.getByRole('menuitem', { name: '考核站点审核' }).click()
  const pending = page.locator('.el-table__row').filter({ hasText: '北方工业大学' }).filter({ hasText: '中级' })
  await rowAction(page, pending, '通过')
  await confirmBox(page)
  await expect(pending.getByText('审核通过')).toBeVisible()

  // 4. The school sets up a room at its site for the demo plan.
  await login(page, 'school-admin')
  await page.getByRole('menuitem', { name: '考场管理' }).click()
  await page.getByRole('button', { name: '设置考场' }).click()
  const room = page.getByRole('dialog', { name: '设置考场' })
  await choose(page, '考试计划', 'Web前端开发职业技能等级证书考试', room)
  await choose(page, '考核站点', '(中级)考核站点', room)
  await room.locator('.el-checkbox').filter({ hasText: 'WEBM01 理论知识（机考）' }).click()
  await room.locator('.el-checkbox').filter({ hasText: 'WEBM02 实操技能（实操）' }).click()
  await expect(room.getByText('所选科目的考试方式不同')).toBeVisible()
  await room.locator('.el-checkbox').filter({ hasText: 'WEBM02 实操技能（实操）' }).click()
  await expect(room.locator('.el-form-item').filter({ hasText: '考场类型' }).locator('input')).toHaveValue('机考考场')
  await room.locator('.el-form-item').filter({ hasText: '考场名称' }).locator('input').fill('机房一')
  await room.getByRole('button', { name: '确 定' }).click()
  await expect(page.getByText('考场已保存')).toBeVisible()
  await expect(page.locator('.el-table__row').filter({ hasText: '机房一' }).getByText('未排考')).toBeVisible()
  // 查看考场信息详情.
  await page.locator('.el-table__row').filter({ hasText: '机房一' }).getByRole('button', { name: '查看' }).click()
  const detail = page.locator('.el-drawer').filter({ hasText: '考场详情' })
  await expect(detail).toContainText('机考考场')
  await expect(detail).toContainText('Web前端开发职业技能等级证书考试')
  await expect(detail).toContainText('本校设置')
  await detail.locator('.el-drawer__close-btn').click()

  // 5. More rooms from the plan's template: one good row, one with a method clash.
  await page.getByRole('button', { name: '批量导入考场信息' }).click()
  const pick = page.getByRole('dialog', { name: '批量导入考场信息' }).first()
  await choose(page, '考试计划', 'Web前端开发职业技能等级证书考试', pick)
  await pick.getByRole('button', { name: '确 定' }).click()
  const imp = page.getByRole('dialog', { name: '批量导入考场信息' }).last()
  const download = page.waitForEvent('download')
  await imp.locator('[data-test=download-template]').click()
  const template = Buffer.from(await (await (await download).createReadStream()).toArray().then((c) => Buffer.concat(c)))
  const siteName = '北方工业大学Web前端开发职业技能等级证书(中级)考核站点'
  const file = await fillTemplate(template, [
    [siteName, 'WEBM02', '实训室一', '25', '实训楼201'],
    [siteName, 'WEBM01、WEBM02', '混合考场', '25', ''],
  ])
  await imp.locator('input[type=file]').setInputFiles({ name: '考场.xlsx', mimeType: XLSX, buffer: file })
  const counts = imp.locator('[data-test=import-counts]')
  await expect(counts).toContainText('成功1')
  await expect(counts).toContainText('失败1')
  const href = await imp.locator('[data-test=failed-rows]').getAttribute('href')
  const failed = await readSheet(Buffer.from(await (await page.request.get(href!)).body()))
  expect(failed[1][failed[1].length - 1]).toContain('考试方式')
  await imp.getByRole('button', { name: '关 闭' }).click()
  await page.getByRole('button', { name: '搜索' }).click()
  await expect(page.locator('.el-table__row').filter({ hasText: '实训室一' }).getByText('实操考场')).toBeVisible()

  // 导入记录 lists the import with its counts.
  await page.getByRole('button', { name: '导入记录' }).click()
  await expect(page.getByRole('dialog', { name: '导入记录' }).locator('.el-table__row').filter({ hasText: '考场.xlsx' })).toBeVisible()
})
