import { call, client } from './http'
import type { components, paths } from './schema'

export type RegistrationView = components['schemas']['RegistrationView']
export type RegistrationQuery = NonNullable<paths['/api/registrations']['get']['parameters']['query']>
export type RegistrationExportRequest = components['schemas']['RegistrationExportRequest']

export const STATUSES = ['未排考', '待考试', '考试中', '已结束']

export const list = (query: RegistrationQuery) => call(client.GET('/api/registrations', { params: { query } }))
export const remove = (id: string) => call(client.DELETE('/api/registrations/{id}', { params: { path: { id } } }))
export const batchDelete = (ids: string[]) => call(client.POST('/api/registrations/batch-delete', { body: { ids } }))
export const exportFile = (body: RegistrationExportRequest) => call(client.POST('/api/registrations/export', { body }))
