package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/referrals"
	"github.com/helhed/helhed/web/paths"
)

func referralHref(x store.Referral) string { return paths.Referral(x.CitizenID, x.ID) }

// actionLabels are the buttons of the transitions. Receipt is a button too: opening a
// referral (a GET) changes nothing, and a provider may also answer straight away.
var actionLabels = map[helhed.ReferralState]string{
	helhed.ReferralReceived:     "Markér som modtaget",
	helhed.ReferralAccepted:     "Acceptér",
	helhed.ReferralWaitlisted:   "Sæt på venteliste",
	helhed.ReferralRejected:     "Afvis",
	helhed.ReferralStarted:      "Markér som startet",
	helhed.ReferralCompleted:    "Afslut forløbet",
	helhed.ReferralNoShow:       "Markér som udeblevet",
	helhed.ReferralDiscontinued: "Afbryd forløbet",
	helhed.ReferralCancelled:    "Annullér henvisningen",
}

// referralAction is the access action needed to move a referral to state to: the referring
// side cancels, the provider does everything else.
func referralAction(to helhed.ReferralState) access.Action {
	if to == helhed.ReferralCancelled {
		return access.CancelReferral
	}
	return access.WorkReferral
}

// authorizeReferral is the second gate of every referral route, after the citizen's (the
// route's s.citizen(access.ViewCitizen)): the user must be allowed action ra on the referral,
// which must be the citizen's (a referral id under another citizen's URL is not found). A
// refusal is audited; it is 404 when the user may not even see the referral, so its
// existence is not revealed.
func (s *Server) authorizeReferral(r *http.Request, cr citizenReq, rid int64, ra access.Action) (access.ReferralRelation, error) {
	cid, rel := cr.ID, cr.Rel
	ctx := r.Context()
	u := userFrom(r)
	toUnit, err := s.store.ReferralUnit(ctx, cid, rid)
	if err != nil {
		return access.ReferralRelation{}, err
	}
	rrel := access.ReferralRelation{ToUnitID: toUnit, Citizen: rel}
	if access.CanReferral(u.access(), ra, rrel) {
		return rrel, nil
	}
	if err := s.store.Audit(ctx, who(r), cid, store.AuditCitizenDenied, fmt.Sprintf("nægtet: %s henvisning %d", ra, rid)); err != nil {
		return access.ReferralRelation{}, err
	}
	if !access.CanReferral(u.access(), access.ViewReferral, rrel) {
		return access.ReferralRelation{}, helhed.ErrNotFound
	}
	return access.ReferralRelation{}, &helhed.Error{Code: helhed.EForbidden, Message: "Du kan ikke foretage denne ændring af henvisningen. Forsøget er registreret."}
}

func (s *Server) referralNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	cid := cr.ID
	return s.renderReferralForm(w, r, http.StatusOK, cid, referrals.FormValues{Offer: r.URL.Query().Get("tilbud"),
		Effort: r.URL.Query().Get("indsats")}, nil)
}

// renderReferralForm shows the referral form with the active offers; the chosen one (typed or
// suggested) is described with the consent it needs.
func (s *Server) renderReferralForm(w http.ResponseWriter, r *http.Request, status int, cid int64, v referrals.FormValues, errs map[string]string) error {
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, cid)
	if err != nil {
		return err
	}
	offers, err := s.store.ActiveOffers(ctx)
	if err != nil {
		return err
	}
	consents, err := s.vocab.Values(ctx, "consent_information")
	if err != nil {
		return err
	}
	p := referrals.FormProps{CitizenID: cid, CitizenName: c.Name(), Values: v, Errors: errs}
	for _, o := range offers {
		opt := components.Option{Value: strconv.FormatInt(o.ID, 10),
			Label: fmt.Sprintf("%s – %s (%d ledige pladser)", o.Name, o.ProviderName, o.FreeSeats())}
		p.Offers = append(p.Offers, opt)
		if opt.Value == v.Offer {
			choice := referrals.OfferChoice{Option: components.Option{Value: opt.Value, Label: o.Name}}
			if info := access.ConsentInformation(o.ProviderKind); info != "" {
				choice.Consent = strings.ToLower(store.RefSet(consents).Label(info))
			}
			p.Selected = &choice
		}
	}
	return s.page(w, r, status, "Henvis til tilbud – "+c.Name(), referrals.Form(p))
}

