package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/management"
	"github.com/helhed/helhed/web/paths"
)

// The strategy: initiatives grouped by theme with a status smiley, a note, linked offers and
// live referral counts; their history; and the status report for the political committees.
// Leaders and the administrator keep it (access.EditInitiative); every change is audited in
// the store.

// initiativeRow turns an initiative into its row; the counts are suppressed like every
// figure about citizens.
func initiativeRow(in store.Initiative) management.InitiativeRow {
	row := management.InitiativeRow{ID: in.ID, Title: in.Title, Description: in.Description, Status: in.Status,
		StatusLabel: in.StatusLabel, Note: in.Note, Referred: cell(helhed.Count(in.Referred)),
		InProgress: cell(helhed.Count(in.InProgress)), Updated: in.UpdatedAt}
	if in.UpdatedByName != nil {
		row.UpdatedBy = *in.UpdatedByName
	}
	for _, o := range in.Offers {
		row.Offers = append(row.Offers, o.Name)
	}
	return row
}

// groupByTheme keeps the store's order (themes in the reference data's order).
func groupByTheme(ins []store.Initiative) []management.ThemeGroup {
	var out []management.ThemeGroup
	for _, in := range ins {
		if len(out) == 0 || out[len(out)-1].Theme != in.ThemeLabel {
			out = append(out, management.ThemeGroup{Theme: in.ThemeLabel})
		}
		g := &out[len(out)-1]
		g.Rows = append(g.Rows, initiativeRow(in))
	}
	return out
}

// statusLegend is the status scale with its explanations, from the reference data.
func (s *Server) statusLegend(r *http.Request) ([]management.StatusLegend, error) {
	vs, err := s.vocab.Values(r.Context(), "initiative_status")
	if err != nil {
		return nil, err
	}
	var out []management.StatusLegend
	for _, v := range store.RefSet(vs).Current(s.today()) {
		out = append(out, management.StatusLegend{Code: v.Code, Label: v.Label, Description: v.Description})
	}
	return out, nil
}

func (s *Server) strategyView(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	n := pageNumber(r)
	ins, total, err := s.store.ListInitiatives(r.Context(), &store.Page{Number: n, PerPage: dashboardPerPage})
	if err != nil {
		return err
	}
	legend, err := s.statusLegend(r)
	if err != nil {
		return err
	}
	p := management.StrategyProps{Head: management.Head{Title: "Strategi", Tabs: mgmtTabs(u, "strategi"),
		Lead: "Strategiens initiativer efter tema med status og henvisningstal fra sagerne."},
		Groups: groupByTheme(ins), Total: total, Legend: legend, Export: "/ledelse/strategi.csv",
		CanEdit: access.Can(u.access(), access.EditInitiative),
		Pages:   components.PageInfo{Page: n, PerPage: dashboardPerPage, Total: total, URL: func(n int) string { return pageURL(r, n) }}}
	if len(ins) > 0 {
		p.CountedAt = ins[0].CountedAt
	}
	return s.page(w, r, http.StatusOK, "Strategi", management.Strategy(p))
}

// strategyTable is the initiatives as an aggregated table (the export): counts, no people.
func strategyTable(ins []store.Initiative) components.StatTable {
	t := components.StatTable{Key: "initiativer", Caption: "Strategiens initiativer", RowHead: "Initiativ",
		Columns: []string{"Tema", "Status", "Note", "Tilbud", "Tæller fra", "Henviste borgere", "I forløb nu"}}
	for _, in := range ins {
		row := initiativeRow(in)
		t.Rows = append(t.Rows, components.StatRow{Label: in.Title, Cells: []components.Cell{
			{Text: in.ThemeLabel}, {Text: in.StatusLabel}, {Text: in.Note}, {Text: strings.Join(row.Offers, ", ")},
			{Text: in.CountsFrom.Format(time.DateOnly)}, row.Referred, row.InProgress}})
	}
	return t
}

func (s *Server) strategyCSV(w http.ResponseWriter, r *http.Request) error {
	ins, _, err := s.store.ListInitiatives(r.Context(), nil)
	if err != nil {
		return err
	}
	t := strategyTable(ins)
	if err := s.store.Audit(r.Context(), who(r), 0, store.AuditManagementExport, "strategi/initiativer ("+strconv.Itoa(len(t.Rows))+" rækker)"); err != nil {
		return err
	}
	return writeCSV(w, "helhed-strategi-"+s.now().Format("20060102"), t)
}

// reportMax bounds the printed report; a strategy has tens of initiatives.
const reportMax = 500

