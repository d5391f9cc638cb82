// `sjt --help` in zh-CN: each English text of a command (its summary, description, argument and flag
// descriptions, topic descriptions), as written in src/commands/**, with its Chinese text. The English
// is the command's own; src/lib/help.ts shows this table's text in its place when the language is
// zh-CN. test/cli/help.test.ts fails when a text shown by --help has no entry here, or an entry is
// no longer shown (after an English text changed).
const help: Record<string, string> = {
  // sjt itself and the topics
  "Checks a department's mobile government-service app against the Shanxi integrated online government-service platform standards (三晋通 mobile end), writes the access report, submits it for review and scores service capability.":
    '按山西省一体化在线政务服务平台（三晋通移动端）标准检查部门的移动政务服务应用，生成接入报告，提交审核，并进行服务能力评分。',
  'Browse the rules of a standards profile': '浏览标准配置中的规则',
  'Check an app against the provincial standards': '按省级标准检查应用',
  'The reference review API server and its tokens': '参考实现的审核 API 服务及其令牌',
  'Create, list and revoke review API tokens': '创建、列出和吊销审核 API 令牌',

  // sjt check and its categories
  'Run every check on the app in PATH (default .) and write the result document and reports': '对 PATH（默认 .）中的应用运行全部检查，写出检测结果文件和报告',
  'Check accessibility (GB/T 37668 via axe-core) of the entry, elder entry and service pages and the 投诉建议 and search entries of the entry page (A11Y-001…A11Y-006)': '检查入口页、长辈版入口页和服务页面的无障碍（GB/T 37668，使用 axe-core），以及入口页的投诉建议和搜索入口（A11Y-001…A11Y-006）',
  'Check the app OpenAPI contract against the provincial contracts, statically and live (API-001…API-010)': '对照省级接口规范静态和实时检查应用的 OpenAPI 接口契约（API-001…API-010）',
  'Check elder mode (MIIT 适老化): font sizes, tap targets, contrast, ads, the 长辈版 switch, font adjustability, read-aloud (ELD-001…ELD-012)': '检查适老化（工业和信息化部《移动互联网应用（App）适老化通用设计规范》）：字号、点击区域、对比度、广告、长辈版切换、字号可调、语音朗读（ELD-001…ELD-012）',
  'Check the manifest (sjt.yaml) alone: schema, identifiers, region, URLs, service items and the 三晋通 channel declaration (MAN-001…MAN-016)': '只检查接入清单（sjt.yaml）：结构、标识、行政区划、网址、服务事项和三晋通渠道声明（MAN-001…MAN-016）',
  'Check a WeChat or Alipay mini-program from its source project (MP-001…MP-010)': '从源码项目检查微信或支付宝小程序（MP-001…MP-010）',
  'Check performance with Lighthouse (mobile, simulated throttling, median of --runs) (PERF-001…PERF-008)': '用 Lighthouse 检查性能（移动端、模拟限速、取 --runs 次的中位数）（PERF-001…PERF-008）',
  'Check transport security, headers, cookies and personal information (SEC-001…SEC-018)': '检查传输安全、响应头、Cookie 和个人信息（SEC-001…SEC-018）',
  'PATH is an app folder whose manifest says type: miniprogram, or a mini-program project folder (app.json, project.config.json or mini.project.json) checked directly without a manifest.':
    'PATH 为接入清单写明 type: miniprogram 的应用目录，或小程序项目目录（含 app.json、project.config.json 或 mini.project.json），后者无需接入清单直接检查。',
  "the app's folder (with sjt.yaml), its manifest file, or a folder of apps": '应用目录（含 sjt.yaml）、它的接入清单文件，或包含多个应用的目录',
  'language of messages and reports (default from LANG, else zh-CN)': '提示信息和报告的语言（默认取自 LANG，否则为 zh-CN）',
  'print stack traces of errors': '出错时打印调用栈',
  'standards profile name or folder (default shanxi-2022)': '标准配置的名称或目录（默认 shanxi-2022）',
  'configuration file (default: sjt.config.yaml found from the app folder upwards)': '配置文件（默认：从应用目录向上查找 sjt.config.yaml）',
  'override the entry URL (e.g. a local dev server or a CI preview)': '改用这个入口网址（如本机开发服务器或 CI 预览环境）',
  'override the elder-mode entry URL': '改用这个长辈版入口网址',
  'where the live contract probe sends requests (default: the contract servers)': '实时接口探测的请求地址（默认：契约中的 servers）',
  'trust an extra CA (PEM) for every HTTPS check, browser included': '所有 HTTPS 检查（包括浏览器）额外信任这个 CA 证书（PEM）',
  'the browser to drive (default CHROME_PATH, then the usual locations)': '要驱动的浏览器（默认取 CHROME_PATH，再查找常见位置）',
  'seconds per page or request (default 30)': '每个页面或请求的超时秒数（默认 30）',
  'text, json, html, md, junit, sarif, pdf (comma-separated)': 'text、json、html、md、junit、sarif、pdf（以逗号分隔）',
  'where reports go (default reports/)': '报告的输出目录（默认 reports/）',
  'which severity makes the exit code 1 (default error)': '达到哪个级别时退出码为 1（默认 error）',
  'fail only on findings that this earlier result.json did not have': '只对这个较早的 result.json 中没有的问题判为不通过',
  'Lighthouse runs per page; the median run is reported (default 3)': '每个页面运行 Lighthouse 的次数，报告取中位数那次（默认 3）',
  'Lighthouse throttling (default simulate)': 'Lighthouse 限速方式（默认 simulate）',
  'keep what was gathered in this folder': '把采集到的数据保存在这个目录',
  'audit artifacts saved earlier, without a browser or network': '审查此前保存的采集数据，不需要浏览器和网络',
  'print the result document on stdout and nothing else': '只在标准输出打印检测结果文件',
  'apps checked at once when PATH holds several apps (default 1)': 'PATH 含多个应用时同时检查的应用数（默认 1）',
  'check a stable i/n share of the apps (for a CI matrix), e.g. 2/4': '只检查固定的第 i/n 份应用（用于 CI 矩阵），如 2/4',
  'let the live contract probe send POST/PUT/DELETE (default: probeWrites in the config, else no)': '允许实时接口探测发送 POST/PUT/DELETE（默认取配置中的 probeWrites，否则不允许）',
  'requests per operation in the live probe (default 5)': '实时探测中每个接口的请求次数（默认 5）',
  'let the contract resolve $refs over the network (default: allowRemoteRefs in the config, else no)': '允许通过网络解析契约中的 $ref（默认取配置中的 allowRemoteRefs，否则不允许）',
  'skip the configured login bootstrap (auth pages are then not-applicable)': '跳过配置的登录引导（需登录的页面记为不适用）',
  'sign the result with this private key (PEM; Ed25519, or SM2 with --sign-alg sm2)': '用这个私钥签名检测结果（PEM；Ed25519，或配合 --sign-alg sm2 使用 SM2）',
  'signature algorithm (default: from the key)': '签名算法（默认由私钥决定）',
  'list passing and not-applicable findings too': '同时列出通过和不适用的检查项',

  // sjt doctor
  'Check that this machine can run sjt: Node.js, the browser, the reports folder, the review server and token': '检查本机能否运行 sjt：Node.js、浏览器、报告目录、审核服务和令牌',
  'Each line says what was found and, for a problem, what to do. Exit 0 when everything sjt needs is in place, 3 when something is missing. The review server is checked only when one is configured (--server, SJT_SERVER or server: in sjt.config.yaml); the token comes from SJT_TOKEN or the config.':
    '每行说明检查到的情况，有问题时说明如何处理。sjt 所需的一切就绪时退出码为 0，有缺失时为 3。只有配置了审核服务（--server、SJT_SERVER 或 sjt.config.yaml 中的 server:）时才检查它；令牌取自 SJT_TOKEN 或配置。',
  'review API base URL to check (default SJT_SERVER, then server: in the config)': '要检查的审核 API 地址（默认取 SJT_SERVER，再取配置中的 server:）',
  'the browser to check (default CHROME_PATH, then the usual locations)': '要检查的浏览器（默认取 CHROME_PATH，再查找常见位置）',
  'the reports folder to check (default out: in the config, else reports/)': '要检查的报告目录（默认取配置中的 out:，否则为 reports/）',
  'configuration file (default: sjt.config.yaml found from here upwards)': '配置文件（默认：从当前目录向上查找 sjt.config.yaml）',
  'seconds to wait for the review server (default 5)': '等待审核服务的秒数（默认 5）',
  'print the checks as JSON on stdout and nothing else': '只在标准输出以 JSON 打印检查结果',

  // sjt init
  'Write a commented sjt.yaml manifest, a starter openapi.yaml contract and sjt.config.yaml to fill in': '生成带注释的 sjt.yaml 接入清单、初始的 openapi.yaml 接口契约和 sjt.config.yaml，供填写',
  'Values not given as flags are asked for on a terminal (or left as <…> placeholders with --yes; `sjt check manifest` says "fill in …" for each one left). openapi.yaml holds the operations of the provincial contracts. Ctrl+D at a prompt cancels (exit 130).':
    '未用选项给出的值在终端中询问（使用 --yes 时保留为 <…> 占位符；`sjt check manifest` 会对每个未填的值提示“请填写 …”）。openapi.yaml 包含省级接口规范中的接口。在提问时按 Ctrl+D 取消（退出码 130）。',
  'folder to write into (default .)': '写入的目录（默认 .）',
  'app id, e.g. ty-gjj-withdraw': '应用标识，如 ty-gjj-withdraw',
  'app name (2–30 characters)': '应用名称（2–30 个字符）',
  'owning department': '主管部门',
  "the department's 统一社会信用代码": '主管部门的统一社会信用代码',
  'GB/T 2260 region code in Shanxi, e.g. 140100': '山西省内的 GB/T 2260 行政区划代码，如 140100',
  'province, city or county': '层级：province（省）、city（市）或 county（县）',
  'https entry URL': 'https 入口网址',
  'h5 (pages checked by URL) or miniprogram (a WeChat or Alipay source project)': 'h5（按网址检查页面）或 miniprogram（微信或支付宝小程序源码项目）',
  'with --type miniprogram: wechat or alipay (default wechat)': '配合 --type miniprogram：wechat 或 alipay（默认 wechat）',
  'with --type miniprogram: the project folder, relative to the manifest (default ./miniprogram)': '配合 --type miniprogram：项目目录，相对于接入清单（默认 ./miniprogram）',
  'ask nothing; leave placeholders': '不提问，保留占位符',
  'overwrite existing files': '覆盖已有文件',

  // sjt monitor
  'Probe the entry and health URLs of published apps and record availability on the review server': '探测已发布应用的入口网址和健康检查网址，并在审核服务中记录可用性',
  "Needs a monitor or reviewer token. Each round GETs every published app's entry, elder entry and health URL (from the manifest in its approved result; loopback, link-local and private addresses are refused unless --allow-private-targets); a probe that does not open within the limit (15 s) fails. The server keeps the probes and marks an app for review when 5% or more of its probes in the window (7 days) failed. --once: one round; exit 1 when an app is marked for review. Without it: a round every --interval seconds until Ctrl-C.":
    '需要 monitor 或 reviewer 令牌。每一轮对每个已发布应用的入口网址、长辈版入口网址和健康检查网址发出 GET 请求（取自其审核通过的检测结果中的接入清单；除非使用 --allow-private-targets，否则拒绝本机回环、链路本地和私有网络地址）；在时限（15 秒）内未能打开即为失败。服务端保存探测记录，应用在统计窗口（7 天）内失败的探测达到 5% 或以上时标记为待复审。--once：只探测一轮，有应用被标记为待复审时退出码为 1。不使用时：每隔 --interval 秒探测一轮，直到按 Ctrl-C。',
  'review API base URL (default SJT_SERVER, then server: in sjt.config.yaml)': '审核 API 地址（默认取 SJT_SERVER，再取 sjt.config.yaml 中的 server:）',
  'API token (prefer SJT_TOKEN or token: ${ENV} in the config: a flag shows in the process list)': 'API 令牌（建议用 SJT_TOKEN 或配置中的 token: ${ENV}：选项会出现在进程列表中）',
  'one round, then exit': '探测一轮后退出',
  "seconds between rounds (default from the profile's monitoring.yaml: 3600)": '两轮之间的秒数（默认取标准配置的 monitoring.yaml：3600）',
  'seconds a page may take to open (default from monitoring.yaml: 15)': '页面打开的时限秒数（默认取 monitoring.yaml：15）',
  'only this app (repeatable)': '只探测这个应用（可重复使用）',
  'probes at once': '同时进行的探测数',
  'profile whose monitoring.yaml gives the defaults': '提供默认值的 monitoring.yaml 所在的标准配置',
  'print each round as JSON on stdout': '在标准输出以 JSON 打印每一轮结果',
  'also probe loopback, link-local and private-network addresses (a monitor inside the network it watches); without it such targets fail with "refused:"':
    '也探测本机回环、链路本地和私有网络地址（监测程序位于被监测的网络内时使用）；不使用时这些目标以 "refused:" 失败',

  // sjt report
  'Render a saved result document again (html, md, pdf, junit, sarif), verify it, or merge shards': '重新生成已保存检测结果的报告（html、md、pdf、junit、sarif），校验它，或合并分片结果',
  'result.json written by sjt check (several with --merge; - reads it from stdin)': 'sjt check 写出的 result.json（配合 --merge 可给多个；- 表示从标准输入读取）',
  'html, md, pdf, junit, sarif, json, text (comma-separated)': 'html、md、pdf、junit、sarif、json、text（以逗号分隔）',
  'output folder (default: out in sjt.config.yaml, else reports/)': '输出目录（默认取 sjt.config.yaml 中的 out，否则为 reports/）',
  'check the digest and signature; exit 1 when they do not match': '校验摘要和签名；不一致时退出码为 1',
  'with --verify: the trusted public key (PEM) instead of the one in the document': '配合 --verify：使用这个受信任的公钥（PEM），而不是结果文件中的公钥',
  'join the results of several shards (files or folders) into one summary': '把多个分片的结果（文件或目录）合并为一份汇总',
  'browser for the pdf format': '生成 pdf 格式所用的浏览器',

  // sjt review-server
  'Run the reference review API server (register → review → publish → monitor → delist)': '运行参考实现的审核 API 服务（注册 → 审核 → 发布 → 监测 → 下架）',
  'Serves standards/review-api.openapi.yaml on loopback by default. Prints its URL on stdout, logs one JSON line per request on stderr (never a token), and stops cleanly on SIGTERM or Ctrl-C: requests in flight finish, then the store closes. Tokens: sjt review-server token create|list|revoke.':
    '默认在本机回环地址上提供 standards/review-api.openapi.yaml 所描述的接口。在标准输出打印服务地址，在标准错误为每个请求记一行 JSON 日志（从不记录令牌），收到 SIGTERM 或 Ctrl-C 时正常停止：处理完进行中的请求后关闭存储。令牌：sjt review-server token create|list|revoke。',
  'SQLite database file (the default store), or a postgres:// URL': 'SQLite 数据库文件（默认存储），或 postgres:// 连接地址',
  'PostgreSQL connection URL (postgres://user:pass@host:5432/db); default SJT_DATABASE_URL': 'PostgreSQL 连接地址（postgres://user:pass@host:5432/db）；默认取 SJT_DATABASE_URL',
  'TCP port (0 picks a free one)': 'TCP 端口（0 表示自动选择空闲端口）',
  'address to listen on (0.0.0.0 for every interface)': '监听地址（0.0.0.0 表示所有网络接口）',
  'largest request body in bytes (larger: 413)': '请求体的最大字节数（超过则返回 413）',
  'requests per minute per token (more: 429 with Retry-After); 0 turns it off': '每个令牌每分钟的请求数上限（超过则返回 429 和 Retry-After）；0 表示不限制',
  'profile whose monitoring.yaml sets the monitoring rule': '由其 monitoring.yaml 设定监测规则的标准配置',
  'enqueue re-checks (nightly, and when the profile version changes) and monitoring probes on the PostgreSQL job queue for sjt worker': '向 PostgreSQL 任务队列加入复检任务（每晚一次，以及标准配置版本变化时）和监测探测任务，供 sjt worker 执行',
  'config file with the queue: block (default: sjt.config.yaml found from the current folder)': '含 queue: 配置块的配置文件（默认：从当前目录查找 sjt.config.yaml）',
  'Show the job queue: jobs by queue and state, dead-lettered jobs with their error, the latest records': '查看任务队列：按队列和状态统计的任务、进入死信的任务及其错误、最近的记录',
  'Reads the PostgreSQL job queue of re-checks and monitoring (sjt review-server --schedule, sjt worker). A dead-lettered job failed its first attempt and every retry; its last error is shown. Exit 0; with --fail-on-dead, exit 1 when a job is dead-lettered. SQLite has no queue: exit 2.':
    '读取复检和监测的 PostgreSQL 任务队列（sjt review-server --schedule、sjt worker）。进入死信的任务首次执行和每次重试都失败了，显示其最后一次错误。退出码为 0；使用 --fail-on-dead 时，有任务进入死信则退出码为 1。SQLite 没有任务队列：退出码为 2。',
  'config file with the queue: block (its schema names the queue tables)': '含 queue: 配置块的配置文件（其中的 schema 指定队列表所在的模式）',
  'how many dead letters and records to show': '显示的死信任务和记录条数',
  'print the report as JSON on stdout': '在标准输出以 JSON 打印报告',
  'exit 1 when a job is dead-lettered': '有任务进入死信时退出码为 1',
  'Create an API token for a role; the token is the last line on stdout, shown only this once': '为某一角色创建 API 令牌；令牌是标准输出的最后一行，只显示这一次',
  "The store keeps only the token's SHA-256 hash. A submitter token belongs to one department (--credit-code, its 统一社会信用代码) and can submit and read only that department's apps. Roles: submitter, reviewer, auditor, monitor (sjt monitor: reads apps, records probes).":
    '存储中只保存令牌的 SHA-256 哈希值。submitter 令牌属于一个部门（--credit-code，即其统一社会信用代码），只能提交和读取该部门的应用。角色：submitter（提交者）、reviewer（审核员）、auditor（审计员）、monitor（sjt monitor 使用：读取应用、记录探测）。',
  'what the token may do': '令牌的权限角色',
  'the department (统一社会信用代码); required for submitter': '所属部门（统一社会信用代码）；submitter 必填',
  'a note shown by token list (who holds it)': 'token list 显示的备注（由谁持有）',
  'List API tokens: id, role, department, label, created, revoked (never the token)': '列出 API 令牌：编号、角色、部门、备注、创建时间、吊销时间（从不显示令牌本身）',
  'print the list as JSON on stdout': '在标准输出以 JSON 打印列表',
  'Revoke an API token by its id (from token list); it stops working at once': '按编号（见 token list）吊销 API 令牌；立即失效',
  'token id (tok_…), as token list shows it': '令牌编号（tok_…），即 token list 显示的编号',

  // sjt score
  'Score service capability (服务能力评分) of one app, or rank every app in a folder': '为一个应用进行服务能力评分，或为目录中的所有应用排名',
  "Scores the five national dimensions (服务事项覆盖度, 在线办理成熟度, 服务方式完备度, 办事指南准确度, 在线服务成效度) from result documents written by sjt check, on the model in the profile's scoring.yaml. Categories that were not run count as unknown, not as zero; the output says how many points of the total they could move. Given a folder, every result.json under it is scored and ranked (ties: region, then app id). See docs/scoring.md.":
    '根据 sjt check 写出的检测结果，按标准配置中 scoring.yaml 的模型对全国统一的五个维度（服务事项覆盖度、在线办理成熟度、服务方式完备度、办事指南准确度、在线服务成效度）评分。未运行的检查类别计为未知而不是零分，输出会说明它们可能使总分变动多少分。给出目录时，对其中每个 result.json 评分并排名（同分时按行政区划、再按应用标识）。见 docs/scoring.md。',
  'result.json written by sjt check (several allowed), or a folder searched for them (- reads one from stdin)': 'sjt check 写出的 result.json（可给多个），或在其中查找它们的目录（- 表示从标准输入读取一个）',
  'for each index, list what would win the missed points back (rule ids, manifest fields)': '对每项指标列出如何挽回失去的分数（规则编号、接入清单字段）',
  'text, csv, json or html': 'text、csv、json 或 html',
  'print JSON on stdout (same as --format json)': '在标准输出打印 JSON（同 --format json）',
  'write the output to this file instead of stdout': '把输出写入这个文件，而不是标准输出',
  'only apps whose region code begins with this GB/T 2260 prefix (e.g. 14, 1407)': '只包括行政区划代码以这个 GB/T 2260 前缀开头的应用（如 14、1407）',
  'usage CSV (per month: PV, UV, clicks, transactions, 好差评 counts) feeding 在线服务成效度': '用量 CSV（按月：PV、UV、点击量、办件量、好差评数），用于在线服务成效度',
  "profile whose scoring.yaml to use (default: each result's own profile)": '使用哪个标准配置的 scoring.yaml（默认：每个检测结果自己的标准配置）',

  // sjt standards
  'List the rules of the active profile, with severity, weight and source': '列出当前标准配置的规则，含级别、权重和依据',
  'only this category': '只列出这个类别',
  'profile name or folder': '标准配置的名称或目录',
  'print the rules as JSON': '以 JSON 打印规则',
  'Show one rule: titles, clause and source, severity, weight, check and thresholds': '查看一条规则：标题、条款和依据、级别、权重、检查函数和阈值',
  'rule id, e.g. MAN-002': '规则编号，如 MAN-002',
  'print the rule as JSON': '以 JSON 打印规则',

  // sjt status
  "Show the review state of a submission, or of the app's latest one": '查看一次提交的审核状态，或应用最近一次提交的审核状态',
  "Without an id: the latest submission of --app, else of the app in ./sjt.yaml, else the last one sjt submit sent from this folder. Prints the state, the history (oldest first) with reviewer comments, and the app's lifecycle state.":
    '不给出编号时：查看 --app 的最近一次提交，否则查看 ./sjt.yaml 中应用的最近一次提交，再否则查看 sjt submit 从当前目录发出的最后一次提交。打印审核状态、带审核意见的记录（由早到晚）和应用的生命周期状态。',
  'submission id (sub_…), as sjt submit printed it': '提交编号（sub_…），即 sjt submit 打印的编号',
  'app id: show its latest submission': '应用标识：查看它最近一次提交',
  'print the submission (with history) as JSON on stdout': '在标准输出以 JSON 打印这次提交（含记录）',

  // sjt submit
  'Submit a result document to the review API; prints the submission id': '向审核 API 提交检测结果；打印提交编号',
  'Checks the result against its schema and digest first. Retries 5xx, 429 (Retry-After) and connection errors with backoff, with the same Idempotency-Key (sjt-<digest>): sending the same result again answers the same submission. When the server stays unreachable the submission waits in .sjt/outbox/ (or SJT_STATE_DIR, or --outbox) until sjt submit --flush. Exit 0 received, 1 refused (with the reasons), 3 unreachable.':
    '先按结构和摘要校验检测结果。遇到 5xx、429（Retry-After）和连接错误时退避重试，使用同一个 Idempotency-Key（sjt-<摘要>）：再次发送同一结果得到的是同一次提交。服务一直无法连接时，提交保存在 .sjt/outbox/（或 SJT_STATE_DIR，或 --outbox）中，等待 sjt submit --flush。退出码：0 已受理，1 被拒绝（附原因），3 无法连接。',
  'result.json written by sjt check (- reads it from stdin)': 'sjt check 写出的 result.json（- 表示从标准输入读取）',
  'send the submissions waiting in the outbox': '发送在待发目录中等待的提交',
  'outbox folder (default .sjt/outbox in the current folder, or $SJT_STATE_DIR/outbox)': '待发目录（默认为当前目录下的 .sjt/outbox，或 $SJT_STATE_DIR/outbox）',
  'check schema and digest before sending (--no-verify leaves it to the server)': '发送前校验结构和摘要（--no-verify 则交由服务端校验）',
  'retries after the first attempt': '首次尝试之后的重试次数',
  'seconds per attempt': '每次尝试的超时秒数',
  "print the server's answer as JSON on stdout": '在标准输出以 JSON 打印服务端的应答',
  'submit a result whose verdict is incomplete (a category could not run); reviewers then need override to approve it': '提交结论为不完整（有检查类别未能运行）的检测结果；审核员须以 override 方式才能批准',

  // sjt worker
  'Take re-check and monitoring jobs from the PostgreSQL job queue and record their results': '从 PostgreSQL 任务队列领取复检和监测任务，并记录结果',
  "Any number of workers on any number of machines share the review database's job queue (sjt review-server --schedule enqueues). A re-check runs the pipeline of sjt check on the app's folder under --apps (found by app.id in its sjt.yaml); a probe opens the app's entry, elder and health URLs as sjt monitor does. Each job is recorded once (source: recheck), even when a worker dies mid-job and the job runs again after its expiry. SIGTERM: no more jobs are taken, running ones get --grace seconds to finish, the rest are released for retry. Needs PostgreSQL: with an SQLite store there is no queue (exit 2).":
    '任意多台机器上的任意多个 worker 共用审核库的任务队列（由 sjt review-server --schedule 加入任务）。复检对 --apps 下该应用的目录（按其 sjt.yaml 中的 app.id 查找）运行 sjt check 的流程；探测像 sjt monitor 一样打开应用的入口网址、长辈版网址和健康检查网址。每个任务只记录一次（source: recheck），即使 worker 在任务中途退出、任务超期后再次运行。收到 SIGTERM：不再领取任务，运行中的任务有 --grace 秒完成，其余任务释放以便重试。需要 PostgreSQL：SQLite 存储没有任务队列（退出码 2）。',
  'folder holding one folder per app (each with its sjt.yaml), as for sjt check apps/': '每个应用一个子目录（各含 sjt.yaml）的目录，与 sjt check apps/ 相同',
  're-checks (and as many probes) this process runs at once': '本进程同时运行的复检数（探测数相同）',
  'profile of the re-checks and of the monitoring rule': '复检和监测规则所用的标准配置',
  'probe loopback, link-local and private addresses too (refused by default, as in sjt monitor)': '也探测本机回环、链路本地和私有网络地址（默认拒绝，与 sjt monitor 相同）',
  'seconds SIGTERM waits for running jobs before releasing them for retry': '收到 SIGTERM 后等待运行中任务的秒数，之后释放它们以便重试',

  // sjt autocomplete (@oclif/plugin-autocomplete)
  'Display autocomplete installation instructions.': '显示命令补全的安装说明。',
  'Shell type': 'Shell 类型',
  'Refresh cache (ignores displaying instructions)': '刷新缓存（不显示安装说明）',
}

export default help
