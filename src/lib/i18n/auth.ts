import type {Catalogue} from './index.js'

// Messages of the login bootstrap (config `auth:`).
const messages: Catalogue = {
  'auth.noEntry': {'zh-CN': '配置了登录（auth），但没有入口网址（清单 app.entry 或 --url）', en: 'auth is configured but there is no entry URL (manifest app.entry or --url)'},
  'auth.empty': {'zh-CN': 'auth.kind 为 {kind}，但没有给出 {kind}', en: 'auth.kind is {kind} but no {kind} are given'},
  'auth.badKind': {'zh-CN': '未知的 auth.kind: {kind}（cookies、headers、steps、ticket）', en: 'unknown auth.kind: {kind} (cookies, headers, steps, ticket)'},
  'auth.unreachable': {'zh-CN': '登录失败: 无法访问 {url}（{detail}）', en: 'login failed: cannot reach {url} ({detail})'},
  'auth.refused': {'zh-CN': '登录失败: {url} 拒绝了票据（HTTP {status}）', en: 'login failed: {url} refused the ticket (HTTP {status})'},
  'auth.status': {'zh-CN': '登录失败: {url} 返回 HTTP {status}', en: 'login failed: {url} answered HTTP {status}'},
  'auth.noCookie': {'zh-CN': '登录失败: {url} 未设置会话 Cookie', en: 'login failed: {url} set no session cookie'},
  'auth.noNamedCookie': {'zh-CN': '登录失败: 没有得到会话 Cookie {name}', en: 'login failed: no session cookie {name}'},
  'auth.stillLogin': {'zh-CN': '登录失败: 执行完登录步骤后仍停留在登录页 {url}', en: 'login failed: still on the login page after the steps ({url})'},
  'auth.stepFailed': {'zh-CN': '登录失败于步骤 {step}: {detail}', en: 'login failed at step {step}: {detail}'},
  'auth.urlTimeout': {'zh-CN': '等待网址匹配 {pattern} 超时（当前 {url}）', en: 'timed out waiting for a URL matching {pattern} (now {url})'},
  'auth.verifyFailed': {'zh-CN': '登录失败: 用会话访问 {url} 仍被拒绝或转到登录页（HTTP {status}）', en: 'login failed: {url} still refuses the session or redirects to login (HTTP {status})'},
  'auth.ok': {'zh-CN': '登录成功（{kind}）', en: 'logged in ({kind})'},
  'auth.skippedNoBootstrap': {'zh-CN': '该页面需要登录（auth: required），未配置登录（auth），已跳过', en: 'this page needs a login (auth: required) and no login bootstrap is configured; skipped'},
  'auth.failedExit': {'zh-CN': '登录未成功，需登录的页面未检测: {message}', en: 'the login did not succeed, pages behind it were not checked: {message}'},
  'auth.reason.none': {'zh-CN': '未配置登录（sjt.config.yaml 的 auth）', en: 'no login bootstrap is configured (auth in sjt.config.yaml)'},
  'auth.reason.noAuth': {'zh-CN': '--no-auth 跳过了登录', en: '--no-auth skipped the login bootstrap'},
  'auth.reason.failed': {'zh-CN': '登录未成功（{step}）', en: 'the login did not succeed ({step})'},
  'auth.pageSkipped': {'zh-CN': '页面需要登录（auth: required），已跳过: {reason}', en: 'the page needs a login (auth: required) and was skipped: {reason}'},
  'auth.perfSkipped': {'zh-CN': '页面需要登录（auth: required），未测量: {reason}', en: 'the page needs a login (auth: required) and was not measured: {reason}'},
  'auth.headersWithheld': {'zh-CN': '登录请求头不发往接口契约 servers[0] 的 {origin}：它不是本应用的来源（{own}）。如该地址确是本应用的接口，请用 --api-base 指定', en: 'the login headers are not sent to {origin} (the contract\'s servers[0]): it is not one of the app\'s origins ({own}). If it is the app\'s own API, name it with --api-base'},
  'auth.probeSkipped': {'zh-CN': '{op} 需要登录（返回 {status}），未判断: {reason}', en: '{op} needs a session (answered {status}) and was not judged: {reason}'},
  'auth.loginRedirect': {'zh-CN': '页面跳转到了登录页 {login}：登录会话无效，未把登录页当作本页检测', en: 'redirected to the login page: the session did not work ({login}); the login page was not checked in place of this page'},
  'auth.loginRedirectSkipped': {'zh-CN': '页面跳转到了登录页 {login}，未配置登录（auth），已跳过；请在清单中标记 auth: required 并在 sjt.config.yaml 配置 auth', en: 'the page redirects to the login page {login} and no login bootstrap is configured; skipped (mark it auth: required in the manifest and configure auth in sjt.config.yaml)'},
  // Lighthouse progress names a measured service page (src/gather/lighthouse.ts).
  'perf.page.service': {'zh-CN': '事项页', en: 'service page'},
  'auth.pagesRedirected': {'zh-CN': '登录会话无效: {count} 个页面仍跳转到登录页（{urls}）；请在 auth.verify 中配置校验', en: 'the session did not work: {count} page(s) still redirected to the login page ({urls}); add auth.verify to catch this at login'},
  'auth.badPattern': {'zh-CN': 'auth.loginPattern「{pattern}」不是有效的正则表达式: {detail}', en: 'auth.loginPattern "{pattern}" is not a valid regular expression: {detail}'},
  'auth.probeNotCovered': {'zh-CN': '{op} 返回 {status}：登录会话不含该接口要求的凭据（如查询参数中的票据），未判断', en: '{op} answered {status}: the login session does not carry the credentials it asks for (e.g. a ticket in the query); not judged'},
}

export default messages
