package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// exportSection is one part of a citizen's data export: a table and the query that selects
// that citizen's rows from it as a JSON array. Queries are constants, one per table.
type exportSection struct {
	Table string
	Title string // Danish heading
	Query string // $1 = citizen id; returns one jsonb array
}

// exportSections lists every table that holds data about a citizen, directly or through a
// parent. TestExportCoversEveryCitizenTable walks the foreign keys from citizens and fails
// when a table is missing here, so a new feature cannot forget the citizen's right of access.
var exportSections = []exportSection{
	{"citizens", "Stamoplysninger", `SELECT jsonb_agg(to_jsonb(t)) FROM citizens t WHERE t.id = $1`},
	{"benefit_periods", "Ydelsesforløb", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.start_date), '[]') FROM benefit_periods t WHERE t.citizen_id = $1`},
	{"screenings", "Screeninger", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.screened_on), '[]') FROM screenings t WHERE t.citizen_id = $1`},
	{"consents", "Samtykker", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.given_on), '[]') FROM consents t WHERE t.citizen_id = $1`},
	{"referrals", "Henvisninger", `SELECT coalesce(jsonb_agg(to_jsonb(t) || jsonb_build_object('tilbud', o.name) ORDER BY t.created_at, t.id), '[]')
		FROM referrals t JOIN offers o ON o.id = t.offer_id WHERE t.citizen_id = $1`},
	{"referral_events", "Henvisningernes forløb", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.at, t.id), '[]')
		FROM referral_events t JOIN referrals r ON r.id = t.referral_id WHERE r.citizen_id = $1`},
	{"referral_attendance", "Fremmøde på tilbud", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.held_on, t.id), '[]')
		FROM referral_attendance t JOIN referrals r ON r.id = t.referral_id WHERE r.citizen_id = $1`},
	{"referral_reports", "Tilbagemeldinger fra tilbud", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.written_at, t.id), '[]')
		FROM referral_reports t JOIN referrals r ON r.id = t.referral_id WHERE r.citizen_id = $1`},
	{"assessments", "Tværfaglige funktionsevneanalyser", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.number), '[]') FROM assessments t WHERE t.citizen_id = $1`},
	{"assessment_participants", "Deltagere i funktionsevneanalyser", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.assessment_id, t.added_at), '[]')
		FROM assessment_participants t JOIN assessments a ON a.id = t.assessment_id WHERE a.citizen_id = $1`},
	{"assessment_sections", "Afsnit i funktionsevneanalyser", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.assessment_id, t.section), '[]')
		FROM assessment_sections t JOIN assessments a ON a.id = t.assessment_id WHERE a.citizen_id = $1`},
	{"assessment_conferences", "Konferencer om funktionsevneanalyser", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.held_on, t.id), '[]')
		FROM assessment_conferences t JOIN assessments a ON a.id = t.assessment_id WHERE a.citizen_id = $1`},
	{"assessment_conference_attendees", "Deltagere i konferencer", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.conference_id, t.user_id), '[]')
		FROM assessment_conference_attendees t JOIN assessment_conferences k ON k.id = t.conference_id
		JOIN assessments a ON a.id = k.assessment_id WHERE a.citizen_id = $1`},
	{"plans", "Indsatsplan", `SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') FROM plans t WHERE t.citizen_id = $1`},
	{"plan_goals", "Delmål", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.sort_order, t.id), '[]')
		FROM plan_goals t JOIN plans p ON p.id = t.plan_id WHERE p.citizen_id = $1`},
	{"plan_efforts", "Indsatser", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.start_date, t.id), '[]')
		FROM plan_efforts t JOIN plans p ON p.id = t.plan_id WHERE p.citizen_id = $1`},
	{"plan_versions", "Versioner af indsatsplanen", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.version), '[]')
		FROM plan_versions t JOIN plans p ON p.id = t.plan_id WHERE p.citizen_id = $1`},
	{"follow_ups", "Opfølgninger", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.held_on, t.id), '[]')
		FROM follow_ups t JOIN plans p ON p.id = t.plan_id WHERE p.citizen_id = $1`},
	{"follow_up_scores", "Progression pr. delmål", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.follow_up_id, t.goal_id), '[]')
		FROM follow_up_scores t JOIN follow_ups f ON f.id = t.follow_up_id JOIN plans p ON p.id = f.plan_id WHERE p.citizen_id = $1`},
	{"function_self_ratings", "Din egen vurdering af din funktionsevne", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.answered_on, t.id), '[]')
		FROM function_self_ratings t WHERE t.citizen_id = $1`},
	// What the citizen did themself in the citizen area (migration 0037).
	{"who5_self_reports", "Dine egne svar på WHO-5", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.answered_on, t.id), '[]')
		FROM who5_self_reports t WHERE t.citizen_id = $1`},
	{"goal_self_ratings", "Din egen vurdering af dine delmål", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at, t.id), '[]')
		FROM goal_self_ratings t WHERE t.citizen_id = $1`},
	{"self_comments", "Dine kommentarer", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.created_at, t.id), '[]')
		FROM self_comments t WHERE t.citizen_id = $1`},
	{"meeting_cases", "Sager i rehabiliteringsteamet", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.added_at, t.id), '[]')
		FROM meeting_cases t WHERE t.citizen_id = $1`},
	// The documents with Danish keys (the export page links each to its download); their
	// content is listed piece by piece, not copied into the export: a case may hold hundreds
	// of megabytes, and each file is downloaded from its link as it was uploaded.
	{"documents", "Dokumenter", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'titel', t.title,
		'dokumenttype', coalesce(v.label, t.document_type), 'klassifikation', t.class, 'filnavn', t.filename,
		'filtype', t.content_type, 'bytes', t.size, 'sha256', encode(t.sha256, 'hex'), 'tilfoejet', t.uploaded_at,
		'sendt_af_dig', t.uploaded_by_citizen)
		ORDER BY t.uploaded_at, t.id), '[]')
		FROM documents t LEFT JOIN ref_values v ON v.kind = t.document_type_kind AND v.code = t.document_type
		WHERE t.citizen_id = $1`},
	{"document_chunks", "Dokumenternes indhold", `SELECT coalesce(jsonb_agg(jsonb_build_object('dokument', t.document_id,
		'del', t.seq + 1, 'bytes', octet_length(t.data)) ORDER BY t.document_id, t.seq), '[]')
		FROM document_chunks t JOIN documents d ON d.id = t.document_id WHERE d.citizen_id = $1`},
	// The journal with Danish keys, the kind by its label and the author by name (the case
	// record says who wrote what; the look-ups below do not say who read it). The search
	// vector is the text again, and left out.
	{"journal_notes", "Journalnotater", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'dato', t.event_date,
		'notattype', k.label, 'klassifikation', t.class, 'tekst', t.text, 'skrevet_af', u.name, 'enhed', un.name,
		'skrevet', t.created_at, 'redigeret', t.amended_at, 'retter_notat', t.corrects_id) ORDER BY t.event_date, t.id), '[]')
		FROM journal_notes t JOIN ref_values k ON k.kind = t.kind_kind AND k.code = t.kind
		JOIN users u ON u.id = t.author_id JOIN units un ON un.id = t.unit_id WHERE t.citizen_id = $1`},
	{"hearings", "Partshøringer", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.sent_on, t.id), '[]') FROM hearings t WHERE t.citizen_id = $1`},
	{"decisions", "Kommunens afgørelser", `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.decided_on, t.id), '[]')
		FROM decisions t WHERE t.citizen_id = $1`},
	// The letters with Danish keys, the kind by its label; the letter itself is its document
	// (dokument), downloaded from the documents' list.
	{"letters", "Breve til dig", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'brevtype', k.label, 'emne', t.subject,
		'dokument', t.document_id, 'oprettet', t.created_at, 'status', t.state, 'afsendt', t.sent_at, 'fejlet', t.failed_at,
		'reference', t.delivery_ref, 'fejlbesked', t.delivery_error) ORDER BY t.created_at, t.id), '[]')
		FROM letters t JOIN ref_values k ON k.kind = t.kind_kind AND k.code = t.kind WHERE t.citizen_id = $1`},
	// The post-team records (migration 0026): the samlet beskrivelse, and each request for
	// sundhedsfaglig rådgivning with its answer, the unit asked by name.
	{"case_descriptions", "Samlet beskrivelse af dine forudsætninger", `SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]')
		FROM case_descriptions t WHERE t.citizen_id = $1`},
	{"health_advice", "Sundhedsfaglig rådgivning", `SELECT coalesce(jsonb_agg(to_jsonb(t) || jsonb_build_object('enhed', u.name)
		ORDER BY t.requested_at, t.id), '[]')
		FROM health_advice t JOIN units u ON u.id = t.unit_id WHERE t.citizen_id = $1`},
	// The samtaler with Danish keys, the form by its label and the holder by name; the
	// outcome is the journal note it refers to (notat).
	{"samtaler", "Samtaler", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'begynder', t.starts_at, 'slutter', t.ends_at,
		'samtaleform', k.label, 'sted', t.place, 'status', t.status, 'begrundelse', t.reason, 'notat', t.note_id,
		'holdes_af', u.name, 'booket', t.created_at, 'aendret', t.updated_at) ORDER BY t.starts_at, t.id), '[]')
		FROM samtaler t JOIN ref_values k ON k.kind = t.form_kind AND k.code = t.form
		JOIN users u ON u.id = t.holder_id WHERE t.citizen_id = $1`},
	{"samtale_participants", "Deltagere i samtaler", `SELECT coalesce(jsonb_agg(jsonb_build_object('samtale', t.samtale_id,
		'deltager', u.name, 'begynder', t.starts_at) ORDER BY t.samtale_id, u.name), '[]')
		FROM samtale_participants t JOIN samtaler s ON s.id = t.samtale_id JOIN users u ON u.id = t.user_id WHERE s.citizen_id = $1`},
	{"contact_exemptions", "Undtagelser fra kontaktforløbet", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id,
		'aarsag', k.label, 'fra', t.from_date, 'til', t.to_date, 'bemaerkning', t.note, 'registreret', t.created_at)
		ORDER BY t.from_date, t.id), '[]')
		FROM contact_exemptions t JOIN ref_values k ON k.kind = t.reason_kind AND k.code = t.reason WHERE t.citizen_id = $1`},
	{"tasks", "Opgaver i sagen", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'kilde', t.source, 'opgave', t.title,
		'frist', t.due, 'udsat_til', t.snoozed_until, 'udfoert', t.done_at, 'loest_af_sagen', t.resolved, 'oprettet', t.created_at)
		ORDER BY t.due, t.id), '[]') FROM tasks t WHERE t.citizen_id = $1`},
	// The handovers with Danish keys, units and caseworkers by name; the note is the journal
	// note it refers to (notat).
	{"handovers", "Overdragelser af din sag", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'fra_enhed', fu.name,
		'fra_sagsbehandler', fc.name, 'til_enhed', tu.name, 'til_sagsbehandler', tc.name, 'notat', t.note_id, 'samlet', t.bulk,
		'overdraget', t.handed_at) ORDER BY t.handed_at, t.id), '[]')
		FROM handovers t JOIN units fu ON fu.id = t.from_unit_id JOIN units tu ON tu.id = t.to_unit_id
		LEFT JOIN users fc ON fc.id = t.from_caseworker_id LEFT JOIN users tc ON tc.id = t.to_caseworker_id WHERE t.citizen_id = $1`},
	// Only the meeting itself: which case was on the screen belongs to other citizens.
	{"meetings", "Møder i rehabiliteringsteamet", `SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id, 'team', tm.name,
		'tidspunkt', m.starts_at, 'sted', m.location) ORDER BY m.starts_at), '[]')
		FROM meetings m JOIN rehab_teams tm ON tm.id = m.team_id
		WHERE m.id IN (SELECT meeting_id FROM meeting_cases WHERE citizen_id = $1)`},
}

