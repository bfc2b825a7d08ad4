// Files the candidate tests upload: xlsx rosters (exceljs), red-background
// PNG photos (a minimal encoder on node:zlib) and zips of them (jszip).
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { deflateSync } from 'node:zlib'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/** A valid 身份证 number: Beijing, born 2000-01-01 + n days. */
export function idNumber(n: number): string {
  const d = new Date(Date.UTC(2000, 0, 1) + n * 86_400_000)
  const date = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`
  const first = `110105${date}${String(100 + (n % 800)).padStart(3, '0')}`
  const sum = [...first].reduce((s, c, i) => s + Number(c) * WEIGHTS[i], 0)
  return first + '10X98765432'[sum % 11]
}

export async function roster(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('考生')
  ws.addRow(['*姓名', '*姓名拼音', '性别', '*证件类型', '*证件号码', '*手机号', '*就读专业', '专业层次', '*入学年份'])
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export async function readSheet(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const out: string[][] = []
  wb.worksheets[0].eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))))
  return out
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A 295×413 RGB PNG: red background, a grey figure in the middle. */
export function photo(): Buffer {
  const [w, h] = [295, 413]
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1)
    raw[row] = 0
    for (let x = 0; x < w; x++) {
      const person = x > w / 4 && x < (3 * w) / 4 && y > h / 5
      raw.set(person ? [120, 120, 120] : [210, 20, 30], row + 1 + x * 3)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

export async function zipOf(files: Record<string, Buffer>): Promise<Buffer> {
  const zip = new JSZip()
  for (const [name, bytes] of Object.entries(files)) zip.file(name, bytes)
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

/** A downloaded import template with these rows added under its sample row. */
export async function fillTemplate(template: Buffer, rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(template as unknown as ArrayBuffer)
  const ws = wb.worksheets[0]
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** A workbook with this header row and these rows. */
export async function sheet(header: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('数据')
  ws.addRow(header)
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}
