package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/samtaler"
	"github.com/helhed/helhed/web/paths"
)

// samtalerPerPage is the page size of the citizen's samtaler and of the week view.
const (
	samtalerPerPage = 20
	weekPerPage     = 100
)

// maxParticipants bounds the participants typed in one samtale form.
const maxParticipants = 10

// samtaleView is one row as the pages show it, labels resolved; the reason is gated by the
// viewer's sight (health class). citizen names the citizen ("" for the case reference).
func samtaleView(t store.Samtale, forms store.RefSet, sight access.Sight, citizen string) samtaler.Samtale {
	v := samtaler.Samtale{ID: t.ID, CitizenID: t.CitizenID, StartsAt: t.StartsAt, EndsAt: t.EndsAt, Form: forms.Label(t.Form),
		Place: t.Place, Status: t.Status, Holder: t.HolderName, Participants: t.Participants, Version: t.Version, Citizen: citizen}
	if t.Reason != nil {
		v.HasReason = true
		v.Reason = access.Gate(sight, access.SamtaleReason, *t.Reason)
	}
	if t.NoteID != nil {
		v.NoteID = *t.NoteID
	}
	return v
}

// samtalerView lists the citizen's samtaler, newest first, with the next conversation the
// kontaktforløb requires and the form that records an exemption.
func (s *Server) samtalerView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderSamtalerList(w, r, cr, http.StatusOK, nil)
}

// renderSamtalerList renders the citizen's samtaler; f is a refused exemption form.
func (s *Server) renderSamtalerList(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, f *form.Form) error {
	ctx := r.Context()
	page, _ := parsePage(r.URL.Query().Get(pageParam))
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	forms, err := s.vocab.Values(ctx, store.SamtaleFormRef)
	if err != nil {
		return err
	}
	rows, total, err := s.store.CitizenSamtaler(ctx, cr.ID, store.Page{Number: page, PerPage: samtalerPerPage})
	if err != nil {
		return err
	}
	u := userFrom(r)
	sight := access.SightOf(u.access(), cr.Rel)
	p := samtaler.ListProps{CitizenID: cr.ID, CitizenName: c.Name(), Total: total,
		CanBook: access.CanCitizen(u.access(), access.BookSamtale, cr.Rel),
		Pages: components.PageInfo{Page: page, PerPage: samtalerPerPage, Total: total,
			URL: func(n int) string { return paths.SamtalerPage(cr.ID, n) }}}
	if p.Next, err = s.nextDue(r, cr.ID); err != nil {
		return err
	}
	if f != nil {
		p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
	} else {
		p.Values = map[string]string{"from": s.today().Format(time.DateOnly)}
	}
	for _, t := range rows {
		p.Samtaler = append(p.Samtaler, samtaleView(t, forms, sight, ""))
	}
	if status == http.StatusOK {
		if err := s.store.Audit(ctx, who(r), cr.ID, store.AuditCitizenView, "samtaler"); err != nil {
			return err
		}
	}
	return s.page(w, r, status, "Samtaler – "+c.Name(), samtaler.List(p))
}

// samtaleForm reads the date, time and duration of a samtale form into its start and end,
// Danish time; problems go beside the fields.
func samtaleTime(f *form.Form) (time.Time, time.Time, bool) {
	date := f.Text(helhed.FieldSamtaleStart, "Dato", 20)
	clock := f.Text("time", "Klokkeslæt", 10)
	minutes, minOK := f.RequiredInt(helhed.FieldSamtaleDuration, "Varighed i minutter", 1, 24*60)
	if date == "" {
		f.Fail(helhed.FieldSamtaleStart, "Skal udfyldes")
	}
	if clock == "" {
		f.Fail("time", "Skal udfyldes")
	}
	if date == "" || clock == "" {
		return time.Time{}, time.Time{}, false
	}
	start, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, form.Zone)
	if err != nil {
		f.Fail(helhed.FieldSamtaleStart, "Angiv dato som ÅÅÅÅ-MM-DD og klokkeslæt som TT:MM")
		return time.Time{}, time.Time{}, false
	}
	if !minOK {
		return start, time.Time{}, false
	}
	return start, start.Add(time.Duration(minutes) * time.Minute), true
}

