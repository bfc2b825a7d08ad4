import { call, client } from './http'
import type { components, paths } from './schema'

export type Site = components['schemas']['Site']
export type SiteInput = components['schemas']['SiteInput']
export type SiteQuery = NonNullable<paths['/api/sites']['get']['parameters']['query']>
export type Allocation = components['schemas']['Allocation']
export type AllocationInput = components['schemas']['AllocationInput']
export type AllocationQuery = NonNullable<paths['/api/sites/allocations']['get']['parameters']['query']>
export type Level = components['schemas']['Level']

export const STATUSES = ['未提交', '待审核', '审核通过', '审核退回']

export const list = (query: SiteQuery) => call(client.GET('/api/sites', { params: { query } }))
export const get = (id: string) => call(client.GET('/api/sites/{id}', { params: { path: { id } } }))
export const create = (body: SiteInput) => call(client.POST('/api/sites', { body }))
export const edit = (id: string, body: SiteInput) => call(client.PUT('/api/sites/{id}', { params: { path: { id } }, body }))
export const remove = (id: string) => call(client.DELETE('/api/sites/{id}', { params: { path: { id } } }))
export const batchDelete = (ids: string[]) => call(client.POST('/api/sites/batch-delete', { body: { ids } }))
export const submit = (id: string) => call(client.POST('/api/sites/{id}/submit', { params: { path: { id } } }))
export const withdraw = (id: string) => call(client.POST('/api/sites/{id}/withdraw', { params: { path: { id } } }))
export const standards = (certificateId: string, level: Level) =>
  call(client.GET('/api/sites/standards', { params: { query: { certificateId, level } } }))

export const reviewList = (query: SiteQuery) => call(client.GET('/api/sites/review', { params: { query } }))
export const approve = (id: string) => call(client.POST('/api/sites/review/{id}/approve', { params: { path: { id } } }))
export const returnSite = (id: string, reason: string) =>
  call(client.POST('/api/sites/review/{id}/return', { params: { path: { id } }, body: { reason } }))

export const allocations = (query: AllocationQuery) => call(client.GET('/api/sites/allocations', { params: { query } }))
export const allocate = (body: AllocationInput) => call(client.POST('/api/sites/allocations', { body }))
export const removeAllocation = (id: string) => call(client.DELETE('/api/sites/allocations/{id}', { params: { path: { id } } }))

export function statusType(s: string): 'success' | 'primary' | 'warning' | 'info' | 'danger' {
  return ({ 审核通过: 'success', 待审核: 'warning', 审核退回: 'danger' } as Record<string, 'success' | 'warning' | 'danger'>)[s] ?? 'info'
}
