// 考证结果 (manual §5.2.10): each registration's result, decided when its
// plan's scores lock; every subject's score in the detail.
import { call, client } from './http'
import type { components, paths } from './schema'

export type ResultRow = components['schemas']['ResultRow']
export type ResultStatus = components['schemas']['ResultStatus']
export type SubjectLine = components['schemas']['SubjectLine']
export type ResultExportRequest = components['schemas']['ResultExportRequest']
export type ResultQuery = NonNullable<paths['/api/results']['get']['parameters']['query']>

export const STATUSES: ResultStatus[] = ['已通过', '未通过']

export const list = (query: ResultQuery) => call(client.GET('/api/results', { params: { query } }))
/** 查看考证详情 (id `<计划 id>.<报考 id>`). */
export const get = (id: string) => call(client.GET('/api/results/{id}', { params: { path: { id } } }))
export const exportFile = (body: ResultExportRequest) => call(client.POST('/api/results/export', { body }))

export const statusType = (s: string): 'success' | 'danger' | 'info' =>
  s === '已通过' ? 'success' : s === '未通过' ? 'danger' : 'info'

/** 考生类型 as the lists word it. */
export const kindLabel = (k: string) => (k === 'school' ? '院校考生' : k === 'social' ? '社会考生' : k)
