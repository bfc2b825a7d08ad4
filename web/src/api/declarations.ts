import { call, client } from './http'
import type { components, paths } from './schema'

export type Plan = components['schemas']['DeclarationPlanView']
export type PlanInput = components['schemas']['DeclarationPlanInput']
export type PlanQuery = NonNullable<paths['/api/declarations/plans']['get']['parameters']['query']>
export type Declaration = components['schemas']['Declaration']
export type DeclarationDetail = components['schemas']['DeclarationDetail']
export type DeclarationInput = components['schemas']['DeclarationInput']
export type DeclarationQuery = NonNullable<paths['/api/declarations']['get']['parameters']['query']>
export type DeclarableCertificate = components['schemas']['DeclarableCertificate']
export type ApproveInput = components['schemas']['ApproveInput']
export type ReviewRecord = components['schemas']['ReviewRecord']
export type Level = components['schemas']['Level']

export const STATUSES = ['未提交', '待市级审核', '待初审', '审核通过', '审核退回']

export const plans = (query: PlanQuery) => call(client.GET('/api/declarations/plans', { params: { query } }))
export const getPlan = (id: string) => call(client.GET('/api/declarations/plans/{id}', { params: { path: { id } } }))
export const createPlan = (body: PlanInput) => call(client.POST('/api/declarations/plans', { body }))
export const editPlan = (id: string, body: PlanInput) => call(client.PUT('/api/declarations/plans/{id}', { params: { path: { id } }, body }))
export const removePlan = (id: string) => call(client.DELETE('/api/declarations/plans/{id}', { params: { path: { id } } }))
export const planCertificates = (id: string) => call(client.GET('/api/declarations/plans/{id}/certificates', { params: { path: { id } } }))

export const list = (query: DeclarationQuery) => call(client.GET('/api/declarations', { params: { query } }))
export const get = (id: string) => call(client.GET('/api/declarations/{id}', { params: { path: { id } } }))
export const create = (body: DeclarationInput) => call(client.POST('/api/declarations', { body }))
export const edit = (id: string, body: DeclarationInput) => call(client.PUT('/api/declarations/{id}', { params: { path: { id } }, body }))
export const remove = (id: string) => call(client.DELETE('/api/declarations/{id}', { params: { path: { id } } }))
export const submit = (id: string) => call(client.POST('/api/declarations/{id}/submit', { params: { path: { id } } }))
export const exportDetails = (body: DeclarationQuery) => call(client.POST('/api/declarations/export', { body }))

export const reviewList = (query: DeclarationQuery) => call(client.GET('/api/declarations/review', { params: { query } }))
export const reviewGet = (id: string) => call(client.GET('/api/declarations/review/{id}', { params: { path: { id } } }))
export const approve = (id: string, body: ApproveInput) =>
  call(client.POST('/api/declarations/review/{id}/approve', { params: { path: { id } }, body }))
export const returnIt = (id: string, reason: string) =>
  call(client.POST('/api/declarations/review/{id}/return', { params: { path: { id } }, body: { reason } }))

export function statusType(s: string): 'success' | 'primary' | 'warning' | 'info' | 'danger' {
  return ({ 审核通过: 'success', 待初审: 'warning', 待市级审核: 'warning', 审核退回: 'danger' } as Record<string, 'success' | 'warning' | 'danger'>)[s] ?? 'info'
}
