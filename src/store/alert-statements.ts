/**
 * The alert statements, in the subset PostgreSQL 15 and PGlite share (see `statements.ts`). Sets of
 * rows travel as one JSON parameter unpacked by `jsonb_to_recordset`: the same on both drivers,
 * and doubles keep their exact value (JSON numbers print as the shortest round-trip decimal).
 */
const RULE_FIELDS = 'id, symbol, condition, note, enabled, created_at, updated_at';
const FIRING_FIELDS = 'id, rule_id, symbol, condition, price, message, note, ts_event, ts_recv';
const STATE_FIELDS = 'rule_id, condition, armed, crossings, last_price, last_ts_event, updated_at';

/** $1 id, $2 symbol, $3 condition (JSON text), $4 note, $5 enabled, $6 now. */
export const INSERT_ALERT_RULE = `
INSERT INTO alert_rules (${RULE_FIELDS}) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $6) RETURNING ${RULE_FIELDS}`;

/** $1 symbol or null, $2 enabled or null. */
export const ALERT_RULES = `
SELECT ${RULE_FIELDS} FROM alert_rules
WHERE ($1::text IS NULL OR symbol = $1) AND ($2::boolean IS NULL OR enabled = $2)
ORDER BY created_at, id`;

export const ALERT_RULE = `SELECT ${RULE_FIELDS} FROM alert_rules WHERE id = $1`;

/** $1 id, $2 enabled or null (unchanged), $3 whether to set the note, $4 note, $5 condition (JSON text) or null, $6 now. */
export const UPDATE_ALERT_RULE = `
UPDATE alert_rules SET
  enabled    = coalesce($2::boolean, enabled),
  note       = CASE WHEN $3::boolean THEN $4::text ELSE note END,
  condition  = coalesce($5::jsonb, condition),
  updated_at = GREATEST($6::int8, updated_at)
WHERE id = $1 RETURNING ${RULE_FIELDS}`;

export const DELETE_ALERT_STATE = 'DELETE FROM alert_states WHERE rule_id = $1';
export const DELETE_ALERT_RULE = 'DELETE FROM alert_rules WHERE id = $1';

/** $1 JSON array of firings (snake_case fields); a firing already stored is skipped. */
export const INSERT_ALERT_FIRINGS = `
INSERT INTO alert_firings (${FIRING_FIELDS})
SELECT ${FIRING_FIELDS}
FROM jsonb_to_recordset($1::jsonb) AS f(id text, rule_id text, symbol text, condition jsonb, price float8, message text, note text, ts_event int8, ts_recv int8)
ON CONFLICT (id) DO NOTHING`;

/**
 * $1 JSON array of states, one per rule. Only for rules that still exist; never back to fewer
 * crossings (a stale writer, e.g. a processor that lost its partitions, cannot undo a firing).
 * Rows in rule order, so concurrent writers lock them in one order.
 */
export const UPSERT_ALERT_STATES = `
INSERT INTO alert_states AS s (${STATE_FIELDS})
SELECT ${STATE_FIELDS}
FROM jsonb_to_recordset($1::jsonb) AS n(rule_id text, condition jsonb, armed boolean, crossings int8, last_price float8, last_ts_event int8, updated_at int8)
WHERE EXISTS (SELECT 1 FROM alert_rules r WHERE r.id = n.rule_id)
ORDER BY rule_id
ON CONFLICT (rule_id) DO UPDATE SET
  condition     = excluded.condition,
  armed         = excluded.armed,
  crossings     = excluded.crossings,
  last_price    = excluded.last_price,
  last_ts_event = excluded.last_ts_event,
  updated_at    = excluded.updated_at
WHERE excluded.crossings >= s.crossings`;

/** $1 symbol or null, $2 rule id or null, $3 limit. */
export const ALERT_FIRINGS = `
SELECT ${FIRING_FIELDS} FROM alert_firings
WHERE ($1::text IS NULL OR symbol = $1) AND ($2::text IS NULL OR rule_id = $2)
ORDER BY ts_event DESC, seq DESC LIMIT $3`;

/** $1 rule ids, or null for every rule. */
export const ALERT_STATES = `
SELECT ${STATE_FIELDS} FROM alert_states WHERE $1::text[] IS NULL OR rule_id = ANY($1::text[]) ORDER BY rule_id`;
