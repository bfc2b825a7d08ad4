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
    items: [{ path: '/certificates', title: '证书信息管理' }],
  },
  {
    title: '系统管理',
    icon: 'Setting',
    items: [{ path: '/users', title: '用户管理', roles: ['院校管理员', '培训评价组织管理员', '省级管理员'] }],
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

export function titleOf(path: string): [string, string] | null {
  for (const g of MENU) for (const i of g.items) if (path.startsWith(i.path)) return [g.title, i.title]
  return null
}
