package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// demoInitiative is one initiative of the demo strategy, in the spirit of the municipal
// status reports the product was specified from: a theme, a status with a note, the offers
// it works through, and the status it had before (its history).
type demoInitiative struct {
	theme, title, description, status, note string
	offers                                  []string // names in demoOffers
	monthsAgo                               int      // when it began counting referrals
	before                                  string   // an earlier status, "" for none
}

var demoInitiatives = []demoInitiative{
	{"tidlig_indsats", "Screening af alle nye kontanthjælps- og sygedagpengemodtagere",
		"Alle nye borgere på kontanthjælp og sygedagpenge screenes for helbredsmæssige udfordringer med WHO-5 og KRAMS, så den rette indsats kan sættes i gang straks.",
		"mindre_udfordringer", "Screeningen er i drift i ét team; de øvrige teams følger, når sagsbehandlerne er undervist.", nil, 18, "fremdrift"},
	{"sundhed_beskaeftigelse", "Sundhedsindsats for kontanthjælpsmodtagere",
		"Kontanthjælpsmodtagere deltager i sundhedscentrets tilbud som en del af deres beskæftigelsesforløb.",
		"fremdrift", "Samarbejdsaftalen med sundhedscentret er på plads, og henvisningerne kommer fra alle teams.",
		[]string{"Rygestopforløb", "Motionsvejledning og træning", "Livsstilsforløb for borgere med BMI under 30"}, 24, ""},
	{"sundhed_beskaeftigelse", "Erhvervsrettet genoptræning",
		"Et samarbejde mellem jobcentret og sundhedscentret om sygemeldte, der har afsluttet en genoptræningsplan.",
		"fremdrift", "Overgået til drift.",
		[]string{"Fysioterapeutisk træning efter endt genoptræningsplan", "Team Tidlig Indsats – otte ugers forløb for sygemeldte"}, 30, ""},
	{"psykiske_lidelser", "Lokal IPS-indsats for borgere med psykiske lidelser",
		"Virksomhedskonsulenter uddannet i IPS støtter borgere med psykiske lidelser i ordinært job eller uddannelse i samarbejde med psykiatrien.",
		"fremdrift", "IPS-teamet er fuldt bemandet. Succeskriterium: 50 % af borgerne oplever forbedret funktionsevne.",
		[]string{"IPS – individuelt planlagt job med støtte"}, 20, "mindre_udfordringer"},
	{"psykiske_lidelser", "Forløb for borgere med lettere angst, stress og depression",
		"Gruppeforløb og mestringsforløb i jobcentret.",
		"fremdrift", "",
		[]string{"Forløb for borgere med lettere angst, stress og depression", "Mestringsforløb for mennesker med angst",
			"Sundhed på Tværs – forløb for ledige med angst, stress eller depression"}, 24, ""},
	{"unge", "Hashgrupper for unge ledige",
		"Samtalegrupper for unge med et forbrug af hash, i samarbejde mellem rusmiddelcentret og ungeindsatsen.",
		"mindre_udfordringer", "Færre unge end ventet er henvist; henvisningsguiden gøres kendt i ungeteamet.",
		[]string{"Hashgruppe for unge ledige"}, 12, ""},
	{"unge", "Sundhedsprogram til unge på mobiltelefonen",
		"En app, der skulle støtte unge i motion, rygestop og stresshåndtering.",
		"reelle_udfordringer", "App'en var vanskelig at bruge for målgruppen og udleveres ikke længere. Initiativet er ophørt.", nil, 36, "fremdrift"},
	{"sammenhaeng", "Mentorhus – specialiseret mentorindsats i små grupper",
		"Tæt mentorstøtte i små grupper for borgere, der har brug for det for at fastholde praktik, job eller uddannelse.",
		"reelle_udfordringer", "Der er endnu ikke bevilget midler til at udvide med endnu et hold; ventelisten vokser.",
		[]string{"Mentorhus – specialiseret mentorindsats i små grupper"}, 24, "mindre_udfordringer"},
}

// Initiatives inserts the demo strategy inside tx: initiatives linked to the demo catalogue's
// offers by name (offers that are not there are left out), each with its status history.
// Every code must be in force on today.
func Initiatives(ctx context.Context, tx pgx.Tx, today time.Time) error {
	themes, statuses := map[string]bool{}, map[string]bool{}
	for _, in := range demoInitiatives {
		themes[in.theme] = true
		statuses[in.status] = true
		if in.before != "" {
			statuses[in.before] = true
		}
	}
	for kind, set := range map[string]map[string]bool{"initiative_theme": themes, "initiative_status": statuses} {
		var codes []string
		for c := range set {
			codes = append(codes, c)
		}
		if err := requireCodes(ctx, tx, kind, codes, today); err != nil {
			return err
		}
	}
	for _, in := range demoInitiatives {
		from := dateOnly(today).AddDate(0, -in.monthsAgo, 0)
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO initiatives (theme, title, description, status, note, counts_from, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6::date, $6::date, $7) RETURNING id`,
			in.theme, in.title, in.description, in.status, in.note, from, dateOnly(today).AddDate(0, 0, -14)).Scan(&id); err != nil {
			return fmt.Errorf("seed: insert initiative %q: %w", in.title, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO initiative_offers (initiative_id, offer_id)
			SELECT $1, id FROM offers WHERE name = ANY($2) ON CONFLICT DO NOTHING`, id, in.offers); err != nil {
			return fmt.Errorf("seed: initiative offers: %w", err)
		}
		if in.before != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO initiative_status_changes (initiative_id, status, note, changed_at) VALUES ($1, $2, '', $3)`,
				id, in.before, from); err != nil {
				return fmt.Errorf("seed: initiative history: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO initiative_status_changes (initiative_id, status, note, changed_at) VALUES ($1, $2, $3, $4)`,
			id, in.status, in.note, dateOnly(today).AddDate(0, 0, -14)); err != nil {
			return fmt.Errorf("seed: initiative history: %w", err)
		}
	}
	return nil
}
