import { call, client } from './http'
import type { components, paths } from './schema'

export type UserView = components['schemas']['UserView']
export type RoleInfo = components['schemas']['RoleInfo']
export type NewUser = components['schemas']['NewUser']
export type EditUser = components['schemas']['EditUser']
export type UserQuery = NonNullable<paths['/api/users']['get']['parameters']['query']>

export const roles = () => call(client.GET('/api/users/roles'))
export const list = (query: UserQuery) => call(client.GET('/api/users', { params: { query } }))
export const get = (id: string) => call(client.GET('/api/users/{id}', { params: { path: { id } } }))
export const sendCode = (phone: string) => call(client.POST('/api/users/verification-code', { body: { phone } }))
export const create = (body: NewUser) => call(client.POST('/api/users', { body }))
export const edit = (id: string, body: EditUser) => call(client.PUT('/api/users/{id}', { params: { path: { id } }, body }))
export const remove = (id: string) => call(client.DELETE('/api/users/{id}', { params: { path: { id } } }))
export const disable = (id: string) => call(client.POST('/api/users/{id}/disable', { params: { path: { id } } }))
export const enable = (id: string) => call(client.POST('/api/users/{id}/enable', { params: { path: { id } } }))
export const resetPassword = (id: string) =>
  call(client.POST('/api/users/{id}/reset-password', { params: { path: { id } } }))
