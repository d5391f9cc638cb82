// The mini-program collector: the source project named by the manifest (`type: miniprogram`,
// `miniprogram.project` relative to the manifest) or given directly (`sjt check miniprogram DIR`).
// Without either there is nothing to read and the MP rules are not applicable.
import path from 'node:path'
import {InputError} from '../lib/errors.js'
import type {GatherContext} from '../core/types.js'
import {artifactOf} from '../artifacts/index.js'
import {t} from '../lib/i18n/index.js'
import {readProject} from './miniprogram/project.js'
import {type MiniprogramArtifact, type Platform} from '../artifacts/miniprogram.js'

export const after = ['manifest']

export async function collect(ctx: GatherContext): Promise<MiniprogramArtifact | null> {
  const {options} = ctx
  const lang = options.lang
  const direct = typeof options.miniprogramProject === 'string' ? options.miniprogramProject : undefined
  if (direct) return readProject(direct, {lang, progress: options.progress})
  const m = artifactOf(ctx.artifacts, 'manifest')
  if (!m) return null
  const data = m.data as Record<string, any>
  if (data?.app?.type !== 'miniprogram') return null
  const mp = data.miniprogram
  const at = (p: string) => (m.positions?.[p] ? {line: m.positions[p][0], column: m.positions[p][1]} : {})
  if (!mp || typeof mp !== 'object' || typeof mp.project !== 'string' || mp.project.trim() === '') {
    throw new InputError(t(lang, 'mp.noProject'), {file: m.file, ...at(mp ? '/miniprogram' : '/app/type')}, t(lang, 'mp.noProject.hint'))
  }
  const dir = path.resolve(m.dir, mp.project)
  if (dir !== m.dir && !dir.startsWith(m.dir + path.sep)) {
    throw new InputError(t(lang, 'mp.projectOutside', {project: mp.project}), {file: m.file, ...at('/miniprogram/project')}, t(lang, 'mp.projectOutside.hint'))
  }
  const platform: Platform | undefined = mp.platform === 'wechat' || mp.platform === 'alipay' ? mp.platform : undefined
  return readProject(dir, {platform, lang, progress: options.progress})
}
