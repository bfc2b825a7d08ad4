// 排考管理 (manual §5.2.8): 考核站点编排, 考场编排, 排考明细.
import { call, client } from './http'
import type { components, paths } from './schema'

export type SiteRow = components['schemas']['SiteRow']
export type SiteRowDetail = components['schemas']['SiteRowDetail']
export type RoomFill = components['schemas']['RoomFill']
export type RoomRow = components['schemas']['RoomRow']
export type RoomDetail = components['schemas']['RoomDetail']
export type SeatView = components['schemas']['SeatView']
export type SeatRow = components['schemas']['SeatRow']
export type OnDuty = components['schemas']['OnDuty']
export type ArrangeOutcome = components['schemas']['ArrangeOutcome']
export type AdjustInput = components['schemas']['AdjustInput']
export type ArrangeStatus = components['schemas']['ArrangeStatus']
export type SiteRowExportRequest = components['schemas']['SiteRowExportRequest']
export type RoomRowExportRequest = components['schemas']['RoomRowExportRequest']
export type SeatRowExportRequest = components['schemas']['SeatRowExportRequest']
export type SiteQuery = NonNullable<paths['/api/scheduling/sites']['get']['parameters']['query']>
export type RoomQuery = NonNullable<paths['/api/scheduling/rooms']['get']['parameters']['query']>
export type DetailQuery = NonNullable<paths['/api/scheduling/details']['get']['parameters']['query']>

export const SITE_STATUSES: ArrangeStatus[] = ['未开始', '未排考', '排考中', '已排完', '已结束']
export const SEAT_STATUSES = ['待考试', '考试中', '已结束']

export const sites = (query: SiteQuery) => call(client.GET('/api/scheduling/sites', { params: { query } }))
export const site = (id: string) => call(client.GET('/api/scheduling/sites/{id}', { params: { path: { id } } }))
export const arrange = (id: string, invigilatorsPerRoom?: number) =>
  call(client.POST('/api/scheduling/sites/{id}/arrange', { params: { path: { id } }, body: { invigilatorsPerRoom: invigilatorsPerRoom ?? null } }))
export const exportSites = (body: SiteRowExportRequest) => call(client.POST('/api/scheduling/sites/export', { body }))

export const rooms = (query: RoomQuery) => call(client.GET('/api/scheduling/rooms', { params: { query } }))
export const room = (id: string) => call(client.GET('/api/scheduling/rooms/{id}', { params: { path: { id } } }))
export const adjust = (id: string, body: AdjustInput) => call(client.POST('/api/scheduling/rooms/{id}/adjust', { params: { path: { id } }, body }))
export const cancel = (id: string) => call(client.DELETE('/api/scheduling/rooms/{id}', { params: { path: { id } } }))
export const exportRooms = (body: RoomRowExportRequest) => call(client.POST('/api/scheduling/rooms/export', { body }))

export type PrintFile = components['schemas']['PrintFile']
/** A room's print documents (PDF): 门贴, 桌贴, 签到表, 准考证. */
export type RoomDocument = 'door-sign' | 'desk-labels' | 'sign-in-sheet' | 'tickets'
export const ROOM_DOCUMENTS: Record<RoomDocument, string> = {
  'door-sign': '考场门贴',
  'desk-labels': '考场桌贴',
  'sign-in-sheet': '考场签到表',
  tickets: '准考证',
}
export const printRoom = (id: string, doc: RoomDocument) => {
  const path = { id }
  switch (doc) {
    case 'door-sign': return call(client.POST('/api/scheduling/rooms/{id}/door-sign', { params: { path } }))
    case 'desk-labels': return call(client.POST('/api/scheduling/rooms/{id}/desk-labels', { params: { path } }))
    case 'sign-in-sheet': return call(client.POST('/api/scheduling/rooms/{id}/sign-in-sheet', { params: { path } }))
    case 'tickets': return call(client.POST('/api/scheduling/rooms/{id}/tickets', { params: { path } }))
  }
}
export const detailTickets = (body: SeatRowExportRequest) => call(client.POST('/api/scheduling/details/tickets', { body }))

// 批量打印: a zip of the chosen documents of every room the school runs, made by the print worker.
export type PrintDoc = components['schemas']['PrintDoc']
export type PrintJobInput = components['schemas']['PrintJobInput']
export type PrintJobView = components['schemas']['PrintJobView']
export const PRINT_DOCS: PrintDoc[] = ['考场门贴', '考场签到表', '考场桌贴', '准考证']
export const createPrintJob = (body: PrintJobInput) => call(client.POST('/api/scheduling/prints', { body }))
export const printJobs = () => call(client.GET('/api/scheduling/prints'))
export const printJob = (id: string) => call(client.GET('/api/scheduling/prints/{id}', { params: { path: { id } } }))
export const printJobStatusType = (s: string): 'info' | 'primary' | 'success' | 'danger' =>
  (({ 生成中: 'primary', 已完成: 'success', 失败: 'danger' }) as Record<string, 'primary' | 'success' | 'danger'>)[s] ?? 'info'

export const details = (query: DetailQuery) => call(client.GET('/api/scheduling/details', { params: { query } }))
export const exportDetails = (body: SeatRowExportRequest) => call(client.POST('/api/scheduling/details/export', { body }))

export function siteStatusType(s: string): 'info' | 'warning' | 'primary' | 'success' {
  return ({ 未排考: 'warning', 排考中: 'primary', 已排完: 'success' } as Record<string, 'warning' | 'primary' | 'success'>)[s] ?? 'info'
}

export function seatStatusType(s: string): 'info' | 'warning' | 'primary' | 'success' {
  return ({ 待考试: 'primary', 考试中: 'warning' } as Record<string, 'warning' | 'primary'>)[s] ?? 'info'
}

/** 监考人员 as the lists show them: 姓名（编号）、… */
export function onDuty(list: OnDuty[]): string {
  return list.length ? list.map((i) => `${i.name}（${i.teacherNo}）`).join('、') : '—'
}

// 考场签到 (监考员): the rooms on duty, a room's candidates, 签到.
export type DutyRoom = components['schemas']['DutyRoom']
export type DoorRoom = components['schemas']['DoorRoom']
export type DoorCandidate = components['schemas']['DoorCandidate']
export type SignInOutcome = components['schemas']['SignInOutcome']
export const myRooms = () => call(client.GET('/api/scheduling/invigilation/rooms'))
export const door = (id: string) => call(client.GET('/api/scheduling/invigilation/rooms/{id}', { params: { path: { id } } }))
export const signIn = (id: string, code: string) =>
  call(client.POST('/api/scheduling/invigilation/rooms/{id}/sign-in', { params: { path: { id } }, body: { code } }), true)
