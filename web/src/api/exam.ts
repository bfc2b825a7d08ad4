import { call, client } from './http'
import type { components, paths } from './schema'

export type Subject = components['schemas']['Subject']
export type SubjectInput = components['schemas']['SubjectInput']
export type SubjectQuery = NonNullable<paths['/api/exam/subjects']['get']['parameters']['query']>
export type PlanView = components['schemas']['PlanView']
export type PlanInput = components['schemas']['PlanInput']
export type PlanQuery = NonNullable<paths['/api/exam/plans']['get']['parameters']['query']>
export type EligibleSchool = components['schemas']['EligibleSchool']
export type Level = components['schemas']['Level']
export type ExamMethod = components['schemas']['ExamMethod']

export const LEVELS: Level[] = ['初级', '中级', '高级']
export const METHODS: ExamMethod[] = ['笔试', '机考', '实操', '面试']
export const PHASES = ['未发布', '未开始', '报名中', '待排考', '排考中', '待考试', '考试中', '成绩登记中', '公示中', '已结束']

export const subjects = (query: SubjectQuery) => call(client.GET('/api/exam/subjects', { params: { query } }))
export const createSubject = (body: SubjectInput) => call(client.POST('/api/exam/subjects', { body }))
export const editSubject = (id: string, body: SubjectInput) =>
  call(client.PUT('/api/exam/subjects/{id}', { params: { path: { id } }, body }))
export const removeSubject = (id: string) => call(client.DELETE('/api/exam/subjects/{id}', { params: { path: { id } } }))
export const publishSubject = (id: string) => call(client.POST('/api/exam/subjects/{id}/publish', { params: { path: { id } } }))

export const plans = (query: PlanQuery) => call(client.GET('/api/exam/plans', { params: { query } }))
export const plan = (id: string) => call(client.GET('/api/exam/plans/{id}', { params: { path: { id } } }))
export const createPlan = (body: PlanInput) => call(client.POST('/api/exam/plans', { body }))
export const editPlan = (id: string, body: PlanInput) => call(client.PUT('/api/exam/plans/{id}', { params: { path: { id } }, body }))
export const removePlan = (id: string) => call(client.DELETE('/api/exam/plans/{id}', { params: { path: { id } } }))
export const publishPlan = (id: string) => call(client.POST('/api/exam/plans/{id}/publish', { params: { path: { id } } }))
export const eligibleSchools = () => call(client.GET('/api/exam/plans/eligible-schools'))

/** The plans the session sees, newest first (for selects): up to 300. */
export async function allPlans(): Promise<PlanView[]> {
  const out: PlanView[] = []
  let cursor: string | undefined
  for (let i = 0; i < 3; i++) {
    const page = await plans({ pageSize: 100, ...(cursor ? { cursor } : {}) })
    out.push(...page.items)
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return out
}

/** 分 → "120.00". */
export const yuan = (cents: number) => (cents / 100).toFixed(2)

export function phaseType(p: string): 'success' | 'primary' | 'warning' | 'info' | 'danger' {
  return ({ 报名中: 'success', 排考中: 'warning', 考试中: 'danger', 成绩登记中: 'primary', 公示中: 'primary' } as Record<string, 'success' | 'primary' | 'warning' | 'danger'>)[p] ?? 'info'
}
