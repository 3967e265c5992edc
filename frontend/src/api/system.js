import { request } from './http.js'

// → {version, mode: "demo" | "live", api_connected, api_error: {provider, code, message: {zh, en}} | null,
//    models: [id], quota: {used, limit}, storage: {images, bytes, limit_bytes, ...}}
export function getSystemInfo() {
  return request('/api/v1/system/info')
}
