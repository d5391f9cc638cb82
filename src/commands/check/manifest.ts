import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['manifest'], 'Check the manifest (sjt.yaml) alone: schema, identifiers, region, URLs, service items and the 三晋通 channel declaration (MAN-001…MAN-016)', ['<%= config.bin %> check manifest fixtures/apps/sample --json', '<%= config.bin %> check manifest path/to/sjt.yaml --lang en'])
