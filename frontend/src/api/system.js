import { request } from './http.js'

// → {version, mode: "demo" | "live", api_connected, models: [id], quota: {used, limit}}
export function getSystemInfo() {
  return request('/api/v1/system/info')
}
