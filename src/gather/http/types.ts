// Types of the HTTP/TLS collector's artifact, the limits of one request, and the constants
// shared by its modules (TLS versions, unreachable error codes, default exposed paths).
/** Limits of one request (not rule thresholds: they keep the collector bounded). */
export const LIMITS = {
  headerBytes: 256 * 1024,
  headerValueChars: 32 * 1024,
  headerCount: 300,
  cookiesKept: 200,
  htmlBodyBytes: 1024 * 1024,
  probeBodyBytes: 64 * 1024,
  apiBodyBytes: 64 * 1024,
  redirects: 5,
  scriptsForMaps: 20,
  concurrency: 4,
}

/** Connection errors that mean "nobody answers here" rather than "answers badly". */
export const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

export const DEFAULT_EXPOSED_PATHS = [
  '/.git/HEAD',
  '/.git/config',
  '/.env',
  '/.svn/entries',
  '/.DS_Store',
  '/index.html.bak',
  '/index.php.bak',
  '/www.zip',
  '/wwwroot.zip',
  '/web.zip',
  '/backup.zip',
  '/backup.tar.gz',
  '/backup.sql',
  '/db.sql',
  '/database.sql',
]