func (s *Server) referralNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	cid := cr.ID
	v := referrals.FormValues{Offer: strings.TrimSpace(r.PostFormValue("offer")), Note: strings.TrimSpace(r.PostFormValue("note")),
		Accepted: r.PostFormValue("citizen_accepted") == "true", Effort: strings.TrimSpace(r.PostFormValue("effort"))}
	errs := map[string]string{}
	var effortID int64
	if v.Effort != "" {
		var perr error
		if effortID, perr = strconv.ParseInt(v.Effort, 10, 64); perr != nil || effortID <= 0 {
			return helhed.ErrNotFound
		}
	}
	offerID, perr := strconv.ParseInt(v.Offer, 10, 64)
	if perr != nil || offerID <= 0 {
		errs["offer"] = "Vælg et tilbud fra listen"
	}
	if utf8.RuneCountInString(v.Note) > 4000 {
		errs["note"] = "Højst 4000 tegn"
	}
	if len(errs) == 0 {
		// The sending unit is the user's, never the form's.
		id, err := s.store.CreateReferral(r.Context(), who(r), store.NewReferral{CitizenID: cid, OfferID: offerID,
			FromUnitID: userFrom(r).UnitID, Note: v.Note, CitizenAccepted: v.Accepted, EffortID: effortID})
		if fe := fieldErrors(err); fe != nil {
			errs = fe
		} else if err != nil {
			return err
		} else {
			s.flash(r, "success", "Henvisningen er sendt. Du kan følge den her og under Mine henvisninger.")
			return redirect(w, r, paths.Referral(cid, id))
		}
	}
	return s.renderReferralForm(w, r, http.StatusUnprocessableEntity, cid, v, errs)
}

func (s *Server) referralView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	rid, err := urlID(r, "rid")
	if err != nil {
		return err
	}
	return s.renderReferral(w, r, http.StatusOK, cr, rid, referralRetry{})
}

// referralRetry carries a refused transition back to the page: the message, and the reason
// as typed for the action that needed one.
type referralRetry struct {
	notice      string
	to          helhed.ReferralState
	reason      string
	reasonError string
	// The provider's feedback forms as typed, with their errors.
	attForm, attErrors map[string]string
	repForm, repErrors map[string]string
}

// renderReferral shows one referral; reading it changes nothing but the audit log (and the
// referring caseworker's own read marker). The note may hold health information: the
// provider sees it only under a current consent covering their unit.
func (s *Server) renderReferral(w http.ResponseWriter, r *http.Request, status int, cr citizenReq, rid int64, retry referralRetry) error {
	cid := cr.ID
	rrel, err := s.authorizeReferral(r, cr, rid, access.ViewReferral)
	if err != nil {
		return err
	}
	u := userFrom(r)
	ctx := r.Context()
	sight := access.SightOf(u.access(), rrel.Citizen)
	d, err := s.store.OpenReferral(ctx, who(r), cid, rid, u.UnitID)
	if err != nil {
		return err
	}
	p := referrals.ViewProps{ID: d.ID, CitizenID: cid, Citizen: d.CitizenName, CPR: d.CitizenCPR.Masked(), Offer: d.OfferName,
		OfferID: d.OfferID, ToUnit: d.ToUnitName, From: d.FromUserName + ", " + d.FromUnitName, State: d.State.Label(),
		Reason: d.Reason, Created: d.CreatedAt, Accepted: d.CitizenAccepted, Version: d.Version, Notice: retry.notice,
		Note: access.GateRow(sight, access.ReferralNoteRow(d.Row()), access.ReferralNote, d.Note)}
	for _, e := range d.Events {
		ev := referrals.Event{At: e.At, To: e.ToState.Label(), Reason: e.Reason}
		if e.FromState != nil {
			ev.From = e.FromState.Label()
		}
		if e.ByName != nil {
			ev.By = *e.ByName
		}
		p.Events = append(p.Events, ev)
	}
	for _, to := range d.State.Next() {
		label, ok := actionLabels[to]
		if !ok || !access.CanReferral(u.access(), referralAction(to), rrel) {
			continue
		}
		a := referrals.Action{To: string(to), Label: label, NeedsReason: to.RequiresReason()}
		if to == retry.to {
			a.Reason, a.Error = retry.reason, retry.reasonError
		}
		p.Actions = append(p.Actions, a)
	}
	if p.Feedback, err = s.referralFeedback(r, cr, d.Referral, rrel, sight, retry); err != nil {
		return err
	}
	return s.page(w, r, status, "Henvisning til "+d.OfferName+" – "+d.CitizenName, referrals.View(p))
}

