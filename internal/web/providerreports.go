package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/referrals"
	"github.com/helhed/helhed/web/paths"
)

// referralFeedback is what the provider has reported back on referral d, as the viewer may
// see it: attendance and reports are the provider unit's own rows, the case holder's, and
// others' only under the consent the referral's class needs (access.ProviderReportRow). The
// provider unit gets the forms while the referral runs.
func (s *Server) referralFeedback(r *http.Request, cr citizenReq, d store.Referral, rrel access.ReferralRelation, sight access.Sight,
	retry referralRetry) (referrals.FeedbackProps, error) {
	ctx := r.Context()
	marks, reports, err := s.store.ReferralFeedback(ctx, cr.ID, d.ID)
	if err != nil {
		return referrals.FeedbackProps{}, err
	}
	row := access.ProviderReportRow(d.Row())
	var ms []referrals.AttendanceRow
	noShows := 0
	for _, m := range marks {
		ms = append(ms, referrals.AttendanceRow{HeldOn: m.HeldOn, Period: store.PeriodLabels[m.Period], Attendance: store.AttendanceLabels[m.Attendance],
			NoShow: m.Attendance == store.NoShow, Note: m.Note, RecordedBy: m.RecordedBy})
		if m.Attendance == store.NoShow {
			noShows++
		}
	}
	var rs []referrals.ReportRow
	closed := false
	for _, rp := range reports {
		rs = append(rs, referrals.ReportRow{Kind: store.ReportLabels[rp.Kind], Text: rp.Text, WrittenBy: rp.WrittenBy, WrittenAt: rp.WrittenAt})
		closed = closed || rp.Kind == store.ReportClosing
	}
	u := userFrom(r)
	p := referrals.FeedbackProps{CitizenID: cr.ID, ReferralID: d.ID,
		Attendance:     access.GateRow(sight, row, access.ReferralAttendanceNote, ms),
		Reports:        access.GateRow(sight, row, access.ReferralReportText, rs),
		AttendanceForm: retry.attForm, AttendanceErrors: retry.attErrors, ReportForm: retry.repForm, ReportErrors: retry.repErrors}
	threshold, err := s.store.NoShowWarningThreshold(ctx, s.now())
	if err != nil {
		return p, err
	}
	if !d.State.Terminal() && noShows >= threshold && p.Attendance.Shown() {
		p.NoShowWarning = fmt.Sprintf("Borgeren er udeblevet %d gange fra %s. Tag kontakt til borgeren og udbyderen.", noShows, d.OfferName)
	}
	running := d.State == helhed.ReferralAccepted || d.State == helhed.ReferralStarted
	p.CanClose = !closed && (d.State == helhed.ReferralStarted || d.State == helhed.ReferralCompleted ||
		d.State == helhed.ReferralDiscontinued || d.State == helhed.ReferralNoShow)
	p.CanReport = access.CanReferral(u.access(), access.ReportOnReferral, rrel) && (running || p.CanClose)
	if p.AttendanceForm == nil {
		p.AttendanceForm = map[string]string{"period": store.PeriodSession, "held_on": s.today().Format(time.DateOnly)}
	}
	if p.ReportForm == nil {
		p.ReportForm = map[string]string{"kind": store.ReportStatus}
	}
	for _, c := range []string{store.PeriodSession, store.PeriodWeek} {
		p.PeriodOptions = append(p.PeriodOptions, components.Option{Value: c, Label: store.PeriodLabels[c]})
	}
	for _, c := range []string{store.Attended, store.Excused, store.NoShow} {
		p.MarkOptions = append(p.MarkOptions, components.Option{Value: c, Label: store.AttendanceLabels[c]})
	}
	if running {
		p.KindOptions = append(p.KindOptions, components.Option{Value: store.ReportStatus, Label: store.ReportLabels[store.ReportStatus]})
	}
	if p.CanClose {
		p.KindOptions = append(p.KindOptions, components.Option{Value: store.ReportClosing, Label: store.ReportLabels[store.ReportClosing]})
	}
	return p, nil
}

