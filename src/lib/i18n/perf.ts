import type {Catalogue} from './index.js'

const messages: Catalogue = {}

export default messages
