package seed

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// demoCase is a worked case for the demo: a citizen of the demo caseworker who has been
// screened (more than once), has a concluded TFA, a plan with parallel efforts and
// follow-ups, a referral, and is on the agenda of the rehabiliteringsteam's next meeting —
// so every page, the shared screen included, has something real to show.
type demoCase struct {
	screenings []helhed.ScreeningAnswers // oldest first, a month apart
	tracks     map[string]helhed.TrackAnswer
	resources  map[string]helhed.ResourceAnswer
	goals      string // the citizen's own goals, one per line
	conclusion string
	efforts    []demoEffort
	scores     [][]int // per follow-up, a score per goal
	referTo    string  // the name of a demo offer
	question   string  // to the rehabiliteringsteam
	prepared   bool
	// prep is the forberedende del, the citizen's own; its benefit history ("benefits") is
	// written from the periods the citizen has (prepBenefits), so it never contradicts them.
	prep  map[string]string
	notes []demoNote // the journal, oldest first
}

// demoNote is a journal note of a worked case, written daysAgo days before today.
type demoNote struct {
	kind, class string
	daysAgo     int
	text        string
}

type demoEffort struct {
	title, area, status, unit, person string
	startWeeks, weeks                 int // from today; weeks 0 = open-ended
	mentor                            bool
}

func who5(a, b, c, d, e int) [5]int { return [5]int{a, b, c, d, e} }

