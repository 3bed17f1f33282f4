package store

// auditActionLabels says in plain Danish what each audit action is, for the look-ups a citizen
// sees on the indsigt page (GDPR art. 15: when and why their data was used, not by whom). The
// codes stay in the audit log, where auditors search for them. TestAuditActionsHaveLabels
// (store) finds every action the code writes and fails on one without a label here.
var auditActionLabels = map[string]string{
	"access.denied":           "Adgang nægtet",
	"assessment.conclude":     "Funktionsevneanalyse afsluttet",
	"assessment.list":         "Funktionsevneanalyser vist",
	"assessment.create":       "Funktionsevneanalyse påbegyndt",
	"assessment.update":       "Funktionsevneanalyse ændret",
	"assessment.view":         "Funktionsevneanalyse set",
	"audit.search":            "Søgning i loggen",
	"case.close":              "Sagen afsluttet",
	"case.legal_hold":         "Slettestop sat",
	"case.legal_hold_clear":   "Slettestop ophævet",
	"case.reopen":             "Sagen genåbnet",
	"caseload.view":           "Vist på en sagsliste",
	"citizen.cpr_check":       "CPR-nummer kontrolleret ved oprettelse",
	"citizen.cpr_check_limit": "CPR-kontrol afvist",
	"citizen.create":          "Sagen oprettet",
	"citizen.delete":          "Sagen slettet",
	"citizen.denied":          "Adgang til sagen nægtet",
	"citizen.export":          "Udtræk af alle oplysninger",
	"citizen.reveal_cpr":      "Fuldt CPR-nummer vist",
	"citizen.search":          "Fundet ved søgning",
	"citizen.update":          "Stamoplysninger ændret",
	"citizen.view":            "Sagen set",
	"consent.create":          "Samtykke registreret",
	"consent.withdraw":        "Samtykke tilbagekaldt",
	"decision.record":         "Afgørelse registreret",
	"document.download":       "Dokument hentet",
	"document.upload":         "Dokument tilføjet",
	"hearing.result":          "Svar på partshøring registreret",
	"hearing.start":           "Partshøring sendt",
	"initiative.create":       "Strategisk indsats oprettet",
	"initiative.update":       "Strategisk indsats ændret",
	"journal.amend":           "Journalnotat rettet inden låsning",
	"journal.correct":         "Journalnotat rettet med et nyt notat",
	"journal.create":          "Journalnotat skrevet",
	"login.failure":           "Mislykket login",
	"login.success":           "Login",
	"login.throttled":         "Login afvist",
	"logout":                  "Logget ud",
	"management.export":       "Ledelsesudtræk",
	"meeting.board":           "Vist på skærmen i rehabiliteringsteamet",
	"meeting.case_add":        "Sat på dagsordenen i rehabiliteringsteamet",
	"meeting.case_remove":     "Taget af dagsordenen i rehabiliteringsteamet",
	"meeting.create":          "Møde planlagt",
	"meeting.focus":           "Vist på skærmen i rehabiliteringsteamet",
	"meeting.indstilling":     "Rehabiliteringsteamets indstilling registreret",
	"meeting.prepare":         "Forberedende del skrevet",
	"meeting.update":          "Møde ændret",
	"meeting.view":            "Sagen set i rehabiliteringsteamet",
	"offer.create":            "Tilbud oprettet",
	"offer.update":            "Tilbud ændret",
	"plan.create":             "Indsatsplan oprettet",
	"plan.follow_up":          "Opfølgning på indsatsplanen",
	"plan.update":             "Indsatsplan ændret",
	"plan.view":               "Indsatsplan set",
	"refdata.change":          "Referencedata ændret",
	"refdata.create":          "Referencedata oprettet",
	"referral.create":         "Henvisning oprettet",
	"referral.list":           "Vist på en liste over henvisninger",
	"referral.transition":     "Henvisningens status ændret",
	"referral.view":           "Henvisning set",
	"role.update":             "Rolle ændret",
	"ruleset.publish":         "Regelsæt offentliggjort",
	"screening.create":        "Screening registreret",
	"screening.override":      "Risikogruppe ændret",
	"screening.view":          "Screening set",
	"setting.update":          "Indstilling ændret",
	"team.change":             "Rehabiliteringsteam ændret",
	"unit.create":             "Enhed oprettet",
	"user.create":             "Bruger oprettet",
	"user.disable":            "Bruger deaktiveret",
	"user.password_change":    "Adgangskode skiftet",
	"user.update":             "Bruger ændret",
}

// AuditActionLabel returns the Danish label of an audit action, or the action itself when it
// has none (which TestAuditActionsHaveLabels prevents).
func AuditActionLabel(action string) string {
	if l, ok := auditActionLabels[action]; ok {
		return l
	}
	return action
}
