package helhed

import "fmt"

// Option is one choice in a closed list of answers: Code is stored and
// submitted by the form, Label is the Danish text shown. The web form
// renders these lists and the decoder validates against the same lists, so
// the two cannot drift apart.
type Option struct {
	Code  string
	Label string
}

// Answer codes that the scoring rules look at. The other codes exist only
// in the option lists.
const (
	// DietPoor is the self-rating that counts as a KRAMS risk for diet.
	DietPoor = "daarlig"
	// SmokingDaily counts as a KRAMS risk for smoking.
	SmokingDaily = "dagligt"
	// SleepOften (frequent sleep problems) counts as a KRAMS risk for sleep.
	SleepOften = "ofte"
	// ImpactNow: the health challenge is a barrier to work now.
	ImpactNow = "nu"
	// ImpactShortMedium: it bears on work in the short or medium term.
	ImpactShortMedium = "kort_mellem"
	// ImpactLong: it bears on work in the long term.
	ImpactLong = "lang"
	// ImpactNone: it does not bear on work.
	ImpactNone = "ingen"
)

// DietOptions are the answers to the diet self-rating.
var DietOptions = []Option{
	{"god", "God"},
	{"middel", "Middel"},
	{DietPoor, "Dårlig"},
}

// SmokingOptions are the answers to the smoking question.
var SmokingOptions = []Option{
	{SmokingDaily, "Dagligt"},
	{"lejlighedsvis", "Lejlighedsvis"},
	{"aldrig", "Aldrig"},
}

// SleepOptions are the answers to how often the citizen has sleep problems.
var SleepOptions = []Option{
	{"sjaeldent", "Sjældent"},
	{"nogle_gange", "Nogle gange"},
	{SleepOften, "Ofte"},
}

// SelfHealthQuestion is the self-rated health item, the general-health question that opens
// the SF-36 and SF-12, in the Danish wording of municipal health checks. Its answers
// (Fremragende … Dårligt) are reference data of kind SelfHealthKind, not Go codes: the
// answer is stored for follow-up and not scored, so no rule depends on a code.
const SelfHealthQuestion = "Hvordan synes du, dit helbred er alt i alt?"

// SelfHealthKind is the reference vocabulary of the self-rated health answers.
const SelfHealthKind = "self_rated_health"

// DrugRecent is the answer to the hash and drug questions that counts as a risk: use within
// the last month.
const DrugRecent = "seneste_maaned"

// DrugUseOptions are the answers to "Hvornår har du sidst røget hash?" and "Hvornår har du
// sidst taget andre stoffer?".
var DrugUseOptions = []Option{
	{"aldrig", "Aldrig"},
	{"over_et_aar", "For mere end et år siden"},
	{"seneste_aar", "Inden for det seneste år, men ikke den seneste måned"},
	{DrugRecent, "Inden for den seneste måned"},
}

// WorkImpactOptions are the caseworker's judgement of how the health
// challenge bears on the citizen's work.
var WorkImpactOptions = []Option{
	{ImpactNow, "Aktuel barriere for arbejde nu"},
	{ImpactShortMedium, "Påvirker arbejde på kort/mellemlang sigt"},
	{ImpactLong, "Påvirker arbejde på lang sigt"},
	{ImpactNone, "Påvirker ikke arbejde"},
}

// WHO5Intro is the lead-in shared by the five WHO-5 items.
const WHO5Intro = "I de sidste 2 uger …"

// WHO5Items are the five WHO-5 statements in KL's Danish wording, in the
// order of ScreeningAnswers.WHO5.
var WHO5Items = [5]string{
	"har jeg været glad og i godt humør",
	"har jeg følt mig rolig og afslappet",
	"har jeg følt mig aktiv og energisk",
	"er jeg vågnet frisk og udhvilet",
	"har min dagligdag været fyldt med ting der interesserer mig",
}

// WHO5Answers are the six answers to each WHO-5 item, highest first as on
// the paper form; Code is the item's value 5..0 as a string, which is what
// the form submits.
var WHO5Answers = []Option{
	{"5", "Hele tiden"},
	{"4", "Det meste af tiden"},
	{"3", "Lidt mere end halvdelen af tiden"},
	{"2", "Lidt mindre end halvdelen af tiden"},
	{"1", "Lidt af tiden"},
	{"0", "På intet tidspunkt"},
}

// Form field names of the screening form. Validation errors and the raw
// input are keyed by these, so the form, the decoder and the error display
// agree on one spelling.
const (
	FieldDiet          = "diet"
	FieldSmoking       = "smoking"
	FieldDrinksWeek    = "drinks_week"
	FieldDrinksDay     = "drinks_day"
	FieldActiveMinutes = "active_minutes"
	FieldSleep         = "sleep"
	FieldSelfHealth    = "self_health"
	FieldWorkImpact    = "work_impact"
	FieldHeight        = "height_cm"
	FieldWeight        = "weight_kg"
	FieldHash          = "hash"
	FieldDrugs         = "drugs"
)

