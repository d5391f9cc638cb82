// Templates `sjt init` writes: every field of spec/manifest.md, commented, with <…> placeholders.
import type {Lang} from './types.js'

export interface InitAnswers {
  id?: string
  name?: string
  department?: string
  creditCode?: string
  regionCode?: string
  level?: 'province' | 'city' | 'county'
  entry?: string
  /** `miniprogram`: a WeChat or Alipay mini-program checked from its source project. */
  type?: 'h5' | 'miniprogram'
  platform?: 'wechat' | 'alipay'
  project?: string
}

const q = (v: string) => JSON.stringify(v)

export function manifestTemplate(a: InitAnswers, lang: Lang): string {
  const zh = lang === 'zh-CN'
  const c = (zhText: string, enText: string) => `# ${zh ? zhText : enText}`
  const entry = a.entry ?? 'https://<host>.gov.cn/m/'
  const base = entry.replace(/\/+$/, '')
  const host = (() => {
    try {
      return new URL(entry).origin
    } catch {
      return 'https://<host>.gov.cn'
    }
  })()
  return `${c('应用接入清单（sjt.yaml）。把 <…> 换成真实内容后运行: sjt check manifest .', 'App manifest (sjt.yaml). Replace every <…>, then run: sjt check manifest .')}
${c('字段说明: docs/manifest.md', 'Every field: docs/manifest.md')}
schemaVersion: "1.0"
app:
  id: ${q(a.id ?? '<app-id>')}            ${c('小写字母开头，3–64 位小写字母、数字、连字符', 'lower-case letter first, 3-64 of a-z 0-9 -')}
  name: ${q(a.name ?? '<应用名称>')}       ${c('2–30 个字符', '2-30 characters')}
  version: 1.0.0
  type: ${a.type === 'miniprogram' ? 'miniprogram' + ' '.repeat(24) : 'h5' + ' '.repeat(33)}${c('h5 | miniprogram', 'h5 | miniprogram')}
  channels: [app, miniprogram]             ${c('app（三晋通 App）、miniprogram（三晋通小程序）、official-account（三晋通公众号）、pc、kiosk 的非空子集（同源发布）', 'non-empty subset of app (三晋通 App), miniprogram (三晋通 mini-program), official-account (三晋通 公众号), pc, kiosk')}
  standalone: false                        ${c('是否另有独立的政务服务移动端（晋政办函〔2022〕38号 三(一)：不再保留）', 'a standalone mobile end of its own besides 三晋通 (晋政办函〔2022〕38号 三(一): none)')}
  entry: ${q(entry)}
  elderEntry: ${q(base + '/?mode=elder')}  ${c('长辈版（关怀模式）入口；渠道含 app/miniprogram 时必填', 'elder mode; required with app or miniprogram channels')}
  description: ${q(zh ? '<一句话说明>' : '<one line>')}
${a.type === 'miniprogram' ? miniprogramBlock(a, c) : ''}owner:
  department: ${q(a.department ?? '<主管部门>')}
  creditCode: ${q(a.creditCode ?? '<统一社会信用代码>')}   ${c('18 位，含 GB 32100 校验码', '18 characters with the GB 32100 check character')}
  regionCode: ${q(a.regionCode ?? '<140100>')}             ${c('山西省 GB/T 2260 代码', 'GB/T 2260 code in Shanxi')}
  level: ${a.level ?? 'city'}                              ${c('province=140000，city=14xx00，county=其他', 'province=140000, city=14xx00, county=other')}
  contact: {name: ${q(zh ? '<联系人>' : '<name>')}, phone: "<13912345678>", email: "<ops@example.gov.cn>"}
services:                                  ${c('事项清单，至少一项', 'service items, at least one')}
  - code: "<实施编码>"                      ${c('20–36 位数字或大写字母', '20-36 digits or capitals')}
    name: ${q(zh ? '<事项名称>' : '<item name>')}
    kind: public-service                   ${c('administrative-licensing | administrative-confirmation | administrative-payment | public-service | other', '')}
    handling: online-full                  ${c('online-full | online-partial | appointment | query', '')}
    oneCertificate: true
    eLicenses: [居民身份证]
    prefill: true
    evaluation: true                       ${c('好差评（国办发〔2019〕51号）', '好差评 ratings (国办发〔2019〕51号)')}
    path: /item
identity:
  provider: sx-unified-identity            ${c('全省统一身份认证', 'the provincial unified identity')}
  levels: [L2, L3]
  ${c('loginUrl: 统一身份认证的登录页地址；填写后，需登录的页面须把未登录的访问者转到该来源（MAN-011 实测）', "loginUrl: the identity service's login page; once set, pages behind the login must send anonymous visitors to its origin (MAN-011, measured)")}
contract: ./openapi.yaml                   ${c('应用的接口规范（OpenAPI 3.0/3.1）', "the app's OpenAPI 3.0/3.1 contract")}
privacy:
  policyUrl: ${q(base + '/privacy.html')}
  personalInfo:
    - {item: idNumber, purpose: 身份核验, required: true}
    - {item: phone, purpose: 办件通知, required: true}
  thirdParties: []                         ${c('页面加载或调用的每个第三方主机: {name, host, purpose}', 'every third-party host: {name, host, purpose}')}
  permissions: []                          ${c('location | camera | microphone | contacts | storage', '')}
security:
  mlps: {level: 3, filing: "<14010099999-00001>"}   ${c('等级保护级别与备案编号', 'MLPS level and filing number')}
  crypto: {transport: tls1.2+, signature: SM2, digest: SM3, storage: SM4}
monitoring:
  health: ${q(host + '/healthz')}
  availability: 99.9
`
}

function miniprogramBlock(a: InitAnswers, c: (zh: string, en: string) => string): string {
  return `miniprogram:                             ${c('小程序源码项目，由 MP 规则检查: sjt check miniprogram .', 'the source project the MP rules check: sjt check miniprogram .')}
  platform: ${a.platform ?? 'wechat'}                       ${c('wechat | alipay', 'wechat | alipay')}
  project: ${q(a.project ?? './miniprogram')}             ${c('在开发者工具中打开的项目文件夹，相对于本清单', 'the folder opened in the developer tool, relative to this manifest')}
`
}

export function configTemplate(lang: Lang): string {
  const zh = lang === 'zh-CN'
  return `# ${zh ? 'sjt 配置。每一项都可省略；命令行参数优先。说明: docs/configuration.md' : 'sjt configuration. Every key is optional; flags win. See docs/configuration.md'}
profile: shanxi-2022
failOn: error            # error | warn | never
# url: http://127.0.0.1:8080/m/     # ${zh ? '覆盖入口网址（本地或预览环境）' : 'override the entry URL (local or preview)'}
# format: [html, sarif]
# runs: 3
rules: {}
#  ELD-004: warn         # ${zh ? '调整规则级别，或 off 关闭' : 'change a severity, or off'}
waivers: []
#  - rule: SEC-012
#    location: stats.example.com
#    reason: ${zh ? '统计服务迁移中' : 'analytics being migrated'}
#    owner: ${zh ? '王工' : 'Wang'}
#    expires: "2027-03-31"
`
}
