// 统计分析 (manual §7.1, 证书通过率统计): 报考人数, 实考人数, 通过人数 and
// 通过率 by certificate or by certificate level, for a school, an org or a
// province, by year and plan, with the trend over plans.
import { call, client } from './http'
import type { components } from './schema'

export type Statistics = components['schemas']['Statistics']
export type StatRow = components['schemas']['StatRow']
export type PlanPoint = components['schemas']['PlanPoint']
export type StatFilter = components['schemas']['StatFilter']
/** 按证书统计 or 按证书等级统计. */
export type StatBy = 'certificates' | 'levels'

export const TABS: Record<StatBy, string> = { certificates: '按证书统计', levels: '按证书等级统计' }

export function figures(by: StatBy, f: StatFilter): Promise<Statistics> {
  const query = {
    ...(f.year != null ? { year: f.year } : {}),
    ...(f.planId ? { planId: f.planId } : {}),
    ...(f.certificateId ? { certificateId: f.certificateId } : {}),
  }
  return by === 'certificates'
    ? call(client.GET('/api/statistics/certificates', { params: { query } }))
    : call(client.GET('/api/statistics/levels', { params: { query } }))
}

export function exportFile(by: StatBy, body: StatFilter) {
  return by === 'certificates'
    ? call(client.POST('/api/statistics/certificates/export', { body }))
    : call(client.POST('/api/statistics/levels/export', { body }))
}

/** 通过率 as shown: `86.7%`, or `—` when nobody sat. */
export const rate = (r?: number | null) => (r == null ? '—' : `${r.toFixed(1)}%`)
