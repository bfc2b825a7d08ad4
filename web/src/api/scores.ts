// 科目成绩 (manual §5.2.9): scores by subject, imported by the org into its
// 成绩登记表 inside 成绩登记, corrected with a reason in 公示期, locked and
// anchored on the ledger when 公示期 ends; 成绩查询 for candidates (public).
import { call, client } from './http'
import type { components, paths } from './schema'

export type ScoreRow = components['schemas']['ScoreRow']
export type ScoreDetail = components['schemas']['ScoreDetail']
export type ScoreChange = components['schemas']['ScoreChange']
export type ScoreStatus = components['schemas']['ScoreStatus']
export type Mark = components['schemas']['Mark']
export type CorrectionInput = components['schemas']['CorrectionInput']
export type ScoreExportRequest = components['schemas']['ScoreExportRequest']
export type ScoreQuery = NonNullable<paths['/api/scores']['get']['parameters']['query']>
export type SheetView = components['schemas']['SheetView']
export type SheetCheck = components['schemas']['SheetCheck']
export type ChainInfo = components['schemas']['ChainInfo']
export type LookupInput = components['schemas']['LookupInput']
export type LookupAnswer = components['schemas']['LookupAnswer']
export type LookupSubject = components['schemas']['LookupSubject']

export const STATUSES: ScoreStatus[] = ['待公示', '公示中', '已锁定']
/** 成绩类别: what the list filters by. */
export const OUTCOMES = ['合格', '不合格', '缺考', '违纪']
export const MARKS: Mark[] = ['缺考', '违纪']
/** The bulk import's type (params planId and subjectId). */
export const IMPORT_TYPE = 'scores'

export const list = (query: ScoreQuery) => call(client.GET('/api/scores', { params: { query } }))
export const get = (id: string) => call(client.GET('/api/scores/{id}', { params: { path: { id } } }))
export const correct = (id: string, body: CorrectionInput) => call(client.POST('/api/scores/{id}/correct', { params: { path: { id } }, body }))
export const exportFile = (body: ScoreExportRequest) => call(client.POST('/api/scores/export', { body }))

// The org's 成绩登记表 of a plan, one a subject (id `<计划 id>.<科目 id>`).
export const sheets = (planId: string) => call(client.GET('/api/scores/sheets', { params: { query: { planId } } }))
export const sheet = (id: string) => call(client.GET('/api/scores/sheets/{id}', { params: { path: { id } } }))
export const template = (id: string) => call(client.POST('/api/scores/sheets/{id}/template', { params: { path: { id } } }))
export const verify = (id: string) => call(client.POST('/api/scores/sheets/{id}/verify', { params: { path: { id } } }))

/** 成绩查询 (no login): the caller shows the refusal itself (wrong numbers, too early, too many attempts). */
export const lookup = (body: LookupInput) => call(client.POST('/api/scores/public/lookup', { body }), true)

export function statusType(s: string): 'info' | 'warning' | 'success' {
  return ({ 公示中: 'warning', 已锁定: 'success' } as Record<string, 'warning' | 'success'>)[s] ?? 'info'
}

/** 成绩类别 of a row: 缺考 / 违纪, else 合格 or 不合格 against the 合格分. */
export function outcomeOf(r: { mark?: Mark | null; passed: boolean }): string {
  return r.mark ?? (r.passed ? '合格' : '不合格')
}

export function outcomeType(o: string): 'success' | 'danger' | 'warning' | 'info' {
  return ({ 合格: 'success', 不合格: 'danger', 缺考: 'info', 违纪: 'warning' } as Record<string, 'success' | 'danger' | 'warning' | 'info'>)[o] ?? 'info'
}

/** A hash as the lists show it: the first and last characters. */
export const shortHash = (h: string, n = 8) => (h.length > 2 * n + 1 ? `${h.slice(0, n)}…${h.slice(-n)}` : h)
