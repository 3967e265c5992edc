// Upstream codes grouped by what the user can do about them (see backend volcengine.VolcErrorCodes).
const KINDS = {
  auditPrompt: ['50412', '50413', 'InputTextSensitiveContentDetected', 'SensitiveContentDetected'],
  auditImage: ['50411', 'InputImageSensitiveContentDetected'],
  auditOutput: ['50511', '50512', '50519', 'OutputImageSensitiveContentDetected'],
  rateLimit: ['50429', '50430', 'FlowLimitExceeded'],
}

const KIND_OF = new Map(Object.entries(KINDS).flatMap(([kind, codes]) => codes.map((code) => [code, kind])))

// → 'auditPrompt' | 'auditImage' | 'auditOutput' | 'rateLimit' | null
export function errorKind(code) {
  return KIND_OF.get(String(code ?? '')) ?? null
}
