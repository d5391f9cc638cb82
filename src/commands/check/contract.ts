import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['contract'], 'Check the app OpenAPI contract against the provincial contracts, statically and live (API-001…API-010)', ['<%= config.bin %> check contract fixtures/apps/sample', '<%= config.bin %> check contract . --api-base http://127.0.0.1:8080/api'])
