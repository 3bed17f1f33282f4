package paths

// The post-team records of a citizen's case (lov nr. 1750 af 29.12.2025): the samlet
// beskrivelse af borgerens forudsætninger and the sundhedsfaglig rådgivning.

// Description is the form of the citizen's samlet beskrivelse.
func Description(id int64) string { return Citizen(id) + "/samlet-beskrivelse" }

// AdviceNew is the form that asks the region's sundhedskoordinator for advice.
func AdviceNew(id int64) string { return Citizen(id) + "/raadgivning/ny" }

// Advice is the sundhedskoordinator's form of one request raid.
func Advice(id, raid int64) string { return Citizen(id) + "/raadgivning/" + n(raid) }

// PostTeamSection is the citizen page at the post-team records.
func PostTeamSection(id int64) string { return CitizenAt(id, "forudsaetninger") }