// participantNames reads the comma-separated usernames of a samtale form.
func participantNames(f *form.Form) []string {
	raw := f.Text(helhed.FieldSamtaleWith, "Andre deltagere", 1000)
	var out []string
	for _, p := range strings.Split(raw, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" && !containsString(out, p) {
			out = append(out, p)
		}
	}
	if len(out) > maxParticipants {
		f.Fail(helhed.FieldSamtaleWith, "Højst "+strconv.Itoa(maxParticipants)+" deltagere")
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// samtaleFormProps is the booking form's frame.
func (s *Server) samtaleFormProps(r *http.Request, id int64) (samtaler.FormProps, error) {
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return samtaler.FormProps{}, err
	}
	forms, err := s.vocab.Values(ctx, store.SamtaleFormRef)
	if err != nil {
		return samtaler.FormProps{}, err
	}
	return samtaler.FormProps{CitizenID: id, CitizenName: c.Name(), Forms: keptOptions(forms.Keeping(s.today()), s.today())}, nil
}

// samtaleNewGet shows the booking form: tomorrow at 10:00, 45 minutes, in person.
func (s *Server) samtaleNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	p, err := s.samtaleFormProps(r, cr.ID)
	if err != nil {
		return err
	}
	p.Values = map[string]string{helhed.FieldSamtaleStart: s.today().AddDate(0, 0, 1).Format(time.DateOnly), "time": "10:00",
		helhed.FieldSamtaleDuration: "45", helhed.FieldSamtaleForm: "fysisk", "class": access.Case.String()}
	return s.page(w, r, http.StatusOK, "Book samtale – "+p.CitizenName, samtaler.Form(p))
}

// samtaleNewPost books the samtale; a refusal (bad input, a double booking) comes back with
// everything typed and the message beside its field.
func (s *Server) samtaleNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	ctx := r.Context()
	forms, err := s.vocab.Values(ctx, store.SamtaleFormRef)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	var in store.SamtaleInput
	start, end, timeOK := samtaleTime(f)
	in.StartsAt, in.EndsAt = start, end
	in.Form = f.RequiredChoice(helhed.FieldSamtaleForm, "Form", forms.Keeping(s.today()).Has)
	in.Place = strings.TrimSpace(f.Text(helhed.FieldSamtalePlace, "Sted", helhed.MaxSamtalePlace))
	in.Participants = participantNames(f)
	in.Held = f.Bool(helhed.FieldSamtaleHeld, "Samtalen er holdt")
	in.OutcomeClass = f.Text("class", "Udfaldet indeholder", 20)
	in.Outcome = f.Text(helhed.FieldSamtaleOutcome, "Udfald", 1<<20)
	in.OverlapOK = f.Bool(helhed.FieldSamtaleOverlap, "Book alligevel")
	overlapMsg := ""
	var id int64
	if f.OK() && timeOK {
		id, err = s.store.BookSamtale(ctx, who(r), cr.ID, in)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		overlapMsg = overlapWarning(err)
		switch helhed.ErrorCode(err) {
		case "", helhed.EInvalid:
		case helhed.EConflict:
			if overlapMsg == "" {
				return err
			}
		default:
			return err
		}
	} else if f.OK() {
		f.Fail(helhed.FieldSamtaleDuration, "Skal udfyldes")
	}
	if !f.OK() || overlapMsg != "" {
		p, err := s.samtaleFormProps(r, cr.ID)
		if err != nil {
			return err
		}
		p.Values, p.Errors, p.Summary, p.Overlap = f.Values, f.Errors, f.SummaryTexts(), overlapMsg
		if overlapMsg != "" && len(p.Summary) == 0 {
			p.Summary = map[string]string{helhed.FieldSamtaleOverlap: "Dobbeltbooking: " + overlapMsg}
		}
		return s.page(w, r, http.StatusUnprocessableEntity, "Book samtale – "+p.CitizenName, samtaler.Form(p))
	}
	if in.Held {
		s.syncCitizenTasks(r, cr.ID)
		s.flash(r, "success", "Samtalen er registreret som holdt, og udfaldet er skrevet i journalen.")
	} else {
		s.flash(r, "success", "Samtalen er booket.")
	}
	return redirect(w, r, paths.Samtale(cr.ID, id))
}

// loadSamtale reads samtale {samid} of the citizen.
func (s *Server) loadSamtale(r *http.Request, cr citizenReq) (store.Samtale, error) {
	sid, err := urlID(r, "samid")
	if err != nil {
		return store.Samtale{}, err
	}
	return s.store.SamtaleByID(r.Context(), cr.ID, sid)
}

