package store

import "strings"

// exportColumnLabels names, in plain Danish, every column of the citizen's data export as the
// citizen reads it on the indsigt page (GDPR art. 15): the page shows these labels, never the
// column names. Keys and bookkeeping (ExportHidden) are left out of the page; the JSON export
// keeps the column names, which is what a machine reads. TestExportLabelsCoverEveryColumn
// (store) fails on an exported column without a label here.
var exportColumnLabels = map[string]string{
	"citizens.cpr":               "CPR-nummer",
	"citizens.first_name":        "Fornavn",
	"citizens.last_name":         "Efternavn",
	"citizens.address":           "Adresse",
	"citizens.postal_code":       "Postnummer",
	"citizens.city":              "By",
	"citizens.phone":             "Telefon",
	"citizens.email":             "E-mail",
	"citizens.visitation_code":   "Visitationskategori",
	"citizens.created_at":        "Oprettet",
	"citizens.updated_at":        "Senest ændret",
	"citizens.risk_group":        "Risikogruppe",
	"citizens.next_follow_up":    "Næste opfølgning",
	"citizens.closed_at":         "Sagen afsluttet",
	"citizens.closed_reason":     "Årsag til afslutning",
	"citizens.legal_hold_at":     "Slettestop",
	"citizens.legal_hold_reason": "Årsag til slettestop",

	"benefit_periods.benefit_code": "Ydelse",
	"benefit_periods.start_date":   "Startdato",
	"benefit_periods.end_date":     "Slutdato",
	"benefit_periods.exit_code":    "Afgangsårsag",
	"benefit_periods.created_at":   "Registreret",
	"benefit_periods.rule_reason":  "Begrundelse trods advarsel",

	"consents.information":  "Oplysninger",
	"consents.purpose":      "Formål",
	"consents.given_on":     "Givet",
	"consents.expires_on":   "Udløber",
	"consents.withdrawn_at": "Tilbagekaldt",
	"consents.created_at":   "Registreret",

	"screenings.screened_on":       "Screeningsdato",
	"screenings.answers":           "Svar",
	"screenings.who5":              "WHO-5-score",
	"screenings.conditions":        "Helbredsforhold",
	"screenings.krams_risks":       "Livsstilsfaktorer (KRAMS)",
	"screenings.computed_group":    "Beregnet risikogruppe",
	"screenings.final_group":       "Risikogruppe",
	"screenings.override_reason":   "Begrundelse for ændret risikogruppe",
	"screenings.overridden_at":     "Risikogruppe ændret",
	"screenings.created_at":        "Registreret",
	"screenings.self_rated_health": "Selvvurderet helbred",
	"screenings.gp_encouraged_at":  "Opfordret til egen læge",

	"referrals.state":            "Status",
	"referrals.note":             "Besked til tilbuddet",
	"referrals.reason":           "Begrundelse",
	"referrals.citizen_accepted": "Du har sagt ja til henvisningen",
	"referrals.created_at":       "Henvist",
	"referrals.state_changed_at": "Status ændret",
	"referrals.referrer_seen_at": "Set af sagsbehandleren",
	"referrals.tilbud":           "Tilbud",

	"referral_events.from_state": "Fra status",
	"referral_events.to_state":   "Til status",
	"referral_events.reason":     "Begrundelse",
	"referral_events.at":         "Tidspunkt",

	"referral_attendance.period":      "Periode",
	"referral_attendance.held_on":     "Dato",
	"referral_attendance.attendance":  "Fremmøde",
	"referral_attendance.note":        "Bemærkning",
	"referral_attendance.recorded_at": "Registreret",
	"referral_reports.kind":           "Tilbagemelding",
	"referral_reports.text":           "Tekst",
	"referral_reports.written_at":     "Skrevet",

	"assessments.number":        "Nummer",
	"assessments.concluded_at":  "Afsluttet",
	"assessments.tracks":        "Helbredsspor",
	"assessments.resources":     "Ressourceprofil",
	"assessments.citizen_goals": "Dine mål",
	"assessments.conclusion":    "Konklusion",
	"assessments.created_at":    "Påbegyndt",
	"assessments.updated_at":    "Senest ændret",

	"assessment_participants.unit_kind":  "Forvaltning",
	"assessment_participants.profession": "Fagområde",
	"assessment_participants.added_at":   "Tilføjet",

	"assessment_sections.updated_at":         "Afsnit senest skrevet",
	"assessment_conferences.held_on":         "Konference holdt",
	"assessment_conferences.citizen_present": "Du deltog i konferencen",
	"assessment_conferences.created_at":      "Registreret",

	"plans.citizen_goal": "Dit mål",
	"plans.created_at":   "Oprettet",
	"plans.updated_at":   "Senest ændret",

	"plan_goals.text":       "Delmål",
	"plan_goals.sort_order": "Rækkefølge",
	"plan_goals.removed_at": "Fjernet fra planen",

	"plan_efforts.title":              "Indsats",
	"plan_efforts.area":               "Område",
	"plan_efforts.status":             "Status",
	"plan_efforts.responsible_person": "Ansvarlig",
	"plan_efforts.contact":            "Kontakt",
	"plan_efforts.start_date":         "Start",
	"plan_efforts.end_date":           "Slut",
	"plan_efforts.mentor":             "Mentor",
	"plan_efforts.mentor_discharge":   "Mentorstøtte ophører",
	"plan_efforts.mentor_renewed":     "Mentorstøtte forlænget",
	"plan_efforts.removed_at":         "Fjernet fra planen",

	"plan_versions.snapshot": "Planen, som den så ud",
	"plan_versions.summary":  "Ændringer",
	"plan_versions.saved_at": "Gemt",

	"follow_ups.held_on":    "Opfølgning holdt",
	"follow_ups.note":       "Notat",
	"follow_ups.created_at": "Registreret",

	"follow_up_scores.score": "Progression",

	"function_self_ratings.answered_on": "Dato for dit svar",
	"function_self_ratings.answer":      "Dit svar: evnen til at klare arbejde eller uddannelse sammenlignet med sidste opfølgning",
	"function_self_ratings.created_at":  "Registreret",

	"meeting_cases.position":               "Nummer på dagsordenen",
	"meeting_cases.question":               "Spørgsmål til teamet",
	"meeting_cases.added_at":               "Sat på dagsordenen",
	"meeting_cases.preparation":            "Forberedende del",
	"meeting_cases.prepared_at":            "Forberedelse færdig",
	"meeting_cases.outcome":                "Teamets indstilling",
	"meeting_cases.reasons":                "Begrundelse for indstillingen",
	"meeting_cases.recommended_efforts":    "Anbefalede indsatser",
	"meeting_cases.recorded_at":            "Indstilling registreret",
	"meeting_cases.withdrawn_at":           "Taget af dagsordenen",
	"meeting_cases.citizen_attended":       "Du var til stede, da teamet behandlede sagen",
	"meeting_cases.bisidder_attended":      "Din bisidder var til stede",
	"meeting_cases.members_present":        "Teamets deltagere til stede (bruger-id)",
	"meeting_cases.attendance_recorded_at": "Fremmøde registreret",
	"meeting_cases.citizen_comments":       "Dine bemærkninger til indstillingen",
	"meeting_cases.comments_recorded_at":   "Bemærkninger registreret",

	// The journal's section is built with Danish keys (export.go); its columns are named
	// here too, so the coverage test holds for the table.
	"journal_notes.kind":           "Notattype",
	"journal_notes.class":          "Klassifikation",
	"journal_notes.event_date":     "Dato",
	"journal_notes.text":           "Tekst",
	"journal_notes.created_at":     "Skrevet",
	"journal_notes.amended_at":     "Redigeret",
	"journal_notes.dato":           "Dato",
	"journal_notes.notattype":      "Notattype",
	"journal_notes.klassifikation": "Klassifikation",
	"journal_notes.tekst":          "Tekst",
	"journal_notes.skrevet_af":     "Skrevet af",
	"journal_notes.enhed":          "Enhed",
	"journal_notes.skrevet":        "Skrevet",
	"journal_notes.redigeret":      "Redigeret",
	"journal_notes.retter_notat":   "Retter notat nr.",

	// Documents: built with Danish keys (export.go), their columns named too. The content
	// itself is downloaded from each document's link, not shown.
	"documents.title":          "Titel",
	"documents.document_type":  "Dokumenttype",
	"documents.class":          "Klassifikation",
	"documents.filename":       "Fil",
	"documents.content_type":   "Filtype",
	"documents.size":           "Størrelse (bytes)",
	"documents.sha256":         "Kontrolsum (SHA-256)",
	"documents.uploaded_at":    "Tilføjet",
	"documents.titel":          "Titel",
	"documents.dokumenttype":   "Dokumenttype",
	"documents.klassifikation": "Klassifikation",
	"documents.filnavn":        "Fil",
	"documents.filtype":        "Filtype",
	"documents.bytes":          "Størrelse (bytes)",
	"documents.tilfoejet":      "Tilføjet",
	"document_chunks.data":     "Indhold",
	"document_chunks.dokument": "Dokument nr.",
	"document_chunks.del":      "Del",
	"document_chunks.bytes":    "Bytes",

	"hearings.subject":          "Det høres du om",
	"hearings.sent_on":          "Partshøring sendt",
	"hearings.deadline":         "Frist for svar",
	"hearings.result":           "Resultat",
	"hearings.response_on":      "Svar modtaget",
	"hearings.response_summary": "Dit svar (resumé)",
	"hearings.created_at":       "Registreret",
	"hearings.result_at":        "Resultat registreret",

	"decisions.outcome":                "Afgørelse",
	"decisions.indstilling_outcome":    "Rehabiliteringsteamets indstilling",
	"decisions.follows_indstilling":    "Følger indstillingen",
	"decisions.reasons":                "Begrundelse",
	"decisions.departure_reasons":      "Begrundelse for at fravige indstillingen",
	"decisions.revurdering_on":         "Forelagt rehabiliteringsteamet igen",
	"decisions.hearing_omitted_reason": "Begrundelse for at undlade partshøring",
	"decisions.decided_on":             "Afgørelsesdato",
	"decisions.created_at":             "Registreret",
	"decisions.superseded_at":          "Erstattet af en ny afgørelse",

	"case_descriptions.sections":   "Beskrivelsen",
	"case_descriptions.created_at": "Skrevet",
	"case_descriptions.updated_at": "Senest ændret",

	"health_advice.question":     "Spørgsmål til sundhedskoordinatoren",
	"health_advice.requested_at": "Spurgt",
	"health_advice.advice":       "Sundhedsfaglig rådgivning",
	"health_advice.given_at":     "Givet",
	"health_advice.enhed":        "Sundhedskoordinator (enhed)",

	// The letters' section is built with Danish keys (export.go); the columns are named too.
	"letters.kind":           "Brevtype",
	"letters.subject":        "Emne",
	"letters.created_at":     "Oprettet",
	"letters.state":          "Status",
	"letters.sent_at":        "Afsendt",
	"letters.failed_at":      "Afsendelse fejlet",
	"letters.delivery_ref":   "Digital Post-reference",
	"letters.delivery_error": "Fejlbesked fra Digital Post",
	"letters.brevtype":       "Brevtype",
	"letters.emne":           "Emne",
	"letters.dokument":       "Dokument nr.",
	"letters.oprettet":       "Oprettet",
	"letters.status":         "Status",
	"letters.afsendt":        "Afsendt",
	"letters.fejlet":         "Afsendelse fejlet",
	"letters.reference":      "Digital Post-reference",
	"letters.fejlbesked":     "Fejlbesked fra Digital Post",

	// The samtaler's sections are built with Danish keys (export.go); the columns are named too.
	"samtaler.starts_at":             "Begynder",
	"samtaler.ends_at":               "Slutter",
	"samtaler.form":                  "Samtaleform",
	"samtaler.place":                 "Sted",
	"samtaler.status":                "Status",
	"samtaler.reason":                "Begrundelse for aflysning eller flytning",
	"samtaler.created_at":            "Booket",
	"samtaler.updated_at":            "Senest ændret",
	"samtaler.begynder":              "Begynder",
	"samtaler.slutter":               "Slutter",
	"samtaler.samtaleform":           "Samtaleform",
	"samtaler.sted":                  "Sted",
	"samtaler.begrundelse":           "Begrundelse for aflysning eller flytning",
	"samtaler.notat":                 "Journalnotat nr.",
	"samtaler.holdes_af":             "Holdes af",
	"samtaler.booket":                "Booket",
	"samtaler.aendret":               "Senest ændret",
	"tasks.source":                   "Kilde",
	"tasks.source_key":               "Henvisning i sagen",
	"tasks.title":                    "Opgave",
	"tasks.due":                      "Frist",
	"tasks.snoozed_until":            "Udsat til",
	"tasks.done_at":                  "Udført",
	"tasks.resolved":                 "Løst af sagen",
	"tasks.created_at":               "Oprettet",
	"tasks.kilde":                    "Kilde",
	"tasks.opgave":                   "Opgave",
	"tasks.frist":                    "Frist",
	"tasks.udsat_til":                "Udsat til",
	"tasks.udfoert":                  "Udført",
	"tasks.loest_af_sagen":           "Løst af sagen",
	"tasks.oprettet":                 "Oprettet",
	"contact_exemptions.reason":      "Årsag",
	"contact_exemptions.from_date":   "Fra",
	"contact_exemptions.to_date":     "Til",
	"contact_exemptions.note":        "Bemærkning",
	"contact_exemptions.created_at":  "Registreret",
	"contact_exemptions.aarsag":      "Årsag",
	"contact_exemptions.fra":         "Fra",
	"contact_exemptions.til":         "Til",
	"contact_exemptions.bemaerkning": "Bemærkning",
	"contact_exemptions.registreret": "Registreret",
	"samtale_participants.samtale":   "Samtale nr.",
	"samtale_participants.deltager":  "Deltager",
	"samtale_participants.starts_at": "Begynder",
	"samtale_participants.begynder":  "Begynder",

	"meetings.team":      "Rehabiliteringsteam",
	"meetings.tidspunkt": "Tidspunkt",
	"meetings.sted":      "Sted",
}

// ExportLabel returns the Danish label of an exported column (or built key) of table; ok is
// false for keys and bookkeeping, which the readable export leaves out: ids, references to
// other rows (…_id, …_by), the optimistic lock and the constant kind beside a reference code.
func ExportLabel(table, key string) (label string, ok bool) {
	if ExportHidden(key) {
		return "", false
	}
	if l, found := exportColumnLabels[table+"."+key]; found {
		return l, true
	}
	return key, true
}

// ExportHidden reports whether a key of an exported row is bookkeeping, not information.
func ExportHidden(key string) bool {
	return key == "id" || key == "version" || key == "search" || strings.HasSuffix(key, "_id") || strings.HasSuffix(key, "_by") ||
		strings.HasSuffix(key, "_kind") || strings.HasSuffix(key, "_tsv")
}
