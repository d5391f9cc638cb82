// Writes fixtures/rules/<MAN-…>/{pass,fail-*}.yaml from the sample app's manifest, each
// changing only what the rule looks at. Run once; the files are committed and read by tests.
import {mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {parseDocument} from 'yaml'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const sample = readFileSync(path.join(root, 'fixtures/apps/sample/sjt.yaml'), 'utf8')
const out = path.join(root, 'fixtures/rules')

const cases = {
  'MAN-001': {
    'fail-missing-services': (d) => d.delete('services'),
    'fail-unknown-field': (d) => d.setIn(['app', 'homepage'], 'https://gjj.taiyuan.gov.cn/'),
    'fail-bad-enum': (d) => d.setIn(['app', 'type'], 'native'),
    'fail-bad-id': (d) => d.setIn(['app', 'id'], 'TY_GJJ'),
    'pass-json-style': (d) => d,
  },
  'MAN-002': {
    'fail-check-char': (d) => d.setIn(['owner', 'creditCode'], '12140100MB0123457X'),
    'fail-length': (d) => d.setIn(['owner', 'creditCode'], '12140100MB012345'),
    'fail-operator': (d) => d.setIn(['operator', 'creditCode'], '91140100MA0L12349I'),
    // A right GB 32100 check character over a wrong GB 11714 organisation code (the code this project once shipped).
    'fail-org-code': (d) => d.setIn(['owner', 'creditCode'], '12140100MB0123456G'),
    // A right check character over region 149900, which GB/T 2260 never had.
    'fail-region': (d) => d.setIn(['owner', 'creditCode'], '12149900MB0123457C'),
    pass: (d) => d,
  },
  'MAN-003': {
    'fail-outside-shanxi': (d) => (d.setIn(['owner', 'regionCode'], '110101'), d.setIn(['owner', 'level'], 'county')),
    'fail-not-current': (d) => (d.setIn(['owner', 'regionCode'], '140199'), d.setIn(['owner', 'level'], 'county')),
    'pass-county': (d) => (d.setIn(['owner', 'regionCode'], '140105'), d.setIn(['owner', 'level'], 'county')),
  },
  'MAN-004': {
    'fail-city-as-county': (d) => d.setIn(['owner', 'level'], 'county'),
    'fail-province-code-as-city': (d) => d.setIn(['owner', 'regionCode'], '140000'),
    'pass-province': (d) => (d.setIn(['owner', 'regionCode'], '140000'), d.setIn(['owner', 'level'], 'province')),
  },
  'MAN-005': {
    'fail-http-entry': (d) => d.setIn(['app', 'entry'], 'http://gjj.taiyuan.gov.cn/m/'),
    'fail-http-health': (d) => d.setIn(['monitoring', 'health'], 'http://gjj.taiyuan.gov.cn/api/healthz'),
    pass: (d) => d,
  },
  'MAN-006': {
    'fail-no-elder': (d) => d.deleteIn(['app', 'elderEntry']),
    // The 三晋通 公众号 and the PC portal only: no App or mini-program channel, so no elder entry is required.
    'pass-no-app-channel': (d) => (d.deleteIn(['app', 'elderEntry']), d.setIn(['app', 'channels'], ['official-account', 'pc'])),
    pass: (d) => d,
  },
  'MAN-007': {
    'fail-too-short': (d) => d.setIn(['services', 0, 'code'], '1214010030001'),
    'fail-lower-case': (d) => d.setIn(['services', 0, 'code'], '12140100mb0123456g3000112001'),
    'fail-duplicate': (d) => d.setIn(['services', 1, 'code'], '12140100MB0123457K3000112001'),
    'fail-bad-credit-prefix': (d) => d.setIn(['services', 0, 'code'], '12140100MB0123457X3000112001'),
    'pass-plain-digits': (d) => d.setIn(['services', 0, 'code'], '140100000000300011200100'),
  },
  'MAN-016': {
    'fail-pc-only': (d) => (d.deleteIn(['app', 'elderEntry']), d.setIn(['app', 'channels'], ['pc', 'kiosk'])),
    'fail-standalone': (d) => d.setIn(['app', 'standalone'], true),
    'fail-undeclared': (d) => d.deleteIn(['app', 'standalone']),
    pass: (d) => d,
  },
  'MAN-008': {
    'fail-false': (d) => d.setIn(['services', 1, 'evaluation'], false),
    'fail-missing': (d) => d.deleteIn(['services', 0, 'evaluation']),
    pass: (d) => d,
  },
  'MAN-009': {
    'fail-no-purpose': (d) => d.setIn(['privacy', 'personalInfo', 1], d.createNode({item: 'phone', required: true})),
    'fail-sensitive-optional': (d) => d.setIn(['privacy', 'personalInfo', 0], d.createNode({item: 'idNumber', purpose: '身份核验', required: false})),
    'pass-sensitive-reason': (d) => d.setIn(['privacy', 'personalInfo', 0], d.createNode({item: 'location', purpose: '网点定位', required: false, reason: '仅在用户点击“附近网点”时获取'})),
  },
  'MAN-010': {
    'fail-no-policy': (d) => d.deleteIn(['privacy', 'policyUrl']),
    'fail-no-privacy': (d) => d.delete('privacy'),
    pass: (d) => d,
  },
  'MAN-011': {
    'fail-other-provider': (d) => d.setIn(['identity', 'provider'], 'wechat-login'),
    'fail-missing': (d) => d.delete('identity'),
    pass: (d) => d,
  },
  'MAN-012': {
    'fail-commercial-host': (d) => (d.setIn(['app', 'entry'], 'https://gjj.example.com/m/'), d.setIn(['app', 'elderEntry'], 'https://gjj.example.com/m/elder/')),
    'pass-declared': (d) => (d.setIn(['app', 'entry'], 'https://gjj.example.com/m/'), d.setIn(['privacy', 'thirdParties'], d.createNode([{name: '某云托管', host: 'gjj.example.com', purpose: '政务云迁移前临时托管'}]))),
    pass: (d) => d,
  },
  'MAN-013': {
    'fail-short-phone': (d) => d.setIn(['owner', 'contact', 'phone'], '1391234567'),
    'fail-bad-prefix': (d) => d.setIn(['owner', 'contact', 'phone'], '12912345678'),
    'fail-email': (d) => d.setIn(['owner', 'contact', 'email'], 'ops@taiyuan'),
    'pass-landline': (d) => d.setIn(['owner', 'contact', 'phone'], '0351-4071234'),
  },
  'MAN-014': {
    'fail-level-1': (d) => d.setIn(['security', 'mlps', 'level'], 1),
    'fail-filing': (d) => d.setIn(['security', 'mlps', 'filing'], 'BA-2021-001'),
    'fail-missing': (d) => d.deleteIn(['security', 'mlps']),
    pass: (d) => d,
  },
  'MAN-015': {
    'fail-international': (d) => d.setIn(['security', 'crypto'], d.createNode({transport: 'tls1.2+', signature: 'RSA', digest: 'SHA-256', storage: 'AES'})),
    'fail-missing': (d) => d.deleteIn(['security', 'crypto']),
    // A reason explains the gap but does not close it (it passed before).
    'fail-reason': (d) => d.setIn(['security', 'crypto'], d.createNode({transport: 'tls1.2+', signature: 'SM2', digest: 'SM3', storage: 'AES', reason: '存储加密由政务云平台以 SM4 统一提供，应用侧不重复加密'})),
    pass: (d) => d,
  },
}

for (const [rule, variants] of Object.entries(cases)) {
  mkdirSync(path.join(out, rule), {recursive: true})
  // Only the generated manifests: expect.yaml and anything else in the rule's folder stay.
  for (const f of readdirSync(path.join(out, rule))) if (/^(pass|fail).*\.(yaml|json)$/.test(f)) rmSync(path.join(out, rule, f))
  for (const [name, edit] of Object.entries(variants)) {
    const d = parseDocument(sample)
    edit(d)
    let text = `# ${rule} ${name.startsWith('fail') ? 'fails' : 'passes'}: ${name}\n` + d.toString({lineWidth: 0})
    let file = path.join(out, rule, `${name}.yaml`)
    if (name === 'pass-json-style') {
      file = path.join(out, rule, 'pass.json')
      text = JSON.stringify(d.toJS(), null, 2) + '\n'
    }
    writeFileSync(file, text)
  }
}
console.log('wrote', out)
