import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(
  ['manifest', 'contract', 'a11y', 'elder', 'perf', 'security', 'miniprogram'],
  'Run every check on the app in PATH (default .) and write the result document and reports',
  [
    '<%= config.bin %> check fixtures/apps/sample manifest contract',
    '<%= config.bin %> check . --format html,sarif --out reports',
    '<%= config.bin %> check . --fail-on warn',
    '<%= config.bin %> check apps/ --concurrency 2 --shard 1/4',
  ],
)
