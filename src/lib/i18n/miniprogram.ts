import type {Catalogue} from './index.js'

// Messages of the mini-program collector and rules (MP-001 … MP-010).
const messages: Catalogue = {
  'mp.notFolder': {'zh-CN': '小程序项目应为文件夹', en: 'a mini-program project is a folder'},
  'mp.notFolder.hint': {'zh-CN': '给出在微信或支付宝开发者工具中打开的项目文件夹。', en: 'Give the project folder you open in the WeChat or Alipay developer tool.'},
  'mp.unreadable': {'zh-CN': '无法读取项目文件夹（{detail}）', en: 'the project folder cannot be read ({detail})'},
  'mp.unreadable.hint': {'zh-CN': '检查文件夹权限。', en: 'Check the folder permissions.'},
  'mp.rootOutside': {'zh-CN': 'miniprogramRoot "{root}" 指向项目文件夹之外', en: 'miniprogramRoot "{root}" points outside the project folder'},
  'mp.rootOutside.hint': {'zh-CN': 'miniprogramRoot 应为项目内的相对路径。', en: 'miniprogramRoot must be a relative path inside the project.'},
  'mp.noAppJson': {'zh-CN': '不是小程序项目：没有 app.json', en: 'not a mini-program project: there is no app.json'},
  'mp.noAppJson.hint': {'zh-CN': '给出含 app.json 的项目文件夹（或在 project.config.json 中设置 miniprogramRoot）。', en: 'Give the folder holding app.json (or set miniprogramRoot in project.config.json).'},
  'mp.appNotObject': {'zh-CN': 'app.json 应为 JSON 对象', en: 'app.json must be a JSON object'},
  'mp.noProject': {'zh-CN': '清单声明 app.type: miniprogram，但没有 miniprogram.project（项目文件夹）', en: 'the manifest says app.type: miniprogram but has no miniprogram.project (the project folder)'},
  'mp.noProject.hint': {'zh-CN': '加入 miniprogram: {platform: wechat, project: ./miniprogram}（路径相对于清单）。', en: 'Add miniprogram: {platform: wechat, project: ./miniprogram} (relative to the manifest).'},
  'mp.projectOutside': {'zh-CN': 'miniprogram.project "{project}" 指向清单所在文件夹之外', en: 'miniprogram.project "{project}" points outside the manifest folder'},
  'mp.projectOutside.hint': {'zh-CN': '项目文件夹应在清单所在文件夹之内。', en: 'The project folder must sit inside the manifest folder.'},
  'mp.notProjectArg': {'zh-CN': '此文件夹既没有接入清单（sjt.yaml），也不是小程序项目（app.json、project.config.json 或 mini.project.json）', en: 'this folder has neither a manifest (sjt.yaml) nor a mini-program project (app.json, project.config.json or mini.project.json)'},
  'mp.notProjectArg.hint': {'zh-CN': '给出小程序项目文件夹，或含 type: miniprogram 清单的应用文件夹。', en: 'Give a mini-program project folder, or an app folder whose manifest says type: miniprogram.'},

  'MP.none': {'zh-CN': '不是小程序（清单 app.type 不是 miniprogram，也未给出项目文件夹）', en: 'not a mini-program (the manifest app.type is not miniprogram and no project folder was given)'},
  'MP.noElderPages': {'zh-CN': '未找到长辈版页面（路径含 elder/care 等，或入口页长辈版入口指向的页面）；见 MP-005', en: 'no elder page found (a route with elder/care…, or the target of the entry page\'s elder switch); see MP-005'},

  'MP-001.syntax': {'zh-CN': '{file} 语法错误: {detail}', en: 'syntax error in {file}: {detail}'},
  'MP-001.encoding': {'zh-CN': '{file} 无法按 UTF-8 读取: {detail}', en: '{file} cannot be read as UTF-8: {detail}'},
  'MP-001.tooLargeToParse': {'zh-CN': '{file} 过大（{detail} 字节），未解析，只计入包体积', en: '{file} is too large to parse ({detail} bytes); counted for size only'},
  'MP-001.symlinkLoop': {'zh-CN': '{file} 是循环的符号链接，未跟随', en: '{file} is a symbolic-link loop; not followed'},
  'MP-001.symlinkOutside': {'zh-CN': '{file} 链接到项目之外（{detail}），未跟随', en: '{file} links outside the project ({detail}); not followed'},
  'MP-001.unreadable': {'zh-CN': '{file} 无法读取（{detail}）', en: '{file} cannot be read ({detail})'},
  'MP-001.tooManyFiles': {'zh-CN': '项目文件超过 {detail} 个，其余未检查', en: 'the project has more than {detail} files; the rest were not checked'},
  'MP-001.badConfig': {'zh-CN': '{file} 配置无效: {detail}', en: '{file} is not a valid configuration: {detail}'},
  'MP-001.noProjectConfig': {'zh-CN': '项目文件夹中没有 {names}', en: 'the project folder has no {names}'},
  'MP-001.noPages': {'zh-CN': 'app.json 的 pages 应为非空的页面路径数组', en: 'pages in app.json must be a non-empty list of page paths'},
  'MP-001.duplicate': {'zh-CN': '页面 {route} 重复列出（首次在 {first}）', en: 'page {route} is listed twice (first at {first})'},
  'MP-001.missingFiles': {'zh-CN': '页面 {route} 缺少文件: {files}', en: 'page {route} is missing files: {files}'},
  'MP-001.badSubpackage': {'zh-CN': '第 {index} 个分包缺少 root 或 pages', en: 'subpackage {index} lacks root or pages'},
  'MP-001.entryNotFirst': {'zh-CN': '入口页 {entry} 不是 pages 的第一个页面（{first}）', en: 'the entry page {entry} is not the first page ({first})'},
  'MP-001.entryUnlisted': {'zh-CN': '入口页 {entry} 不在页面列表中', en: 'the entry page {entry} is not a listed page'},
  'MP-001.pass': {'zh-CN': '{platform} 小程序：{pages} 个页面、{packages} 个包，文件齐全，入口页 {entry}', en: '{platform} mini-program: {pages} pages in {packages} packages, all files present, entry page {entry}'},

  'MP-002.main': {'zh-CN': '主包', en: 'main package'},
  'MP-002.over': {'zh-CN': '{name} {size} 超过上限 {max}；最大的文件: {largest}', en: '{name} is {size}, over the {max} limit; largest files: {largest}'},
  'MP-002.within': {'zh-CN': '{name} {size}（上限 {max}）', en: '{name} is {size} (limit {max})'},
  'MP-002.totalOver': {'zh-CN': '全部包共 {size}，超过总上限 {max}', en: 'all packages total {size}, over the {max} limit'},

  'MP-003.none': {'zh-CN': '代码中未使用个人信息相关接口', en: 'the code uses no personal-information API'},
  'MP-003.notInRequired': {'zh-CN': '使用了 {how}，但 app.json 的 requiredPrivateInfos 未声明 {api}', en: '{how} is used but app.json requiredPrivateInfos does not declare {api}'},
  'MP-003.noPurpose': {'zh-CN': '使用了 {how}，但 app.json 的 permission["{scope}"].desc 未写明用途', en: '{how} is used but app.json permission["{scope}"].desc gives no purpose'},
  'MP-003.noFlow': {'zh-CN': '使用了 {how}，但没有隐私授权流程（{names}）', en: '{how} is used but there is no privacy-authorisation flow ({names})'},
  'MP-003.notInManifest': {'zh-CN': '使用了 {how}（{kind}），但清单 privacy.personalInfo/permissions 未声明该收集', en: '{how} collects {kind}, which the manifest privacy.personalInfo/permissions does not declare'},
  'MP-003.pass': {'zh-CN': '个人信息接口（{kinds}）均已声明，有授权流程，与清单一致', en: 'personal-information APIs ({kinds}) are declared, consented and match the manifest'},
  'MP-003.passNoManifest': {'zh-CN': '个人信息接口（{kinds}）均已声明，有授权流程（无清单，未比对 privacy）', en: 'personal-information APIs ({kinds}) are declared and consented (no manifest: privacy not compared)'},

  'MP-004.scheme': {'zh-CN': '{url} 不是 {schemes} 地址', en: '{url} is not {schemes}'},
  'MP-004.host': {'zh-CN': '{url} 的主机 {host} 既不是本部门的，也未在清单 privacy.thirdParties 中声明', en: 'the host {host} of {url} is neither the department\'s own nor declared in privacy.thirdParties'},
  'MP-004.secret': {'zh-CN': '{name} 硬编码了疑似密钥（{length} 个字符，{preview}）', en: '{name} holds what looks like a hard-coded secret ({length} characters, {preview})'},
  'MP-004.pem': {'zh-CN': '代码中硬编码了 PEM 私钥', en: 'a PEM private key is hard-coded'},
  'MP-004.pass': {'zh-CN': '{count} 个网址均为 https/wss 且主机已声明（{hosts}），无硬编码密钥', en: '{count} URLs are all https/wss on declared hosts ({hosts}); no hard-coded secrets'},
  'MP-004.passNoManifest': {'zh-CN': '{count} 个网址均为 https/wss（{hosts}；无清单，未比对主机），无硬编码密钥', en: '{count} URLs are all https/wss ({hosts}; no manifest: hosts not compared); no hard-coded secrets'},

  'MP-005.noEntry': {'zh-CN': '入口页 {route} 没有模板文件，无法找到长辈版入口', en: 'the entry page {route} has no template; no elder switch can be found'},
  'MP-005.pass': {'zh-CN': '入口页有长辈版入口 <{tag}>“{text}”', en: 'the entry page has an elder switch <{tag}> "{text}"'},
  'MP-005.notTappable': {'zh-CN': '入口页显示“{text}”，但它不可点击（不是 navigator/button，也没有 bindtap）', en: 'the entry page shows "{text}" but it is not tappable (no navigator, button or bindtap)'},
  'MP-005.missing': {'zh-CN': '入口页 {route} 没有名为 {names} 的入口', en: 'the entry page {route} has no switch named {names}'},

  'MP-006.small': {'zh-CN': '“{text}” 字号 {px}px，小于 {min}px', en: '"{text}" is {px} px, below {min} px'},
  'MP-006.unknown': {'zh-CN': '“{text}” 的字号无法静态确定（{why}）', en: 'the font size of "{text}" is not statically determinable ({why})'},
  'MP-006.noSetting': {'zh-CN': '长辈版页面 {route} 不跟随用户字号（无 page-meta root-font-size/page-font-size，也未读取 fontSizeSetting）', en: 'elder page {route} does not follow the user font size (no page-meta root-font-size/page-font-size, no fontSizeSetting read)'},
  'MP-006.pass': {'zh-CN': '长辈版页面 {route}: {count} 处文字均不小于 {smallest}px，跟随字号（{how}）', en: 'elder page {route}: {count} text elements, smallest {smallest} px; follows the font setting ({how})'},

  'MP-007.unknown': {'zh-CN': '“{label}” 的点击区域无法静态确定（{w}×{h}px；{why}）', en: 'the tap target "{label}" is not statically determinable ({w}×{h} px; {why})'},
  'MP-007.small': {'zh-CN': '“{label}” 点击区域 {w}×{h}px，小于 {min}×{min}px', en: '"{label}" is {w}×{h} px, below {min}×{min} px'},
  'MP-007.pass': {'zh-CN': '长辈版页面 {route}: {count} 个可点击元素均不小于 {min}×{min}px', en: 'elder page {route}: all {count} tap targets are at least {min}×{min} px'},
  'MP-007.none': {'zh-CN': '长辈版页面中没有可点击元素', en: 'the elder pages have no tappable element'},

  'MP-008.ad': {'zh-CN': '长辈版页面 {route} 含广告组件 <{tag}>', en: 'elder page {route} holds the ad component <{tag}>'},
  'MP-008.plugin': {'zh-CN': '长辈版页面 {route} 使用广告插件 <{tag}>', en: 'elder page {route} uses the ad plug-in <{tag}>'},
  'MP-008.label': {'zh-CN': '长辈版页面 {route} 有广告标注“{text}”', en: 'elder page {route} shows the ad label "{text}"'},
  'MP-008.lure': {'zh-CN': '诱导按钮“{text}”（含“{word}”）', en: 'lure button "{text}" (contains "{word}")'},
  'MP-008.pass': {'zh-CN': '{elder} 个长辈版页面无广告，{units} 个模板无诱导按钮', en: 'no ads in {elder} elder pages; no lure buttons in {units} templates'},

  'MP-009.image': {'zh-CN': '<{tag}> {src} 没有 aria-label（装饰性图片请加 aria-hidden="true"）', en: '<{tag}> {src} has no aria-label (mark a decorative image aria-hidden="true")'},
  'MP-009.field': {'zh-CN': '表单控件 <{tag}> 没有标签（label 或 aria-label）', en: 'form field <{tag}> has no label (label or aria-label)'},
  'MP-009.iconOnly': {'zh-CN': '只有图标的可点击元素 <{tag}> 没有 aria-label', en: 'the icon-only tappable <{tag}> has no aria-label'},
  'MP-009.none': {'zh-CN': '没有图片、纯图标按钮或表单控件', en: 'no image, icon-only tappable or form field'},
  'MP-009.pass': {'zh-CN': '{count} 个图片、按钮和表单控件均有名称或标签', en: '{count} images, tappables and fields all have a name or label'},

  'MP-010.low': {'zh-CN': '“{text}” 对比度 {ratio}:1（{fg} / {bg}），低于 {need}:1', en: '"{text}" has contrast {ratio}:1 ({fg} on {bg}), below {need}:1'},
  'MP-010.none': {'zh-CN': '没有可静态确定颜色的文字（{unresolved} 处无法确定）', en: 'no text whose colours are statically resolvable ({unresolved} not resolvable)'},
  'MP-010.pass': {'zh-CN': '{count} 处文字对比度达标（最低 {lowest}:1；{unresolved} 处无法静态确定）', en: '{count} text elements meet the contrast (lowest {lowest}:1; {unresolved} not statically resolvable)'},
}

export default messages