// referralAttendancePost records the citizen's attendance at a session or in a week: the
// provider unit only (access.ReportOnReferral). A week is recorded from its Monday.
func (s *Server) referralAttendancePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	rid, err := urlID(r, "rid")
	if err != nil {
		return err
	}
	if _, err := s.authorizeReferral(r, cr, rid, access.ReportOnReferral); err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	period := f.RequiredChoice("period", "Periode", func(v string) bool { return v == store.PeriodSession || v == store.PeriodWeek })
	day, ok := f.RequiredDate("held_on", "Dato")
	mark := f.RequiredChoice("attendance", "Fremmøde", func(v string) bool { _, ok := store.AttendanceLabels[v]; return ok })
	note := f.Text("attendance_note", "Bemærkning", 500)
	if ok && day.After(s.today()) {
		f.Fail("held_on", "Fremmøde kan ikke registreres for en dag i fremtiden")
	}
	if f.OK() {
		if period == store.PeriodWeek {
			day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		}
		err = s.store.RecordAttendance(r.Context(), who(r), cr.ID, rid, period, day, mark, note)
		if helhed.ErrorCode(err) == helhed.EConflict {
			return s.renderReferral(w, r, http.StatusConflict, cr, rid, referralRetry{notice: helhed.ErrorMessage(err)})
		}
		if err != nil {
			return err
		}
		s.flash(r, "success", "Fremmødet er registreret.")
		return redirect(w, r, paths.Referral(cr.ID, rid)+"#tilbagemelding")
	}
	return s.renderReferral(w, r, http.StatusUnprocessableEntity, cr, rid, referralRetry{attForm: f.Values, attErrors: f.Errors})
}

// referralReportPost saves a status report or the afslutningsnotat: the provider unit only.
func (s *Server) referralReportPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	rid, err := urlID(r, "rid")
	if err != nil {
		return err
	}
	if _, err := s.authorizeReferral(r, cr, rid, access.ReportOnReferral); err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	kind := f.RequiredChoice("kind", "Slags", func(v string) bool { return v == store.ReportStatus || v == store.ReportClosing })
	text := f.RequiredText("text", "Tekst", helhed.MaxLongText)
	if f.OK() {
		err = s.store.WriteReferralReport(r.Context(), who(r), cr.ID, rid, kind, strings.TrimSpace(text))
		if helhed.ErrorCode(err) == helhed.EConflict {
			return s.renderReferral(w, r, http.StatusConflict, cr, rid, referralRetry{notice: helhed.ErrorMessage(err),
				repForm: f.Values, repErrors: map[string]string{}})
		}
		if err != nil {
			return err
		}
		s.flash(r, "success", store.ReportLabels[kind]+" er gemt og sendt til sagsbehandleren.")
		return redirect(w, r, paths.Referral(cr.ID, rid)+"#tilbagemelding")
	}
	return s.renderReferral(w, r, http.StatusUnprocessableEntity, cr, rid, referralRetry{repForm: f.Values, repErrors: f.Errors})
}

// noShowWarnings returns the citizens' open referrals at or above the no-show warning
// threshold; nothing unless the viewer holds the case (whole). The citizen page keys them by
// referral, the caseload by citizen.
func (s *Server) noShowWarnings(ctx context.Context, citizenIDs []int64, whole bool) ([]store.NoShowWarning, error) {
	threshold, ok, err := s.noShowThreshold(ctx, citizenIDs, whole)
	if !ok || err != nil {
		return nil, err
	}
	return s.store.ReferralsWithRepeatedNoShows(ctx, citizenIDs, threshold)
}

// queueNoShowWarnings is noShowWarnings queued in b; nil when there is nothing to read.
func (s *Server) queueNoShowWarnings(ctx context.Context, b *store.Batch, citizenIDs []int64, whole bool) (*store.Result[[]store.NoShowWarning], error) {
	threshold, ok, err := s.noShowThreshold(ctx, citizenIDs, whole)
	if !ok || err != nil {
		return nil, err
	}
	return b.ReferralsWithRepeatedNoShows(citizenIDs, threshold), nil
}

// noShowThreshold is the warning threshold in force today; ok is false when the viewer is not
// warned about these citizens at all.
func (s *Server) noShowThreshold(ctx context.Context, citizenIDs []int64, whole bool) (int, bool, error) {
	if !whole || len(citizenIDs) == 0 {
		return 0, false, nil
	}
	threshold, err := s.store.NoShowWarningThreshold(ctx, s.now())
	return threshold, err == nil, err
}