// ExportSectionTables returns the tables the export covers (for the coverage test).
func ExportSectionTables() []string {
	out := make([]string, len(exportSections))
	for i, s := range exportSections {
		out[i] = s.Table
	}
	return out
}

// Lookup is one access to the citizen's data as the citizen may learn of it: when and why
// (the kind of action), not by whom (GDPR art. 15 as Datatilsynet reads it for logs).
type Lookup struct {
	At     time.Time `json:"tidspunkt"`
	Action string    `json:"handling"`
}

// Export is everything Helhed holds about one citizen.
type Export struct {
	GeneratedAt time.Time         `json:"dannet"`
	Sections    []ExportedSection `json:"afsnit"`
	Lookups     []Lookup          `json:"opslag"`
}

// ExportedSection is one table's rows, as JSON objects.
type ExportedSection struct {
	Table string           `json:"tabel"`
	Title string           `json:"titel"`
	Rows  []map[string]any `json:"raekker"`
}

// exportLookupsQuery selects the citizen's look-ups as one jsonb array ($1 = citizen id):
// the rows about them and the list views that showed them.
const exportLookupsQuery = `SELECT coalesce(jsonb_agg(jsonb_build_object('at', a.at, 'action', a.action) ORDER BY a.at, a.id), '[]')
	FROM audit_events a WHERE a.citizen_id = $1 OR a.citizen_ids @> ARRAY[$1::bigint]`

