package store

import "github.com/helhed/helhed/internal/live"

// The live-update topics of the data an instance keeps in memory: a trigger on each table
// sends its topic with every change (migration 0047; the reference data's, RefDataTopic,
// migration 0011).
const (
	SettingsTopic = "settings"
	UnitsTopic    = "units"
)

// KeepCopies keeps the dated settings and the units in memory (live.Copy): read on almost
// every page and changed a few times a year, they are read again on the next use after hub
// announces a change to them, on whichever instance or connection it was made. Without it —
// the command line, the store's tests, a read replica (a standby cannot LISTEN) — every read
// goes to the database. Call it once, before the store is used.
func (s *Store) KeepCopies(hub *live.Hub) {
	s.settings = live.NewCopy(hub, s.readSettings, SettingsTopic)
	// A unit's kind is labelled from the reference data.
	s.units = live.NewCopy(hub, s.readUnits, UnitsTopic, RefDataTopic)
}

// dropSettings and dropUnits forget this instance's copy after it committed a change, so its
// own next request does not wait for the announcement.
func (s *Store) dropSettings() {
	if s.settings != nil {
		s.settings.Drop()
	}
}

func (s *Store) dropUnits() {
	if s.units != nil {
		s.units.Drop()
	}
}
