import { call, client } from './http'
import type { components, paths } from './schema'

export type CandidateView = components['schemas']['CandidateView']
export type CandidateInput = components['schemas']['CandidateInput']
export type CandidateKind = CandidateInput['kind']
export type CandidateQuery = NonNullable<paths['/api/candidates']['get']['parameters']['query']>
export type ExportRequest = components['schemas']['ExportRequest']
export type MajorOption = components['schemas']['MajorOption']

export const list = (query: CandidateQuery) => call(client.GET('/api/candidates', { params: { query } }))
export const majors = () => call(client.GET('/api/candidates/majors'))
export const get = (no: string) => call(client.GET('/api/candidates/{no}', { params: { path: { no } } }))
export const create = (body: CandidateInput) => call(client.POST('/api/candidates', { body }))
export const edit = (no: string, body: CandidateInput) => call(client.PUT('/api/candidates/{no}', { params: { path: { no } }, body }))
export const remove = (no: string) => call(client.DELETE('/api/candidates/{no}', { params: { path: { no } } }))
export const batchDelete = (ids: string[]) => call(client.POST('/api/candidates/batch-delete', { body: { ids } }))
export const confirm = (no: string) => call(client.POST('/api/candidates/{no}/confirm', { params: { path: { no } } }))
export const authenticate = (no: string) => call(client.POST('/api/candidates/{no}/authenticate', { params: { path: { no } } }))
export const batchAuthenticate = (ids: string[]) => call(client.POST('/api/candidates/authenticate', { body: { ids } }))
export const exportFile = (body: ExportRequest) => call(client.POST('/api/candidates/export', { body }))
export const beginPhoto = (no: string, contentType: string) =>
  call(client.POST('/api/candidates/{no}/photo', { params: { path: { no } }, body: { contentType } }))
export const confirmPhoto = (no: string) => call(client.POST('/api/candidates/{no}/photo/confirm', { params: { path: { no } } }))
export const photoUrl = (no: string) => call(client.GET('/api/candidates/{no}/photo', { params: { path: { no } } }), true)