// exportQuery reads every section and the look-ups in one statement: one snapshot, so the
// export is consistent without a REPEATABLE READ transaction (whose old snapshot could not
// append to the audit chain).
var exportQuery = func() string {
	parts := make([]string, 0, len(exportSections)+1)
	for _, sec := range exportSections {
		parts = append(parts, "("+sec.Query+")")
	}
	return "SELECT " + strings.Join(append(parts, "("+exportLookupsQuery+")"), ",\n")
}()

// ExportCitizen gathers the citizen's data from every section plus the log of look-ups, and
// audits the export — in one transaction, the data in one statement, so the export is a
// consistent snapshot.
func (s *Store) ExportCitizen(ctx context.Context, who Who, citizenID int64) (Export, error) {
	ex := Export{GeneratedAt: s.Now()}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		raws := make([][]byte, len(exportSections)+1)
		dst := make([]any, len(raws))
		for i := range raws {
			dst[i] = &raws[i]
		}
		if err := tx.QueryRow(ctx, exportQuery, citizenID).Scan(dst...); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for i, sec := range exportSections {
			var rows []map[string]any
			if raws[i] != nil {
				if err := json.Unmarshal(raws[i], &rows); err != nil {
					return fmt.Errorf("export %s: %w", sec.Table, err)
				}
			}
			if sec.Table == "citizens" && len(rows) == 0 {
				return notFound(pgx.ErrNoRows, "Borgeren")
			}
			ex.Sections = append(ex.Sections, ExportedSection{Table: sec.Table, Title: sec.Title, Rows: rows})
		}
		var lookups []struct {
			At     time.Time `json:"at"`
			Action string    `json:"action"`
		}
		if err := json.Unmarshal(raws[len(exportSections)], &lookups); err != nil {
			return fmt.Errorf("export look-ups: %w", err)
		}
		for _, l := range lookups {
			ex.Lookups = append(ex.Lookups, Lookup{At: l.At, Action: l.Action})
		}
		return audit(ctx, tx, who, citizenID, "citizen.export", "indsigt (art. 15)")
	})
	return ex, err
}