var demoCases = []demoCase{
	{
		screenings: []helhed.ScreeningAnswers{
			{Diet: "daarlig", Smoking: "dagligt", DrinksPerWeek: 6, MaxDrinksOneDay: 3, ActiveMinutesPerDay: 10, Sleep: "ofte",
				WHO5: who5(1, 1, 1, 1, 2), SelfHealth: "daarligt", WorkImpact: helhed.ImpactNow,
				HeightCm: 178, WeightKg: 97, Hash: "over_et_aar", Drugs: "aldrig"},
			{Diet: "middel", Smoking: "dagligt", DrinksPerWeek: 4, MaxDrinksOneDay: 2, ActiveMinutesPerDay: 20, Sleep: "ofte",
				WHO5: who5(2, 2, 2, 2, 2), SelfHealth: "mindre_godt", WorkImpact: helhed.ImpactShortMedium,
				HeightCm: 178, WeightKg: 95, Hash: "over_et_aar", Drugs: "aldrig"},
			{Diet: "middel", Smoking: "lejlighedsvis", DrinksPerWeek: 2, MaxDrinksOneDay: 2, ActiveMinutesPerDay: 35, Sleep: "nogle_gange",
				WHO5: who5(3, 3, 3, 2, 3), SelfHealth: "mindre_godt", WorkImpact: helhed.ImpactShortMedium,
				HeightCm: 178, WeightKg: 92, Hash: "over_et_aar", Drugs: "aldrig"},
		},
		tracks: map[string]helhed.TrackAnswer{
			"lettere_psykiske": {Relevance: helhed.RelevanceRelevant, Description: "Stress og nedtrykthed efter afskedigelse; går til psykolog.",
				WorkImpact: "Kan arbejde få timer ad gangen; trættes hurtigt."},
			"fysiske_lidelser": {Relevance: helhed.RelevanceRelevant, Description: "Smerter i lænden, især ved løft.",
				WorkImpact: "Bør undgå tunge løft."},
			"livsstil": {Relevance: helhed.RelevanceUnclear, Description: "Ryger; sover dårligt."},
		},
		resources: map[string]helhed.ResourceAnswer{
			"arbejdsmarkedserfaring":   {Resources: "12 år som lagermedarbejder; stabilt fremmøde.", Barriers: "Kan ikke længere løfte tungt."},
			"sociale_netvaerk":         {Resources: "Tæt kontakt til søster og to venner."},
			"arbejdsrelevante_oensker": {Resources: "Vil gerne arbejde med kunder, fx i en butik."},
		},
		goals:      "Komme i arbejde igen, gerne i en butik\nSove bedre og få mere energi\nKunne gå en tur på en time uden smerter",
		conclusion: "Parallelle indsatser: virksomhedspraktik med mentor sideløbende med fysioterapi og forløb for stress.",
		efforts: []demoEffort{
			{"Virksomhedspraktik i detailhandel", "beskaeftigelse", "i_gang", unitJobcenter, "Mette Lund", -6, 13, false},
			{"Mentor efter LAB § 167", "beskaeftigelse", "i_gang", unitJobcenter, "Peter Friis", -6, 24, true},
			{"Fysioterapeutisk træning", "sundhed", "i_gang", unitSundhed, "Karina Dahl", -4, 12, false},
			{"Forløb for lettere angst, stress og depression", "sundhed", "planlagt", unitJobcenter, "Sundhedsteamet", 3, 10, false},
		},
		scores:  [][]int{{3, 2, 4}, {4, 4, 5}, {5, 5, 6}},
		referTo: "Fysioterapeutisk træning efter endt genoptræningsplan",
		prep: map[string]string{
			"education":  "Folkeskolens afgangsprøve. 12 år som lagermedarbejder, truckcertifikat.",
			"personal":   "Tæt kontakt til søster og to venner. Går gerne ture, når ryggen tillader det.",
			"challenges": "Kan ikke længere løfte tungt; nedtrykthed efter afskedigelsen gør fuld tid urealistisk nu.",
			"wishes":     "Vil gerne arbejde med kunder i en butik, i første omgang få timer.",
			"health":     "Egen læge bekræfter stress og lændesmerter; fysioterapi og samtaler hos psykolog er i gang.",
			"earlier":    "Virksomhedspraktik i Brugsen går godt tre dage om ugen; en tidligere praktik på lager stoppede efter 3 uger på grund af smerter.",
		},
		question: "Er et jobafklaringsforløb med fortsatte parallelle indsatser det rette næste skridt?",
		notes: []demoNote{
			{"samtale", "sag", 84, "Første samtale. Borgeren fortæller om 12 år som lagerarbejder og ønsker at vende tilbage til et fysisk job med færre løft."},
			{"telefonsamtale", "helbred", 30, "Borgeren ringede: rygsmerterne er bedre efter fysioterapien, men søvnen er stadig dårlig. Aftalt at tage det op med egen læge."},
			{"opfoelgning", "sag", 7, "Opfølgning på planen. Praktikken i Brugsen går godt tre dage om ugen; borgeren vil gerne prøve fire."},
		},
		prepared: true,
	},
	{
		screenings: []helhed.ScreeningAnswers{
			{Diet: "middel", Smoking: "aldrig", DrinksPerWeek: 18, MaxDrinksOneDay: 8, ActiveMinutesPerDay: 15, Sleep: "ofte",
				WHO5: who5(2, 1, 2, 1, 2), SelfHealth: "daarligt", WorkImpact: helhed.ImpactNow,
				HeightCm: 183, WeightKg: 88, Hash: "seneste_maaned", Drugs: "seneste_aar"},
			{Diet: "middel", Smoking: "aldrig", DrinksPerWeek: 9, MaxDrinksOneDay: 5, ActiveMinutesPerDay: 20, Sleep: "nogle_gange",
				WHO5: who5(2, 2, 3, 2, 3), SelfHealth: "mindre_godt", WorkImpact: helhed.ImpactShortMedium,
				HeightCm: 183, WeightKg: 86, Hash: "seneste_aar", Drugs: "over_et_aar"},
		},
		tracks: map[string]helhed.TrackAnswer{
			"misbrug":           {Relevance: helhed.RelevanceRelevant, Description: "Højt alkoholforbrug; har takket ja til samtale.", WorkImpact: "Ustabilt fremmøde."},
			"sociale_problemer": {Relevance: helhed.RelevanceRelevant, Description: "Gæld og usikker bolig."},
		},
		resources: map[string]helhed.ResourceAnswer{
			"uddannelse":       {Resources: "Faglært tømrer.", Barriers: "Har ikke arbejdet i faget i 6 år."},
			"bolig_oekonomi":   {Barriers: "Risiko for udsættelse."},
			"arbejdsidentitet": {Resources: "Stolt af sit håndværk."},
		},
		goals:      "Få styr på økonomien\nDrikke mindre\nTilbage til tømrerfaget",
		conclusion: "Alkoholbehandling og økonomisk rådgivning før og sideløbende med opkvalificering.",
		efforts: []demoEffort{
			{"Den korte rådgivende samtale om alkohol", "sundhed", "afsluttet", unitSundhed, "Karina Dahl", -8, 2, false},
			{"Socialrådgivning om gæld og bolig", "social", "i_gang", unitSocial, "Jesper Skov", -6, 0, false},
			{"Opkvalificering: AMU-kursus i tømrerfaget", "uddannelse", "planlagt", unitJobcenter, "Mette Lund", 6, 8, false},
		},
		scores:  [][]int{{2, 3, 2}, {3, 5, 3}},
		referTo: "Den korte rådgivende samtale om alkohol",
		prep: map[string]string{
			"education":  "Faglært tømrer; har ikke arbejdet i faget i 6 år. Kørekort C fornyet.",
			"personal":   "Stolt af sit håndværk. Bor alene; gæld til udlejer og risiko for udsættelse.",
			"challenges": "Højt alkoholforbrug og ustabilt fremmøde; økonomien fylder meget.",
			"wishes":     "Tilbage til tømrerfaget eller job som chauffør; vil have styr på økonomien først.",
			"health":     "Har takket ja til den korte rådgivende samtale om alkohol; ingen andre helbredsoplysninger.",
			"earlier":    "Gældsrådgivning i socialforvaltningen er i gang; et AMU-kursus er planlagt.",
		},
		question: "Hvilke indsatser skal køre parallelt, før et ordinært job er realistisk?",
		notes: []demoNote{
			{"samtale", "social", 70, "Samtale om økonomi og bolig. Borgeren har gæld til udlejer; henvist til gældsrådgivning i socialforvaltningen."},
			{"samtale", "sag", 21, "Borgeren har søgt to jobs som chauffør og er til samtale i næste uge. Kørekort C er fornyet."},
		},
	},
	{
		screenings: []helhed.ScreeningAnswers{
			{Diet: "god", Smoking: "aldrig", DrinksPerWeek: 2, MaxDrinksOneDay: 2, ActiveMinutesPerDay: 20, Sleep: "ofte",
				WHO5: who5(1, 0, 1, 0, 1), SelfHealth: "daarligt", WorkImpact: helhed.ImpactNow,
				HeightCm: 165, WeightKg: 49, Hash: "aldrig", Drugs: "aldrig"},
		},
		tracks: map[string]helhed.TrackAnswer{
			"psykisk_sygdom":     {Relevance: helhed.RelevanceRelevant, Description: "Svær depression; udskrevet fra psykiatrien for 2 måneder siden.", WorkImpact: "Aktuelt ikke i stand til at arbejde."},
			"diffuse_uafklarede": {Relevance: helhed.RelevanceUnclear, Description: "Udredning for søvnforstyrrelse."},
		},
		resources: map[string]helhed.ResourceAnswer{
			"interesser": {Resources: "Tegner og maler."},
			"helbred":    {Barriers: "Lav energi; medicin justeres."},
		},
		goals:      "Få en fast rytme i hverdagen\nMøde andre mennesker",
		conclusion: "Udslusningsmentor og et socialt træningsforløb; afklaring af arbejdsevnen på længere sigt.",
		efforts: []demoEffort{
			{"Udslusningsmentor (LAB § 167)", "beskaeftigelse", "i_gang", unitJobcenter, "Peter Friis", -9, 26, true},
			{"Træning af sociale færdigheder", "social", "henvist", unitSocial, "Jesper Skov", 2, 12, false},
		},
		scores: [][]int{{2, 1}},
		prep: map[string]string{
			"education":  "Studentereksamen; afbrudt pædagoguddannelse. Korte job i en børnehave.",
			"personal":   "Tegner og maler; søsteren er bisidder og en vigtig støtte.",
			"challenges": "Lav energi og svært ved at møde andre mennesker; ingen fast døgnrytme.",
			"wishes":     "Vil have en fast rytme i hverdagen og komme ud blandt andre igen.",
			"health":     "Svær depression; udskrevet fra psykiatrien for 2 måneder siden, medicin justeres. Udredes for søvnforstyrrelse.",
			"earlier":    "Udslusningsmentor har haft tre møder med borgeren; faste mødetider tirsdag og torsdag virker.",
		},
		question: "Skal borgeren indstilles til et ressourceforløb, eller er en anden indsats mere realistisk?",
		notes: []demoNote{
			{"samtale", "helbred", 60, "Borgeren er udskrevet fra psykiatrien og kom med sin søster som bisidder. Ønsker at komme ud blandt andre igen."},
			{"andet", "sag", 14, "Mentor har haft tre møder med borgeren; aftalt faste mødetider tirsdag og torsdag."},
		},
	},
}