// FieldWHO5 holds the form field names of the five WHO-5 items, "who5_1"
// to "who5_5".
var FieldWHO5 = [5]string{"who5_1", "who5_2", "who5_3", "who5_4", "who5_5"}

// Upper bounds of the numeric answers. They are plausibility limits of the
// form, not legal thresholds, so they are constants.
const (
	MaxDrinksPerWeek       = 200
	MaxDrinksOneDay        = 100
	MaxActiveMinutesPerDay = 1440
	MaxWHO5Item            = 5
	// Height and weight are plausible for an adult within these limits; a typo (175 kg
	// typed as height 1750) is caught.
	MinHeightCm = 100
	MaxHeightCm = 250
	MinWeightKg = 30
	MaxWeightKg = 300
)

// ScreeningAnswers are a citizen's answers to the screening questionnaire,
// together with the caseworker's judgement of the work impact. Codes are
// the Option codes above. All answers are required; since a number's zero
// value is a valid answer, a missing number can only be detected when
// reading the form (the web layer's screening form).
type ScreeningAnswers struct {
	// Diet is a DietOptions code.
	Diet string
	// Smoking is a SmokingOptions code.
	Smoking string
	// DrinksPerWeek is alcohol units (genstande) in a normal week, 0–200.
	DrinksPerWeek int
	// MaxDrinksOneDay is the most units on a single day, 0–100.
	MaxDrinksOneDay int
	// ActiveMinutesPerDay is minutes of at least moderate physical activity
	// on a normal day, 0–1440.
	ActiveMinutesPerDay int
	// Sleep is a SleepOptions code.
	Sleep string
	// WHO5 are the five WHO-5 items in WHO5Items order, each 0–5.
	WHO5 [5]int
	// SelfHealth is a code of the SelfHealthKind vocabulary; the form checks it against the
	// values in force.
	SelfHealth string
	// WorkImpact is a WorkImpactOptions code.
	WorkImpact string
	// HeightCm and WeightKg give the BMI. Zero in screenings made before they were asked:
	// no BMI then.
	HeightCm int `json:",omitempty"`
	WeightKg int `json:",omitempty"`
	// Hash and Drugs are DrugUseOptions codes; "" in screenings made before they were asked.
	Hash  string `json:",omitempty"`
	Drugs string `json:",omitempty"`
}

// BMI10 returns the body-mass index in tenths (weight / height², 312 = 31,2), rounded, and
// false when height or weight is missing.
func (a ScreeningAnswers) BMI10() (int, bool) {
	if a.HeightCm <= 0 || a.WeightKg <= 0 {
		return 0, false
	}
	h2 := a.HeightCm * a.HeightCm
	return (a.WeightKg*100000 + h2/2) / h2, true
}

// BMIClass is WHO's classification of adult BMI.
type BMIClass string

// The BMI classes, WHO's cut-offs 18,5, 25 and 30.
const (
	BMIUnder  BMIClass = "undervaegt"
	BMINormal BMIClass = "normal"
	BMIOver   BMIClass = "overvaegt"
	BMIObese  BMIClass = "svaer_overvaegt"
)

// ClassifyBMI places a BMI in tenths in WHO's classes: under 18,5 undervægt, 18,5–24,9
// normalvægt, 25–29,9 overvægt, 30 and over svær overvægt.
func ClassifyBMI(bmi10 int) BMIClass {
	switch {
	case bmi10 < 185:
		return BMIUnder
	case bmi10 < 250:
		return BMINormal
	case bmi10 < 300:
		return BMIOver
	}
	return BMIObese
}

// Label is the Danish name of the class.
func (c BMIClass) Label() string {
	switch c {
	case BMIUnder:
		return "Undervægt"
	case BMINormal:
		return "Normalvægt"
	case BMIOver:
		return "Overvægt"
	case BMIObese:
		return "Svær overvægt"
	}
	return ""
}

// FormatTenths writes a number in tenths the Danish way: 312 is "31,2".
func FormatTenths(v int) string {
	return fmt.Sprintf("%d,%d", v/10, v%10)
}

// WHO5Score returns the WHO-5 well-being index: the sum of the five items
// times 4, giving 0–100. Items outside 0–5 are clamped, so the index stays
// in range even for answers that were never validated.
func WHO5Score(items [5]int) int {
	sum := 0
	for _, v := range items {
		sum += min(max(v, 0), MaxWHO5Item)
	}
	return sum * 4
}

// OptionLabel returns the label of code in opts, or "" if code is not one
// of them; templates use it to show a stored answer.
func OptionLabel(opts []Option, code string) string {
	for _, o := range opts {
		if o.Code == code {
			return o.Label
		}
	}
	return ""
}

// hasOption reports whether code is one of opts.
func hasOption(opts []Option, code string) bool {
	for _, o := range opts {
		if o.Code == code {
			return true
		}
	}
	return false
}
