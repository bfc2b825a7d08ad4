// The QR reader of 考场签到: the browser's Barcode Detection API where it
// has one, else the ZXing WebAssembly polyfill — its .wasm bundled with the
// page (never fetched from a CDN). Loaded only when the camera is opened.
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/pure'
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url'

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>
}

let prepared = false

export async function detector(): Promise<Detector> {
  type Native = { new (o: { formats: string[] }): Detector; getSupportedFormats(): Promise<string[]> }
  const native = (globalThis as { BarcodeDetector?: Native }).BarcodeDetector
  const formats: string[] = native ? await native.getSupportedFormats().catch(() => []) : []
  if (native && formats.includes('qr_code')) {
    return new native({ formats: ['qr_code'] })
  }
  if (!prepared) {
    prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
      },
    })
    prepared = true
  }
  return new BarcodeDetector({ formats: ['qr_code'] })
}
