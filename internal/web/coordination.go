package web

import (
	"net/http"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/citizens"
)

// coordinationView is "Fælles overblik": the picture of the citizen's case that every unit
// around the citizen shares — the coordinating caseworker and who is responsible for each
// running effort, all efforts from every unit on one timeline, the latest screening, the
// consents in force, and the next follow-up and meetings. Anyone who may see the citizen may
// open it (the case-holding unit, a provider with a referral, a team member with the case on
// an agenda); health data only under consent. The read is audited.
func (s *Server) coordinationView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	ctx := r.Context()
	u := userFrom(r).access()
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	sight := access.SightOf(u, rel)
	pic, src, err := s.loadPicture(ctx, sight, id, "overblik")
	if err != nil {
		return err
	}
	today := s.today()
	p := citizens.CoordinationProps{ID: id, Name: c.Name(), CPR: c.CPR.Masked(), Age: c.CPR.Age(today), Unit: c.UnitName, Picture: pic}
	if c.CaseworkerName != nil {
		p.People = append(p.People, access.Shown(citizens.Involved{Area: "Koordinerende sagsbehandler", Name: *c.CaseworkerName, Unit: c.UnitName,
			What: "Borgerens indgang og sammenhængen i planen"}))
	}
	if src.plan != nil {
		p.NextFollowUp, p.Overdue = src.plan.NextFollowUp, helhed.FollowUpOverdue(src.plan.NextFollowUp, today)
		for _, e := range src.plan.Efforts {
			if e.Status == "afsluttet" || e.Status == "afbrudt" {
				continue
			}
			area := src.refs["effort_area"].Label(e.Area)
			if e.Mentor {
				area = "Mentor"
			}
			p.People = append(p.People, access.GateRow(sight, e.Row(), access.PlanEffort, citizens.Involved{Area: area,
				Name: e.ResponsiblePerson, Unit: e.ResponsibleUnit, What: e.Title + " (" + src.refs["effort_status"].Label(e.Status) + ")"}))
		}
	}
	for _, x := range src.referrals {
		if x.State.Terminal() {
			continue
		}
		p.People = append(p.People, access.GateRow(sight, x.Row(), access.ReferralState,
			citizens.Involved{Area: "Henvisning", Unit: x.ToUnitName, What: x.OfferName + " (" + x.State.Label() + ")"}))
	}
	consents, err := s.store.ListConsents(ctx, id)
	if err != nil {
		return err
	}
	rf, err := s.loadRefs(ctx)
	if err != nil {
		return err
	}
	for _, k := range consents {
		if k.CurrentOn(today) {
			p.Consents = append(p.Consents, citizens.ConsentRow{ID: k.ID, Information: rf.consent.Label(k.Information), Unit: k.RecipientUnit,
				Purpose: k.Purpose, Given: k.GivenOn, Expires: k.ExpiresOn, Current: true})
		}
	}
	ms, err := s.store.CitizenMeetings(ctx, id)
	if err != nil {
		return err
	}
	for i := len(ms) - 1; i >= 0; i-- { // soonest first
		if m := ms[i]; !m.StartsAt.Before(upcomingFrom(today)) {
			p.Meetings = append(p.Meetings, citizens.MeetingRow{Team: m.TeamName, Start: m.StartsAt, Question: m.Question})
		}
	}
	detail := "fælles overblik" + sightNote(sight)
	if err := s.store.Audit(ctx, who(r), id, store.AuditCitizenView, detail); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Fælles overblik – "+c.Name(), citizens.Coordination(p))
}
