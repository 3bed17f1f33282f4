package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// screeningForm holds everything typed into the screening form, so a rejected form comes back
// with every answer as typed; the answers, the date and the conditions are what it decoded.
type screeningForm struct {
	answers helhed.ScreeningAnswers
	on      time.Time
	cond    store.Conditions
	*form.Form
}

// maxConditionNotes bounds the free-text description of known health conditions.
const maxConditionNotes = 2000

// decodeScreeningForm reads a posted screening in form order, naming each question in the
// error summary ("WHO-5, spørgsmål 3: Vælg et svar"). The answers' own invariants are the
// domain's (ScreeningAnswers.Validate), asked last; a reader's message is the more precise
// and wins. today is the Danish date: a screening cannot lie in the future or more than a
// year back. selfHealth are the self-rated health answers in force (reference data).
func decodeScreeningForm(values url.Values, today time.Time, selfHealth []helhed.Option) screeningForm {
	f := screeningForm{Form: form.New(values)}
	switch d, ok := f.Date("screened_on", "Dato for samtalen"); {
	case f.Values["screened_on"] == "":
		f.on = today
	case !ok:
	case d.After(today):
		f.Fail("screened_on", "Screeningsdatoen kan ikke ligge i fremtiden")
	case d.Before(today.AddDate(-1, 0, 0)):
		f.Fail("screened_on", "Screeningsdatoen må højst ligge et år tilbage")
	default:
		f.on = d
	}
	a := &f.answers
	a.Diet = f.option(helhed.FieldDiet, "Kost", helhed.DietOptions)
	a.Smoking = f.option(helhed.FieldSmoking, "Rygning", helhed.SmokingOptions)
	a.DrinksPerWeek, _ = f.RequiredInt(helhed.FieldDrinksWeek, "Alkohol, genstande på en uge", 0, helhed.MaxDrinksPerWeek)
	a.MaxDrinksOneDay, _ = f.RequiredInt(helhed.FieldDrinksDay, "Alkohol, flest genstande på én dag", 0, helhed.MaxDrinksOneDay)
	a.ActiveMinutesPerDay, _ = f.RequiredInt(helhed.FieldActiveMinutes, "Motion, minutter om dagen", 0, helhed.MaxActiveMinutesPerDay)
	a.Sleep = f.option(helhed.FieldSleep, "Søvn", helhed.SleepOptions)
	a.HeightCm, _ = f.RequiredInt(helhed.FieldHeight, "Højde i cm", helhed.MinHeightCm, helhed.MaxHeightCm)
	a.WeightKg, _ = f.RequiredInt(helhed.FieldWeight, "Vægt i kg", helhed.MinWeightKg, helhed.MaxWeightKg)
	a.Hash = f.option(helhed.FieldHash, "Hash", helhed.DrugUseOptions)
	a.Drugs = f.option(helhed.FieldDrugs, "Andre stoffer", helhed.DrugUseOptions)
	for i, name := range helhed.FieldWHO5 {
		label := "WHO-5, spørgsmål " + strconv.Itoa(i+1)
		a.WHO5[i], _ = f.Int(name, label, 0, helhed.MaxWHO5Item)
		if f.Values[name] == "" {
			f.Fail(name, msgChooseAnswer)
		}
	}
	a.SelfHealth = f.option(helhed.FieldSelfHealth, "Selvvurderet helbred", selfHealth)
	f.cond = store.Conditions{
		Chronic: f.Bool("cond_chronic", "Kronisk sygdom"), Mental: f.Bool("cond_mental", "Psykisk sårbarhed"),
		Pain: f.Bool("cond_pain", "Smerter"), Notes: f.Text("cond_notes", "Beskrivelse af helbredsforhold", maxConditionNotes),
	}
	a.WorkImpact = f.option(helhed.FieldWorkImpact, "Helbredets betydning for arbejde", helhed.WorkImpactOptions)
	for field, msg := range a.Validate() {
		f.Fail(field, msg)
	}
	return f
}

// selfHealthOptions are the self-rated health answers in force on day, from the reference
// data, as the form offers and accepts them.
func selfHealthOptions(rs store.RefSet, day time.Time) []helhed.Option {
	var out []helhed.Option
	for _, v := range rs.Current(day) {
		out = append(out, helhed.Option{Code: v.Code, Label: v.Label})
	}
	return out
}

// msgChooseAnswer is the message of a question answered by choosing one of its answers.
const msgChooseAnswer = "Vælg et svar"

// option reads one of a question's answer codes; none chosen is "Vælg et svar".
func (f screeningForm) option(name, label string, opts []helhed.Option) string {
	v := f.Choice(name, label, func(v string) bool { return helhed.OptionLabel(opts, v) != "" })
	if v == "" {
		f.Fail(name, msgChooseAnswer)
	}
	return v
}
