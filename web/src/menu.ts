// The manual's menu, filtered by tenant kind and role. Only pages that exist
// are listed; areas appear as their issues land.
import { hasRole, session } from './session'

export interface MenuItem {
  path: string
  title: string
  /** Tenant kinds that see it (all when absent). */
  kinds?: string[]
  /** Roles that see it (all of those kinds when absent). */
  roles?: string[]
  /** In the manual's menu but not built yet: tagged 建设中, its page says so. */
  pending?: boolean
}

export interface MenuGroup {
  title: string
  icon: string
  items: MenuItem[]
}

export const MENU: MenuGroup[] = [
  {
    title: '机构管理',
    icon: 'OfficeBuilding',
    items: [
      { path: '/orgs', title: '培训评价组织管理', kinds: ['school', 'province'] },
      { path: '/school', title: '试点院校管理', kinds: ['school'] },
      { path: '/org-profile', title: '本机构信息', kinds: ['org'] },
    ],
  },
  {
    title: '标准管理',
    icon: 'Document',
    items: [
      { path: '/standards/skill', title: '职业技能等级标准' },
      { path: '/standards/site', title: '考核站点建设标准' },
    ],
  },
  {
    title: '证书管理',
    icon: 'Medal',
    items: [
      { path: '/certificates', title: '证书信息管理' },
      { path: '/issuance', title: '证书发放管理', pending: true },
      { path: '/declarations', title: '证书试点申报', kinds: ['school'] },
      { path: '/declarations/plans', title: '申报计划', kinds: ['province'] },
      { path: '/declarations/review', title: '试点申报审核', kinds: ['province'] },
    ],
  },
  {
    title: '考务管理',
    icon: 'Calendar',
    items: [
      { path: '/exam/subjects', title: '考试科目' },
      { path: '/exam/plans', title: '考试计划' },
      { path: '/candidates/school', title: '院校考生', kinds: ['school'] },
      { path: '/candidates/social', title: '社会考生', kinds: ['school'] },
      { path: '/sites', title: '考核站点申报', kinds: ['school'] },
      { path: '/sites/review', title: '考核站点审核', kinds: ['org'] },
      { path: '/sites/allocations', title: '考核站点分配', kinds: ['org'] },
      { path: '/sites/allocations', title: '考核站点分配查询', kinds: ['school'] },
      { path: '/rooms', title: '考场管理', kinds: ['school'] },
      { path: '/registrations', title: '报考管理', kinds: ['school'] },
      { path: '/payments', title: '缴费管理', kinds: ['school', 'org'] },
      { path: '/scheduling/sites', title: '考核站点编排', kinds: ['school'] },
      { path: '/scheduling/rooms', title: '考场编排', kinds: ['school'] },
      { path: '/scheduling/details', title: '排考明细', kinds: ['school'] },
      { path: '/scores', title: '科目成绩', kinds: ['school', 'org'] },
      { path: '/results', title: '考证结果', kinds: ['school', 'org'] },
      { path: '/invigilators', title: '监考人员', kinds: ['school'] },
      { path: '/invigilators/review', title: '监考人员认证', kinds: ['org'] },
    ],
  },
  {
    title: '周报管理',
    icon: 'Notebook',
    items: [
      { path: '/weekly-reports', title: '提交周报', kinds: ['school'] },
      { path: '/weekly-reports/review', title: '周报审核', kinds: ['province'] },
    ],
  },
  {
    title: '统计分析',
    icon: 'DataAnalysis',
    items: [{ path: '/statistics', title: '证书通过率统计', roles: ['院校管理员', '统计查看', '培训评价组织管理员', '省级管理员'] }],
  },
  {
    title: '系统管理',
    icon: 'Setting',
    items: [
      { path: '/users', title: '用户管理', roles: ['院校管理员', '培训评价组织管理员', '省级管理员'] },
      { path: '/audit', title: '操作日志', roles: ['院校管理员', '培训评价组织管理员', '省级管理员'] },
    ],
  },
]

function visible(item: MenuItem): boolean {
  const kind = session.user?.tenant.kind
  if (item.kinds && (!kind || !item.kinds.includes(kind))) return false
  if (item.roles && !hasRole(...item.roles)) return false
  return true
}

export function menu(): MenuGroup[] {
  return MENU.map((g) => ({ ...g, items: g.items.filter(visible) })).filter((g) => g.items.length > 0)
}

/** The breadcrumb of a path: the longest menu path it starts with, among
 *  the entries this session sees. */
export function titleOf(path: string): [string, string] | null {
  let best: [string, string, number] | null = null
  for (const g of MENU)
    for (const i of g.items.filter(visible))
      if ((path === i.path || path.startsWith(i.path + '/')) && (!best || i.path.length > best[2])) best = [g.title, i.title, i.path.length]
  return best && [best[0], best[1]]
}
