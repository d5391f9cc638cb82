import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['security'], 'Check transport security, headers, cookies and personal information (SEC-001…SEC-018)', ['<%= config.bin %> check security fixtures/apps/sample --ca ca.pem', '<%= config.bin %> check security --url https://example.gov.cn/m/ --json'])
