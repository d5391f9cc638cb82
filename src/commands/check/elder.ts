import {categoryCommand} from '../../cli/category-command.js'

export default categoryCommand(['elder'], 'Check elder mode (MIIT 适老化): font sizes, tap targets, contrast, ads, the 长辈版 switch, font adjustability, read-aloud (ELD-001…ELD-012)', ['<%= config.bin %> check elder fixtures/apps/sample --url http://127.0.0.1:8080/m/', '<%= config.bin %> check elder --url https://example.gov.cn/m/ --elder-url https://example.gov.cn/m/elder/'])