// referralTransitionPost moves a referral one step. A stale page or an illegal move comes
// back as the referral page with the reason (409); a missing reason as the page with the
// error beside the field and the other typed text kept (422). Nothing changes in either case.
func (s *Server) referralTransitionPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	cid := cr.ID
	rid, err := urlID(r, "rid")
	if err != nil {
		return err
	}
	to := helhed.ReferralState(r.PostFormValue("to"))
	// Access first, so a stranger learns nothing from the validation: an unknown state is
	// checked against the right to see the referral, a known one against the right to make
	// that move.
	ra := access.ViewReferral
	if to.Valid() {
		ra = referralAction(to)
	}
	if _, err := s.authorizeReferral(r, cr, rid, ra); err != nil {
		return err
	}
	if !to.Valid() {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Ukendt handling for henvisningen."}
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if utf8.RuneCountInString(reason) > 1000 {
		return s.renderReferral(w, r, http.StatusUnprocessableEntity, cr, rid,
			referralRetry{to: to, reason: reason, reasonError: "Højst 1000 tegn"})
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	final, err := s.store.TransitionReferral(r.Context(), who(r), cid, rid, version, to, reason)
	var de *helhed.Error
	switch {
	case errors.As(err, &de) && de.Fields[helhed.FieldReferralReason] != "":
		return s.renderReferral(w, r, http.StatusUnprocessableEntity, cr, rid,
			referralRetry{to: to, reason: reason, reasonError: de.Fields[helhed.FieldReferralReason]})
	case helhed.ErrorCode(err) == helhed.EConflict:
		return s.renderReferral(w, r, http.StatusConflict, cr, rid, referralRetry{notice: helhed.ErrorMessage(err)})
	case err != nil:
		return err
	}
	msg := "Henvisningen har nu status: " + strings.ToLower(final.Label()) + "."
	if final != to {
		msg = "Der er ingen ledig plads på tilbuddet. Henvisningen er sat på venteliste og kan accepteres, når en plads bliver ledig."
	}
	s.flash(r, "success", msg)
	return redirect(w, r, paths.Referral(cid, rid))
}

// inboxTabs are the inbox's views and the states each shows.
var inboxTabs = []struct {
	key, label string
	states     []helhed.ReferralState
}{
	{"nye", "Nye", []helhed.ReferralState{helhed.ReferralSent, helhed.ReferralReceived}},
	{"venteliste", "Venteliste", []helhed.ReferralState{helhed.ReferralWaitlisted}},
	{"aktive", "Aktive", []helhed.ReferralState{helhed.ReferralAccepted, helhed.ReferralStarted}},
}

// rows turns referrals into list rows; unit picks the other party's name for the column.
func referralRows(refs []store.Referral, unit func(store.Referral) string) []referrals.Row {
	out := make([]referrals.Row, len(refs))
	for i, x := range refs {
		out[i] = referrals.Row{ID: x.ID, CitizenID: x.CitizenID, Citizen: x.CitizenName, CPR: x.CitizenCPR.Masked(),
			Offer: x.OfferName, Unit: unit(x), State: x.State.Label(), Created: x.CreatedAt, Changed: x.StateChangedAt}
	}
	return out
}

// inboxView is the provider unit's inbox: one tab at a time, sorted by age, with counts for
// every tab. The list shows citizens' names, so the read is audited.
func (s *Server) inboxView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(r)
	q := r.URL.Query()
	tab := inboxTabs[0]
	for _, t := range inboxTabs {
		if t.key == q.Get("vis") {
			tab = t
		}
	}
	oldestFirst := q.Get("sort") != "nyeste"
	counts, err := s.store.ReferralCounts(ctx, u.UnitID)
	if err != nil {
		return err
	}
	pageNo, _ := strconv.Atoi(q.Get("side"))
	refs, total, err := s.store.ListReferrals(ctx, store.ReferralFilter{ToUnitID: u.UnitID, States: tab.states, OldestFirst: oldestFirst},
		store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	order := "ældste først"
	if !oldestFirst {
		order = "nyeste først"
	}
	criterion := strings.Join(append([]string{"indbakke: " + tab.key, order}, pageCriterion(store.Page{Number: pageNo})...), "; ")
	if err := s.store.AuditList(ctx, who(r), store.AuditReferralList, criterion, referralCitizens(refs)); err != nil {
		return err
	}
	p := referrals.InboxProps{Unit: u.UnitName, Tab: tab.key, OldestFirst: oldestFirst, Total: total, Today: s.today(),
		Rows: referralRows(refs, func(x store.Referral) string { return x.FromUserName + ", " + x.FromUnitName })}
	for _, t := range inboxTabs {
		n := 0
		for _, st := range t.states {
			n += counts[st]
		}
		p.Tabs = append(p.Tabs, referrals.Tab{Key: t.key, Label: t.label, Count: n, Current: t.key == tab.key})
	}
	p.Pages = components.PageInfo{Page: max(pageNo, 1), PerPage: 50, Total: total, URL: func(n int) string {
		v := r.URL.Query()
		v.Set("side", strconv.Itoa(n))
		return "/indbakke?" + v.Encode()
	}}
	if p.Invitations, err = s.tfaInvitations(r); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Indbakke", referrals.Inbox(p))
}

// myReferralsView is the referring caseworker's list, most recent change first. The state
// changes it shows count as seen afterwards, so the navigation badge goes down.
func (s *Server) myReferralsView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(r)
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("side"))
	refs, total, err := s.store.ListReferrals(ctx, store.ReferralFilter{FromUserID: u.ID}, store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	criterion := strings.Join(append([]string{"mine henvisninger"}, pageCriterion(store.Page{Number: pageNo})...), "; ")
	if err := s.store.AuditList(ctx, who(r), store.AuditReferralList, criterion, referralCitizens(refs)); err != nil {
		return err
	}
	p := referrals.MineProps{Total: total, Today: s.today(),
		Rows: referralRows(refs, func(x store.Referral) string { return x.ToUnitName })}
	var unseen []int64
	for i, x := range refs {
		if x.Unseen() {
			p.Rows[i].Unseen = true
			unseen = append(unseen, x.ID)
		}
	}
	p.Pages = components.PageInfo{Page: max(pageNo, 1), PerPage: 50, Total: total,
		URL: func(n int) string { return "/henvisninger?side=" + strconv.Itoa(n) }}
	// The rows above already carry what is new; from the next page view on it is seen.
	if err := s.store.MarkReferralsSeen(ctx, u.ID, unseen); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Mine henvisninger", referrals.Mine(p))
}

