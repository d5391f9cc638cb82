import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['a11y'], 'Check accessibility (GB/T 37668 via axe-core) of the entry, elder entry and service pages and the 投诉建议 and search entries of the entry page (A11Y-001…A11Y-006)', ['<%= config.bin %> check a11y fixtures/apps/sample --url http://127.0.0.1:8080/m/', '<%= config.bin %> check a11y --url https://example.gov.cn/m/ --json'])
