package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// demoOffer is one offer of the demo catalogue. The offers are the examples the municipal
// sources name (Hjørring's list marked J/S, Kolding's "Sundhed på Tværs", Vordingborg's Team
// Tidlig Indsats, Copenhagen's rygestop, motion and hash groups) plus social offers in
// opgavetype 1, 2 and 10; unitKind picks the provider among the demo units.
type demoOffer struct {
	name, description, opgavetype, unitKind string
	risk, benefits, krams                   []string
	legalBasis                              string
	weeks                                   int
	attendance                              string
	capacity                                int
	// starts are the start dates as weeks from the reference date, each moved to a Monday.
	starts  []int
	contact string
}

var demoOffers = []demoOffer{
	// Hjørring, marked (J) for the jobcenter in the source (seed 004).
	{"Forløb for borgere med lettere angst, stress og depression",
		"Gruppeforløb med psykoedukation, kognitive redskaber og gradvis tilbagevenden til arbejdsmarkedet.",
		"ot04", "jobcenter", []string{"hoej", "mellem"}, []string{"kontanthjaelp", "sygedagpenge", "dagpenge"}, []string{"soevn"},
		"lab_kap10", 10, "Fremmøde to formiddage om ugen", 12, []int{3, 13, 23}, "Jobcentrets sundhedsteam, tlf. 56 20 30 00"},
	{"Mestringsforløb for mennesker med angst",
		"Forløb i små grupper om at forstå og håndtere angst i hverdagen og på en arbejdsplads.",
		"ot04", "jobcenter", []string{"hoej"}, []string{"kontanthjaelp", "sygedagpenge"}, nil,
		"lab_kap10", 8, "Fremmøde én gang om ugen; afbud til forløbslederen", 10, []int{4, 14}, "Jobcentrets sundhedsteam, tlf. 56 20 30 00"},
	{"IPS – individuelt planlagt job med støtte",
		"Individual Placement and Support: en IPS-konsulent hjælper borgere med psykiske lidelser i ordinært job eller uddannelse og støtter efter ansættelsen.",
		"ot08", "jobcenter", []string{"hoej"}, []string{"kontanthjaelp", "ressourceforloeb", "jobafklaringsforloeb"}, nil,
		"lab_kap10", 78, "Løbende aftaler med IPS-konsulenten", 20, []int{1, 5, 9}, "IPS-teamet, Jobcenter Faxe"},
	{"Mentorhus – specialiseret mentorindsats i små grupper",
		"Mentorstøtte i små grupper for borgere, der har brug for tæt opfølgning for at fastholde praktik, job eller uddannelse.",
		"ot03", "jobcenter", []string{"hoej", "mellem"}, []string{"kontanthjaelp", "ressourceforloeb"}, nil,
		"lab_167", 26, "Aftaler med mentor mindst én gang om ugen; mentorstøtte bevilges for højst 6 måneder ad gangen", 8, []int{2, 6, 10}, "Mentorhuset, Jobcenter Faxe"},
	{"Forløb for borgere med ADHD og autismespektrumforstyrrelse (ASF)",
		"Træning af struktur, planlægning og sociale færdigheder med fokus på job eller uddannelse.",
		"ot01", "jobcenter", []string{"hoej", "mellem"}, []string{"kontanthjaelp"}, nil,
		"lab_kap10", 16, "Fremmøde tre dage om ugen", 10, []int{5, 21}, "Jobcentrets sundhedsteam, tlf. 56 20 30 00"},

	// Hjørring, marked (S) for the health centre.
	{"Fysioterapeutisk træning efter endt genoptræningsplan",
		"Holdtræning og individuel vejledning ved fysioterapeut for borgere, der har afsluttet en genoptræningsplan, men stadig har funktionsnedsættelse.",
		"ot07", "sundhedscenter", []string{"hoej", "mellem"}, []string{"sygedagpenge", "jobafklaringsforloeb", "kontanthjaelp"}, []string{"motion"},
		"sul_119", 12, "Træning to gange om ugen", 14, []int{2, 14, 26}, "Sundhedscenter Faxe, fysioterapien"},
	{"Den korte rådgivende samtale om alkohol",
		"En kort, motiverende samtale om alkoholvaner med en sundhedsfaglig medarbejder, og tilbud om behandling efter behov.",
		"ot05", "sundhedscenter", []string{"hoej", "mellem", "lav"}, []string{"kontanthjaelp", "sygedagpenge", "dagpenge"}, []string{"alkohol"},
		"sul_119", 1, "Én samtale og opfølgning efter 4 uger", 20, []int{1, 2, 3, 4}, "Sundhedscenter Faxe, tlf. 56 20 40 00"},
	{"Livsstilsforløb for borgere med BMI under 30",
		"Gruppeforløb om kost, motion og søvn med individuelle mål og fælles træning.",
		"ot06", "sundhedscenter", []string{"mellem", "lav"}, []string{"kontanthjaelp", "dagpenge", "sygedagpenge"}, []string{"kost", "motion", "soevn"},
		"sul_119", 12, "Fremmøde to gange om ugen; to udeblivelser uden afbud afslutter forløbet", 16, []int{3, 15}, "Sundhedscenter Faxe, tlf. 56 20 40 00"},
	// Kolding (seed 000).
	{"Sundhed på Tværs – forløb for ledige med angst, stress eller depression",
		"Otte ugers forløb: undervisning i KRAMS-faktorerne ved sundhedskoordinator og fysioterapeut, motion, mindfulness og psykoedukation ved psykolog, netværksdel og virksomhedsrettede aktiviteter. Visitation efter WHO-5-screening.",
		"ot04", "sundhedscenter", []string{"hoej", "mellem"}, []string{"dagpenge", "fleksjob", "sygedagpenge", "kontanthjaelp"}, []string{"kost", "rygning", "alkohol", "motion", "soevn"},
		"sul_119", 8, "Mødepligt fem dage om ugen", 12, []int{4, 16}, "Sundhedskoordinatoren, Sundhedscenter Faxe"},
	// Vordingborg (seed 000).
	{"Team Tidlig Indsats – otte ugers forløb for sygemeldte",
		"Erhvervsrettede og sundhedsfremmende aktiviteter: træning, smertehåndtering, mindfulness og håndtering af stress og depression, efter en fælles tværfaglig vurdering.",
		"ot07", "sundhedscenter", []string{"hoej", "mellem"}, []string{"sygedagpenge", "ledighedsydelse", "jobafklaringsforloeb", "ressourceforloeb"}, []string{"motion", "soevn"},
		"sul_119", 8, "Fremmøde tre dage om ugen", 15, []int{2, 10, 18}, "Team Tidlig Indsats, tlf. 56 20 40 10"},
	// Copenhagen (seed 001).
	{"Rygestopforløb",
		"Rygestop i grupper med rådgivning om nikotinerstatning, holdt i tilknytning til jobcentrets aktiviteter.",
		"ot06", "sundhedscenter", []string{"mellem", "lav"}, []string{"kontanthjaelp", "dagpenge"}, []string{"rygning"},
		"sul_119", 6, "Fem mødegange", 15, []int{1, 7, 13}, "Sundhedscenter Faxe, rygestopinstruktørerne"},
	{"Motionsvejledning og træning",
		"Individuel motionsvejledning og træning i jobcentrets motionsrum eller et samarbejdende fitnesscenter.",
		"ot06", "sundhedscenter", []string{"mellem", "lav"}, []string{"kontanthjaelp", "dagpenge", "sygedagpenge"}, []string{"motion"},
		"sul_119", 10, "Træning mindst to gange om ugen", 20, []int{1, 5, 9, 13}, "Motionsvejlederen, Sundhedscenter Faxe"},
	{"Hashgruppe for unge ledige",
		"Samtalegruppe for unge med et forbrug af hash, i samarbejde mellem misbrugsbehandlingen og jobcentrets ungeindsats.",
		"ot05", "socialforvaltning", []string{"hoej", "mellem"}, []string{"kontanthjaelp"}, nil,
		"sel_101", 12, "Fremmøde én gang om ugen", 8, []int{3, 15}, "Rusmiddelcentret, Socialforvaltningen Faxe"},

	// The social administration (opgavetype 1, 2, 5, 10).
	{"Misbrugsindsats koordineret med beskæftigelsesplanen",
		"Ambulant stofmisbrugsbehandling, der planlægges sammen med borgerens beskæftigelsesrettede indsats.",
		"ot05", "socialforvaltning", []string{"hoej"}, []string{"kontanthjaelp", "ressourceforloeb"}, nil,
		"sel_101", 26, "Behandlingsaftaler efter individuel plan", 10, []int{1, 3, 5, 7}, "Rusmiddelcentret, Socialforvaltningen Faxe"},
	{"Træning af sociale færdigheder i gruppe",
		"Gruppeforløb om kommunikation, samarbejde og at indgå i sociale sammenhænge, som forberedelse til praktik eller job.",
		"ot01", "socialforvaltning", []string{"hoej", "mellem"}, []string{"kontanthjaelp", "ressourceforloeb"}, nil,
		"sel_85", 12, "Fremmøde to gange om ugen", 10, []int{4, 16}, "Socialforvaltningen Faxe, voksenområdet"},
	{"Voksenstøtte – socialpædagogisk bistand i hverdagen",
		"Støtte i eget hjem til struktur, økonomi og kontakt med myndigheder, så borgeren kan deltage i beskæftigelsesindsatsen.",
		"ot02", "socialforvaltning", []string{"hoej"}, []string{"kontanthjaelp", "ressourceforloeb", "jobafklaringsforloeb"}, nil,
		"sel_85", 26, "Besøg efter aftale, typisk en til to gange om ugen", 12, []int{1, 5, 9}, "Socialforvaltningen Faxe, bostøtten"},
	{"Familieterapeutisk forløb",
		"Samtaleforløb for familien, når familiens situation står i vejen for job eller uddannelse.",
		"ot10", "socialforvaltning", []string{"hoej", "mellem"}, []string{"kontanthjaelp"}, nil,
		"bl_32", 12, "Samtaler hver 14. dag", 8, []int{2, 10}, "Familieafdelingen, Socialforvaltningen Faxe"},
}