// citizenTablesSQL names refs(tbl): citizens and every table that references it, directly
// or through a chain of foreign keys, from the database catalogue.
const citizenTablesSQL = `
	WITH RECURSIVE refs(tbl) AS (
		SELECT 'citizens'::regclass
		UNION
		SELECT c.conrelid::regclass FROM pg_constraint c JOIN refs r ON c.confrelid = r.tbl WHERE c.contype = 'f'
	)
`

// CitizenTables returns every table that references citizens, directly or through a chain of
// foreign keys, from the database catalogue.
func (s *Store) CitizenTables(ctx context.Context) ([]string, error) {
	rows, _ := s.pool.Query(ctx, citizenTablesSQL+`SELECT tbl::text FROM refs ORDER BY 1`)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// SchemaColumn is one column of a table that holds citizen data.
type SchemaColumn struct {
	Table, Name, Type string
}

// CitizenColumns returns the content columns of every table in CitizenTables: every column
// except keys (primary, and foreign keys to other rows) and the optimistic lock (version),
// from the database catalogue. A reference code is content although a foreign key to
// ref_values guards it (the citizen's benefit type is case data); the constant kind column
// that completes that key (migration 0017) is not, and is left out. The classification
// (internal/access/classify.go) must name each one, and the canary test plants a marker in each.
func (s *Store) CitizenColumns(ctx context.Context) ([]SchemaColumn, error) {
	rows, _ := s.pool.Query(ctx, citizenTablesSQL+`
		SELECT a.attrelid::regclass::text, a.attname::text, format_type(a.atttypid, a.atttypmod)
		FROM refs r JOIN pg_attribute a ON a.attrelid = r.tbl AND a.attnum > 0 AND NOT a.attisdropped
		WHERE a.attname <> 'version'
		  AND NOT EXISTS (
		      SELECT 1 FROM pg_constraint k, unnest(k.conkey, k.confkey) AS m(col, refcol)
		      WHERE k.conrelid = a.attrelid AND k.contype IN ('p', 'f') AND m.col = a.attnum
		        AND (k.contype = 'p' OR k.confrelid <> 'ref_values'::regclass
		             OR m.refcol = (SELECT attnum FROM pg_attribute WHERE attrelid = 'ref_values'::regclass AND attname = 'kind')))
		ORDER BY 1, a.attnum`)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (SchemaColumn, error) {
		var c SchemaColumn
		err := row.Scan(&c.Table, &c.Name, &c.Type)
		return c, err
	})
}
