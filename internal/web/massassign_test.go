package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// No mass assignment: every state-changing form gets, besides its own fields, every field a
// tamperer would try (ownership, unit, consent, role, state, ids of another citizen's rows,
// timestamps). What the server sets — owner, unit, citizen, state, who, when — must come out
// as the server decides, whatever the form says. Each case checks the protected columns of the
// row the form wrote, in one SQL expression, against what the server should have set.
func TestFormsIgnoreProtectedFields(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	other := app.User(t, "other", access.RoleCaseworker, apptest.Jobcenter2)
	nurse := app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	b := app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter2, other.ID)
	jc, jc2, health := app.Units[apptest.Jobcenter], app.Units[apptest.Jobcenter2], app.Units[apptest.Health]
	offer := app.Offer(t, "Livsstilsforløb", apptest.Health, []string{"mellem"}, []string{"motion"})

	// Citizen B, in another unit, has a screening, a referral and a plan with a goal: the ids
	// a tamperer would put in A's forms.
	bw := store.Who{UserID: other.ID, RequestID: "test"}
	bScreening, err := app.Store.CreateScreening(ctx, bw, b, app.Store.Now(), helhed.ScreeningAnswers{}, store.Conditions{},
		helhed.Result{RuleSetVersion: 1, Group: helhed.RiskNone})
	if err != nil {
		t.Fatal(err)
	}
	bOffer := app.Offer(t, "IPS", apptest.Jobcenter2, nil, nil)
	bReferral, err := app.Store.CreateReferral(ctx, bw, store.NewReferral{CitizenID: b, OfferID: bOffer, FromUnitID: jc2})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CreatePlan(ctx, bw, b, app.Store.Now(), 3); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SavePlanGoals(ctx, bw, b, 1, "B's mål", []store.GoalInput{{Text: "B's delmål"}}); err != nil {
		t.Fatal(err)
	}
	var bPlan, bGoal int64
	if err := app.Pool.QueryRow(ctx, `SELECT p.id, g.id FROM plans p JOIN plan_goals g ON g.plan_id = p.id WHERE p.citizen_id = $1`, b).Scan(&bPlan, &bGoal); err != nil {
		t.Fatal(err)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	// hostile is posted to every form; a form's own fields win where the names are the same.
	hostile := url.Values{
		"id": {id(b)}, "citizen_id": {id(b)}, "unit_id": {id(jc2)}, "unit": {id(jc2)}, "caseworker_id": {id(other.ID)},
		"owner": {id(other.ID)}, "created_by": {id(other.ID)}, "recorded_by": {id(other.ID)}, "closed_by": {id(other.ID)},
		"from_user_id": {id(other.ID)}, "from_unit_id": {id(jc2)}, "to_unit_id": {id(jc2)}, "provider_unit_id": {id(jc)},
		"consent": {"true"}, "health_consent": {"true"}, "citizen_accepted": {"true"}, "role": {access.RoleAdmin},
		"version": {"999"}, "state": {"afsluttet"}, "risk_group": {"hoej"}, "computed_group": {"lav"}, "final_group": {"lav"},
		"rule_set_version": {"99"}, "cpr": {"0101901234"}, "plan_id": {id(bPlan)}, "referral_id": {id(bReferral)},
		"offer_id": {id(bOffer)}, "screening_id": {id(bScreening)}, "goal_id": {id(bGoal)}, "assessment_id": {"1"},
		"closed_at": {"2000-01-01"}, "legal_hold_at": {"2000-01-01"}, "withdrawn_at": {"2000-01-01"}, "created_at": {"2000-01-01"},
		"concluded_at": {"2000-01-01"}, "username": {"overtaget"}, "password_hash": {"x"}, "disabled_at": {"2000-01-01"},
		"seats_taken": {"0"}, "number": {"7"},
	}
	with := func(own url.Values) url.Values {
		v := url.Values{}
		for k, vs := range hostile {
			v[k] = vs
		}
		for k, vs := range own {
			v[k] = vs
		}
		return v
	}
	c, nc, adm := app.Login(t, "cw"), app.Login(t, "sund"), app.Login(t, "admin")
	base := "/borgere/" + id(a)
	// check runs q (one text value) and compares it with want.
	check := func(name, q string, want string, args ...any) {
		t.Helper()
		var got string
		if err := app.Pool.QueryRow(ctx, q, args...).Scan(&got); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if got != want {
			t.Errorf("%s: protected columns are %q; want %q", name, got, want)
		}
	}
	post := func(cl *apptest.Client, name, path string, own url.Values, status int) {
		t.Helper()
		if p := cl.Post(path, with(own)); p.Status != status {
			t.Fatalf("%s: %d %s; want %d", name, p.Status, p.Text(".form-error-message"), status)
		}
	}

	// Citizen create and edit: unit from the user, CPR not editable, group, closure and hold
	// never from the form; a caseworker of another unit cannot be assigned.
	form := citizenForm("010190-2345")
	post(c, "create citizen", "/borgere/ny", form, http.StatusOK)
	check("create citizen", `SELECT concat_ws('/', unit_id, coalesce(caseworker_id, 0), coalesce(risk_group, '-'), closed_at IS NULL, legal_hold_at IS NULL, version)
		FROM citizens WHERE cpr = '0101902345'`, id(jc)+"/0/-/t/t/1")
	form = citizenForm("")
	form.Set("caseworker", id(other.ID))
	form.Set("version", "1")
	if p := c.Post(base+"/rediger", with(form)); p.Status != http.StatusUnprocessableEntity || p.Text("#caseworker-error") == "" {
		t.Fatalf("edit assigning another unit's caseworker: %d", p.Status)
	}
	form.Set("caseworker", id(cw.ID))
	post(c, "edit citizen", base+"/rediger", form, http.StatusOK)
	check("edit citizen", `SELECT concat_ws('/', cpr, unit_id, caseworker_id, coalesce(risk_group, '-'), closed_at IS NULL, legal_hold_at IS NULL, version, first_name)
		FROM citizens WHERE id = $1`, "0203851233/"+id(jc)+"/"+id(cw.ID)+"/-/t/t/2/Karen", a)

	// Screening: A's, computed by the rule set in force, by the user.
	post(c, "screening", base+"/screeninger/ny", screeningAnswers(), http.StatusOK)
	var sid int64
	if err := app.Pool.QueryRow(ctx, `SELECT max(id) FROM screenings WHERE citizen_id = $1`, a).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	check("screening", `SELECT concat_ws('/', citizen_id, rule_set_version, computed_group, final_group, created_by) FROM screenings WHERE id = $1`,
		id(a)+"/2/hoej/hoej/"+id(cw.ID), sid)
	post(c, "override", base+"/screeninger/"+id(sid)+"/vurdering", url.Values{"override_group": {"mellem"}, "override_reason": {"Egen læge følger op"}}, http.StatusOK)
	check("override", `SELECT concat_ws('/', citizen_id, computed_group, final_group, overridden_by) FROM screenings WHERE id = $1`,
		id(a)+"/hoej/mellem/"+id(cw.ID), sid)
	check("B's screening untouched", `SELECT final_group FROM screenings WHERE id = $1`, "ingen", bScreening)

	// Consent: A's, recorded by the user, in force.
	post(c, "consent", base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {"Henvisning"}, "c_units": {id(health)}}, http.StatusOK)
	check("consent", `SELECT string_agg(concat_ws('/', citizen_id, recipient_unit_id, recorded_by, withdrawn_at IS NULL), ',') FROM consents WHERE citizen_id IN ($1, $2)`,
		id(a)+"/"+id(health)+"/"+id(cw.ID)+"/t", a, b)

	// Referral: from the user and the user's unit, to the offer's provider, sent, about A.
	post(c, "referral", base+"/henvisninger/ny", url.Values{"offer": {id(offer)}, "note": {"Motion"}, "citizen_accepted": {"true"}}, http.StatusOK)
	var rid int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM referrals WHERE citizen_id = $1`, a).Scan(&rid); err != nil {
		t.Fatal(err)
	}
	check("referral", `SELECT concat_ws('/', citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, version) FROM referrals WHERE id = $1`,
		id(a)+"/"+id(offer)+"/"+id(cw.ID)+"/"+id(jc)+"/"+id(health)+"/sendt/1", rid)

	// Referral transition by the provider: only the state moves.
	post(nc, "receipt", base+"/henvisninger/"+id(rid)+"/status", url.Values{"to": {"modtaget"}, "version": {"1"}}, http.StatusOK)
	post(nc, "transition", base+"/henvisninger/"+id(rid)+"/status", url.Values{"to": {"accepteret"}, "version": {"2"}, "reason": {""}}, http.StatusOK)
	check("transition", `SELECT concat_ws('/', citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, note) FROM referrals WHERE id = $1`,
		id(a)+"/"+id(offer)+"/"+id(cw.ID)+"/"+id(jc)+"/"+id(health)+"/accepteret/Motion", rid)
	check("transition history", `SELECT string_agg(concat_ws('/', to_state, by_user_id), ',' ORDER BY id) FROM referral_events WHERE referral_id = $1`,
		"sendt/"+id(cw.ID)+",modtaget/"+id(nurse.ID)+",accepteret/"+id(nurse.ID), rid)

	// Offer edit by its provider: the provider unit stays.
	post(nc, "offer edit", "/katalog/"+id(offer)+"/rediger", url.Values{"name": {"Livsstil"}, "opgavetype": {"ot06"}, "capacity": {"12"}, "version": {"1"}}, http.StatusOK)
	check("offer edit", `SELECT concat_ws('/', provider_unit_id, name, capacity, version) FROM offers WHERE id = $1`, id(health)+"/Livsstil/12/2", offer)

	// Plan, goals, effort, follow-up: all in A's plan; B's plan, goal and referral untouched.
	post(c, "plan", base+"/plan/ny", url.Values{}, http.StatusOK)
	post(c, "goals", base+"/plan/maal", url.Values{"version": {"1"}, "citizen_goal": {"Et job"}, "goal_text_0": {"Sove bedre"}}, http.StatusOK)
	var aPlan, aGoal int64
	if err := app.Pool.QueryRow(ctx, `SELECT p.id, g.id FROM plans p JOIN plan_goals g ON g.plan_id = p.id WHERE p.citizen_id = $1`, a).Scan(&aPlan, &aGoal); err != nil {
		t.Fatal(err)
	}
	if p := c.Post(base+"/plan/maal", with(url.Values{"version": {"2"}, "citizen_goal": {"Et job"}, "goal_text_0": {"Overtaget"}, "goal_id_0": {id(bGoal)}})); p.Status != http.StatusNotFound {
		t.Errorf("goals form with B's goal id: %d; want 404", p.Status)
	}
	check("B's plan untouched", `SELECT concat_ws('/', p.citizen_goal, g.text, p.version) FROM plans p JOIN plan_goals g ON g.plan_id = p.id WHERE g.id = $1`,
		"B's mål/B's delmål/2", bGoal)
	post(c, "effort", base+"/plan/indsatser/ny", url.Values{"version": {"2"}, "title": {"Praktik"}, "area": {"beskaeftigelse"}, "status": {"planlagt"},
		"unit": {id(jc)}, "start": {"2026-03-01"}}, http.StatusOK)
	check("effort", `SELECT concat_ws('/', plan_id, coalesce(referral_id, 0), coalesce(offer_id, 0), responsible_unit_id, removed_at IS NULL) FROM plan_efforts WHERE title = 'Praktik'`,
		id(aPlan)+"/0/0/"+id(jc)+"/t")
	post(c, "follow-up", base+"/plan/opfoelgning", url.Values{"held_on": {app.Store.Now().Format("2006-01-02")}, "note": {"Godt"},
		"score_" + id(aGoal): {"5"}, "score_" + id(bGoal): {"9"}}, http.StatusOK)
	check("follow-up", `SELECT string_agg(concat_ws('/', f.plan_id, f.created_by, s.goal_id, s.score), ',') FROM follow_ups f JOIN follow_up_scores s ON s.follow_up_id = f.id`,
		id(aPlan)+"/"+id(cw.ID)+"/"+id(aGoal)+"/5")

	// A journal note: by the user, in the user's unit, about A, correcting nothing, now —
	// whatever the form says of author, unit, citizen, correction or time.
	post(c, "journal note", base+"/journal/ny", url.Values{"kind": {"samtale"}, "class": {"sag"},
		"event_date": {app.Store.Now().Format("2006-01-02")}, "text": {"Samtale"}, "author_id": {id(other.ID)},
		"corrects_id": {"1"}, "amended_at": {"2000-01-01"}}, http.StatusOK)
	check("journal note", `SELECT concat_ws('/', citizen_id, author_id, unit_id, coalesce(corrects_id, 0), amended_at IS NULL, version,
		created_at > now() - interval '1 minute') FROM journal_notes WHERE text = 'Samtale'`, id(a)+"/"+id(cw.ID)+"/"+id(jc)+"/0/t/1/t")

	// TFA: A's draft, version 1, not concluded by the form's say-so.
	post(c, "TFA start", base+"/tfa/ny", url.Values{}, http.StatusOK)
	var aid int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM assessments WHERE citizen_id = $1`, a).Scan(&aid); err != nil {
		t.Fatal(err)
	}
	post(c, "TFA save", base+"/tfa/"+id(aid), tfaForm("1", "gem"), http.StatusOK)
	check("TFA", `SELECT concat_ws('/', citizen_id, number, concluded_at IS NULL, updated_by, version) FROM assessments WHERE id = $1`,
		id(a)+"/1/t/"+id(cw.ID)+"/2", aid)

	// Closure: by the user, now; the form cannot place a hold.
	post(c, "close", base+"/afslut", url.Values{"close_reason": {"I job"}}, http.StatusOK)
	check("close", `SELECT concat_ws('/', closed_by, closed_at > now() - interval '1 minute', legal_hold_at IS NULL) FROM citizens WHERE id = $1`,
		id(cw.ID)+"/t/t", a)

	// Users: a non-admin cannot edit a user, not even themselves into an admin; the
	// administrator editing a caseworker cannot change the username or bypass the password
	// hash.
	if p := c.Post("/admin/brugere/"+id(cw.ID), with(url.Values{"name": {"Test cw"}, "unit": {id(jc)}, "role": {access.RoleAdmin}})); p.Status != http.StatusForbidden {
		t.Errorf("caseworker edits their own user: %d; want 403", p.Status)
	}
	post(adm, "user edit", "/admin/brugere/"+id(cw.ID), url.Values{"name": {"Test cw"}, "unit": {id(jc)}, "role": {access.RoleCaseworker}, "email": {""}, "password": {""}}, http.StatusOK)
	check("user", `SELECT concat_ws('/', username, role, unit_id, disabled_at IS NULL, password_hash <> 'x') FROM users WHERE id = $1`,
		"cw/"+access.RoleCaseworker+"/"+id(jc)+"/t/t", cw.ID)
}