// overviewReferrals lists a citizen's referrals for the citizen page: all of them for the
// case-holding unit, only those to the user's own unit for a provider (need to know). The
// page's read is audited by ViewCitizen. The referrals and their no-show warnings are read in
// the page's batch.
func (s *Server) overviewReferrals(r *http.Request, b *store.Batch, props *citizens.OverviewProps, sight access.Sight) fill {
	f := store.ReferralFilter{CitizenID: props.ID}
	if !sight.Whole() {
		f.ToUnitID = userFrom(r).UnitID // a provider lists its own unit's referrals (its own rows)
	}
	refs := b.ListReferrals(f, store.Page{Number: 1, PerPage: 100})
	warnings, err := s.queueNoShowWarnings(r.Context(), b, []int64{props.ID}, sight.Whole())
	return func() error {
		if err != nil {
			return err
		}
		noShows := map[int64]int{}
		if warnings != nil {
			for _, w := range warnings.Value() {
				noShows[w.ReferralID] = w.NoShows
			}
		}
		rows := refs.Value().Rows
		props.Referrals = make([]access.Gated[citizens.Referral], len(rows))
		for i, x := range rows {
			props.Referrals[i] = access.GateRow(sight, x.Row(), access.ReferralState, citizens.Referral{Href: referralHref(x), Offer: x.OfferName,
				Unit: x.ToUnitName, State: x.State.Label(), Sent: x.CreatedAt, Changed: x.StateChangedAt, NoShows: noShows[x.ID]})
		}
		return nil
	}
}
