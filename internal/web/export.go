package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/helhed/helhed/web/pages/citizens"
)

// citizenExportView shows everything Helhed holds about the citizen, for an access request
// (GDPR art. 15): every table, plus when and why the data was looked up — not by whom.
func (s *Server) citizenExportView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ex, err := s.store.ExportCitizen(r.Context(), who(r), id)
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return err
	}
	readable, err := s.readableExport(r.Context(), id, ex)
	if err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Indsigt – "+c.Name(), citizens.Export(citizens.ExportProps{CitizenID: id, Name: c.Name(), Export: readable}))
}

// citizenExportJSON is the same export as a JSON download.
func (s *Server) citizenExportJSON(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ex, err := s.store.ExportCitizen(r.Context(), who(r), id)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="indsigt-borger-`+strconv.FormatInt(id, 10)+`.json"`)
	_, err = w.Write(b)
	return err
}
