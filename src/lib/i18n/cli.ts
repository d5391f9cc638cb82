// The command line itself: positional words, oclif's parser errors, unknown commands.
import type {Catalogue} from './index.js'

const cli: Catalogue = {
  'cli.unknownCategory': {'zh-CN': '未知的检查类别 {name}；可选: {names}', en: 'unknown category {name}; one of {names}'},
  'cli.unknownCategory.hint': {'zh-CN': '例如: sjt check a11y --url https://example.gov.cn/m/', en: 'For example: sjt check a11y --url https://example.gov.cn/m/'},
  'cli.twoPaths': {'zh-CN': '只能检查一个路径，却给出了 {first} 和 {second}', en: 'one path only, but {first} and {second} were given'},
  'cli.twoPaths.hint': {'zh-CN': '一个目录下有多个应用时，给出这个目录即可（sjt check apps/）。', en: 'To check several apps, give the folder that holds them (sjt check apps/).'},
  'cli.notFoundOrCategory.hint': {'zh-CN': '检查路径是否正确（相对于当前目录）；检查类别为: {names}', en: 'Check the path (relative to the current folder); the categories are: {names}'},
  'cli.nonexistentFlag': {'zh-CN': '没有这个选项: {flag}', en: 'no such flag: {flag}'},
  'cli.didYouMean': {'zh-CN': '是否想输入: {suggestion}', en: 'did you mean: {suggestion}'},
  'cli.unexpectedArgument': {'zh-CN': '多余的参数: {arg}', en: 'unexpected argument: {arg}'},
  'cli.expectedValue': {'zh-CN': '选项 {flag} 需要一个值', en: 'flag {flag} expects a value'},
  'cli.badOption': {'zh-CN': '{flag} 的值 {value} 不在可选范围内: {options}', en: '{flag}: {value} is not one of {options}'},
  'cli.missingFlag': {'zh-CN': '缺少必需的选项: {flag}', en: 'missing required flag: {flag}'},
  'cli.badInteger': {'zh-CN': '{flag} 需要一个整数，收到的是: {value}', en: '{flag} expects an integer, not: {value}'},
  'cli.missingArg': {'zh-CN': '缺少必需的参数: {arg}', en: 'missing required argument: {arg}'},
  'cli.badValue': {'zh-CN': '{flag} 的值不对: {detail}', en: '{flag}: {detail}'},
  'cli.seeHelp': {'zh-CN': '查看用法: {command} --help', en: 'usage: {command} --help'},
  'cli.commandNotFound': {'zh-CN': '没有命令 {command}', en: 'command {command} not found'},
  'cli.commandList': {'zh-CN': '全部命令: sjt --help', en: 'all commands: sjt --help'},
  'cli.cancelled': {'zh-CN': '已取消', en: 'cancelled'},
}

export default cli
