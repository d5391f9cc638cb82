// The service-capability model (spec/scoring.md): scoreResult and rankScores are pure over the
// result document; the review server's GET /v1/scores imports them too.
export {scoreResult, rankScores} from './score.js'
export type {ScoreResult, ScoreOptions, IndexScore, ExplainEntry, HowToWin, TermStatus, Rankable} from './score.js'
export {loadScoringModel, readScoringModel, modelFileOf, DEFAULT_PROFILE} from './model.js'
export type {ScoringModel, IndexDef, Term, TermInput, GradeBand} from './model.js'
export {readUsageFile, parseUsageCsv, usageRowsFor, satisfactionOf, USAGE_COLUMNS, LEVELS, GOOD_LEVELS, BAD_LEVELS} from './usage.js'
export type {UsageMonth, UsageTable, Satisfaction} from './usage.js'