// samtaleView shows one samtale with its forms.
func (s *Server) samtaleView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderSamtale(w, r, cr, http.StatusOK, "", nil, "")
}

// renderSamtale renders the samtale page; formName, f and overlap are a refused form's.
func (s *Server) renderSamtale(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, formName string, f *form.Form, overlap string) error {
	ctx := r.Context()
	t, err := s.loadSamtale(r, cr)
	if err != nil {
		return err
	}
	forms, err := s.vocab.Values(ctx, store.SamtaleFormRef)
	if err != nil {
		return err
	}
	u := userFrom(r)
	sight := access.SightOf(u.access(), cr.Rel)
	p := samtaler.ViewProps{CitizenName: t.CitizenName, Samtale: samtaleView(t, forms, sight, t.CitizenName),
		CanBook: access.CanCitizen(u.access(), access.BookSamtale, cr.Rel), Begun: !t.StartsAt.After(s.store.Now()),
		Form: formName, Overlap: overlap}
	if f != nil {
		p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
		if overlap != "" && len(p.Summary) == 0 {
			p.Summary = map[string]string{helhed.FieldSamtaleOverlap: "Dobbeltbooking: " + overlap}
		}
	}
	if status == http.StatusOK {
		if err := s.store.Audit(ctx, who(r), cr.ID, store.AuditCitizenView, "samtale "+strconv.FormatInt(t.ID, 10)); err != nil {
			return err
		}
	}
	return s.page(w, r, status, "Samtale – "+t.CitizenName, samtaler.View(p))
}

// overlapWarning is the store's double-booking warning in err, or "".
func overlapWarning(err error) string {
	var e *helhed.Error
	if errors.As(err, &e) && e.Code == helhed.EConflict {
		return e.Fields[helhed.FieldSamtaleOverlap]
	}
	return ""
}

// samtaleVersion reads the version the user read.
func samtaleVersion(f *form.Form) int {
	v, _ := strconv.Atoi(f.Text("version", "", 20))
	return v
}

// samtaleAfter handles the store's answer to a change of a samtale: on success a flash and
// back to the samtale; a refusal re-renders the page with the form's messages.
func (s *Server) samtaleAfter(w http.ResponseWriter, r *http.Request, cr citizenReq, formName string, f *form.Form, err error, done string) error {
	overlap := overlapWarning(err)
	for k, msg := range fieldErrors(err) {
		f.Fail(k, msg)
	}
	switch helhed.ErrorCode(err) {
	case "":
		if f.OK() {
			s.flash(r, "success", done)
			sid, _ := urlID(r, "samid")
			return redirect(w, r, paths.Samtale(cr.ID, sid))
		}
	case helhed.EInvalid:
	case helhed.EConflict:
		if overlap == "" {
			return err
		}
	default:
		return err
	}
	status := http.StatusUnprocessableEntity
	if overlap != "" {
		status = http.StatusConflict
	}
	return s.renderSamtale(w, r, cr, status, formName, f, overlap)
}

// samtaleOutcomePost records that the samtale was held (its outcome a journal note) or that
// the citizen did not come.
func (s *Server) samtaleOutcomePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	t, err := s.loadSamtale(r, cr)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	out := store.SamtaleOutcome{
		Status: helhed.SamtaleStatus(f.RequiredChoice("status", "Hvad skete der?", func(v string) bool {
			return v == string(helhed.SamtaleHeld) || v == string(helhed.SamtaleNoShow)
		})),
		Class: f.RequiredChoice("class", "Notatet indeholder", func(v string) bool { _, ok := access.NoteClass(v); return ok }),
		Text:  f.Text(helhed.FieldSamtaleOutcome, "Udfald", 1<<20),
	}
	version := samtaleVersion(f)
	err = nil
	if f.OK() {
		err = s.store.RecordSamtaleOutcome(r.Context(), who(r), cr.ID, t.ID, version, out)
		if err == nil {
			s.syncCitizenTasks(r, cr.ID)
		}
	}
	return s.samtaleAfter(w, r, cr, "udfald", f, err, "Udfaldet er gemt og skrevet i journalen.")
}