// DemoCases works the first of the demo caseworker's citizens through the whole product, as
// the users would: screenings, a concluded TFA that opens the plan, parallel efforts,
// follow-ups, a referral under consent, and a rehabiliteringsteam with a meeting tomorrow
// with these citizens on its agenda. It goes through the store, so every rule, version and
// audit row is what real use would leave.
func DemoCases(ctx context.Context, pool *pgxpool.Pool, today time.Time) error {
	st := store.New(pool)
	day := dateOnly(today)
	// The story begins three months ago; the store's clock follows it.
	st.Now = func() time.Time { return day }
	ids := map[string]int64{}
	rows, err := pool.Query(ctx, `SELECT username, id FROM users`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var u string
		var id int64
		if err := rows.Scan(&u, &id); err != nil {
			return err
		}
		ids[u] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	units := map[string]int64{}
	if rows, err = pool.Query(ctx, `SELECT name, id FROM units`); err != nil {
		return err
	}
	for rows.Next() {
		var n string
		var id int64
		if err := rows.Scan(&n, &id); err != nil {
			return err
		}
		units[n] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var citizens []int64
	if rows, err = pool.Query(ctx, `SELECT id FROM citizens WHERE caseworker_id = $1 ORDER BY id LIMIT $2`, ids[demoCaseworker], len(demoCases)); err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		citizens = append(citizens, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(citizens) < len(demoCases) {
		return nil // too few demo citizens for the worked cases; nothing to show them on
	}
	rs, err := st.CurrentRuleSet(ctx, day)
	if err != nil {
		return err
	}
	cw := store.Who{UserID: ids[demoCaseworker], RequestID: "demo"}
	for i, dc := range demoCases {
		if err := dc.seed(ctx, st, cw, citizens[i], rs, day, ids, units); err != nil {
			return fmt.Errorf("seed: demo case %d: %w", i+1, err)
		}
	}
	if err := demoMeeting(ctx, st, day, ids, units, citizens); err != nil {
		return err
	}
	return demoPostTeam(ctx, st, ids, units, citizens, day)
}

func (dc demoCase) seed(ctx context.Context, st *store.Store, cw store.Who, cid int64, rs helhed.RuleSet, day time.Time,
	ids map[string]int64, units map[string]int64) error {
	n := len(dc.screenings)
	for j, a := range dc.screenings {
		on := day.AddDate(0, -(n-1-j)*2, -14)
		if _, err := st.CreateScreening(ctx, cw, cid, on, a, store.Conditions{}, helhed.Score(a, rs)); err != nil {
			return err
		}
	}
	for _, u := range []string{unitSundhed, unitRegion, unitSocial} {
		info := "helbred"
		if u == unitSocial {
			info = "sociale_forhold"
		}
		if err := st.CreateConsents(ctx, cw, store.NewConsent{CitizenID: cid, Information: info, UnitIDs: []int64{units[u]},
			Purpose: "Koordinering af indsatser og rehabiliteringsteam", GivenOn: day.AddDate(0, -3, 0)}); err != nil {
			return err
		}
	}
	aid, _, err := st.StartAssessment(ctx, cw, cid, "Sagsbehandler")
	if err != nil {
		return err
	}
	if err := st.AddParticipant(ctx, cw, cid, aid, ids["sundhed"], "Sygeplejerske"); err != nil {
		return err
	}
	v, err := st.SaveAssessmentDraft(ctx, cw, cid, aid, 1, store.AssessmentInput{Tracks: dc.tracks, Resources: dc.resources,
		CitizenGoals: dc.goals, Conclusion: dc.conclusion})
	if err != nil {
		return err
	}
	start := day.AddDate(0, -3, 0)
	if _, err := st.ConcludeAssessment(ctx, cw, cid, aid, v, start, 3); err != nil {
		return err
	}
	version := 1
	for _, e := range dc.efforts {
		in := store.EffortInput{Title: e.title, Area: e.area, Status: e.status, ResponsibleUnitID: units[e.unit],
			ResponsiblePerson: e.person, StartDate: day.AddDate(0, 0, 7*e.startWeeks), Mentor: e.mentor}
		if e.weeks > 0 {
			end := in.StartDate.AddDate(0, 0, 7*e.weeks)
			in.EndDate = &end
		}
		if _, err := st.SaveEffort(ctx, cw, cid, version, 0, in); err != nil {
			return err
		}
		version++
	}
	plan, _, err := st.PlanForOverview(ctx, cid)
	if err != nil {
		return err
	}
	for j, scores := range dc.scores {
		m := map[int64]int{}
		for k, g := range plan.Goals {
			if k < len(scores) {
				m[g.ID] = scores[k]
			}
		}
		held := day.AddDate(0, 0, -7*(len(dc.scores)-1-j)*4-3)
		if err := st.AddFollowUp(ctx, cw, cid, held, "Opfølgning med borgeren", m, 3); err != nil {
			return err
		}
	}
	// The journal: the caseworker's notes of the conversations, oldest first.
	sight := access.SightOf(access.User{ID: cw.UserID, UnitID: units[unitJobcenter], Role: access.RoleCaseworker},
		access.Relation{CitizenUnitID: units[unitJobcenter]})
	for _, n := range dc.notes {
		if _, err := st.CreateNote(ctx, cw, cid, sight, store.NoteInput{Kind: n.kind, Class: n.class,
			EventDate: day.AddDate(0, 0, -n.daysAgo), Text: n.text}); err != nil {
			return fmt.Errorf("journal note: %w", err)
		}
	}
	if dc.referTo != "" {
		var offer int64
		if err := st.Pool().QueryRow(ctx, `SELECT id FROM offers WHERE name = $1`, dc.referTo).Scan(&offer); err != nil {
			return fmt.Errorf("offer %q: %w", dc.referTo, err)
		}
		if _, err := st.CreateReferral(ctx, cw, store.NewReferral{CitizenID: cid, OfferID: offer, FromUnitID: units[unitJobcenter],
			Note: "Borgeren ønsker at komme i gang hurtigt.", CitizenAccepted: true}); err != nil {
			return err
		}
	}
	return nil
}

// demoMeeting makes the rehabiliteringsteam (the leader chairs, the region's
// sundhedskoordinator takes minutes, health and social sit on it) and its next meeting,
// tomorrow at 9, with the worked cases on the agenda.
func demoMeeting(ctx context.Context, st *store.Store, day time.Time, ids, units map[string]int64, citizens []int64) error {
	leader := store.Who{UserID: ids["leder"], RequestID: "demo"}
	team, err := st.CreateTeam(ctx, leader, "Rehabiliteringsteam Faxe", units[unitJobcenter])
	if err != nil {
		return err
	}
	for _, m := range []struct{ user, area string }{{"leder", "beskaeftigelse"}, {"rehab", "sundhedskoordinator"},
		{"sundhed", "sundhed"}, {"social", "social"}} {
		if err := st.SetTeamMember(ctx, leader, team, ids[m.user], m.area); err != nil {
			return err
		}
	}
	y, mo, d := time.Now().AddDate(0, 0, 1).Date()
	mid, err := st.CreateMeeting(ctx, leader, store.MeetingInput{TeamID: team, StartsAt: time.Date(y, mo, d, 9, 0, 0, 0, time.Local),
		SlotMinutes: 30, Location: "Jobcenter Faxe, mødelokale 2", ChairID: ids["leder"], MinuteTakerID: ids["rehab"]})
	if err != nil {
		return err
	}
	cw := store.Who{UserID: ids[demoCaseworker], RequestID: "demo"}
	for i, dc := range demoCases {
		caseID, err := st.AddMeetingCase(ctx, cw, mid, citizens[i], dc.question)
		if err != nil {
			return err
		}
		prep := helhed.Preparation{}
		for _, s := range helhed.PrepSections {
			prep[s.Key] = dc.prep[s.Key]
		}
		if prep["benefits"], err = prepBenefits(ctx, st, citizens[i], day); err != nil {
			return err
		}
		if !dc.prepared {
			delete(prep, "earlier")
			delete(prep, "benefits")
		}
		if err := st.SavePreparation(ctx, cw, mid, caseID, 1, prep, dc.prepared); err != nil {
			return err
		}
	}
	return nil
}

// prepBenefits writes the forsørgelseshistorik of a forberedende del from the citizen's
// benefit periods, newest first: "Kontanthjælp siden marts 2025. Før det: sygedagpenge
// juni 2024–februar 2025." So each citizen's text is their own and matches their history.
func prepBenefits(ctx context.Context, st *store.Store, citizen int64, day time.Time) (string, error) {
	ps, err := st.BenefitPeriods(ctx, citizen)
	if err != nil {
		return "", err
	}
	labels, err := st.RefValues(ctx, "benefit_type")
	if err != nil {
		return "", err
	}
	set := store.RefSet(labels)
	var parts []string
	for i, p := range ps {
		l := set.Label(p.BenefitCode)
		if i > 0 {
			l = strings.ToLower(l)
		}
		if p.EndDate == nil || !p.EndDate.Before(day) {
			parts = append(parts, l+" siden "+monthYear(p.StartDate))
		} else {
			parts = append(parts, l+" "+monthYear(p.StartDate)+"–"+monthYear(*p.EndDate))
		}
	}
	if len(parts) == 0 {
		return "Ingen ydelser registreret i Helhed.", nil
	}
	text := parts[0] + "."
	if len(parts) > 1 {
		text += " Før det: " + strings.Join(parts[1:], "; ") + "."
	}
	return text, nil
}

// monthYear is "marts 2025".
func monthYear(t time.Time) string { return helhed.MonthName(t.Month()) + " " + strconv.Itoa(t.Year()) }
