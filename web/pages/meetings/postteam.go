package meetings

// PostTeamNotice says, beside an indstilling or afgørelse form, which outcomes need the
// samlet beskrivelse and the sundhedsfaglig rådgivning (the rule in force) and which of them
// the case lacks, with a link to write each one the viewer may write.
type PostTeamNotice struct {
	Required string // the outcomes, in Danish ("fleksjob og førtidspension")
	Missing  []PostTeamLink
}

// PostTeamLink is one missing record; Href is "" when the viewer cannot write it.
type PostTeamLink struct {
	Text, Href string
}