// strategyReport is the printable status report for the political committees.
func (s *Server) strategyReport(w http.ResponseWriter, r *http.Request) error {
	ins, total, err := s.store.ListInitiatives(r.Context(), &store.Page{Number: 1, PerPage: reportMax})
	if err != nil {
		return err
	}
	legend, err := s.statusLegend(r)
	if err != nil {
		return err
	}
	p := management.ReportProps{Title: "Status på strategien for helhedsorienterede indsatser", Date: s.now(),
		Legend: legend, Groups: groupByTheme(ins), Truncated: total > len(ins)}
	if len(ins) > 0 {
		p.CountedAt = ins[0].CountedAt
	}
	return s.render(w, r, http.StatusOK, layout.Print(s.chrome(r, "Statusrapport"), management.Report(p)))
}

// initiative loads the initiative {id} with its history (the route has checked the right).
func (s *Server) initiative(r *http.Request) (store.Initiative, []store.StatusChange, error) {
	id, err := urlID(r, "id")
	if err != nil {
		return store.Initiative{}, nil, err
	}
	return s.store.InitiativeByID(r.Context(), id)
}

func (s *Server) initiativeView(w http.ResponseWriter, r *http.Request) error {
	in, hist, err := s.initiative(r)
	if err != nil {
		return err
	}
	u := userFrom(r)
	p := management.InitiativeProps{Tabs: mgmtTabs(u, "strategi"), Row: initiativeRow(in), Theme: in.ThemeLabel,
		CountsFrom: in.CountsFrom, CountedAt: in.CountedAt, CanEdit: access.Can(u.access(), access.EditInitiative)}
	for _, h := range hist {
		c := management.Change{Status: h.Status, StatusLabel: h.StatusLabel, Note: h.Note, At: h.At}
		if h.ByName != nil {
			c.By = *h.ByName
		}
		p.History = append(p.History, c)
	}
	return s.page(w, r, http.StatusOK, in.Title, management.Initiative(p))
}

// initiativeForm is the initiative form: the values as typed, and the form's messages.
type initiativeForm struct {
	values management.FormValues
	*form.Form
	// keptTheme and keptStatus are the initiative's as stored (edit): offered and accepted
	// also after they have ended, so saving never forces a new theme or status.
	keptTheme, keptStatus string
}

// The initiative's text fields' limits, as checked before the form layer.
const (
	maxInitiativeTitle = 200
	maxInitiativeText  = 4000 // the note and the description
)

// decodeInitiativeForm reads the offers ticked as typed; validate reads the rest.
func decodeInitiativeForm(r *http.Request) initiativeForm {
	_ = r.ParseForm() // a malformed body leaves the form empty, and validation says what is missing
	return initiativeForm{values: management.FormValues{Offers: r.PostForm["offers"]}, Form: form.New(r.PostForm)}
}

// validate reads the form in reading order against the vocabularies in force today (and the
// initiative's own theme and status, when editing) and builds the input.
func (f *initiativeForm) validate(themes, statuses store.RefSet, today time.Time) store.InitiativeInput {
	v := &f.values
	v.Version = f.Text("version", "", 20)
	v.Theme = f.RequiredChoice("theme", "Tema", themes.Keeping(today, f.keptTheme).Has)
	v.Title = f.RequiredText("title", "Initiativ", maxInitiativeTitle)
	v.Status = f.RequiredChoice("status", "Status", statuses.Keeping(today, f.keptStatus).Has)
	v.Note = f.Text("note", "Note til status", maxInitiativeText)
	v.Description = f.Text("description", "Beskrivelse", maxInitiativeText)
	in := store.InitiativeInput{Theme: v.Theme, Title: v.Title, Description: v.Description, Status: v.Status, Note: v.Note,
		CountsFrom: today}
	d, ok := f.Date("counts_from", "Tæl henvisninger fra")
	v.CountsFrom = f.Values["counts_from"]
	switch {
	case ok && (d.Year() < 2000 || d.After(today.AddDate(1, 0, 0))):
		f.Fail("counts_from", "Angiv en dato fra år 2000 til højst et år frem")
	case ok:
		in.CountsFrom = d
	}
	f.Label("offers", "Tilbud, initiativet arbejder gennem")
	for _, o := range v.Offers {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id <= 0 {
			f.Fail("offers", form.MsgChoose)
			continue
		}
		if !slices.Contains(in.OfferIDs, id) {
			in.OfferIDs = append(in.OfferIDs, id)
		}
	}
	return in
}

// initiativeRefs are the vocabularies the form offers.
func (s *Server) initiativeRefs(r *http.Request) (themes, statuses store.RefSet, err error) {
	m, err := s.vocab.Sets(r.Context(), "initiative_theme", "initiative_status")
	return m["initiative_theme"], m["initiative_status"], err
}

