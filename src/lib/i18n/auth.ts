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
}

export default messages
