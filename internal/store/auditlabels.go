package store

import "strings"

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
	"referral.attendance":     "Fremmøde på tilbud registreret",
	"referral.report":         "Tilbagemelding fra tilbud skrevet",
	"assessment.section":      "Afsnit af funktionsevneanalysen skrevet",
	"assessment.conference":   "Konference om funktionsevneanalysen registreret",
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
	"contact.exempt":          "Undtaget fra kontaktforløbet",
	"task.create":             "Opgave oprettet",
	"task.done":               "Opgave udført",
	"task.snooze":             "Opgave udsat",
	"task.list":               "Vist på en opgaveliste",
	"samtale.book":            "Samtale booket",
	"samtale.rebook":          "Samtale flyttet",
	"samtale.cancel":          "Samtale aflyst",
	"samtale.outcome":         "Samtalens udfald registreret",
	"samtale.list":            "Vist i en samtalekalender",
	"consent.create":          "Samtykke registreret",
	"consent.withdraw":        "Samtykke tilbagekaldt",
	"decision.record":         "Afgørelse registreret",
	"description.save":        "Samlet beskrivelse af dine forudsætninger gemt",
	"document.download":       "Dokument hentet",
	"document.upload":         "Dokument tilføjet",
	"health_advice.give":      "Sundhedsfaglig rådgivning givet",
	"health_advice.request":   "Sundhedsfaglig rådgivning anmodet om",
	"health_advice.view":      "Sundhedsfaglig rådgivning set",
	"hearing.result":          "Svar på partshøring registreret",
	"hearing.start":           "Partshøring sendt",
	"initiative.create":       "Strategisk indsats oprettet",
	"initiative.update":       "Strategisk indsats ændret",
	"journal.amend":           "Journalnotat rettet inden låsning",
	"journal.correct":         "Journalnotat rettet med et nyt notat",
	"journal.create":          "Journalnotat skrevet",
	"letter.delivered":        "Brev afsendt (bekræftet af Digital Post-integrationen)",
	"letter.failed":           "Brev kunne ikke afsendes (meldt af Digital Post-integrationen)",
	"letter.outbox":           "Udbakken læst af Digital Post-integrationen",
	"letter.send":             "Brev til borgeren lagt i udbakken",
	"login.failure":           "Mislykket login",
	"login.success":           "Login",
	"login.throttled":         "Login afvist",
	"logout":                  "Logget ud",
	"management.export":       "Ledelsesudtræk",
	"meeting.attendance":      "Fremmøde ved rehabiliteringsteamets behandling registreret",
	"meeting.board":           "Vist på skærmen i rehabiliteringsteamet",
	"meeting.comments":        "Dine bemærkninger til teamets indstilling registreret",
	"meeting.deliberate":      "Rehabiliteringsteamet drøfter sagen",
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
	"screening.gp_encouraged": "Opfordret til egen læge",
	"screening.override":      "Risikogruppe ændret",
	"screening.view":          "Screening set",
	"selfrating.create":       "Borgerens egen vurdering registreret",
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
	if own, ok := strings.CutPrefix(action, SelfPrefix); ok {
		if l, ok := selfActionLabels[own]; ok {
			return l
		}
		return AuditActionLabel(own) + " (af borgeren selv)"
	}
	if l, ok := auditActionLabels[action]; ok {
		return l
	}
	return action
}
