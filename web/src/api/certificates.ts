import { call, client } from './http'
import type { components, paths } from './schema'

export type CertificateRow = components['schemas']['CertificateRow']
export type CertificateDetail = components['schemas']['CertificateDetail']
export type CertificateInput = components['schemas']['CertificateInput']
export type ChainView = components['schemas']['ChainView']
export type CertificateQuery = NonNullable<paths['/api/certificates']['get']['parameters']['query']>

export const list = (query: CertificateQuery) => call(client.GET('/api/certificates', { params: { query } }))
export const detail = (id: string) => call(client.GET('/api/certificates/{id}', { params: { path: { id } } }))
export const chain = (id: string) => call(client.GET('/api/certificates/{id}/chain', { params: { path: { id } } }))
export const create = (body: CertificateInput) => call(client.POST('/api/certificates', { body }))
export const update = (id: string, body: CertificateInput) =>
  call(client.PUT('/api/certificates/{id}', { params: { path: { id } }, body }))
export const verifyTx = (hash: string) => call(client.GET('/api/verify/tx/{hash}', { params: { path: { hash } } }))