func (s *Server) renderInitiativeForm(w http.ResponseWriter, r *http.Request, status int, id int64, f initiativeForm) error {
	themes, statuses, err := s.initiativeRefs(r)
	if err != nil {
		return err
	}
	offers, _, err := s.store.ListOffers(r.Context(), store.OfferFilter{IncludeRetired: true}, store.Page{Number: 1, PerPage: 200})
	if err != nil {
		return err
	}
	today := s.today()
	p := management.FormProps{ID: id, Values: f.values, Errors: f.Errors, Summary: f.SummaryTexts(), Themes: keptOptions(themes.Keeping(today, f.keptTheme), today),
		Statuses: keptOptions(statuses.Keeping(today, f.keptStatus), today)}
	for _, o := range offers {
		label := o.Name + " – " + o.ProviderName
		if !o.Active() {
			label += " (udgået)"
		}
		p.Offers = append(p.Offers, components.Option{Value: strconv.FormatInt(o.ID, 10), Label: label})
	}
	title := "Opret initiativ"
	if id != 0 {
		title = "Ret initiativ"
	}
	return s.page(w, r, status, title, management.Form(p))
}

func (s *Server) initiativeNewGet(w http.ResponseWriter, r *http.Request) error {
	f := initiativeForm{Form: form.New(nil), values: management.FormValues{CountsFrom: s.today().Format(time.DateOnly)}}
	return s.renderInitiativeForm(w, r, http.StatusOK, 0, f)
}

func (s *Server) initiativeNewPost(w http.ResponseWriter, r *http.Request) error {
	themes, statuses, err := s.initiativeRefs(r)
	if err != nil {
		return err
	}
	f := decodeInitiativeForm(r)
	in := f.validate(themes, statuses, s.now())
	if f.OK() {
		id, err := s.store.CreateInitiative(r.Context(), who(r), in)
		if fe := fieldErrors(err); fe != nil {
			for k, msg := range fe {
				f.Fail(k, msg)
			}
		} else if err != nil {
			return err
		} else {
			s.refreshCounts(r)
			s.flash(r, "success", "Initiativet er oprettet.")
			return redirect(w, r, paths.Initiative(id))
		}
	}
	return s.renderInitiativeForm(w, r, http.StatusUnprocessableEntity, 0, f)
}

func (s *Server) initiativeEditGet(w http.ResponseWriter, r *http.Request) error {
	in, _, err := s.initiative(r)
	if err != nil {
		return err
	}
	f := initiativeForm{Form: form.New(nil), values: management.FormValues{Theme: in.Theme, Title: in.Title,
		Description: in.Description, Status: in.Status, Note: in.Note, CountsFrom: in.CountsFrom.Format(time.DateOnly),
		Version: strconv.Itoa(in.Version)}, keptTheme: in.Theme, keptStatus: in.Status}
	for _, o := range in.Offers {
		f.values.Offers = append(f.values.Offers, strconv.FormatInt(o.ID, 10))
	}
	return s.renderInitiativeForm(w, r, http.StatusOK, in.ID, f)
}

// initiativeEditPost saves an edit. Someone else's save in between is a conflict (409): the
// form comes back with what the user typed and the current version, so saving again
// overwrites deliberately, never by accident.
func (s *Server) initiativeEditPost(w http.ResponseWriter, r *http.Request) error {
	current, _, err := s.initiative(r)
	if err != nil {
		return err
	}
	ctx, id := r.Context(), current.ID
	themes, statuses, err := s.initiativeRefs(r)
	if err != nil {
		return err
	}
	f := decodeInitiativeForm(r)
	f.keptTheme, f.keptStatus = current.Theme, current.Status
	in := f.validate(themes, statuses, s.now())
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderInitiativeForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	err = s.store.UpdateInitiative(ctx, who(r), id, version, in)
	switch {
	case helhed.ErrorCode(err) == helhed.EConflict:
		f.Fail("version", helhed.ErrorMessage(err)+" Kontrollér felterne og gem igen for at overskrive.")
		f.values.Version = strconv.Itoa(current.Version)
		return s.renderInitiativeForm(w, r, http.StatusConflict, id, f)
	case fieldErrors(err) != nil:
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		return s.renderInitiativeForm(w, r, http.StatusUnprocessableEntity, id, f)
	case err != nil:
		return err
	}
	s.refreshCounts(r)
	s.flash(r, "success", "Initiativet er gemt.")
	return redirect(w, r, paths.Initiative(id))
}

// refreshCounts recomputes the initiatives' referral counts after a save, so the next page
// shows the counts of the offers just linked. The save itself has succeeded: a failure here
// only leaves the counts for the next scheduled refresh, and is logged.
func (s *Server) refreshCounts(r *http.Request) {
	if err := s.store.RefreshInitiativeCounts(r.Context()); err != nil {
		s.log.Warn("initiative counts", "request_id", requestID(r), "err", err)
	}
}
