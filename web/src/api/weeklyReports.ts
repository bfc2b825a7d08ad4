import { call, client } from './http'
import type { components, paths } from './schema'

export type Report = components['schemas']['WeeklyReport']
export type ReportInput = components['schemas']['ReportInput']
export type Figures = components['schemas']['Figures']
export type ReportQuery = NonNullable<paths['/api/weekly-reports']['get']['parameters']['query']>
export type CycleView = components['schemas']['CycleView']
export type Cycle = components['schemas']['Cycle']
export type Overview = components['schemas']['Overview']

export const STATUSES = ['未提交', '待审核', '审核通过', '审核退回', '逾期未提交']
export const DUPLICATE = '本周周报已提交，请勿重复提交'

export const cycle = () => call(client.GET('/api/weekly-reports/cycle'))
export const setCycle = (cycle: Cycle) => call(client.PUT('/api/weekly-reports/cycle', { body: { cycle } }))
export const current = () => call(client.GET('/api/weekly-reports/current'))
export const list = (query: ReportQuery) => call(client.GET('/api/weekly-reports', { params: { query } }))
export const get = (id: string) => call(client.GET('/api/weekly-reports/{id}', { params: { path: { id } } }))
export const create = (body: ReportInput) => call(client.POST('/api/weekly-reports', { body }))
export const edit = (id: string, body: ReportInput) => call(client.PUT('/api/weekly-reports/{id}', { params: { path: { id } }, body }))
export const remove = (id: string) => call(client.DELETE('/api/weekly-reports/{id}', { params: { path: { id } } }))
export const submit = (id: string) => call(client.POST('/api/weekly-reports/{id}/submit', { params: { path: { id } } }))
export const withdraw = (id: string) => call(client.POST('/api/weekly-reports/{id}/withdraw', { params: { path: { id } } }))

export const reviewList = (query: ReportQuery) => call(client.GET('/api/weekly-reports/review', { params: { query } }))
export const overview = (date?: string) => call(client.GET('/api/weekly-reports/review/overview', { params: { query: { date } } }))
export const approve = (id: string) => call(client.POST('/api/weekly-reports/review/{id}/approve', { params: { path: { id } } }))
export const returnIt = (id: string, reason: string) =>
  call(client.POST('/api/weekly-reports/review/{id}/return', { params: { path: { id } }, body: { reason } }))

export function statusType(s: string): 'success' | 'primary' | 'warning' | 'info' | 'danger' {
  return ({ 审核通过: 'success', 待审核: 'warning', 审核退回: 'danger', 逾期未提交: 'danger' } as Record<string, 'success' | 'warning' | 'danger'>)[s] ?? 'info'
}
