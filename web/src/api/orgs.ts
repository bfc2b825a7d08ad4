import { call, client } from './http'
import type { components, paths } from './schema'

export type OrgRow = components['schemas']['OrgRow']
export type OrgDetail = components['schemas']['OrgDetail']
export type OrgProfile = components['schemas']['OrgProfile']
export type OrgInput = components['schemas']['OrgInput']
export type OrgQuery = NonNullable<paths['/api/orgs']['get']['parameters']['query']>

export const list = (query: OrgQuery) => call(client.GET('/api/orgs', { params: { query } }))
export const detail = (id: string) => call(client.GET('/api/orgs/{id}', { params: { path: { id } } }))
export const profile = () => call(client.GET('/api/orgs/profile'))
export const editProfile = (body: OrgInput) => call(client.PUT('/api/orgs/profile', { body }))
export const beginImage = (image: 'seal' | 'signature') =>
  call(client.POST('/api/orgs/profile/images/{image}', { params: { path: { image } } }))
export const confirmImage = (image: 'seal' | 'signature') =>
  call(client.POST('/api/orgs/profile/images/{image}/confirm', { params: { path: { image } } }))
