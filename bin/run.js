#!/usr/bin/env node
// `sjt --version` answers from package.json without loading oclif (the line oclif would print);
// everything else goes to oclif, which reads oclif.manifest.json (written by `npm run build`)
// instead of importing every command module, and each command imports its heavy parts lazily.
if (process.argv[2] === '--version') {
  const {readFileSync} = await import('node:fs')
  const os = await import('node:os')
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  let platform = os.platform()
  if (platform === 'linux') {
    try {
      if (/microsoft/i.test(readFileSync('/proc/sys/kernel/osrelease', 'utf8'))) platform = 'wsl'
    } catch {
      // not readable: plain linux
    }
  }
  const arch = os.arch() === 'ia32' ? 'x86' : os.arch()
  process.stdout.write(`${pjson.name}/${pjson.version} ${platform}-${arch} node-${process.version}\n`)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
