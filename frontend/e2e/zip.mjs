// Just enough of a ZIP reader to check the archives the studio serves: the central directory gives
// every entry's name, sizes and where its local header is; stored and deflated entries can be read.
// (The backend streams its ZIPs, so local headers may carry zero sizes and a data descriptor; the
// central directory at the end always has the real ones.)
import { inflateRawSync } from 'node:zlib'

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_FILE_HEADER = 0x02014b50
const LOCAL_FILE_HEADER = 0x04034b50

// → [{name, method, compressedSize, size, read(): Buffer}] in archive order
export function readZip(buffer) {
  // The end record is 22 bytes plus a comment of up to 64 KiB: search backwards for its signature.
  let end = -1
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i
      break
    }
  }
  if (end === -1) throw new Error(`not a ZIP archive (${buffer.length} bytes, no end of central directory)`)
  const count = buffer.readUInt16LE(end + 10)
  let offset = buffer.readUInt32LE(end + 16)
  const entries = []
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`bad central directory entry ${n} at ${offset}`)
    const method = buffer.readUInt16LE(offset + 10)
    const compressedSize = buffer.readUInt32LE(offset + 20)
    const size = buffer.readUInt32LE(offset + 24)
    const nameLength = buffer.readUInt16LE(offset + 28)
    const extraLength = buffer.readUInt16LE(offset + 30)
    const commentLength = buffer.readUInt16LE(offset + 32)
    const localOffset = buffer.readUInt32LE(offset + 42)
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength)
    entries.push({ name, method, compressedSize, size, read: () => readEntry(buffer, localOffset, method, compressedSize) })
    offset += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

function readEntry(buffer, localOffset, method, compressedSize) {
  if (buffer.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) throw new Error(`bad local header at ${localOffset}`)
  const start = localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28)
  const data = buffer.subarray(start, start + compressedSize)
  if (method === 0) return data
  if (method === 8) return inflateRawSync(data)
  throw new Error(`compression method ${method} is not supported here`)
}
