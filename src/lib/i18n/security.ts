import type {Catalogue} from './index.js'

// Messages of the security rules (SEC-001 … SEC-018). Personal information is only ever shown masked.
const messages: Catalogue = {
  'SEC.noHttp': {'zh-CN': 'HTTP/TLS 检查结果缺失，无法判断', en: 'the HTTP/TLS facts are missing; cannot judge'},
  'SEC.entryUnreachable': {'zh-CN': '入口地址无法访问: {detail}', en: 'the entry cannot be reached: {detail}'},
  'SEC.entryUnreachable.hint': {'zh-CN': '确认服务已启动、网址（或 --url）正确；响应慢时可加大 --timeout。', en: 'Check that the server is up and the URL (or --url) is right; raise --timeout for a slow server.'},
  'SEC.noTargets': {'zh-CN': '没有可检查的网址（清单无 app.entry，也未给 --url）', en: 'nothing to check: the manifest has no app.entry and no --url was given'},
  'SEC.fetchError': {'zh-CN': '{url} 无法获取: {detail}', en: '{url} could not be fetched: {detail}'},
  'SEC.noDocuments': {'zh-CN': '没有返回 HTML 页面的网址可检查', en: 'no URL answered with an HTML page to check'},
  'SEC.headersTruncated': {'zh-CN': '（响应头过大，只检查了前一部分）', en: '(the response headers were too large; only their first part was examined)'},
  'SEC.pageBroken': {'zh-CN': '页面 {url} 未能加载: {reason}', en: 'page {url} could not be loaded: {reason}'},
  'SEC.noPages': {'zh-CN': '浏览器会话中没有可检查的页面', en: 'the browser session has no page to check'},

  'SEC-001.pass': {'zh-CN': '{url} 经 HTTPS 提供，证书有效', en: '{url} is served over HTTPS with a valid certificate'},
  'SEC-001.plain': {'zh-CN': '{url} 经明文 HTTP 提供（最终地址 {final}）', en: '{url} is served over plain HTTP (ends at {final})'},
  'SEC-001.hop': {'zh-CN': '{url} 的跳转链经过明文 HTTP 地址 {hop}', en: 'the redirect chain of {url} passes through plain-HTTP {hop}'},
  'SEC-001.tls.unreachable': {'zh-CN': '无法连接 {origin}: {detail}', en: 'cannot connect to {origin}: {detail}'},
  'SEC-001.tls.handshake': {'zh-CN': '{origin} TLS 握手失败: {detail}', en: 'TLS handshake with {origin} failed: {detail}'},
  'SEC-001.cert.expired': {'zh-CN': '{origin} 的证书已于 {validTo} 过期', en: 'the certificate of {origin} expired on {validTo}'},
  'SEC-001.cert.notYetValid': {'zh-CN': '{origin} 的证书尚未生效（自 {validFrom} 起）', en: 'the certificate of {origin} is not valid before {validFrom}'},
  'SEC-001.cert.selfSigned': {'zh-CN': '{origin} 使用自签名证书（{subject}），不受信任；内部 CA 请用 --ca 指定', en: 'the certificate of {origin} is self-signed ({subject}) and not trusted; trust an internal CA with --ca'},
  'SEC-001.cert.selfSignedChain': {'zh-CN': '{origin} 的证书链以不受信任的自签名根证书（{issuer}）结尾；内部 CA 请用 --ca 指定', en: 'the certificate chain of {origin} ends in an untrusted self-signed root ({issuer}); trust an internal CA with --ca'},
  'SEC-001.cert.untrusted': {'zh-CN': '{origin} 的证书签发者 {issuer} 不受信任（{code}）；内部 CA 请用 --ca 指定，或补全中间证书', en: 'the issuer {issuer} of the certificate of {origin} is not trusted ({code}); trust an internal CA with --ca or send the intermediate certificates'},
  'SEC-001.cert.name': {'zh-CN': '{origin} 的证书不包含主机名 {host}', en: 'the certificate of {origin} does not name the host {host}'},
  'SEC-001.cert.other': {'zh-CN': '{origin} 的证书无效（{code}）', en: 'the certificate of {origin} is not valid ({code})'},
  'SEC-001.redirect.ok': {'zh-CN': '{from} 跳转到 {to}', en: '{from} redirects to {to}'},
  'SEC-001.redirect.noHttp': {'zh-CN': '{from} 不接受明文 HTTP 连接（无需跳转）', en: '{from} refuses plain-HTTP connections (no redirect needed)'},
  'SEC-001.redirect.na': {'zh-CN': '{url} 不在 443 端口（{detail}），只在 443 端口检查 http→https 跳转', en: '{url} is not on port 443 ({detail}); the http→https redirect is checked only for sites on 443'},
  'SEC-001.redirect.missing': {'zh-CN': '{from} 未跳转到 https://（状态 {status}）', en: '{from} does not redirect to https:// (status {status})'},
  'SEC-001.redirect.notHttps': {'zh-CN': '{from} 跳转到的不是 https 地址: {to}', en: '{from} redirects to a non-https URL: {to}'},
  'SEC-001.redirect.error': {'zh-CN': '无法检查 {from} 的跳转: {detail}', en: 'could not check the redirect of {from}: {detail}'},

  'SEC-002.none': {'zh-CN': '没有 HTTPS 地址可检查 TLS 版本（见 SEC-001）', en: 'no HTTPS origin whose TLS versions could be checked (see SEC-001)'},
  'SEC-002.error': {'zh-CN': '{origin} 未完成任何 TLS 握手: {detail}', en: 'no TLS handshake with {origin} completed: {detail}'},
  'SEC-002.old': {'zh-CN': '{origin} 接受已废止的 {versions}（接受: {accepted}）', en: '{origin} accepts obsolete {versions} (accepted: {accepted})'},
  'SEC-002.unknown': {'zh-CN': '{origin} 对 {versions} 的握手超时，无法判断', en: 'handshakes with {origin} for {versions} timed out; cannot judge'},
  'SEC-002.noModern': {'zh-CN': '{origin} 不支持 TLS 1.2 或 1.3', en: '{origin} accepts neither TLS 1.2 nor TLS 1.3'},
  'SEC-002.pass': {'zh-CN': '{origin} 仅接受 {accepted}', en: '{origin} accepts only {accepted}'},

  'SEC-003.pass': {'zh-CN': '{url} 设置了 HSTS，max-age={maxAge}', en: '{url} sends HSTS with max-age={maxAge}'},
  'SEC-003.short': {'zh-CN': '{url} 的 HSTS max-age={maxAge} 小于 {min}', en: '{url} sends HSTS with max-age={maxAge}, below {min}'},
  'SEC-003.noHttps': {'zh-CN': '{url} 经明文 HTTP 提供，无法设置 HSTS', en: '{url} is served over plain HTTP, where HSTS cannot apply'},
  'SEC-003.invalid': {'zh-CN': '{url} 的 Strict-Transport-Security 无法解析: "{value}"', en: '{url} sends an unparsable Strict-Transport-Security: "{value}"'},
  'SEC-003.missing': {'zh-CN': '{url} 缺少 Strict-Transport-Security（max-age 至少 {min}）', en: '{url} sends no Strict-Transport-Security (max-age of at least {min})'},

  'SEC-004.pass': {'zh-CN': '{url} 的 CSP 限制了脚本，未允许 unsafe-inline/unsafe-eval', en: '{url} has a CSP that restricts scripts without unsafe-inline/unsafe-eval'},
  'SEC-004.missing': {'zh-CN': '{url} 缺少 Content-Security-Policy 响应头', en: '{url} sends no Content-Security-Policy header'},
  'SEC-004.reportOnly': {'zh-CN': '（只有 Content-Security-Policy-Report-Only，不起防护作用）', en: '(only Content-Security-Policy-Report-Only, which enforces nothing)'},
  'SEC-004.invalid': {'zh-CN': '{url} 的 Content-Security-Policy 无法解析', en: '{url} sends a Content-Security-Policy that cannot be parsed'},
  'SEC-004.noScriptSrc': {'zh-CN': '{url} 的 CSP 没有 script-src 或 default-src，未限制脚本', en: '{url} has a CSP with neither script-src nor default-src, so scripts are not restricted'},
  'SEC-004.unsafeInline': {'zh-CN': "{url} 的 CSP 在 script-src 中允许 'unsafe-inline'（且未使用 nonce/hash）", en: "{url} has a CSP that allows 'unsafe-inline' in script-src (without a nonce or hash)"},
  'SEC-004.unsafeEval': {'zh-CN': "{url} 的 CSP 允许 'unsafe-eval'", en: "{url} has a CSP that allows 'unsafe-eval'"},

  'SEC-005.pass': {'zh-CN': '{url} 设置了 X-Content-Type-Options: nosniff', en: '{url} sends X-Content-Type-Options: nosniff'},
  'SEC-005.invalid': {'zh-CN': '{url} 的 X-Content-Type-Options 不是 nosniff: "{value}"', en: '{url} sends X-Content-Type-Options "{value}", not nosniff'},
  'SEC-005.missing': {'zh-CN': '{url} 缺少 X-Content-Type-Options: nosniff', en: '{url} sends no X-Content-Type-Options: nosniff'},

  'SEC-006.pass': {'zh-CN': '{url} 限制了嵌入（{how}）', en: '{url} restricts framing ({how})'},
  'SEC-006.invalid': {'zh-CN': '{url} 的嵌入限制无效: "{value}"（应为 frame-ancestors 具体来源，或 X-Frame-Options DENY/SAMEORIGIN）', en: '{url} has an ineffective framing restriction "{value}" (use frame-ancestors with specific sources, or X-Frame-Options DENY/SAMEORIGIN)'},
  'SEC-006.missing': {'zh-CN': '{url} 既无 CSP frame-ancestors 也无 X-Frame-Options，可被任意网站嵌入', en: '{url} has neither CSP frame-ancestors nor X-Frame-Options; any site can frame it'},

  'SEC-007.pass': {'zh-CN': '{url} 的 Referrer-Policy 为 {policy}', en: '{url} sends Referrer-Policy {policy}'},
  'SEC-007.missing': {'zh-CN': '{url} 缺少 Referrer-Policy（应为 {allowed} 之一）', en: '{url} sends no Referrer-Policy (expected one of {allowed})'},
  'SEC-007.weak': {'zh-CN': '{url} 的 Referrer-Policy 为 {policy}，应为 {allowed} 之一', en: '{url} sends Referrer-Policy {policy}; expected one of {allowed}'},

  'SEC-008.none': {'zh-CN': '未设置 Cookie', en: 'no cookies are set'},
  'SEC-008.pass': {'zh-CN': '{count} 个 Cookie 均带 Secure、HttpOnly 与 SameSite', en: 'all {count} cookies are Secure and HttpOnly with SameSite'},
  'SEC-008.fail': {'zh-CN': 'Cookie {name}（{url}）缺少 {missing}', en: 'cookie {name} (set by {url}) lacks {missing}'},
  'SEC-008.script': {'zh-CN': 'Cookie {name} 由脚本在 {url} 写入（document.cookie），缺少 {missing}；脚本写入的 Cookie 不能 HttpOnly', en: 'cookie {name} is written by script on {url} (document.cookie) and lacks {missing}; cookies set by script can never be HttpOnly'},
  'SEC-008.more': {'zh-CN': '另有 {count} 个 Cookie 存在同类问题', en: '{count} more cookies have the same kind of problem'},
  'SEC-008.capped': {'zh-CN': '响应共设置 {total} 个 Cookie，只检查了前 {examined} 个', en: 'the responses set {total} cookies; only the first {examined} were examined'},

  'SEC-009.pass': {'zh-CN': '{url} 的响应头未暴露产品版本', en: '{url} reveals no product version in its headers'},
  'SEC-009.fail': {'zh-CN': '{url} 的响应头暴露了版本: {headers}', en: '{url} reveals a version in {headers}'},

  'SEC-010.na': {'zh-CN': '{url} 不是 HTTPS 页面（见 SEC-001）', en: '{url} is not an HTTPS page (see SEC-001)'},
  'SEC-010.pass': {'zh-CN': '{url} 无混合内容', en: '{url} has no mixed content'},
  'SEC-010.fail': {'zh-CN': 'HTTPS 页面 {url} 加载了 {count} 个 http:// 资源: {list}', en: 'https page {url} loads {count} http:// resources: {list}'},

  'SEC-011.none': {'zh-CN': '页面未加载第三方脚本', en: 'the pages load no third-party scripts'},
  'SEC-011.pass': {'zh-CN': '第三方脚本 {src} 带 integrity 校验', en: 'third-party script {src} carries integrity'},
  'SEC-011.fail': {'zh-CN': '第三方脚本 {src}（页面 {page}）缺少 integrity（SRI）校验', en: 'third-party script {src} (on {page}) has no integrity (SRI)'},

  'SEC-012.none': {'zh-CN': '页面未加载或调用第三方域名', en: 'the pages load or call no third-party host'},
  'SEC-012.pass': {'zh-CN': '第三方域名 {host} 已声明（{declared}）', en: 'third-party host {host} is declared ({declared})'},
  'SEC-012.fail': {'zh-CN': '第三方域名 {host} 未在 privacy.thirdParties 中声明（如 {example}）', en: 'third-party host {host} is not declared in privacy.thirdParties (e.g. {example})'},
  'SEC-012.noManifest': {'zh-CN': '没有接入清单可比对；页面使用了 {count} 个第三方域名: {hosts}', en: 'no manifest to compare with; the pages use {count} third-party hosts: {hosts}'},

  'SEC-013.pass': {'zh-CN': '{url} 未发现未脱敏的个人信息', en: 'no unmasked personal information on {url}'},
  'SEC-013.passApi': {'zh-CN': '接口响应 {url} 未发现未脱敏的个人信息', en: 'no unmasked personal information in the API response of {url}'},
  'SEC-013.truncated': {'zh-CN': '（页面较大，只检查了前一部分）', en: '(a large page: only its first part was scanned)'},
  'SEC-013.fail': {'zh-CN': '{url} 的{what}含未脱敏个人信息: 身份证号 {id} 个、手机号 {mobile} 个、银行卡号 {bank} 个（如 {samples}）', en: '{url}: unmasked personal information in {what}: {id} ID numbers, {mobile} mobile numbers, {bank} bank cards (e.g. {samples})'},
  'SEC-013.permits': {'zh-CN': '；其中 {count} 个为港澳台居民居住证号码', en: '; {count} of the ID numbers are residence permits of Hong Kong, Macao or Taiwan residents'},
  'SEC-013.lowercaseX': {'zh-CN': '；{count} 个身份证号末位写成小写 x（GB 11643-1999 规定为大写 X）', en: '; {count} ID number(s) end in a lowercase x (GB 11643-1999 writes an uppercase X)'},
  'SEC-013.text': {'zh-CN': '页面文字', en: 'the page text'},
  'SEC-013.attributes': {'zh-CN': 'DOM 属性或输入框', en: 'DOM attributes or form fields'},
  'SEC-013.api': {'zh-CN': '接口响应', en: 'an API response'},

  'SEC-014.pass': {'zh-CN': '页面请求的 {count} 个网址中无个人信息', en: 'no personal information in the {count} URLs the pages requested'},
  'SEC-014.fail': {'zh-CN': '请求网址的{part}中含个人信息（{samples}）: {url}', en: 'personal information ({samples}) in the {part} of a requested URL: {url}'},
  'SEC-014.more': {'zh-CN': '另有 {count} 个网址含个人信息', en: '{count} more URLs carry personal information'},

  'SEC-015.pass': {'zh-CN': '入口页 {url} 链接到隐私政策 {policy}，返回 200', en: 'the entry page {url} links to the privacy policy {policy}, which answers 200'},
  'SEC-015.notLinked': {'zh-CN': '入口页 {url} 没有指向隐私政策 {policy} 的链接', en: 'the entry page {url} has no link to the privacy policy {policy}'},
  'SEC-015.otherLink': {'zh-CN': '入口页 {url} 的隐私链接指向 {other}，不是清单声明的 {policy}', en: 'the privacy link of the entry page {url} goes to {other}, not to the declared {policy}'},
  'SEC-015.noPolicy': {'zh-CN': '清单未声明 privacy.policyUrl，入口页 {url} 也没有隐私政策链接', en: 'the manifest declares no privacy.policyUrl and the entry page {url} has no privacy-policy link'},
  'SEC-015.noLink': {'zh-CN': '入口页 {url} 没有隐私政策链接', en: 'the entry page {url} has no privacy-policy link'},
  'SEC-015.status': {'zh-CN': '隐私政策 {policy} 返回 {status}，不是 200', en: 'the privacy policy {policy} answers {status}, not 200'},
  'SEC-015.unknown': {'zh-CN': '无法获取隐私政策 {policy}: {detail}', en: 'could not fetch the privacy policy {policy}: {detail}'},

  'SEC-016.na': {'zh-CN': '没有入口地址可检查', en: 'no entry URL to check'},
  'SEC-016.fail': {'zh-CN': '{url} 可公开下载（{kind}: {reason}）', en: '{url} is publicly readable ({kind}: {reason})'},
  'SEC-016.pass': {'zh-CN': '{origin} 下检查的 {count} 个路径均未公开', en: 'none of the {count} paths checked under {origin} is public'},
  'SEC-016.partial': {'zh-CN': '（另有 {count} 个路径未能检查）', en: '({count} more paths could not be checked)'},
  'SEC-016.error': {'zh-CN': '无法检查公开文件: {detail}', en: 'could not check for exposed files: {detail}'},

  'SEC-017.none': {'zh-CN': '页面未申请定位、摄像头、麦克风或通知权限', en: 'the pages ask for no geolocation, camera, microphone or notification permission'},
  'SEC-017.noManifest': {'zh-CN': '没有接入清单可比对；页面申请了: {kinds}', en: 'no manifest to compare with; the pages ask for: {kinds}'},
  'SEC-017.pass': {'zh-CN': '权限 {kind} 已声明（privacy.permissions: {name}）', en: 'permission {kind} is declared (privacy.permissions: {name})'},
  'SEC-017.fail': {'zh-CN': '页面 {url} 申请了 {kind} 权限，但 privacy.permissions 未声明 {name}', en: 'page {url} asks for {kind}, but privacy.permissions does not declare {name}'},

  'SEC-018.noTable': {'zh-CN': '规则参数中缺少评分表（params.table）', en: 'the rule has no grading table (params.table)'},
  'SEC-018.grade': {'zh-CN': '安全评级 {grade}（{score} 分，评分表 {table}）: {modifiers}', en: 'security grade {grade} (score {score}, table {table}): {modifiers}'},
  'SEC-018.noModifiers': {'zh-CN': '无加减分', en: 'no modifiers'},
  'SEC-018.below': {'zh-CN': '；低于 {min}', en: '; below {min}'},
}

export default messages