// demoOfferFocus is what a demo offer works on beyond KRAMS (helhed.FocusCodes), by name:
// the courses for angst, stress and depression work on mental health (a low WHO-5 suggests
// them first); the hash group and the misbrug effort on hash and other drugs.
var demoOfferFocus = map[string][]string{
	"Forløb for borgere med lettere angst, stress og depression":              {"mental"},
	"Mestringsforløb for mennesker med angst":                                 {"mental"},
	"Sundhed på Tværs – forløb for ledige med angst, stress eller depression": {"mental"},
	"Team Tidlig Indsats – otte ugers forløb for sygemeldte":                  {"mental"},
	"Hashgruppe for unge ledige":                                              {"rusmidler"},
	"Misbrugsindsats koordineret med beskæftigelsesplanen":                    {"rusmidler"},
}

// Offers inserts the demo catalogue inside tx. unitIDs maps a unit kind to the unit that
// provides that kind's offers; an offer whose kind has no unit is skipped. Start dates are the
// Mondays a few weeks after today. Every reference code the offers use must be in force on
// today, or nothing is written.
func Offers(ctx context.Context, tx pgx.Tx, unitIDs map[string]int64, today time.Time) error {
	codes := map[string]map[string]bool{"opgavetype": {}, "legal_basis": {}, "benefit_type": {}}
	for _, o := range demoOffers {
		codes["opgavetype"][o.opgavetype] = true
		codes["legal_basis"][o.legalBasis] = true
		for _, b := range o.benefits {
			codes["benefit_type"][b] = true
		}
	}
	for kind, set := range codes {
		var want []string
		for c := range set {
			want = append(want, c)
		}
		if err := requireCodes(ctx, tx, kind, want, today); err != nil {
			return err
		}
	}
	monday := dateOnly(today)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	for _, o := range demoOffers {
		unit, ok := unitIDs[o.unitKind]
		if !ok {
			continue
		}
		starts := make([]time.Time, len(o.starts))
		for i, w := range o.starts {
			starts[i] = monday.AddDate(0, 0, 7*w)
		}
		nonNil := func(v []string) []string {
			if v == nil {
				return []string{}
			}
			return v
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO offers (name, description, opgavetype, provider_unit_id, target_risk, target_benefits, krams,
			                    legal_basis, duration_weeks, attendance, capacity, start_dates, contact, focus)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			o.name, o.description, o.opgavetype, unit, o.risk, o.benefits, nonNil(o.krams), o.legalBasis, o.weeks,
			o.attendance, o.capacity, starts, o.contact, nonNil(demoOfferFocus[o.name])); err != nil {
			return fmt.Errorf("seed: insert offer %q: %w", o.name, err)
		}
	}
	return nil
}

// requireCodes fails with errMissingCode unless every code of kind is in force on today.
func requireCodes(ctx context.Context, tx pgx.Tx, kind string, codes []string, today time.Time) error {
	var found int
	err := tx.QueryRow(ctx, `
		SELECT count(*) FROM ref_values
		WHERE kind = $1 AND code = ANY($2) AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)`,
		kind, codes, today).Scan(&found)
	if err != nil {
		return fmt.Errorf("seed: check reference codes: %w", err)
	}
	if found != len(codes) {
		return fmt.Errorf("%w: kind %s needs %v in force on %s, found %d of them",
			errMissingCode, kind, codes, today.Format(time.DateOnly), found)
	}
	return nil
}
