import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['perf'], 'Check performance with Lighthouse (mobile, simulated throttling, median of --runs) (PERF-001…PERF-008)', ['<%= config.bin %> check perf fixtures/apps/sample --url http://127.0.0.1:8080/m/ --runs 3', '<%= config.bin %> check perf --url https://example.gov.cn/m/ --runs 1 --json'])
