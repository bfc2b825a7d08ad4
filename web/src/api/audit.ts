import { call, client } from './http'
import type { components, paths } from './schema'

export type AuditEntry = components['schemas']['AuditEntry']
export type AuditFilter = components['schemas']['AuditFilter']
export type AuditQuery = NonNullable<paths['/api/audit']['get']['parameters']['query']>

export const OUTCOMES = ['成功', '失败']

export const list = (query: AuditQuery) => call(client.GET('/api/audit', { params: { query } }))
export const kinds = () => call(client.GET('/api/audit/kinds'))
export const exportFile = (body: AuditFilter) => call(client.POST('/api/audit/export', { body }))

/** 操作对象 as one line: kind, id and the masked description. */
export function target(e: AuditEntry): string {
  return [e.targetKind, e.targetId, e.targetLabel].filter((x) => !!x).join(' ')
}

/** 操作人员: name and account. */
export function operator(e: AuditEntry): string {
  return e.userName ? `${e.userName}（${e.account}）` : e.account
}
