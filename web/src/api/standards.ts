import { call, client } from './http'
import type { components, paths } from './schema'

export type Standard = components['schemas']['Standard']
export type StandardInput = components['schemas']['StandardInput']
export type StandardKind = components['schemas']['StandardKind']
export type StandardQuery = NonNullable<paths['/api/standards/{kind}']['get']['parameters']['query']>

export const list = (kind: StandardKind, query: StandardQuery) =>
  call(client.GET('/api/standards/{kind}', { params: { path: { kind }, query } }))
export const detail = (kind: StandardKind, id: string) =>
  call(client.GET('/api/standards/{kind}/{id}', { params: { path: { kind, id } } }))
export const create = (kind: StandardKind, body: StandardInput) =>
  call(client.POST('/api/standards/{kind}', { params: { path: { kind } }, body }))
export const edit = (kind: StandardKind, id: string, body: StandardInput) =>
  call(client.PUT('/api/standards/{kind}/{id}', { params: { path: { kind, id } }, body }))
const setStatus = (kind: StandardKind, id: string, action: 'enable' | 'disable') =>
  call(client.POST('/api/standards/{kind}/{id}/{action}', { params: { path: { kind, id, action } } }))
export const enable = (kind: StandardKind, id: string) => setStatus(kind, id, 'enable')
export const disable = (kind: StandardKind, id: string) => setStatus(kind, id, 'disable')
