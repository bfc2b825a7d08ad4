// 监考人员 (manual §5.2.11): the school's invigilators and the org's 认证.
import { call, client } from './http'
import type { components, paths } from './schema'

export type InvigilatorView = components['schemas']['InvigilatorView']
export type InvigilatorInput = components['schemas']['InvigilatorInput']
export type CertificateView = components['schemas']['CertificateView']
export type CertificateOption = components['schemas']['CertificateOption']
export type Certification = components['schemas']['Certification']
export type ReviewRecord = components['schemas']['ReviewRecord']
export type BatchOutcome = components['schemas']['BatchOutcome']
export type IdType = components['schemas']['IdType']
export type InvigilatorExportRequest = components['schemas']['InvigilatorExportRequest']
export type ListQuery = NonNullable<paths['/api/invigilators']['get']['parameters']['query']>
export type ReviewQuery = NonNullable<paths['/api/invigilators/review']['get']['parameters']['query']>

export const STATUSES = ['待认证', '已认证', '未通过']
export const ID_TYPES: IdType[] = ['身份证', '港澳台居民居住证', '港澳居民来往内地通行证', '护照']

export const list = (query: ListQuery) => call(client.GET('/api/invigilators', { params: { query } }))
export const get = (id: string) => call(client.GET('/api/invigilators/{id}', { params: { path: { id } } }))
export const create = (body: InvigilatorInput) => call(client.POST('/api/invigilators', { body }))
export const edit = (id: string, body: InvigilatorInput) => call(client.PUT('/api/invigilators/{id}', { params: { path: { id } }, body }))
export const remove = (id: string) => call(client.DELETE('/api/invigilators/{id}', { params: { path: { id } } }))
export const batchDelete = (ids: string[]) => call(client.POST('/api/invigilators/batch-delete', { body: { ids } }))
export const reapply = (id: string, certificateId: string) =>
  call(client.POST('/api/invigilators/{id}/reapply', { params: { path: { id } }, body: { certificateId } }))
/** 开通监考员账号: answers the initial password once. */
export const openLogin = (id: string, account: string) =>
  call(client.POST('/api/invigilators/{id}/login', { params: { path: { id } }, body: { account } }))
export const certificates = () => call(client.GET('/api/invigilators/certificates'))
export const exportFile = (body: InvigilatorExportRequest) => call(client.POST('/api/invigilators/export', { body }))

export const reviewList = (query: ReviewQuery) => call(client.GET('/api/invigilators/review', { params: { query } }))
export const reviewGet = (id: string) => call(client.GET('/api/invigilators/review/{id}', { params: { path: { id } } }))
export const certify = (id: string) => call(client.POST('/api/invigilators/review/{id}/certify', { params: { path: { id } } }))
export const reject = (id: string, reason: string) =>
  call(client.POST('/api/invigilators/review/{id}/reject', { params: { path: { id } }, body: { reason } }))
export const batchCertify = (ids: string[]) => call(client.POST('/api/invigilators/review/batch-certify', { body: { ids } }))
export const batchReject = (ids: string[], reason: string) => call(client.POST('/api/invigilators/review/batch-reject', { body: { ids, reason } }))

export function statusType(s: string): 'success' | 'warning' | 'danger' | 'info' {
  return ({ 已认证: 'success', 待认证: 'warning', 未通过: 'danger' } as Record<string, 'success' | 'warning' | 'danger'>)[s] ?? 'info'
}