// samtaleRebookPost moves the samtale to a new time, with a reason.
func (s *Server) samtaleRebookPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	t, err := s.loadSamtale(r, cr)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	start, end, ok := samtaleTime(f)
	reason := strings.TrimSpace(f.Text(helhed.FieldSamtaleReason, "Begrundelse", 1<<20))
	overlapOK := f.Bool(helhed.FieldSamtaleOverlap, "Book alligevel")
	err = nil
	if ok && f.OK() {
		err = s.store.RebookSamtale(r.Context(), who(r), cr.ID, t.ID, samtaleVersion(f), start, end, reason, overlapOK)
	}
	return s.samtaleAfter(w, r, cr, "flyt", f, err, "Samtalen er flyttet.")
}

// samtaleCancelPost cancels the samtale, with a reason.
func (s *Server) samtaleCancelPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	t, err := s.loadSamtale(r, cr)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	reason := strings.TrimSpace(f.Text("cancel_reason", "Begrundelse", 1<<20))
	err = s.store.CancelSamtale(r.Context(), who(r), cr.ID, t.ID, samtaleVersion(f), reason)
	// The store names the field "reason"; this form's field is cancel_reason.
	if fe := fieldErrors(err); fe[helhed.FieldSamtaleReason] != "" {
		f.Fail("cancel_reason", fe[helhed.FieldSamtaleReason])
		err = nil
	}
	return s.samtaleAfter(w, r, cr, "aflys", f, err, "Samtalen er aflyst.")
}

// calendarView is the week view: ?omfang=enhed the unit's samtaler (access.ListUnitCitizens),
// else the user's own (held or taken part in); ?uge=2026-W50 the week (this week when
// absent or unreadable). A row names its citizen only to a viewer who may see the citizen
// (the case-holding unit's staff); others see the case reference. The view is audited as a
// list with the citizens it showed.
func (s *Server) calendarView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(r)
	q := r.URL.Query()
	scope := ""
	f := store.WeekFilter{UserID: u.ID}
	if q.Get("omfang") == "enhed" {
		if err := s.requireCan(r, access.ListUnitCitizens); err != nil {
			return err
		}
		scope, f = "enhed", store.WeekFilter{UnitID: u.UnitID}
	}
	mon, ok := helhed.ParseISOWeek(q.Get("uge"), form.Zone)
	if !ok {
		mon, _ = helhed.WeekOf(s.store.Now(), form.Zone)
	}
	f.From, f.To = mon, mon.AddDate(0, 0, 7)
	page, _ := parsePage(q.Get(pageParam))
	rows, total, err := s.store.WeekSamtaler(ctx, f, store.Page{Number: page, PerPage: weekPerPage})
	if err != nil {
		return err
	}
	forms, err := s.vocab.Values(ctx, store.SamtaleFormRef)
	if err != nil {
		return err
	}
	week := helhed.ISOWeek(mon)
	p := samtaler.WeekProps{Scope: scope, CanUnit: access.Can(u.access(), access.ListUnitCitizens), Week: week,
		From: mon, To: f.To, Prev: helhed.ISOWeek(mon.AddDate(0, 0, -7)), Next: helhed.ISOWeek(mon.AddDate(0, 0, 7)), Total: total,
		Pages: components.PageInfo{Page: page, PerPage: weekPerPage, Total: total,
			URL: func(n int) string { return paths.Calendar(scope, week, n) }}}
	var shown []int64
	for _, t := range rows {
		citizen := ""
		rel := access.Relation{CitizenUnitID: t.CitizenUnitID}
		if access.CanCitizen(u.access(), access.ViewSamtaler, rel) {
			citizen = t.CitizenName
			shown = append(shown, t.CitizenID)
		}
		// The reason is not shown in the week: the sight of a row is that of its case.
		v := samtaleView(t, forms, access.SightOf(u.access(), rel), citizen)
		day := time.Date(t.StartsAt.In(form.Zone).Year(), t.StartsAt.In(form.Zone).Month(), t.StartsAt.In(form.Zone).Day(), 0, 0, 0, 0, form.Zone)
		if n := len(p.Days); n == 0 || !p.Days[n-1].Date.Equal(day) {
			p.Days = append(p.Days, samtaler.Day{Date: day})
		}
		p.Days[len(p.Days)-1].Samtaler = append(p.Days[len(p.Days)-1].Samtaler, v)
	}
	criterion := "uge " + week
	if scope != "" {
		criterion += " enhed"
	}
	if err := s.store.AuditList(ctx, who(r), store.AuditSamtaleList, criterion, shown); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, p.Title(), samtaler.Week(p))
}
