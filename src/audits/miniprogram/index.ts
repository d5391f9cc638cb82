// Mini-program rules MP-001 … MP-010: pure functions over the `miniprogram` artifact (facts read
// from the source project by src/gather/miniprogram) and the manifest.
import type {CategoryModule} from '../../core/types.js'
import {packageSize, project} from './project.js'
import {network, privacy} from './privacy.js'
import {adsAndLures, elderFont, elderSwitch, elderTargets} from './elder.js'
import {contrast, names} from './a11y.js'

export const requires = ['miniprogram']

const mod: CategoryModule = {
  requires,
  checks: {project, packageSize, privacy, network, elderSwitch, elderFont, elderTargets, adsAndLures, names, contrast},
}

export const checks = mod.checks
export default mod
