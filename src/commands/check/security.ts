import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['security'], 'Check transport security, headers, cookies and personal information (SEC-001…SEC-018)', ['<%= config.bin %> check security fixtures/apps/sample --url https://127.0.0.1:8443/m/ --ca ca.pem', '<%= config.bin %> check security --url https://example.gov.cn/m/ --json'])
