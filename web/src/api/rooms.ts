import { call, client } from './http'
import type { components, paths } from './schema'

export type RoomView = components['schemas']['RoomView']
export type RoomInput = components['schemas']['RoomInput']
export type RoomQuery = NonNullable<paths['/api/rooms']['get']['parameters']['query']>
export type SiteOption = components['schemas']['SiteOption']
export type RoomExportRequest = components['schemas']['RoomExportRequest']

export const STATUSES = ['未排考', '排考中', '已结束']

export const list = (query: RoomQuery) => call(client.GET('/api/rooms', { params: { query } }))
export const create = (body: RoomInput) => call(client.POST('/api/rooms', { body }))
export const edit = (id: string, body: RoomInput) => call(client.PUT('/api/rooms/{id}', { params: { path: { id } }, body }))
export const remove = (id: string) => call(client.DELETE('/api/rooms/{id}', { params: { path: { id } } }))
export const batchDelete = (ids: string[]) => call(client.POST('/api/rooms/batch-delete', { body: { ids } }))
export const options = (planId: string) => call(client.GET('/api/rooms/options', { params: { query: { planId } } }))
export const reuse = (fromPlanId: string, toPlanId: string) => call(client.POST('/api/rooms/reuse', { body: { fromPlanId, toPlanId } }))
export const exportFile = (body: RoomExportRequest) => call(client.POST('/api/rooms/export', { body }))

export function statusType(s: string): 'success' | 'warning' | 'info' {
  return ({ 未排考: 'success', 排考中: 'warning' } as Record<string, 'success' | 'warning'>)[s] ?? 'info'
}
