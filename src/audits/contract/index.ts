// Contract rules API-001 … API-010: pure functions over the `contract` and `apiprobe` artifacts.
// The checks live in the sibling files; this is the module the pipeline loads.
import type {CategoryModule} from '../../core/types.js'
import {errors, envelope, https, naming, security, valid} from './document.js'
import {personalInfo} from './personal.js'
import {latency, probe} from './probe.js'
import {compatible} from './provincial.js'

export {compareOperation} from './provincial.js'
export {personalKind} from './personal.js'

export const requires = ['contract', 'apiprobe']

export const checks: CategoryModule['checks'] = {valid, compatible, https, security, envelope, errors, personalInfo, naming, probe, latency}
