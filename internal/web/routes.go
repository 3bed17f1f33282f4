package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/static"
)

// Handler returns the application's HTTP handler: every route, behind the middleware stack.
//
// Order matters: the request id comes first so every log line and error page has it; security
// headers wrap everything, 404s and panics included; cross-origin protection refuses foreign
// POSTs before any session or handler runs; input the app cannot store or understand is refused
// next, so no handler (login included) ever sees it.
//
// Below the login, this function is the access policy table: every route names its rule.
//   - s.loggedIn: any logged-in user (their own account, the front page).
//   - s.can(a): a function-level right; the role decides (access.Can).
//   - s.canAny(…, a, b): one of several rights; the handler shows what they allow.
//   - s.citizen(a): action a on the citizen {id} (access.CanCitizen with the user's relation).
//   - s.alsoCitizen(b, …) inside s.citizen(a, …): both a and b on that citizen.
//   - s.meeting(a): action a on the meeting {mid} (access.CanMeeting with the user's seat).
//   - s.meetingCase(a): the user sees the meeting {mid}, and may do a on the case's citizen.
//   - s.offer(a): action a on the catalogue offer {id} (access.CanOffer by its provider).
//   - s.feedToken: the calendar feed, authenticated by its token alone (no session, no login):
//     a calendar client cannot log in. Only a hash of the token is stored; the user makes and
//     revokes it on /konto/kalender.
//
// The guards (guard.go) parse the ids, compute the relation once, audit a refusal and hand the
// handler what they checked. A handler checks more only where the rule depends on the form
// (a referral's next state, the meeting a case is added to) — each such place says so beside
// its routes. TestEveryRouteDeclaresItsAccessRule keeps it so.
func (s *Server) Handler() *chi.Mux {
	r := chi.NewRouter()
	r.Use(withRequestID, s.logRequests, s.secureHeaders, s.recoverPanics, s.crossOriginProtection, s.validateInput)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.renderError(w, r, http.StatusNotFound) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.renderError(w, r, http.StatusMethodNotAllowed) })

	// Public: static files, the icon browsers ask for, the health check and the login.
	assets := http.StripPrefix("/static/", static.Handler())
	r.Method(http.MethodGet, "/static/*", assets)
	r.Method(http.MethodHead, "/static/*", assets)
	r.Method(http.MethodGet, "/favicon.ico", static.File("img/favicon.ico"))
	r.Get("/healthz", s.h(s.healthz))
	// The calendar feed: outside the session middleware on purpose. The token in the URL is
	// its only authentication (s.feedToken); it reads no session and sets no cookie.
	r.Get(calendarFeedPrefix+"{token}.ics", s.feedToken(s.calendarFeed))

	// The citizen's own Helhed (docs/citizen-area.md): a realm of its own, with its own
	// session (s.selfSessions) and identity, the citizen. s.selfEntry: the sign-in, open to
	// anyone; s.self: the signed-in citizen on their own case only (every id in the URL is
	// looked up within it), a POST within the citizen's action limit.
	r.Group(func(r chi.Router) {
		r.Use(s.selfSessions.LoadAndSave, s.loadCitizen, compress("text/html"))
		r.Get("/mit/log-ind", s.selfEntry(s.selfSignInGet))
		r.Post("/mit/log-ind/demo", s.selfEntry(s.selfDevSignInPost))
		// Login with MitID through the municipality's broker (mitid.go); 404 when not configured.
		r.Get("/mit/log-ind/mitid", s.selfEntry(s.mitidBegin))
		r.Get("/mit/log-ind/mitid/callback", s.selfEntry(s.mitidCallback))
		r.Group(func(r chi.Router) {
			// A form that creates something is sent once per citizen session (submitterOf).
			r.Use(s.requireCitizen, s.oneSubmission)
			r.Get("/mit", s.self(s.selfPlanView))
			r.Post("/mit/log-ud", s.self(s.selfSignOutPost))
			r.Post("/mit/forny", s.self(s.selfRenewPost))
			r.Post("/mit/plan/maal/{gid}", s.self(s.selfGoalRatePost))
			r.Post("/mit/plan/kommentar", s.self(s.selfPlanCommentPost))
			r.Get("/mit/samtaler", s.self(s.selfAppointmentsView))
			r.Get("/mit/samtaler/{samid}/trivsel", s.self(s.selfWHO5Get))
			r.Post("/mit/samtaler/{samid}/trivsel", s.self(s.selfWHO5Post))
			r.Get("/mit/moeder/{mcid}", s.self(s.selfIndstillingView))
			r.Post("/mit/moeder/{mcid}/kommentar", s.self(s.selfIndstillingCommentPost))
			r.Get("/mit/samtykker", s.self(s.selfConsentsView))
			r.Post("/mit/samtykker", s.self(s.selfConsentGivePost))
			r.Post("/mit/samtykker/{kid}/tilbagekald", s.self(s.selfConsentWithdrawPost))
			r.Get("/mit/breve", s.self(s.selfLettersView))
			// The citizen's upload: streamed by its handler like the staff's (uploadRoutes).
			r.Post("/mit/breve", s.self(s.selfUploadPost))
			r.Get("/mit/breve/{did}", s.self(s.selfDocumentDownload))
			r.Get("/mit/opslag", s.self(s.selfLookupsView))
		})
	})
	if s.saml != nil {
		// The SAML service provider's metadata, for the IdP (saml.go).
		r.Get(SAMLMetadataPath, s.h(s.samlMetadata))
	}

	r.Group(func(r chi.Router) {
		r.Use(withSessionUser, s.sessions.LoadAndSave, s.loadUser)
		// The board's event stream must flush every event at once: chi's compressing writer
		// cannot flush through the session writer, so the stream stays outside it (and
		// server-sent events are not worth compressing anyway).
		r.With(s.requireLogin).Get("/moeder/{mid}/skaerm/stroem", s.meeting(access.ViewMeeting, s.boardStream))
		// Compression runs on every page, so it uses a cheap stateless encoder (compress.go).
		r.Use(compress("text/html", "text/css", "application/javascript", "text/csv"))

		r.Get("/login", s.h(s.loginGet))
		r.Post("/login", s.h(s.loginPost))
		// The second step of a password login with a TOTP app (totp.go).
		r.Get(totpLoginPath, s.h(s.totpLoginGet))
		r.Post(totpLoginPath, s.h(s.totpLoginPost))
		// Login through the municipality's identity provider (sso.go); 404 when not configured.
		r.Get(SSOLoginPath, s.h(s.ssoBegin))
		r.Get(SSOCallbackPath, s.h(s.ssoCallback))
		if s.saml != nil {
			// Login over SAML 2.0 (saml.go): only when configured. The ACS is posted to from
			// the IdP's site and only posts the response on to SAMLContinuePath.
			r.Get(SAMLLoginPath, s.h(s.samlBegin))
			r.Post(SAMLACSPath, s.h(s.samlACS))
			r.Post(SAMLContinuePath, s.h(s.samlContinue))
		}

		r.Group(func(r chi.Router) {
			// A form that creates something is sent once, however often it is posted.
			r.Use(s.requireLogin, s.oneSubmission)
			r.Get("/", s.loggedIn(s.home))
			r.Post("/logout", s.loggedIn(s.logoutPost))
			r.Post(sessionRenewPath, s.loggedIn(s.sessionRenewPost))
			r.Get(changePasswordPath, s.loggedIn(s.accountPasswordGet))
			r.Post(changePasswordPath, s.loggedIn(s.accountPasswordPost))
			r.Get(totpEnrolPath, s.loggedIn(s.totpEnrolGet))
			r.Post(totpEnrolPath, s.loggedIn(s.totpEnrolPost))

			// Citizens and their case.
			r.Get("/borgere", s.canAny(s.caseloadView, access.ListOwnCaseload, access.ListUnitCitizens))
			r.Post("/borgere/soeg", s.can(access.SearchCitizens, s.citizenSearchPost))
			r.Get("/borgere/ny", s.can(access.CreateCitizen, s.citizenNewGet))
			r.Post("/borgere/ny", s.can(access.CreateCitizen, s.citizenNewPost))
			r.Get("/borgere/{id}", s.citizen(access.ViewCitizen, s.citizenView))
			r.Get("/borgere/{id}/rediger", s.citizen(access.EditCitizen, s.citizenEditGet))
			r.Post("/borgere/{id}/rediger", s.citizen(access.EditCitizen, s.citizenEditPost))
			r.Post("/borgere/{id}/cpr", s.citizen(access.RevealCPR, s.citizenRevealCPRPost))
			r.Post("/borgere/{id}/ydelser", s.citizen(access.EditCitizen, s.benefitAddPost))
			r.Get("/borgere/{id}/overblik", s.citizen(access.ViewCitizen, s.coordinationView))
			r.Get("/borgere/{id}/indsigt", s.citizen(access.ExportCitizen, s.citizenExportView))
			r.Get("/borgere/{id}/indsigt.json", s.citizen(access.ExportCitizen, s.citizenExportJSON))
			r.Post("/borgere/{id}/samtykker", s.citizen(access.ManageConsent, s.consentCreatePost))
			r.Post("/borgere/{id}/samtykker/{cid}/tilbagekald", s.citizen(access.ManageConsent, s.consentWithdrawPost))
			r.Post("/borgere/{id}/afslut", s.citizen(access.CloseCase, s.caseClosePost))
			r.Post("/borgere/{id}/genaabn", s.citizen(access.CloseCase, s.caseReopenPost))
			r.Post("/borgere/{id}/slettestop", s.citizen(access.ViewCitizen, s.alsoCitizen(access.PlaceLegalHold, s.citizenLegalHoldPost)))
			r.Post("/borgere/{id}/slettestop/ophaev", s.citizen(access.ViewCitizen, s.alsoCitizen(access.PlaceLegalHold, s.citizenLegalHoldClearPost)))

			// The journal: which notes show is the user's sight of the citizen (a health note
			// needs consent outside the case-holding unit). Amending a note also needs to be
			// its author before it locks, and a correction that the user may read the note it
			// corrects: checked by the store, on the note.
			r.Get("/borgere/{id}/journal", s.citizen(access.ViewJournal, s.journalView))
			r.Post("/borgere/{id}/journal/soeg", s.citizen(access.ViewJournal, s.journalSearchPost))
			r.Get("/borgere/{id}/journal/ny", s.citizen(access.WriteJournal, s.noteNewGet))
			r.Post("/borgere/{id}/journal/ny", s.citizen(access.WriteJournal, s.noteNewPost))
			r.Get("/borgere/{id}/journal/{nid}/ret", s.citizen(access.WriteJournal, s.noteCorrectGet))
			r.Post("/borgere/{id}/journal/{nid}/ret", s.citizen(access.WriteJournal, s.noteCorrectPost))
			r.Get("/borgere/{id}/journal/{nid}/rediger", s.citizen(access.WriteJournal, s.noteAmendGet))
			r.Post("/borgere/{id}/journal/{nid}/rediger", s.citizen(access.WriteJournal, s.noteAmendPost))

			// Samtaler: the case-holding unit books, moves, cancels and records them (the outcome
			// is a journal note); the samtale {samid} is looked up within the citizen. The week
			// view names a citizen only to a viewer who may see them (checked per row); the
			// unit's week also needs access.ListUnitCitizens (checked in the handler).
			r.Get("/borgere/{id}/samtaler", s.citizen(access.ViewSamtaler, s.samtalerView))
			r.Get("/borgere/{id}/samtaler/ny", s.citizen(access.BookSamtale, s.samtaleNewGet))
			r.Post("/borgere/{id}/samtaler/ny", s.citizen(access.BookSamtale, s.samtaleNewPost))
			r.Get("/borgere/{id}/samtaler/{samid}", s.citizen(access.ViewSamtaler, s.samtaleView))
			r.Post("/borgere/{id}/samtaler/{samid}/udfald", s.citizen(access.BookSamtale, s.samtaleOutcomePost))
			r.Post("/borgere/{id}/samtaler/{samid}/flyt", s.citizen(access.BookSamtale, s.samtaleRebookPost))
			r.Post("/borgere/{id}/samtaler/{samid}/aflys", s.citizen(access.BookSamtale, s.samtaleCancelPost))
			r.Post("/borgere/{id}/samtaler/undtagelser", s.citizen(access.BookSamtale, s.contactExemptPost))
			r.Get("/kalender", s.can(access.ViewCalendar, s.calendarView))
			// One's own calendar feed: make (replacing the old) and revoke.
			r.Get(calendarFeedAccountPath, s.can(access.ViewCalendar, s.feedAccountView))
			r.Post(calendarFeedAccountPath, s.can(access.ViewCalendar, s.feedCreatePost))
			r.Post(calendarFeedAccountPath+"/tilbagekald", s.can(access.ViewCalendar, s.feedRevokePost))
			// Tasks: one's own and one's unit's; done and snooze also need the task to be the
			// user's or their unit's (checked by the store, on the task: not found otherwise).
			r.Get("/opgaver", s.can(access.ViewTasks, s.tasksView))
			r.Post("/opgaver/{opgid}/udfoert", s.can(access.ViewTasks, s.taskDonePost))
			r.Post("/opgaver/{opgid}/udsaet", s.can(access.ViewTasks, s.taskSnoozePost))
			r.Get("/borgere/{id}/opgaver/ny", s.citizen(access.CreateTask, s.taskNewGet))
			r.Post("/borgere/{id}/opgaver/ny", s.citizen(access.CreateTask, s.taskNewPost))
			// Handover: the case-holding unit gives the case to another caseworker or unit; the
			// leader hands over all of a departing caseworker's open cases (the caseworker {uid}
			// is looked up within the leader's own unit: not found otherwise).
			r.Get("/borgere/{id}/overdrag", s.citizen(access.HandOverCitizen, s.handoverGet))
			r.Post("/borgere/{id}/overdrag", s.citizen(access.HandOverCitizen, s.handoverPost))
			r.Get("/ledelse/overdragelse/{uid}", s.can(access.HandOverCaseload, s.caseloadHandoverGet))
			r.Post("/ledelse/overdragelse/{uid}", s.can(access.HandOverCaseload, s.caseloadHandoverPost))
			// The kontaktforløb's overdue samtaler: one's own citizens, or the unit's
			// (access.ListUnitCitizens, checked in the handler as for /borgere).
			r.Get("/samtaler/overskredne", s.canAny(s.overdueView, access.ListOwnCaseload, access.ListUnitCitizens))

			// Documents: each listed and downloaded by its class (access.DocumentRow, checked in
			// the handler). The upload's multipart body is read as a stream by its handler
			// (uploadRoutes in input.go), which also claims the form's one-time token.
			r.Get("/borgere/{id}/dokumenter", s.citizen(access.ViewDocuments, s.documentsView))
			r.Post("/borgere/{id}/dokumenter", s.citizen(access.UploadDocument, s.documentUploadPost))
			r.Get("/borgere/{id}/dokumenter/{did}", s.citizen(access.ViewDocuments, s.documentDownload))

			// Letters to the citizen: listed by their document's class (checked in the handler, as
			// documents); written by the case-holding unit, from a partshøring, an afgørelse or a
			// case on an agenda that the handler and the store look up within the citizen.
			r.Get("/borgere/{id}/breve", s.citizen(access.ViewLetters, s.lettersView))
			r.Get("/borgere/{id}/breve/ny", s.citizen(access.SendLetter, s.letterNewGet))
			r.Post("/borgere/{id}/breve/ny", s.citizen(access.SendLetter, s.letterNewPost))

			// Screenings: the answers are health data, shown only to a sight that sees it.
			r.Get("/borgere/{id}/screeninger/ny", s.citizen(access.RecordScreening, s.screeningNewGet))
			r.Post("/borgere/{id}/screeninger/ny", s.citizen(access.RecordScreening, s.screeningNewPost))
			r.Get("/borgere/{id}/screeninger/{sid}", s.citizen(access.ViewCitizen, s.screeningView))
			r.Post("/borgere/{id}/screeninger/{sid}/vurdering", s.citizen(access.RecordScreening, s.screeningOverridePost))
			r.Post("/borgere/{id}/screeninger/{sid}/egen-laege", s.citizen(access.RecordScreening, s.screeningGPPost))

			// TFA and indsatsplan.
			// The post-team records (lov nr. 1750): the case-holding unit writes the samlet
			// beskrivelse and asks for advice; only the region's staff asked give it.
			r.Get("/borgere/{id}/samlet-beskrivelse", s.citizen(access.WriteDescription, s.descriptionGet))
			r.Post("/borgere/{id}/samlet-beskrivelse", s.citizen(access.WriteDescription, s.descriptionPost))
			r.Get("/borgere/{id}/raadgivning/ny", s.citizen(access.RequestHealthAdvice, s.adviceNewGet))
			r.Post("/borgere/{id}/raadgivning/ny", s.citizen(access.RequestHealthAdvice, s.adviceNewPost))
			r.Get("/borgere/{id}/raadgivning/{raid}", s.citizen(access.WriteHealthAdvice, s.adviceGet))
			r.Post("/borgere/{id}/raadgivning/{raid}", s.citizen(access.WriteHealthAdvice, s.advicePost))
			r.Get("/borgere/{id}/tfa", s.citizen(access.ViewCitizen, s.assessmentList))
			r.Post("/borgere/{id}/tfa/ny", s.citizen(access.WriteAssessment, s.assessmentStartPost))
			r.Get("/borgere/{id}/tfa/{aid}", s.citizen(access.ViewCitizen, s.assessmentView))
			r.Post("/borgere/{id}/tfa/{aid}", s.citizen(access.WriteAssessment, s.assessmentSavePost))
			r.Post("/borgere/{id}/tfa/{aid}/deltagere", s.citizen(access.WriteAssessment, s.participantAddPost))
			r.Post("/borgere/{id}/tfa/{aid}/deltagere/{uid}/fjern", s.citizen(access.WriteAssessment, s.participantRemovePost))
			// Each profession writes its own section (access.CanWriteSection decides which).
			r.Post("/borgere/{id}/tfa/{aid}/afsnit/{section}", s.citizen(access.WriteAssessmentSection, s.assessmentSectionPost))
			r.Post("/borgere/{id}/tfa/{aid}/afslut", s.citizen(access.WriteAssessment, s.assessmentConcludePost))
			r.Post("/borgere/{id}/tfa/{aid}/konference", s.citizen(access.WriteAssessment, s.assessmentConferencePost))
			r.Get("/borgere/{id}/plan", s.citizen(access.ViewCitizen, s.planView))
			r.Post("/borgere/{id}/plan/ny", s.citizen(access.EditPlan, s.planCreatePost))
			r.Get("/borgere/{id}/plan/maal", s.citizen(access.EditPlan, s.planGoalsGet))
			r.Post("/borgere/{id}/plan/maal", s.citizen(access.EditPlan, s.planGoalsPost))
			r.Get("/borgere/{id}/plan/indsatser/ny", s.citizen(access.EditPlan, s.effortGet))
			r.Post("/borgere/{id}/plan/indsatser/ny", s.citizen(access.EditPlan, s.effortPost))
			r.Get("/borgere/{id}/plan/indsatser/{eid}", s.citizen(access.EditPlan, s.effortGet))
			r.Post("/borgere/{id}/plan/indsatser/{eid}", s.citizen(access.EditPlan, s.effortPost))
			r.Post("/borgere/{id}/plan/opfoelgning", s.citizen(access.EditPlan, s.followUpPost))
			r.Get("/borgere/{id}/plan/egen-vurdering", s.citizen(access.ViewCitizen, s.selfRatingView))
			r.Post("/borgere/{id}/plan/egen-vurdering", s.citizen(access.EditPlan, s.selfRatingPost))
			r.Get("/borgere/{id}/plan/versioner", s.citizen(access.ViewCitizen, s.planVersionsView))
			r.Get("/borgere/{id}/plan/print", s.citizen(access.ViewCitizen, s.planPrint))
			r.Get("/borgere/{id}/plan/pdf", s.citizen(access.ViewCitizen, s.planPDF))

			// Referrals: a referral is seen by the citizen's case holders and the receiving
			// unit; a state change is also checked against that move (access.CanReferral, by
			// the state the form asks for).
			r.Get("/borgere/{id}/henvisninger/ny", s.citizen(access.ReferCitizen, s.referralNewGet))
			r.Post("/borgere/{id}/henvisninger/ny", s.citizen(access.ReferCitizen, s.referralNewPost))
			r.Get("/borgere/{id}/henvisninger/{rid}", s.citizen(access.ViewCitizen, s.referralView))
			r.Post("/borgere/{id}/henvisninger/{rid}/status", s.citizen(access.ViewCitizen, s.referralTransitionPost))
			// The provider reports back (authorizeReferral: access.ReportOnReferral).
			r.Post("/borgere/{id}/henvisninger/{rid}/fremmoede", s.citizen(access.ViewCitizen, s.referralAttendancePost))
			r.Post("/borgere/{id}/henvisninger/{rid}/tilbagemelding", s.citizen(access.ViewCitizen, s.referralReportPost))
			r.Get("/indbakke", s.can(access.ViewInbox, s.inboxView))
			r.Get("/henvisninger", s.can(access.ListOwnReferrals, s.myReferralsView))

			// The indsatskatalog.
			r.Get("/katalog", s.can(access.ViewCatalogue, s.catalogueView))
			r.Get("/katalog/ny", s.can(access.CreateOffer, s.offerNewGet))
			r.Post("/katalog/ny", s.can(access.CreateOffer, s.offerNewPost))
			r.Get("/katalog/{id}", s.can(access.ViewCatalogue, s.offerView))
			r.Get("/katalog/{id}/rediger", s.offer(access.EditOffer, s.offerEditGet))
			r.Post("/katalog/{id}/rediger", s.offer(access.EditOffer, s.offerEditPost))

			// Rehabiliteringsteam: meetings, their cases and the shared screen. Recording the
			// team's indstilling also needs access.RecordIndstilling on the meeting, and removing
			// a case access.EditMeeting unless the user prepares it: checked in the handler.
			r.Get("/moeder", s.can(access.ListMeetings, s.meetingsView))
			r.Get("/moeder/ny", s.can(access.PlanMeetings, s.meetingNewGet))
			r.Post("/moeder/ny", s.can(access.PlanMeetings, s.meetingNewPost))
			r.Get("/moeder/{mid}", s.meeting(access.ViewMeeting, s.meetingView))
			r.Get("/moeder/{mid}/rediger", s.meeting(access.EditMeeting, s.meetingEditGet))
			r.Post("/moeder/{mid}/rediger", s.meeting(access.EditMeeting, s.meetingEditPost))
			r.Get("/moeder/{mid}/skaerm", s.meeting(access.ViewMeeting, s.boardView))
			r.Post("/moeder/{mid}/fokus", s.meeting(access.MoveFocus, s.focusPost))
			r.Post("/moeder/{mid}/borger-til-stede", s.meeting(access.MoveFocus, s.citizenPresentPost))
			r.Post("/moeder/{mid}/droefter", s.meeting(access.MoveFocus, s.deliberatePost))
			r.Get("/moeder/{mid}/sager/{mcid}", s.meetingCase(access.ViewCitizen, s.meetingCaseView))
			r.Post("/moeder/{mid}/sager/{mcid}/indstilling", s.meetingCase(access.ViewCitizen, s.indstillingPost))
			r.Get("/moeder/{mid}/sager/{mcid}/indstilling", s.meetingCase(access.ViewCitizen, s.indstillingPrint))
			r.Post("/moeder/{mid}/sager/{mcid}/fremmoede", s.meetingCase(access.ViewCitizen, s.attendancePost))
			r.Post("/moeder/{mid}/sager/{mcid}/bemaerkninger", s.meetingCase(access.ViewCitizen, s.commentsPost))
			r.Get("/moeder/{mid}/sager/{mcid}/forberedelse", s.meetingCase(access.PrepareMeetingCase, s.preparationGet))
			r.Post("/moeder/{mid}/sager/{mcid}/forberedelse", s.meetingCase(access.PrepareMeetingCase, s.preparationPost))
			r.Post("/moeder/{mid}/sager/{mcid}/fjern", s.meetingCase(access.ViewCitizen, s.meetingCaseRemovePost))
			// The municipality's afgørelse and the partshøring before it: the case-holding unit
			// only (the team recommends, the municipality decides).
			r.Get("/moeder/{mid}/sager/{mcid}/partshoering", s.meetingCase(access.RecordDecision, s.hearingNewGet))
			r.Post("/moeder/{mid}/sager/{mcid}/partshoering", s.meetingCase(access.RecordDecision, s.hearingNewPost))
			r.Get("/moeder/{mid}/sager/{mcid}/partshoering/{hid}", s.meetingCase(access.RecordDecision, s.hearingResultGet))
			r.Post("/moeder/{mid}/sager/{mcid}/partshoering/{hid}", s.meetingCase(access.RecordDecision, s.hearingResultPost))
			r.Get("/moeder/{mid}/sager/{mcid}/afgoerelse", s.meetingCase(access.RecordDecision, s.decisionGet))
			r.Post("/moeder/{mid}/sager/{mcid}/afgoerelse", s.meetingCase(access.RecordDecision, s.decisionPost))
			// Adding a case: the meeting comes from the form and must be one the user sees.
			r.Post("/borgere/{id}/moeder", s.citizen(access.PrepareMeetingCase, s.meetingCaseAddPost))
			r.Get("/rehabteams", s.can(access.ManageTeams, s.teamsView))
			r.Post("/rehabteams", s.can(access.ManageTeams, s.teamCreatePost))
			r.Get("/rehabteams/{tid}", s.can(access.ManageTeams, s.teamView))
			r.Post("/rehabteams/{tid}/medlemmer", s.can(access.ManageTeams, s.teamMemberPost))

			// Management: aggregated and suppressed figures, never a person.
			r.Get("/ledelse", s.canAny(s.managementIndex, access.ViewManagement, access.ViewStrategy))
			for _, d := range dashboards {
				r.Get(d.href, s.can(access.ViewManagement, s.dashboardView(d)))
				r.Get(d.href+".csv", s.can(access.ViewManagement, s.dashboardCSV(d)))
			}
			r.Get("/ledelse/strategi", s.can(access.ViewStrategy, s.strategyView))
			r.Get("/ledelse/strategi.csv", s.can(access.ViewStrategy, s.strategyCSV))
			r.Get("/ledelse/strategi/rapport", s.can(access.ViewStrategy, s.strategyReport))
			r.Get("/ledelse/strategi/ny", s.can(access.EditInitiative, s.initiativeNewGet))
			r.Post("/ledelse/strategi/ny", s.can(access.EditInitiative, s.initiativeNewPost))
			r.Get("/ledelse/strategi/{id}", s.can(access.ViewStrategy, s.initiativeView))
			r.Get("/ledelse/strategi/{id}/rediger", s.can(access.EditInitiative, s.initiativeEditGet))
			r.Post("/ledelse/strategi/{id}/rediger", s.can(access.EditInitiative, s.initiativeEditPost))

			// Administration.
			r.Get("/admin/brugere", s.can(access.ManageUsers, s.adminUsersView))
			r.Get("/admin/brugere/ny", s.can(access.ManageUsers, s.adminUserNewGet))
			r.Post("/admin/brugere/ny", s.can(access.ManageUsers, s.adminUserNewPost))
			r.Get("/admin/brugere/{id}", s.can(access.ManageUsers, s.adminUserEditGet))
			r.Post("/admin/brugere/{id}", s.can(access.ManageUsers, s.adminUserEditPost))
			r.Post("/admin/brugere/{id}/deaktiver", s.can(access.ManageUsers, s.adminUserDisablePost))
			r.Post("/admin/brugere/{id}/aktiver", s.can(access.ManageUsers, s.adminUserEnablePost))
			r.Get("/admin/enheder", s.can(access.ManageUnits, s.adminUnitsView))
			r.Post("/admin/enheder", s.can(access.ManageUnits, s.adminUnitCreatePost))
			r.Get("/admin/roller", s.can(access.ManageRoles, s.adminRolesView))
			r.Post("/admin/roller/{code}", s.can(access.ManageRoles, s.adminRoleUpdatePost))
			// Who gets which unit and role when logging in through the identity provider.
			r.Get("/admin/sso-grupper", s.can(access.ManageUsers, s.adminSSOGroupsView))
			r.Post("/admin/sso-grupper", s.can(access.ManageUsers, s.adminSSOGroupCreatePost))
			r.Post("/admin/sso-grupper/{id}/slet", s.can(access.ManageUsers, s.adminSSOGroupDeletePost))
			r.Get("/admin/audit", s.can(access.ViewAuditLog, s.adminAuditView))
			r.Get("/admin/regelsaet", s.can(access.ManageReference, s.adminRuleSetsView))
			r.Post("/admin/regelsaet", s.can(access.ManageReference, s.adminRuleSetPublishPost))
			// The law calendar, generated from the reference data: no person, read by leaders too.
			r.Get("/lovkalender", s.can(access.ViewLawCalendar, s.lawCalendarView))
			r.Get("/admin/referencedata", s.can(access.ManageReference, s.adminRefKindsView))
			r.Get("/admin/referencedata/{kind}", s.can(access.ManageReference, s.adminRefKindView))
			r.Post("/admin/referencedata/{kind}", s.can(access.ManageReference, s.adminRefValueAddPost))
			r.Get("/admin/referencedata/{kind}/{code}", s.can(access.ManageReference, s.adminRefValueEditGet))
			r.Post("/admin/referencedata/{kind}/{code}", s.can(access.ManageReference, s.adminRefValueEditPost))
			r.Post("/admin/referencedata/{kind}/{code}/afslut", s.can(access.ManageReference, s.adminRefValueRetirePost))
			// Retention: the overview shows cases without name or CPR; a slettestop from here
			// also needs access.PlaceLegalHold on the citizen (checked in the handler).
			r.Get("/admin/opbevaring", s.can(access.ManageRetention, s.adminRetentionView))
			r.Post("/admin/opbevaring", s.can(access.ManageRetention, s.adminRetentionPeriodPost))
			r.Get("/admin/opbevaring/{id}", s.can(access.ManageRetention, s.adminRetentionCaseView))
			r.Post("/admin/opbevaring/{id}/slettestop", s.can(access.ManageRetention, s.adminLegalHoldPost))
			r.Post("/admin/opbevaring/{id}/slettestop/ophaev", s.can(access.ManageRetention, s.adminLegalHoldClearPost))
		})
	})
	return r
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Pool().Ping(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}
