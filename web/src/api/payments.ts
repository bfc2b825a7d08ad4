import { call, client } from './http'
import type { components, paths } from './schema'

export type Order = components['schemas']['Order']
export type OrderDetail = components['schemas']['OrderDetail']
export type OrderQuery = NonNullable<paths['/api/payments']['get']['parameters']['query']>
export type GenerateInput = components['schemas']['GenerateInput']

export const list = (query: OrderQuery) => call(client.GET('/api/payments', { params: { query } }))
export const get = (no: string) => call(client.GET('/api/payments/{no}', { params: { path: { no } } }))
export const generate = (body: GenerateInput) => call(client.POST('/api/payments', { body }))
export const remove = (no: string) => call(client.DELETE('/api/payments/{no}', { params: { path: { no } } }))
/** What the list shows: the order number and (for an org) school it is filtered by. */
export interface OrderExportFilter {
  status: string | null
  no: string | null
  school?: string | null
}
export const exportFile = (ids: string[], planId: string | null, f: OrderExportFilter) =>
  call(client.POST('/api/payments/export', { body: { ids, planId, ...f } }))
export const reviewExport = (ids: string[], f: OrderExportFilter) => call(client.POST('/api/payments/review/export', { body: { ids, ...f } }))
export const reviewList = (query: OrderQuery) => call(client.GET('/api/payments/review', { params: { query } }))
export const reviewGet = (no: string) => call(client.GET('/api/payments/review/{no}', { params: { path: { no } } }))
export const confirm = (no: string) => call(client.POST('/api/payments/review/{no}/confirm', { params: { path: { no } } }))
export const batchConfirm = (ids: string[]) => call(client.POST('/api/payments/review/confirm', { body: { ids } }))
