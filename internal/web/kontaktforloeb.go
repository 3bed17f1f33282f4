package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/samtaler"
	"github.com/helhed/helhed/web/paths"
)

// overduePerPage is the overdue list's page size.
const overduePerPage = 50

// whyNoneDue says why no conversation is due: an exemption, no rule for the benefit, no open
// benefit, or all held.
func whyNoneDue(d store.ContactDue, exemptions store.RefSet, benefits store.RefSet) string {
	switch {
	case d.Exemption != nil:
		return "Undtaget fra kontaktforløbet: " + exemptions.Label(*d.Exemption) + "."
	case d.BenefitCode == nil:
		return "Borgeren har ingen løbende ydelse, så kontaktforløbet stiller ingen krav."
	case d.Rule == nil:
		return "Der er ingen regel for kontaktforløbet for " + strings.ToLower(benefits.Label(*d.BenefitCode)) + "."
	}
	return "Alle lovpligtige samtaler i perioden er holdt (" + strconv.Itoa(d.Held) + " af " + strconv.Itoa(derefInt(d.Required)) + ")."
}

func derefInt(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// nextDue is the next conversation the kontaktforløb requires of the citizen, for the
// samtaler page: the day, whether it is overdue, and the rule with its source.
func (s *Server) nextDue(r *http.Request, citizenID int64) (samtaler.NextDue, error) {
	d, err := s.store.NextContact(r.Context(), citizenID)
	if err != nil {
		return samtaler.NextDue{}, err
	}
	return s.nextDueOf(r, d)
}

// nextDueOf is nextDue of the citizen's place in the kontaktforløb, d, as read.
func (s *Server) nextDueOf(r *http.Request, d store.ContactDue) (samtaler.NextDue, error) {
	ctx := r.Context()
	ex, err := s.vocab.Values(ctx, store.ContactExemptionRef)
	if err != nil {
		return samtaler.NextDue{}, err
	}
	rf, err := s.loadRefs(ctx)
	if err != nil {
		return samtaler.NextDue{}, err
	}
	today := s.store.Now()
	day := form.Today(today)
	n := samtaler.NextDue{Shown: true}
	if d.Due != nil {
		n.Due, n.Overdue, n.Missed = *d.Due, d.Overdue(day), d.Missed(day)
	} else {
		n.None = whyNoneDue(d, ex, rf.benefit)
	}
	if d.Rule != nil {
		n.Rule = rf.benefit.Label(*d.BenefitCode) + ": " + *d.Rule + " (" + strconv.Itoa(d.Held) + " holdt, perioden " +
			format.Date(*d.WindowFrom) + "–" + format.Date(d.WindowEnd.AddDate(0, 0, -1)) + "). Kilde: " + *d.Source + "."
		if d.Uncertainty != nil && *d.Uncertainty != "" {
			n.Rule += " Usikkerhed: " + *d.Uncertainty
		}
		n.Rule += " Helhed fordeler samtalerne jævnt over perioden for at sige, hvornår den næste skal holdes."
	}
	n.Exemptions = keptOptions(ex.Keeping(day), day)
	return n, nil
}

// overviewSamtaler fills the citizen page's samtaler section (NextContact, in the page's batch).
func (s *Server) overviewSamtaler(r *http.Request, b *store.Batch, props *citizens.OverviewProps, rel access.Relation) fill {
	u := userFrom(r)
	if !access.CanCitizen(u.access(), access.ViewSamtaler, rel) {
		return nil
	}
	contact := b.NextContact(props.ID)
	return func() error {
		n, err := s.nextDueOf(r, contact.Value())
		if err != nil {
			return err
		}
		props.Samtaler = citizens.SamtalerSection{Shown: true, Next: n.Due, HasNext: !n.Due.IsZero(), Overdue: n.Overdue, Missed: n.Missed,
			Why: n.None, CanBook: access.CanCitizen(u.access(), access.BookSamtale, rel)}
		return nil
	}
}

// contactExemptPost records an exemption from the kontaktforløb.
func (s *Server) contactExemptPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	ctx := r.Context()
	ex, err := s.vocab.Values(ctx, store.ContactExemptionRef)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	var in store.ContactExemption
	in.Reason = f.RequiredChoice("reason", "Årsag", ex.Keeping(s.today()).Has)
	if d, ok := f.RequiredDate("from", "Fra"); ok {
		in.From = d
	}
	if d, ok := f.Date("to", "Til"); ok && !d.IsZero() {
		in.To = &d
	}
	in.Note = strings.TrimSpace(f.Text("note", "Bemærkning", 1000))
	if f.OK() {
		err = s.store.ExemptFromContact(ctx, who(r), cr.ID, in)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		if err != nil && len(fieldErrors(err)) == 0 {
			return err
		}
	}
	if !f.OK() {
		return s.renderSamtalerList(w, r, cr, http.StatusUnprocessableEntity, f)
	}
	s.flash(r, "success", "Undtagelsen er registreret.")
	return redirect(w, r, paths.Samtaler(cr.ID)+"#naeste-samtale")
}

// overdueView lists the citizens whose next required conversation is overdue: the user's own
// (?omfang= absent, a caseworker) or the unit's (?omfang=enhed).
func (s *Server) overdueView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(r)
	scope := r.URL.Query().Get("omfang")
	if !access.Can(u.access(), access.ListOwnCaseload) {
		scope = "enhed"
	}
	f := store.OverdueFilter{CaseworkerID: u.ID}
	if scope == "enhed" {
		if err := s.requireCan(r, access.ListUnitCitizens); err != nil {
			return err
		}
		f = store.OverdueFilter{UnitID: u.UnitID}
	} else {
		scope = ""
	}
	page, _ := parsePage(r.URL.Query().Get(pageParam))
	rows, total, err := s.store.OverdueContacts(ctx, f, store.Page{Number: page, PerPage: overduePerPage})
	if err != nil {
		return err
	}
	rf, err := s.loadRefs(ctx)
	if err != nil {
		return err
	}
	p := samtaler.OverdueProps{Scope: scope, CanOwn: access.Can(u.access(), access.ListOwnCaseload),
		CanUnit: access.Can(u.access(), access.ListUnitCitizens), Total: total,
		Pages: components.PageInfo{Page: page, PerPage: overduePerPage, Total: total, URL: func(n int) string { return paths.Overdue(scope, n) }}}
	shown := make([]int64, 0, len(rows))
	for _, o := range rows {
		row := samtaler.OverdueRow{CitizenID: o.CitizenID, Name: o.Name, Benefit: rf.benefit.Label(o.BenefitCode), Rule: o.Rule,
			Held: o.Held, Required: o.Required, Due: o.Due}
		if o.CaseworkerName != nil {
			row.Caseworker = *o.CaseworkerName
		}
		p.Rows = append(p.Rows, row)
		shown = append(shown, o.CitizenID)
	}
	if err := s.store.AuditList(ctx, who(r), store.AuditCaseloadView, "samtaler overskredet "+scope, shown); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, p.Title(), samtaler.Overdue(p))
}
