// The service-capability model (spec/scoring.md): scoreResult and rankScores are pure over the
// result document; the review server's GET /v1/scores imports them too.
export {scoreResult, rankScores} from './score.js'
export type {ScoreResult} from './score.js'
export {loadScoringModel, readScoringModel} from './model.js'
export type {UsageMonth} from './usage.js'
